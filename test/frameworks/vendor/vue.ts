// Entry of the Vue bundle served as /__frameworks/vue.js: the runtime and Chat.vue, compiled by
// vue/compiler-sfc inside the config's esbuild step — once with `isCustomElement` set (as an
// app should) and once without (`?no-custom-element`), to show what that option is for.
export { createApp, h, nextTick, ref, shallowRef } from 'vue';
export type { App, Component } from 'vue';
export { default as VueChat } from '../Chat.vue';
export { default as VueChatWithoutIsCustomElement } from '../Chat.vue?no-custom-element';
