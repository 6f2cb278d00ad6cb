import type { Feedback, Message } from './types.js';

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
