// `.vue` files are compiled by the wtr config (vue/compiler-sfc); this is their type for tsc.
declare module '*.vue' {
  import type { Component } from 'vue';
  const component: Component;
  export default component;
}
declare module '*.vue?no-custom-element' {
  import type { Component } from 'vue';
  const component: Component;
  export default component;
}
