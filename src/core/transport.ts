/**
 * What the core needs from the network: the Bookbag v2 calls, each taking an AbortSignal.
 * `ApiClient` (src/transport/) is the HTTP/SSE implementation; tests script their own.
 */
import type { ChatFrame, Feedback } from '../protocol/message.js';
import type { Page } from '../protocol/wire.js';

/** A reply to chat, retry or tool-result: frames as they arrive, whatever the wire shape. */
export type Reply = AsyncIterable<ChatFrame> | Iterable<ChatFrame>;

export interface ChatTransport {
  /** `POST …/chat`. Rejects with a `BookbagError` before any reply arrived. */
  chat(body: { message: string; userId?: string; conversationId?: string; stream?: boolean }, signal?: AbortSignal): Promise<Reply>;
  /** `POST …/conversations/:id/retry`. */
  retry(conversationId: string, messageId: string, stream: boolean, signal?: AbortSignal): Promise<Reply>;
  /** `POST …/conversations/:id/tool-result` with `{ toolCallId, output }`. */
  toolResult(conversationId: string, toolCallId: string, output: unknown, signal?: AbortSignal): Promise<Reply>;
  /** `PATCH …/messages/:id/feedback`. */
  feedback(conversationId: string, messageId: string, feedback: Feedback, signal?: AbortSignal): Promise<unknown>;
  /** `GET …/conversations/:id/messages`: the newest page first, `cursor` walks to older ones. */
  messages(conversationId: string, opts?: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<Page<unknown>>;
  /** `GET …/users/:userId/conversations`, newest activity first. */
  userConversations(userId: string, opts?: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<Page<unknown>>;
}
