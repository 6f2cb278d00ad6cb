/**
 * Limits and id patterns of the Bookbag v2 contract. Every id that goes into a URL path passes
 * one of these first, so a hostile or broken server (or page) can never steer a request to
 * another path with `.`, `..`, `/`, `?` or `#`.
 */

/** Longest `message` a chat request may carry (v1 documents 1–8000; v2 follows). */
export const MAX_MESSAGE_LENGTH = 8000;

/** `limit` on list endpoints: 1 to 100 (bookbag-api-v2.md §9). */
export const MAX_PAGE_LIMIT = 100;

/** Characters allowed in any opaque id; `.` and `..` alone are refused separately. */
const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Whether `id` is a single safe path segment: `[A-Za-z0-9._-]{1,128}`, and not `.` or `..`. */
export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && SAFE_ID.test(id) && id !== '.' && id !== '..';
}

/**
 * The end-user id: Bookbag's `^[a-zA-Z0-9._-]{1,128}$`, minus `.` and `..` (it is a path
 * segment of `users/:userId/conversations`).
 */
export const USER_ID_PATTERN = '^[a-zA-Z0-9._-]{1,128}$';
export const isUserId = isSafeId;

/** Agent ids are numeric (the id in the agent's dashboard URL). */
export const isAgentId = (id: unknown): id is string => typeof id === 'string' && /^\d{1,20}$/.test(id);

/** Conversation ids are opaque strings to a client (Bookbag issues digits). */
export const isConversationId = isSafeId;

/** Message ids (`msg_…`) and tool call ids (`call_…`) are opaque to a client as well. */
export const isMessageId = isSafeId;
export const isToolCallId = isSafeId;

/** Bookbag types conversation ids as integers in requests but returns strings: send digits as numbers. */
export const conversationIdForBody = (id: string): string | number => (/^\d{1,15}$/.test(id) ? Number(id) : id);
