/**
 * Times as the transcript and the history list show them, in one style everywhere: "just now"
 * under a minute (so a list never mixes "now" with "3 seconds ago"), then the language's own
 * relative phrase ("5 minutes ago", "yesterday", "il y a 2 jours") from Intl.RelativeTimeFormat,
 * and the full date and time for a tooltip.
 */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 3600],
  ['day', 86400],
  ['week', 604800],
  ['month', 2629800],
  ['year', 31557600],
];

/** A formatter for `lang`, or for the browser's language when `lang` is not a valid tag. */
function formatter<T>(make: (lang: string | undefined) => T, lang: string): T {
  try {
    return make(lang || undefined);
  } catch {
    return make(undefined);
  }
}

/**
 * `seconds` (Unix time) relative to `now` (epoch ms) in `lang`; `justNow` under a minute.
 * Whole units, rounded toward zero: 119 s is "1 minute ago".
 */
export function relativeTime(seconds: number, lang: string, justNow: string, now = Date.now()): string {
  const diff = seconds - now / 1000;
  if (Math.abs(diff) < 60) return justNow;
  let unit = UNITS[0];
  for (const u of UNITS) if (Math.abs(diff) >= u[1]) unit = u;
  const format = formatter((l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' }), lang);
  return format.format(Math.trunc(diff / unit[1]), unit[0]);
}

/** `seconds` (Unix time) as a full date and time in `lang`, for a tooltip or `datetime` partner. */
export function absoluteTime(seconds: number, lang: string): string {
  return formatter((l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' }), lang).format(seconds * 1000);
}
