import type { BookbagEventDetails } from './protocol/events.js';

export type { BookbagEventDetails, BookbagEventName } from './protocol/events.js';

/** A `bookbag-*` event: a `CustomEvent` with the detail the contract gives for its name. */
export type BookbagEvent<K extends keyof BookbagEventDetails> = CustomEvent<BookbagEventDetails[K]>;

declare global {
  // Typed listeners: `el.addEventListener('bookbag-message', (e) => e.detail.message)`.
  interface GlobalEventHandlersEventMap {
    'bookbag-ready': BookbagEvent<'bookbag-ready'>;
    'bookbag-open': BookbagEvent<'bookbag-open'>;
    'bookbag-close': BookbagEvent<'bookbag-close'>;
    'bookbag-send': BookbagEvent<'bookbag-send'>;
    'bookbag-stream-start': BookbagEvent<'bookbag-stream-start'>;
    'bookbag-message': BookbagEvent<'bookbag-message'>;
    'bookbag-tool-call': BookbagEvent<'bookbag-tool-call'>;
    'bookbag-tool-result': BookbagEvent<'bookbag-tool-result'>;
    'bookbag-feedback': BookbagEvent<'bookbag-feedback'>;
    'bookbag-conversation': BookbagEvent<'bookbag-conversation'>;
    'bookbag-error': BookbagEvent<'bookbag-error'>;
  }
}
