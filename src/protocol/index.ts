/**
 * The Bookbag v2 contract in one place, shared by the widget, the proxy and the local server:
 * wire shapes, the error type and its status→code mapping, limits and id patterns, path
 * builders, and the public event names with their details. No DOM, no Node APIs.
 */
export * from './errors.js';
export * from './limits.js';
export * from './wire.js';
export * from './message.js';
export * from './frames.js';
export * from './stored-message.js';
export * from './paths.js';
export * from './events.js';
