// Cursor pagination (§3, §12). Cursors are keyset positions rather than offsets so a page
// walk stays stable while new messages or conversations arrive at the newest end.
import { invalid } from './http.ts';
import type { Conversation, StoredMessage } from './types.ts';

export interface Pagination { cursor: string | null; hasMore: boolean; total: number }
export interface Page<T> { items: T[]; pagination: Pagination }

export function parseLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return 20;
  if (!/^\d+$/.test(raw)) throw invalid('limit must be an integer from 1 to 100');
  const limit = Number(raw);
  if (limit < 1 || limit > 100) throw invalid('limit must be an integer from 1 to 100');
  return limit;
}

type CursorData = { k: 'c'; u: number; i: number } | { k: 'm'; i: number };

function encode(data: CursorData): string {
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
}

function decode(raw: string | null, kind: CursorData['k']): CursorData | null {
  if (raw === null) return null;
  let data: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not base64url');
    data = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor is not valid');
  }
  const d = data as Record<string, unknown>;
  const ok = typeof d === 'object' && d !== null && d.k === kind && Number.isInteger(d.i)
    && (kind === 'm' || Number.isInteger(d.u));
  if (!ok) throw invalid('cursor is not valid');
  return d as CursorData;
}

export const idNumber = (id: string) => Number(id.replace(/^\D+/, ''));

/** Newest activity first; equal timestamps put the newer (larger) id first. */
export function byActivity(a: Conversation, b: Conversation): number {
  return b.updatedAt - a.updatedAt || Number(b.id) - Number(a.id);
}

export function pageConversations(sorted: Conversation[], limit: number, cursorRaw: string | null): Page<Conversation> {
  const cursor = decode(cursorRaw, 'c');
  let rest = sorted;
  if (cursor && cursor.k === 'c') {
    rest = sorted.filter((c) => c.updatedAt < cursor.u || (c.updatedAt === cursor.u && Number(c.id) < cursor.i));
  }
  const items = rest.slice(0, limit);
  const hasMore = rest.length > limit;
  const last = items[items.length - 1];
  return {
    items,
    pagination: {
      cursor: hasMore && last ? encode({ k: 'c', u: last.updatedAt, i: Number(last.id) }) : null,
      hasMore,
      total: sorted.length,
    },
  };
}

/** First page = newest messages; the cursor walks to older ones; each page reads oldest→newest. */
export function pageMessages(messages: StoredMessage[], limit: number, cursorRaw: string | null): Page<StoredMessage> {
  const cursor = decode(cursorRaw, 'm');
  const older = cursor ? messages.filter((m) => idNumber(m.id) < cursor.i) : messages;
  const items = older.slice(Math.max(0, older.length - limit));
  const hasMore = older.length > items.length;
  return {
    items,
    pagination: {
      cursor: hasMore && items[0] ? encode({ k: 'm', i: idNumber(items[0].id) }) : null,
      hasMore,
      total: messages.length,
    },
  };
}
