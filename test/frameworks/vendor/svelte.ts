// Entry of the Svelte bundle served as /__frameworks/svelte.js: the runtime, Chat.svelte and its
// reactive props class, compiled by svelte/compiler inside the config's esbuild step.
export { flushSync, mount, unmount } from 'svelte';
export { default as SvelteChat } from '../Chat.svelte';
export { ChatProps } from '../chat-props.svelte.js';
