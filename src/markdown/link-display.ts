/**
 * How a link from model output is shown, so its text cannot lie about where it goes.
 *
 * The model (or a prompt injection it repeats) writes both a link's text and its destination.
 * Four tricks make a link look like something else, and each has an answer here:
 *
 * - bidi controls in the text (`invoice\u202Efdp.exe` displays as `invoiceexe.pdf`): stripped;
 * - text that reads as a URL or names a host (`https://bank.example/login`, `paypal.com`)
 *   while pointing elsewhere: the real destination host is shown beside the link;
 * - homoglyph hosts (`аpple.com` with a Cyrillic `а`): shown in punycode (`xn--pple-43d.com`);
 * - userinfo (`https://paypal.com@evil.example`): refused, the link is not made at all.
 *
 * Pure and DOM-free: the renderer calls {@link linkDisplay} for every link it builds.
 */
import { BIDI_CONTROLS } from './bidi-controls.js';

/** What the renderer needs to show one link. */
export interface LinkDisplay {
  /** Do not make a link (the URL carries userinfo, or does not parse): render the text only. */
  refuse: boolean;
  /** The link text with bidi controls removed. */
  text: string;
  /**
   * The destination host as it should be shown: the URL parser's ASCII form when any label mixes
   * scripts or is made only of Latin look-alikes, else the readable Unicode form. `''` for URLs
   * without a host (`mailto:`) or when refused.
   */
  host: string;
  /** Show `host` beside the link (part `link-host`): the text looks like a URL or names a host. */
  showHost: boolean;
}

/** Scripts whose letters a host may combine in one label without looking suspicious. */
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Hebrew', 'Arabic', 'Devanagari', 'Thai', 'Georgian', 'Hangul', 'Han', 'Hiragana', 'Katakana'] as const;
const SCRIPT_RES = SCRIPTS.map((s) => new RegExp(`\\p{Script=${s}}`, 'u'));
/** Japanese and Korean labels legitimately mix Han with kana or Hangul. */
const COMPATIBLE = [new Set(['Han', 'Hiragana', 'Katakana']), new Set(['Han', 'Hangul'])];
/** Cyrillic and Greek letters that look like Latin ones: a label of only these impersonates a Latin name. */
const LATIN_LOOKALIKES = /^[аеорсухіјѕԁһӏԛԝъьвкмнтαεικνορτυχ0-9-]+$/u;

/** Text that reads as an address: a scheme and `//`, or a dotted name ending in a label of 2+ letters. */
const LOOKS_LIKE_URL = /[a-z][a-z0-9+.-]*:\/\/|(?:^|[^\p{L}\p{N}_-])(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}_-])/iu;

/** The scripts of a label's letters (digits and hyphens belong to none). */
function scriptsOf(label: string): Set<string> {
  const found = new Set<string>();
  for (const ch of label) {
    const i = SCRIPT_RES.findIndex((re) => re.test(ch));
    if (i >= 0) found.add(SCRIPTS[i]);
    else if (/\p{L}/u.test(ch)) found.add('Other');
  }
  return found;
}

/** Whether a Unicode label should be shown in punycode rather than as written. */
function suspicious(label: string): boolean {
  const scripts = scriptsOf(label);
  if (scripts.size > 1 && !COMPATIBLE.some((ok) => [...scripts].every((s) => ok.has(s)))) return true;
  return (scripts.has('Cyrillic') || scripts.has('Greek')) && LATIN_LOOKALIKES.test(label);
}

/**
 * The host to show: label by label, the Unicode form the author wrote when it is plainly one
 * script, the parser's punycode (`xn--…`) otherwise. The URL parser does the IDNA mapping; the
 * Unicode label is recovered from the raw href only when it maps to exactly the parser's label.
 */
function displayHost(href: string, asciiHost: string): string {
  if (!asciiHost.includes('xn--')) return asciiHost;
  const ascii = asciiHost.split('.');
  const raw = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(href)?.[1] ?? '';
  const written = raw.normalize('NFKC').toLowerCase().split(/[.\u3002\uff0e\uff61]/);
  if (written.length !== ascii.length) return asciiHost;
  return ascii
    .map((label, i) => {
      if (!label.startsWith('xn--')) return label;
      const unicode = written[i];
      let same = false;
      try {
        same = new URL(`http://${unicode}`).hostname === label;
      } catch {
        // not a host on its own: keep the parser's form
      }
      return same && !suspicious(unicode) ? unicode : label;
    })
    .join('.');
}

/**
 * Decides how to show a link.
 *
 * @param href The link's destination: an absolute URL (already vetted by `safeUrl`).
 * @param text The link's visible text as the model wrote it.
 * @returns What to render; see {@link LinkDisplay}.
 *
 * @example
 * linkDisplay('https://evil.example/', 'https://bank.example/login')
 * // → { refuse: false, text: 'https://bank.example/login', host: 'evil.example', showHost: true }
 * linkDisplay('https://paypal.com@evil.example/', 'PayPal') // → { refuse: true, … }
 */
export function linkDisplay(href: string, text: string): LinkDisplay {
  const clean = text.replace(BIDI_CONTROLS, '');
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { refuse: true, text: clean, host: '', showHost: false };
  }
  if (url.username || url.password || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(href)) {
    return { refuse: true, text: clean, host: '', showHost: false };
  }
  const host = url.hostname ? displayHost(href, url.hostname) : '';
  const showHost = !!host && LOOKS_LIKE_URL.test(clean.normalize('NFKC'));
  return { refuse: false, text: clean, host, showHost };
}
