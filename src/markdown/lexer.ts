/**
 * The markdown parser: marked's `Lexer` (CommonMark + GFM tokens, no HTML output) plus the two
 * constructs GFM and assistants use that marked leaves out, footnotes and math.
 *
 * Only the lexer is used: tokens go to our own DOM renderer (`render-tokens.ts`), so marked's
 * HTML renderer and parser are never imported and the bundler drops them.
 */
import { Lexer, type Token, type Tokens, type TokensList } from 'marked';

/** Link reference definitions seen so far: label (normalised by marked) → destination, title. */
export type LinkDefinitions = Record<string, { href: string; title: string }>;

/** `[^label]: text…` — a footnote definition (GFM); its content is block markdown. */
export interface FootnoteDefinitionToken {
  type: 'footnoteDef';
  raw: string;
  label: string;
  tokens: Token[];
}

/** `[^label]` — a footnote reference. */
export interface FootnoteReferenceToken {
  type: 'footnoteRef';
  raw: string;
  label: string;
}

/** `$…$`, `$$…$$`, `\(…\)`, `\[…\]`: math, shown as its source (there is no math engine). */
export interface MathToken {
  type: 'math';
  raw: string;
  /** The source including its delimiters, as the author wrote it. */
  text: string;
  /** Display math (`$$`, `\[`), as opposed to inline. */
  display: boolean;
}

type ExtensionThis = { lexer: Lexer };

const FOOTNOTE_DEF = /^ {0,3}\[\^([^\]\s]{1,64})\]:[ \t]*/;
const FOOTNOTE_REF = /^\[\^([^\]\s]{1,64})\]/;
/** A line that starts a block of its own, so it is no lazy continuation of a footnote. */
const BLOCK_START = /^ {0,3}(?:\[\^[^\]\s]+\]:|[-*+>#|]|`{3}|~{3}|\d{1,9}[.)](?:\s|$)|\$\$|\\\[)/;

/** Footnote definition: the first line, then indented or lazy continuation lines. */
function footnoteDefinition(this: ExtensionThis, src: string): FootnoteDefinitionToken | undefined {
  const m = FOOTNOTE_DEF.exec(src);
  if (!m) return undefined;
  let end = src.indexOf('\n') + 1 || src.length;
  for (let pos = end; pos < src.length; ) {
    const lineEnd = src.indexOf('\n', pos) + 1 || src.length;
    const line = src.slice(pos, lineEnd);
    if (/^(?: {4}|\t)/.test(line)) end = lineEnd; // indented: part of the footnote
    else if (/^[ \t]*\n?$/.test(line)) { /* blank: part of it only if an indented line follows */ }
    else if (end === pos && !BLOCK_START.test(line)) end = lineEnd; // lazy paragraph continuation
    else break;
    pos = lineEnd;
  }
  const raw = src.slice(0, end);
  const body = raw.slice(m[0].length).replace(/^(?: {1,4}|\t)/gm, '');
  return { type: 'footnoteDef', raw, label: m[1]!.toLowerCase(), tokens: this.lexer.blockTokens(body, []) };
}

function footnoteReference(src: string): FootnoteReferenceToken | undefined {
  const m = FOOTNOTE_REF.exec(src);
  return m ? { type: 'footnoteRef', raw: m[0], label: m[1]!.toLowerCase() } : undefined;
}

/** Math content must hold something besides spaces and backslashes (`\(\)` stays an escape). */
const hasContent = (s: string) => /[^\s\\]/.test(s);

/** Display math on its own lines: `$$` … `$$` or `\[` … `\]`, closed. */
const MATH_BLOCK = /^ {0,3}(\$\$|\\\[)([\s\S]*?)(\$\$|\\\])[ \t]*(?:\n|$)/;

function mathBlock(src: string): MathToken | undefined {
  const m = MATH_BLOCK.exec(src);
  if (!m || (m[1] === '$$') !== (m[3] === '$$') || !hasContent(m[2]!)) return undefined;
  return { type: 'math', raw: m[0], text: m[0].trim(), display: true };
}

/**
 * Inline math. `$…$` only when it closes on the same line and hugs its content (`$x$`, not
 * `$ x $`), and the closer is not followed by a digit, so `$PATH`, `$name` and "costs $5 or $10"
 * stay text.
 */
const INLINE_MATH = [
  /^\$\$(?!\$)([\s\S]+?)\$\$/,
  /^\$(?=[^\s$])((?:\\\$|[^\n$])*?[^\s\\$])?\$(?!\d)/,
  /^\\\(([\s\S]+?)\\\)/,
  /^\\\[([\s\S]+?)\\\]/,
];

function mathInline(src: string): MathToken | undefined {
  const c = src.charCodeAt(0);
  if (c !== 36 && c !== 92) return undefined;
  for (let i = 0; i < INLINE_MATH.length; i++) {
    const m = INLINE_MATH[i]!.exec(src);
    if (m && (i === 1 ? src[1] !== '$' : hasContent(m[1]!))) {
      return { type: 'math', raw: m[0], text: m[0], display: i === 0 || i === 3 };
    }
  }
  return undefined;
}

/** Where inline text must stop so the math extension gets a look. */
function mathStart(src: string): number | undefined {
  const i = src.search(/\$|\\[([]/);
  return i < 0 ? undefined : i;
}

const EXTENSIONS = {
  block: [footnoteDefinition, mathBlock],
  inline: [footnoteReference, mathInline],
  startInline: [mathStart],
  renderers: {},
  childTokens: {},
};

/**
 * Lexes `src` into block tokens with their inline tokens.
 *
 * @param src   Markdown (LF line ends, no NUL).
 * @param links Definitions from earlier parts of the same reply, so a reference to one resolves;
 *              definitions found in `src` are added to the returned list's `links`.
 */
export function lex(src: string, links: LinkDefinitions = {}): TokensList {
  const lexer = new Lexer({
    async: false, breaks: false, gfm: true, pedantic: false, silent: false,
    extensions: EXTENSIONS as never, hooks: null, renderer: null, tokenizer: null, walkTokens: null,
  });
  Object.assign(lexer.tokens.links, links);
  return lexer.lex(src);
}

export type { Token, Tokens, TokensList };

/**
 * Small texts that between them reach every block and inline rule the widget's lexer has. The
 * first lex on a page compiles marked's regular expressions and functions, which cost about
 * 40 ms of one task on a slow machine. Without warming up, that cost lands in the first frame of
 * the first reply, on top of the frame's own work.
 */
export const WARM_UP_SAMPLES: readonly string[] = [
  'a',
  'word *em* **strong** _u_ `code` ~~gone~~ \\* &copy; &#169; $x$ a\\\nb [l](https://a.example "t") ![i](https://a.example/i.png) <https://a.example> www.a.example x@a.example [^1]',
  '# h\n\np\n===\n\n---\n\n- a\n- [ ] b\n\n1. c\n2. d\n\n> q\n> r',
  '```ts\nx\n```\n\n~~~\ny\n~~~\n\n    indented\n\n| a | b |\n| :- | -: |\n| 1 | 2 |\n\n$$\nm\n$$\n\n[r][d]\n\n[d]: https://a.example\n\n[^1]: note',
];

/**
 * Lexes {@link WARM_UP_SAMPLES}, one per task, so the first reply's first frame finds the lexer
 * compiled. Called once when the renderer chunk arrives: the visitor is usually still typing, and
 * each step is a short task of its own rather than one long one.
 *
 * @returns Resolves after the last sample was lexed.
 */
export function warmUp(): Promise<void> {
  return WARM_UP_SAMPLES.reduce<Promise<void>>(
    (before, sample) => before.then(() => new Promise((resolve) => setTimeout(() => resolve(void lex(sample)), 0))),
    Promise.resolve(),
  );
}
