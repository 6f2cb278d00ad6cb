// The only API v2 paths the proxy forwards (what `<bookbag-chat>` calls), and the ones it
// refuses outright. Anything else is a 404, like the API's own unknown routes.

import { isMessageId } from '../protocol/index.js';

/**
 * Bookbag issues conversation ids as integers; the proxy forwards only those (stricter than the
 * contract's opaque ids, and it keys its ownership cache on them).
 */
export const CONVERSATION_ID = /^\d{1,20}$/;

export type RouteKind =
  | 'health'
  | 'chat'
  | 'retry'
  | 'tool-result'
  | 'feedback'
  | 'messages'
  | 'conversation'
  | 'user-conversations';

export type Route =
  | { kind: RouteKind; agentId?: string; conversationId?: string; messageId?: string }
  | { kind: 'refused'; what: string }
  | { kind: 'other-agent' };


/** Path segments after the mount, percent-decoded; null for anything odd (`..`, `%2F`, bad escapes). */
export function segmentsOf(rest: string): string[] | null {
  const trimmed = rest.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return [];
  const out: string[] = [];
  for (const raw of trimmed.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '' || seg === '.' || seg === '..' || /[/\\?#]/.test(seg)) return null;
    out.push(seg);
  }
  return out;
}

export function matchRoute(method: string, segs: string[], pinnedAgent: string): Route | null {
  const n = segs.length;
  if (n === 1 && segs[0] === 'health') return method === 'GET' ? { kind: 'health' } : null;
  if (segs[0] !== 'agents' || n < 3) return null;
  const [, agentId, b, c, d, e, f] = segs;
  // Pinned agent: every other agent looks absent, whatever the rest of the path is.
  if (agentId !== pinnedAgent) return { kind: 'other-agent' };
  const is = (want: string) => method === want;

  if (n === 3 && b === 'chat') return is('POST') ? { kind: 'chat', agentId } : null;
  if (b === 'users' && n === 5 && d === 'conversations') return is('GET') ? { kind: 'user-conversations', agentId } : null;
  if (b !== 'conversations') return null;
  if (n === 3) return is('GET') ? { kind: 'refused', what: 'the agent-wide conversation list' } : null;
  if (n === 4 && c === 'export') return is('GET') ? { kind: 'refused', what: 'the conversation export' } : null;
  if (!CONVERSATION_ID.test(c)) return null;
  if (n === 4) return is('GET') ? { kind: 'conversation', agentId, conversationId: c } : null;
  if (n === 5 && d === 'messages') return is('GET') ? { kind: 'messages', agentId, conversationId: c } : null;
  if (n === 5 && d === 'retry') return is('POST') ? { kind: 'retry', agentId, conversationId: c } : null;
  if (n === 5 && d === 'tool-result') return is('POST') ? { kind: 'tool-result', agentId, conversationId: c } : null;
  if (n === 7 && d === 'messages' && f === 'feedback' && isMessageId(e)) {
    return is('PATCH') ? { kind: 'feedback', agentId, conversationId: c, messageId: e } : null;
  }
  return null;
}

/** Body fields forwarded per route; everything else (a browser-chosen `userId` included) is dropped. */
export const BODY_FIELDS: Partial<Record<RouteKind, readonly string[]>> = {
  chat: ['message', 'conversationId', 'stream'],
  retry: ['messageId', 'stream'],
  'tool-result': ['toolCallId', 'output', 'stream'],
  feedback: ['feedback'],
};

/** Query parameters forwarded on reads (pagination only). */
export const QUERY_FIELDS = ['limit', 'cursor'] as const;
