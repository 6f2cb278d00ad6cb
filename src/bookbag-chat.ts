// The element lives in src/element/; this path stays for imports of it.
export { BookbagChat } from './element/bookbag-chat.js';
