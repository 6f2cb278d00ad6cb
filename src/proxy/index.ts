// The portable Bookbag proxy: a fetch handler with no Node, DOM or Lit imports.
export { createBookbagProxy, type BookbagProxyHandler, type BookbagProxyOptions } from './proxy.js';
