import type { BookbagStrings } from './strings.js';

export type ErrorKind = keyof BookbagStrings['errors'];

/**
 * Which friendly notice an error gets. The transcript never shows the server's own text (it may
 * be English, technical, or written by whoever controls the server); that text stays in the
 * `bookbag-error` event's detail for the host.
 */
export function errorKind(code: string, status?: number): ErrorKind {
  if (code === 'NETWORK_ERROR') return 'network';
  if (code === 'STREAM_INTERRUPTED' || code === 'STREAM_ERROR' || code === 'INVALID_RESPONSE') return 'server';
  if (code === 'TOOL_FAILED') return 'tool';
  if (code.startsWith('RATE_LIMIT')) return 'rateLimited';
  if (code === 'RESOURCE_NOT_FOUND' || code === 'RESOURCE_MESSAGE_NOT_FOUND') return 'notFound';
  if (code === 'CHAT_CONVERSATION_NOT_ONGOING') return 'ended';
  if (code.startsWith('AUTH_')) return 'auth';
  if (code === 'CHAT_CREDITS_EXHAUSTED' || code.startsWith('SUBSCRIPTION_')) return 'unavailable';
  // The widget's own length check (no server answer, so no status).
  if (code === 'VALIDATION_INVALID_BODY' && status === undefined) return 'tooLong';
  if (code.startsWith('VALIDATION_')) return 'invalid';
  if (code === 'INTERNAL_SERVER_ERROR' || (status !== undefined && status >= 500)) return 'server';
  return 'generic';
}
