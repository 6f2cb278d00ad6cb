// The chat session became the framework-free core (src/core/); this path stays for the views
// that import its types.
export type { ChatError, Confirmation } from '../core/state.js';
