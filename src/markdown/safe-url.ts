/**
 * URL vetting for links and images that come from model output.
 *
 * The model (or a prompt injection it repeats) controls every URL we render, so we accept only a
 * short allow-list of schemes and refuse anything that browsers might "repair" into something
 * else. The checks run on the raw string *before* the WHATWG URL parser, because that parser
 * silently strips tabs/newlines and leading control characters — which is exactly how payloads
 * like `java\tscript:` or `\u0000javascript:` get past naive filters.
 */

/** Schemes we will hand to `href`/`src`. `URL.protocol` always lower-cases, so `JaVaScRiPt:` can't sneak by. */
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Characters that never belong in a URL we emit: C0 controls (incl. NUL, tab, CR, LF), space,
 * DEL, C1 controls and Unicode spaces/separators/BOM, plus U+FFFD (what a NUL becomes once the
 * renderer normalises input). Browsers drop or normalise several of
 * these, which would let the string we checked differ from the URL the browser acts on.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff\ufffd]/;

/**
 * HTML character references (`&#106;`, `&#x6A;`, `&colon;`, `&Tab;`). We never decode entities,
 * so such a URL would be harmless text to the URL parser — but its only plausible purpose is to
 * smuggle a scheme past a filter that *does* decode, so it is refused outright. Plain `&` in
 * query strings (`?a=1&b=2`) does not match.
 */
const ENTITY = /&(#\d|#x[0-9a-f]|[a-z][a-z0-9]*;)/i;

/**
 * Returns an absolute, safe URL string for `raw`, or `null` when it must not be rendered.
 *
 * Relative references are resolved against `base` (callers pass `document.baseURI`, which is the
 * default), so the result is always absolute and its scheme is known. Only `http:`, `https:` and
 * `mailto:` survive; `javascript:`, `data:`, `vbscript:`, `file:`, `blob:` and anything we cannot
 * parse return `null`. Strings with whitespace or control characters anywhere (including leading
 * whitespace) or HTML entities are refused rather than cleaned, because "cleaning" is how
 * obfuscated schemes are reassembled.
 *
 * @param raw  URL text exactly as it appeared in the markdown (already stripped of `<…>` and titles).
 * @param base Base URL for relative references; defaults to `document.baseURI`.
 * @returns The serialised absolute URL, or `null` when unsafe or unparseable.
 */
export function safeUrl(raw: string, base?: string): string | null {
  if (typeof raw !== 'string' || raw === '' || raw.length > 8192) return null;
  if (FORBIDDEN_CHARS.test(raw) || ENTITY.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, base ?? document.baseURI);
  } catch {
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/**
 * Returns the URL's origin when `url` (already vetted by {@link safeUrl}) is an http(s) URL whose
 * origin appears in `allowedOrigins`, else `null`. Used to decide whether an image may be loaded:
 * images fetch automatically, so they leak the reader's IP to whatever host the model names
 * unless the embedder explicitly trusts that origin.
 *
 * @param url            An absolute URL returned by {@link safeUrl}.
 * @param allowedOrigins Normalised origins (`https://cdn.example.com`) the embedder allows.
 * @returns `true` when the image may be loaded.
 */
export function isAllowedImageUrl(url: string, allowedOrigins: ReadonlySet<string>): boolean {
  if (allowedOrigins.size === 0) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && allowedOrigins.has(u.origin);
  } catch {
    return false;
  }
}

/**
 * Normalises embedder-supplied origins (`https://CDN.example.com/`, `https://cdn.example.com:443`)
 * to the exact form `URL.origin` produces, dropping anything that isn't an http(s) origin, so the
 * comparison in {@link isAllowedImageUrl} is a plain set lookup.
 *
 * @param origins Origins as configured (e.g. from the `image-origins` attribute).
 * @returns A set of serialised origins.
 */
export function normalizeOrigins(origins: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const o of origins ?? []) {
    try {
      const u = new URL(o);
      if (u.protocol === 'https:' || u.protocol === 'http:') out.add(u.origin);
    } catch {
      // An invalid entry simply allows nothing; the widget must not throw over configuration.
    }
  }
  return out;
}
