/**
 * Bookbag v2 on the wire: request bodies, stored messages and conversations, list pages, and
 * stream frames, as bookbag-api-v2.md gives them. Servers write these shapes; clients must
 * still read every field as untrusted (see `frames.ts` and `messages.ts`).
 */

/** A text part of a stored message. */
export interface WireTextPart {
  type: 'text';
  text: string;
}

/** A client tool call stored on an assistant message. */
export interface WireToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** The answer to a tool call, stored beside it. */
export interface WireToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: unknown;
}

/** Stored parts; servers may add part types, which clients keep and do not render. */
export type WirePart = WireTextPart | WireToolCallPart | WireToolResultPart | { type: string; [key: string]: unknown };

export type WireFeedback = 'positive' | 'negative' | null;

/** A message as `…/messages` returns it (timestamps in Unix seconds). */
export interface WireMessage {
  id: string;
  role: 'user' | 'assistant';
  parts: WirePart[];
  createdAt: number;
  feedback?: WireFeedback;
  metadata?: Record<string, unknown>;
}

/** A conversation as the list endpoints return it. */
export interface WireConversation {
  id: string;
  title: string | null;
  createdAt: number;
  updatedAt: number;
  userId: string | null;
  status?: string;
}

/** `pagination` of a cursor-paginated list. */
export interface Pagination {
  cursor: string | null;
  hasMore: boolean;
  total?: number;
}

/** One page of a list: `{ data, pagination }`. */
export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

/** `finish.metadata` as Bookbag documents it. Every field may be missing on a foreign server. */
export interface FinishMetadata {
  messageId?: string;
  userMessageId?: string;
  conversationId?: string | number;
  userId?: string | null;
  usage?: { credits?: number };
  [key: string]: unknown;
}

/** The stream frames Bookbag documents (plus `tool-call`, see §17 #1). Others are ignored. */
export type WireFrame =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'error'; errorText: string }
  | { type: 'finish'; finishReason: string; metadata: FinishMetadata };

/** The last `data:` payload of every stream. */
export const DONE = '[DONE]';

/** One SSE block for a frame (or for `[DONE]`). */
export const sseBlock = (payload: object | typeof DONE): string => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;

/** `POST …/chat`. */
export interface ChatRequestBody {
  message: string;
  conversationId?: string | number;
  userId?: string;
  stream?: boolean;
}

/** `POST …/conversations/:id/retry`. */
export interface RetryRequestBody {
  messageId: string;
  stream?: boolean;
}

/** `POST …/conversations/:id/tool-result`: exactly these two fields. */
export interface ToolResultRequestBody {
  toolCallId: string;
  output: unknown;
}

/** `PATCH …/conversations/:id/messages/:messageId/feedback`. */
export interface FeedbackRequestBody {
  feedback: WireFeedback;
}
