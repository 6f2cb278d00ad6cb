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

const STEPS = [60, 60, 24, 7, 4.35, 12];

/** `seconds` (Unix) relative to `now` (epoch ms) in `lang`, e.g. "5 minutes ago", "yesterday". */
export function relativeTime(seconds: number, lang: string, now = Date.now()): string {
  let value = seconds - now / 1e3;
  let i = 0;
  while (i < 6 && Math.abs(value) >= STEPS[i]) value /= STEPS[i++];
  let format: Intl.RelativeTimeFormat;
  try {
    format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  } catch {
    format = new Intl.RelativeTimeFormat(); // not a valid language tag: the browser's language
  }
  return format.format(Math.trunc(value), 'second minute hour day week month year'.split(' ')[i] as Intl.RelativeTimeFormatUnit);
}

/** This user's conversations as far as loaded, newest activity first (the history panel's state). */
export interface ConversationList {
  items: ConversationEntry[];
  /** Cursor of the next page: undefined until the first page arrived, null after the last. */
  cursor?: string | null;
  loading?: boolean;
}
