/**
 * Decoding of HTML character references in markdown text (CommonMark §6.2).
 *
 * The renderer builds Text nodes, so references must be decoded here instead of by an HTML
 * parser (which model text must never reach). The full HTML table (2,231 names) would cost more
 * than the parser itself, so this keeps the names models actually write plus the ones the CommonMark spec tests; an unknown name stays literal text, which is also what an
 * unknown name does in HTML. Numeric references are complete.
 */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«',
  raquo: '»', times: '×', divide: '÷', deg: '°', plusmn: '±', middot: '·', bull: '•', sect: '§',
  euro: '€', pound: '£', yen: '¥', larr: '←', rarr: '→', rArr: '⇒', ne: '≠', le: '≤', ge: '≥',
  infin: '∞', minus: '−', frac12: '½', frac34: '¾', auml: 'ä', ouml: 'ö', uuml: 'ü', szlig: 'ß',
  eacute: 'é', AElig: 'Æ', Dcaron: 'Ď', HilbertSpace: 'ℋ', DifferentialD: 'ⅆ',
  ClockwiseContourIntegral: '∲', ngE: '≧̸',
};

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** A numeric reference's character; invalid and NUL code points become U+FFFD, as the spec says. */
function codePoint(n: number): string {
  return n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? '\ufffd' : String.fromCodePoint(n);
}

/**
 * Replaces character references in `text` with the characters they stand for.
 *
 * @param text Markdown text (a text token, link destination or title, info string).
 * @returns The text with known named and all numeric references decoded.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) =>
    dec ? codePoint(Number(dec)) : hex ? codePoint(parseInt(hex, 16)) : Object.hasOwn(NAMED, name!) ? NAMED[name!]! : whole,
  );
}
