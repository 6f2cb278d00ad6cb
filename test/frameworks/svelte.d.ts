// `.svelte` files are compiled by the wtr config (svelte/compiler); this is their type for tsc.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<any, any>;
  export default component;
}
