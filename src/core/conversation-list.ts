/**
 * The history panel's state: this user's conversations as far as loaded. The core fills it from
 * the list endpoint; the view only reads it (times are formatted in src/internal/relative-time.ts).
 */

/** One row of the history panel. */
export interface ConversationEntry {
  id: string;
  /** The server's title; null when it has none. */
  title: string | null;
  /** Last activity (`updatedAt`), Unix seconds; 0 when unknown. */
  at: number;
}

/** A conversation object from a list endpoint as a history row. */
export const toEntry = (c: { id: unknown; title?: unknown; updatedAt?: unknown }): ConversationEntry => ({
  id: String(c.id),
  title: c.title ? String(c.title) : null,
  at: Number(c.updatedAt) || 0,
});

/** This user's conversations as far as loaded, newest activity first. */
export interface ConversationList {
  items: ConversationEntry[];
  /** Cursor of the next page: undefined until the first page arrived, null after the last. */
  cursor?: string | null;
  loading?: boolean;
}
