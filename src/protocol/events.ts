/**
 * The public `bookbag-*` events: their names and the `detail` each carries (widget-contract.md,
 * Events). Every UI built on the core (the element, or a host's own) uses these.
 */
import type { Feedback, Message } from './message.js';

/** The `detail` of every public `bookbag-*` event, by event name. */
export interface BookbagEventDetails {
  'bookbag-ready': { conversationId: string | null };
  'bookbag-open': Record<string, never>;
  'bookbag-close': Record<string, never>;
  'bookbag-send': { text: string };
  'bookbag-stream-start': { conversationId: string | null };
  'bookbag-message': { message: Message };
  'bookbag-tool-call': { toolCallId: string; toolName: string; input: unknown };
  'bookbag-tool-result': { toolCallId: string; toolName: string; output: unknown; isError: boolean };
  'bookbag-feedback': { messageId: string; feedback: Feedback };
  'bookbag-conversation': { conversationId: string | null };
  'bookbag-error': { code: string; message: string; status?: number; retryable: boolean };
}

export type BookbagEventName = keyof BookbagEventDetails;

/** Every event name, in the order the contract lists them. */
export const BOOKBAG_EVENT_NAMES: readonly BookbagEventName[] = [
  'bookbag-ready', 'bookbag-open', 'bookbag-close', 'bookbag-send', 'bookbag-stream-start', 'bookbag-message',
  'bookbag-tool-call', 'bookbag-tool-result', 'bookbag-feedback', 'bookbag-conversation', 'bookbag-error',
];

/** Events the page may cancel (to stop a send, or to answer a tool call itself). */
export const CANCELABLE_EVENTS: readonly BookbagEventName[] = ['bookbag-send', 'bookbag-tool-call'];
