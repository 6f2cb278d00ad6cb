/** Side-effect entry: registers `<bookbag-chat>` (once; a second copy of the bundle is a no-op). */
import { BookbagChat } from './element/bookbag-chat.js';

export * from './index.js';

BookbagChat.define();
