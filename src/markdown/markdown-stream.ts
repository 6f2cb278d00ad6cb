/**
 * Incremental rendering of one streamed reply into a container.
 *
 * Finished top-level blocks are frozen: rendered once, kept as DOM and never parsed again. Only
 * the open tail (the blocks after the last frozen one) is re-parsed when text arrives, and what
 * is shown of it goes through `displayTail` so half-written markup never flashes as text. When
 * the reply completes, the tail is frozen too; the result is the same DOM as rendering the whole
 * text at once, whatever the chunking (a block is frozen only once the text after it shows it
 * cannot change, and a definition arriving later re-renders the blocks that refer to it).
 *
 * Bounds: work per call is limited by a budget of new characters; a tail longer than
 * {@link TAIL_THROTTLE} is re-parsed only after it grew by a quarter (so its cost stays linear
 * overall); a reply longer than {@link PLAIN_TEXT_LIMIT} is shown as plain text, appended a slice
 * at a time, with a button that renders it formatted, again a slice per frame.
 */
import { lex, type LinkDefinitions, type Token, type Tokens } from './lexer.js';
import {
  DEFAULT_MARKDOWN_STRINGS, MAX_DEPTH, renderBlocks, setAttr,
  type Highlighter, type MarkdownStrings, type RenderContext,
} from './render-tokens.js';
import { normalizeOrigins } from './safe-url.js';
import { displayTail } from './stream-tail.js';
import { textDirection } from './direction.js';

export { warmUp } from './lexer.js';

/** Rendering configuration, fixed for the lifetime of one stream. */
export interface MarkdownRenderOptions {
  /** Origins (`https://cdn.example.com`) whose images may be loaded; all others become links. */
  imageOrigins?: readonly string[];
  /** Label overrides. */
  strings?: Partial<MarkdownStrings>;
  /** Base for relative URLs; defaults to `document.baseURI`. */
  baseUrl?: string;
  /** Optional code highlighter; see {@link Highlighter}. */
  highlight?: Highlighter | undefined;
}

/** Replies longer than this (UTF-16 units) are shown as plain text until the reader asks. */
export const PLAIN_TEXT_LIMIT = 256 * 1024;
/** A tail longer than this is re-parsed only once it grew by a quarter. */
export const TAIL_THROTTLE = 32 * 1024;
/** Plain text per block in the oversized-reply mode. */
const PLAIN_BLOCK = 8 * 1024;
/** New plain text appended per call when a budget applies (its layout is the frame's cost). */
const PLAIN_SLICE = 16 * 1024;
/** New text rendered per frame after the reader asked for an oversized reply to be formatted. */
const FORMAT_SLICE = 16 * 1024;

/**
 * Container markers (`>`, `-`, `1.`) past {@link MAX_DEPTH} on one line are swapped for
 * `›` (one UTF-16 unit, like the marker character it replaces), so a line of 3,000 `>` is deep only up to the cap
 * and the rest shows as text. Same length keeps every offset valid.
 */
const NESTED = new RegExp(String.raw`^(?:[ \t]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?){${MAX_DEPTH + 1},}`, 'gm');

function capNesting(s: string): string {
  return s.replace(NESTED, (prefix) => {
    let n = 0;
    return prefix.replace(/[>+*-]|\d{1,9}[.)]/g, (m) => (++n <= MAX_DEPTH ? m : m.slice(0, -1) + '›'));
  });
}

/** Inline markers swapped for look-alikes when a block's nesting overflows the parser's stack. */
const INLINE_MARKERS: Record<string, string> = { '*': '∗', _: '‗', '~': '∼', '`': 'ˋ', '[': '⁅', ']': '⁆', '<': '‹', '>': '›' };

/**
 * Lexes `src` after capping its container nesting. A block nested deeper than the parser can
 * recurse (thousands of `*`) throws a RangeError; such a text is lexed again with every inline
 * marker swapped for a look-alike, so it shows as text instead of breaking the reply.
 */
function safeLex(src: string, links: LinkDefinitions, defused: boolean): { tokens: Token[]; defused: boolean } {
  if (!defused) {
    try {
      return { tokens: lex(capNesting(src), links), defused };
    } catch {
      // Fall through: lex a defused copy.
    }
  }
  return { tokens: lex(capNesting(src).replace(/[*_~`[\]<>]/g, (c) => INLINE_MARKERS[c]!), links), defused: true };
}

/** Blocks that end at a blank line whatever follows (not lists, indented code or footnotes). */
const CLOSED_BY_BLANK = new Set(['paragraph', 'heading', 'hr', 'table', 'blockquote', 'code', 'math', 'def']);

/** `\r` is dropped (CRLF → LF) and NUL becomes U+FFFD, as CommonMark asks; per character, so chunk-independent. */
function normalize(chunk: string): string {
  // eslint-disable-next-line no-control-regex
  return chunk.replace(/\r/g, '').replace(/\u0000/g, '\ufffd');
}

/** Folds a link label as marked normalises it (whitespace runs to one space, Unicode case folding). */
function foldLabel(text: string): string {
  return text.replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
}

/**
 * A frozen block: where its text is in the reply, and its DOM. Offsets, not the text itself: a
 * token's `raw` is a slice of the string the tail was lexed from, and each keeps that whole
 * string alive (V8 slices share their parent), so holding `raw` kept one copy of the reply per
 * render (8 MB after a 50 KB reply streamed in 5,000 deltas, against 3 MB).
 */
interface Block {
  start: number;
  end: number;
  nodes: Node[];
}

/** The deepest last token: tells whether the tail ends inside a code block, even in a list. */
function lastLeaf(tokens: readonly Token[]): Token | undefined {
  let t = tokens[tokens.length - 1];
  for (;;) {
    const kids: Token[] | undefined = t?.type === 'list' ? (t as Tokens.List).items : (t as { tokens?: Token[] } | undefined)?.tokens;
    if (!t || !kids?.length || t.type === 'paragraph' || t.type === 'heading' || t.type === 'text') return t;
    t = kids[kids.length - 1];
  }
}

/** Renders a streamed reply into `root`; see the module comment. */
export class MarkdownStream {
  /** All text received, normalised. */
  private src = '';
  /** How much of `src` has been laid out (the budget moves this forward). */
  private upTo = 0;
  /** How much of `src` is frozen into {@link blocks}. */
  private done = 0;
  private blocks: Block[] = [];
  private tailNodes: Node[] = [];
  private lastTail = 0;
  /** The display text of the tail last rendered. */
  private shown = '';
  private links: LinkDefinitions = Object.create(null);
  private notes = new Map<string, Token[]>();
  private notesEl: HTMLElement | undefined;
  private ctx: RenderContext;
  private complete = false;
  private wantComplete = false;
  private plain: Text | undefined;
  private plainUpTo = 0;
  private formatted = false;
  /** Labels of `[text][label]` references met before their definition (see {@link linksFor}). */
  private pending = new Set<string>();
  /** The tail starting at this offset overflowed the parser: it is lexed defused. */
  private hostileFrom = -1;

  constructor(private readonly root: Element, options: MarkdownRenderOptions = {}) {
    this.ctx = {
      doc: root.ownerDocument,
      origins: normalizeOrigins(options.imageOrigins),
      strings: { ...DEFAULT_MARKDOWN_STRINGS, ...options.strings },
      base: options.baseUrl,
      highlight: options.highlight,
      footnoteNumbers: new Map(),
      footnoteDefs: undefined,
      onFootnoteDef: () => {},
    };
    root.replaceChildren();
  }

  /** Adds newly arrived text (the caller passes only what is new). */
  append(chunk: string): void {
    if (chunk) this.src += normalize(chunk);
  }

  /**
   * Renders what arrived, at most `budget` new characters of it.
   *
   * @param complete The reply has fully arrived.
   * @param budget   Most new characters to lay out now (`Infinity`: all).
   * @returns `true` when text is left for another call (next frame).
   */
  render(complete: boolean, budget = Infinity): boolean {
    this.wantComplete = complete;
    if (this.plain || (!this.formatted && this.src.length > PLAIN_TEXT_LIMIT)) return this.renderPlain(budget);
    const target = Math.min(this.src.length, this.upTo + budget);
    const final = complete && target === this.src.length;
    if (target === this.upTo && final === this.complete) return false;
    this.upTo = target;
    this.complete = final;
    this.layout(final);
    return target < this.src.length;
  }

  private renderPlain(budget: number): boolean {
    if (!this.plain) {
      this.reset();
      const doc = this.ctx.doc;
      const button = doc.createElement('button');
      setAttr(button, 'type', 'button');
      setAttr(button, 'part', 'render-full-button');
      setAttr(button, 'class', 'render-full');
      button.textContent = this.ctx.strings.renderFull;
      button.addEventListener('click', () => this.renderFormatted());
      const div = doc.createElement('div');
      setAttr(div, 'class', 'plain-reply');
      this.plain = div.appendChild(doc.createElement('div')).appendChild(doc.createTextNode(''));
      this.root.replaceChildren(button, div);
    }
    const target = Math.min(this.src.length, this.plainUpTo + (budget === Infinity ? Infinity : PLAIN_SLICE));
    let text = this.src.slice(this.plainUpTo, target);
    // One huge text node is laid out whole on every append: start a new block every 8 KB, at a
    // line break, so only the last one is laid out again.
    while (this.plain.length + text.length > PLAIN_BLOCK) {
      const nl = text.lastIndexOf('\n', PLAIN_BLOCK - this.plain.length);
      if (nl < 0 && this.plain.length < PLAIN_BLOCK) break;
      this.plain.appendData(text.slice(0, nl + 1));
      text = text.slice(nl + 1);
      const block = this.ctx.doc.createElement('div');
      this.plain.parentNode!.parentNode!.appendChild(block);
      this.plain = block.appendChild(this.ctx.doc.createTextNode(''));
    }
    this.plain.appendData(text);
    this.plainUpTo = target;
    return target < this.src.length;
  }

  /** The reader asked to see an oversized reply formatted: lay it out a slice per frame. */
  private renderFormatted(): void {
    this.formatted = true;
    this.reset();
    const step = () => {
      if (this.render(this.wantComplete, FORMAT_SLICE) || this.upTo < this.src.length) requestAnimationFrame(step);
    };
    step();
  }

  private reset(): void {
    this.root.replaceChildren();
    this.plain = undefined;
    this.plainUpTo = this.upTo = this.done = this.lastTail = 0;
    this.shown = '';
    this.blocks = [];
    this.tailNodes = [];
    this.notesEl = undefined;
    this.links = Object.create(null);
    this.notes.clear();
    this.hostileFrom = -1;
    this.pending.clear();
    this.ctx.footnoteNumbers.clear();
    this.ctx.footnoteDefs = undefined;
    this.complete = false;
  }

  private layout(final: boolean): void {
    const tail = this.src.slice(this.done, this.upTo);
    if (!final && tail.length > TAIL_THROTTLE && tail.length < this.lastTail * 1.25) return;
    this.lastTail = tail.length;
    const lexed = safeLex(tail, final ? this.links : this.linksFor(tail), this.hostileFrom === this.done);
    if (lexed.defused) this.hostileFrom = this.done;
    const tokens = lexed.tokens;

    let freeze = tokens.length;
    if (!final) {
      let last = tokens.length - 1;
      while (last >= 0 && tokens[last]!.type === 'space') last--;
      freeze = 0;
      if (last > 0) {
        let offset = 0;
        for (let i = 0; i < last; i++) offset += tokens[i]!.raw.length;
        // The last block's first line must be complete (until then it may still join the previous
        // block), unless a blank line already closed a block that a blank line always closes.
        const before = tokens[last - 2];
        if (tail.indexOf('\n', offset) >= 0 || (tokens[last - 1]!.type === 'space' && before && CLOSED_BY_BLANK.has(before.type) && (before as Tokens.Code).codeBlockStyle !== 'indented')) freeze = last;
        else {
          // A half line can change only the block just before it (join it as a lazy line or list
          // item, underline it as a setext heading, make it a table's header): the blocks before
          // that one are final. Without this, a slice ending mid-line froze nothing and the next
          // one rebuilt every block of the slice.
          let previous = last - 1;
          while (previous >= 0 && tokens[previous]!.type === 'space') previous--;
          if (previous > 0) freeze = previous;
        }
      }
    }

    const newDefs: string[] = [];
    let offset = 0;
    this.ctx.onFootnoteDef = (t) => {
      if (!this.notes.has(t.label)) this.notes.set(t.label, t.tokens);
    };
    for (let i = 0; i < freeze; i++) {
      const t = tokens[i]!;
      const start = this.done + offset;
      offset += t.raw.length;
      this.collectDefs(t, newDefs);
      const block: Block = { start, end: this.done + offset, nodes: this.build([t]) };
      this.blocks.push(block);
      this.root.insertBefore(this.fragment(block.nodes), this.tailNodes[0] ?? this.notesEl ?? null);
    }
    this.done += offset;

    // A definition that arrived later changes how earlier blocks read `[label]`, including blocks
    // frozen by this call: they were lexed with a placeholder for it (see `linksFor`), which the
    // definition in the same text does not replace.
    if (newDefs.length) this.rebuildReferring(newDefs);

    const tailNotes = new Map<string, Token[]>();
    const rest = final ? '' : tail.slice(offset);
    const open = tokens.slice(freeze);
    const shown = rest.trim() ? displayTail(rest, lastLeaf(open)?.type === 'code') : '';
    // Text that arrived but is still held back changes nothing on screen: keep the tail's DOM.
    if (!final && !freeze && !newDefs.length && shown === this.shown) return;
    this.shown = shown;
    for (const n of this.tailNodes) n.parentNode?.removeChild(n);
    this.tailNodes = [];
    if (!final) {
      if (shown) {
        this.ctx.onFootnoteDef = (t) => void tailNotes.set(t.label, t.tokens);
        this.tailNodes = this.build(shown === rest ? open : safeLex(shown, this.linksFor(shown), lexed.defused).tokens);
        this.root.insertBefore(this.fragment(this.tailNodes), this.notesEl ?? null);
      }
    } else {
      // References whose definition never came are text after all.
      const missing = [...this.pending].filter((label) => !(label in this.links));
      this.pending.clear();
      if (missing.length) this.rebuildReferring(missing);
    }
    if (final && this.src.includes('[^')) {
      // Footnotes are numbered in order of first reference, and a reference without a
      // definition is text: settle both now that every definition is known.
      this.ctx.footnoteNumbers.clear();
      this.ctx.footnoteDefs = new Set(this.notes.keys());
      for (const block of this.blocks) if (this.rawOf(block).includes('[^')) this.rebuild(block);
    }
    this.renderNotes(tailNotes);
  }

  /**
   * While streaming, a full reference `[text][label]` usually comes before its definition (at the
   * end of the reply). Rather than show its brackets until then, the label gets a placeholder
   * destination that no link accepts, so its text shows plain; the definition, when it arrives,
   * re-renders the block, and at the end a label never defined is rendered again as text.
   */
  private linksFor(text: string): LinkDefinitions {
    if (!text.includes('][')) return this.links;
    const links: LinkDefinitions = Object.assign(Object.create(null), this.links);
    for (const m of text.matchAll(/\]\[([^\]\n]{1,100})\]/g)) {
      const label = foldLabel(m[1]!.trim());
      if (label && !(label in links)) {
        links[label] = { href: '\u0000', title: '' };
        this.pending.add(label);
      }
    }
    return links;
  }

  /** Records the link definitions in a frozen block, at any depth (a quote may hold one). */
  private collectDefs(t: Token, found: string[]): void {
    if (t.type === 'def') {
      const d = t as Tokens.Def;
      if (!(d.tag in this.links)) found.push(d.tag);
      this.links[d.tag] ??= { href: d.href, title: d.title };
    }
    const kids = t.type === 'list' ? (t as Tokens.List).items : (t as { tokens?: Token[] }).tokens;
    if (kids && t.type !== 'paragraph' && t.type !== 'heading') for (const k of kids) this.collectDefs(k, found);
  }

  /** Renders block tokens to detached nodes, each with its direction fixed. */
  private build(tokens: Token[]): Node[] {
    const holder = this.ctx.doc.createElement('div');
    renderBlocks(this.ctx, tokens, holder, 0);
    const nodes = Array.from(holder.childNodes);
    for (const node of nodes) {
      if (node.nodeType !== 1) continue;
      const el = node as Element;
      const dir = el.classList.contains('code-block') ? 'ltr' : textDirection(el.textContent ?? '');
      if (dir) setAttr(el, 'dir', dir);
      if (dir && !this.root.hasAttribute('dir')) setAttr(this.root, 'dir', dir);
    }
    return nodes;
  }

  private fragment(nodes: Node[]): DocumentFragment {
    const f = this.ctx.doc.createDocumentFragment();
    f.append(...nodes);
    return f;
  }

  /** Re-renders the frozen blocks that mention `[label]` for any of `labels` (folded). */
  private rebuildReferring(labels: readonly string[]): void {
    for (const block of this.blocks) {
      const raw = this.rawOf(block);
      if (!raw.includes('[')) continue;
      const folded = foldLabel(raw);
      if (labels.some((label) => folded.includes(`[${label}]`))) this.rebuild(block);
    }
  }

  private rawOf(block: Block): string {
    return this.src.slice(block.start, block.end);
  }

  /** Re-renders a frozen block in place (a definition it refers to arrived later). */
  private rebuild(block: Block): void {
    const raw = this.rawOf(block);
    const nodes = this.build(safeLex(raw, this.complete ? this.links : this.linksFor(raw), false).tokens);
    const first = block.nodes[0];
    if (first?.parentNode) first.parentNode.insertBefore(this.fragment(nodes), first);
    else this.root.insertBefore(this.fragment(nodes), this.tailNodes[0] ?? this.notesEl ?? null);
    for (const n of block.nodes) n.parentNode?.removeChild(n);
    block.nodes = nodes;
  }

  /** The footnotes section: referenced definitions in order of first reference, at the end. */
  private renderNotes(tailNotes: Map<string, Token[]>): void {
    const numbers = [...this.ctx.footnoteNumbers].sort((a, b) => a[1] - b[1]);
    const items = numbers.filter(([label]) => this.notes.has(label) || tailNotes.has(label));
    this.notesEl?.remove();
    this.notesEl = undefined;
    if (!items.length) return;
    const doc = this.ctx.doc;
    const section = doc.createElement('section');
    setAttr(section, 'class', 'footnotes');
    setAttr(section, 'part', 'footnotes');
    const ol = section.appendChild(doc.createElement('ol'));
    this.ctx.onFootnoteDef = () => {};
    for (const [label] of items) {
      const li = ol.appendChild(doc.createElement('li'));
      renderBlocks(this.ctx, this.notes.get(label) ?? tailNotes.get(label)!, li, 2);
    }
    this.notesEl = this.root.appendChild(section);
  }
}
