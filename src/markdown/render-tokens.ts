/**
 * Token → DOM renderer for untrusted model output.
 *
 * Safety model: every node is made with `createElement`/`createTextNode`, tag names are literals
 * in this file, and attributes go through {@link setAttr}, which only accepts a fixed allow-list.
 * Model text therefore only ever becomes Text node data or a vetted attribute value — it never
 * reaches an HTML parser, so raw HTML in the markdown is displayed as text. Links keep only
 * http(s)/mailto destinations; images load only from the embedder's `image-origins`.
 *
 * Bounds: nesting deeper than {@link MAX_DEPTH} continues flat in the deepest element, and a
 * table keeps at most {@link MAX_COLUMNS} columns and {@link MAX_TABLE_CELLS} cells (the rest of a
 * row joins its last cell; rows past the cap follow the table as plain text), so no reply can
 * build a DOM deep or wide enough to stall layout or crash the tab.
 */
import type { FootnoteReferenceToken, MathToken, Token, Tokens } from './lexer.js';
import { decodeEntities } from './entities.js';
import { isAllowedImageUrl, safeUrl } from './safe-url.js';
import { BIDI_CONTROLS } from './bidi-controls.js';
import { linkDisplay } from './link-display.js';

/** User-visible labels, overridable for localisation. */
export interface MarkdownStrings {
  /** Accessible name and text of a code block's copy button. */
  copyCode: string;
  /** Shown on the copy button briefly after a successful copy. */
  copied: string;
  /** Button that renders a reply shown as plain text because of its size. */
  renderFull: string;
}

/** English defaults for {@link MarkdownStrings}. */
export const DEFAULT_MARKDOWN_STRINGS: Readonly<MarkdownStrings> = {
  copyCode: 'Copy code',
  copied: 'Copied',
  renderFull: 'Show formatted',
};

/**
 * A host-supplied syntax highlighter for code blocks: returns the highlighted code as a Node
 * (built with DOM APIs, or by a highlighter the host trusts), or `null` to keep it plain. It gets
 * untrusted text; a highlighter that produces HTML strings must escape it (highlight.js and Shiki
 * do). If it throws, the block stays plain.
 */
export type Highlighter = (code: string, language: string) => Node | null;

/** Deepest element nesting a reply may build; deeper content continues flat. */
export const MAX_DEPTH = 32;
/** Widest table kept; further cells of a row join the last kept cell. */
export const MAX_COLUMNS = 64;
/** Most cells in one table; later rows follow the table as plain text. */
export const MAX_TABLE_CELLS = 20000;

/** Per-reply rendering state shared by all blocks of a reply. */
export interface RenderContext {
  doc: Document;
  origins: ReadonlySet<string>;
  strings: MarkdownStrings;
  base: string | undefined;
  highlight?: Highlighter | undefined;
  /** Footnote label → number, in order of first reference. */
  footnoteNumbers: Map<string, number>;
  /** Footnote labels that have a definition. `undefined` while streaming: any label counts. */
  footnoteDefs: ReadonlySet<string> | undefined;
  /** Footnote definitions met while rendering (the caller shows them at the end). */
  onFootnoteDef: (token: { label: string; tokens: Token[] }) => void;
}

const ALLOWED_ATTRS = new Set([
  'href', 'target', 'rel', 'part', 'class', 'src', 'alt', 'title', 'loading', 'referrerpolicy',
  'type', 'aria-label', 'disabled', 'checked', 'start', 'data-copied', 'tabindex', 'align', 'dir',
]);

/**
 * Sets one allow-listed attribute. Anything else is a programming error, so it throws instead
 * of silently setting e.g. an `on*` handler or `style` (which would also break CSP).
 */
export function setAttr(el: Element, name: string, value: string): void {
  if (!ALLOWED_ATTRS.has(name)) throw new Error(name);
  el.setAttribute(name, value);
}

function h(ctx: RenderContext, tag: string, attrs?: Record<string, string>): HTMLElement {
  const el = ctx.doc.createElement(tag);
  if (attrs) for (const name in attrs) setAttr(el, name, attrs[name]!);
  return el;
}

function text(ctx: RenderContext, parent: Node, data: string): void {
  const last = parent.lastChild;
  if (last && last.nodeType === 3) (last as Text).appendData(data);
  else parent.appendChild(ctx.doc.createTextNode(data));
}

/** Appends `child` to `parent` unless the depth cap is reached; returns where content goes. */
function nest(parent: Element, child: HTMLElement, depth: number): Element {
  if (depth >= MAX_DEPTH) return parent;
  parent.appendChild(child);
  return child;
}

/** Builds the code block chrome: header with language and copy button, then `<pre><code>`. */
function codeBlock(ctx: RenderContext, source: string, info: string): HTMLElement {
  const lang = decodeEntities(info.trim().split(/\s/, 1)[0] ?? '').slice(0, 32);
  const node = h(ctx, 'div', { part: 'code-block', class: 'code-block' });
  const header = h(ctx, 'div', { part: 'code-header', class: 'code-header' });
  const label = h(ctx, 'span', { part: 'code-language', class: 'code-language' });
  label.textContent = lang;
  const button = h(ctx, 'button', { type: 'button', part: 'copy-button', class: 'copy-button', 'aria-label': ctx.strings.copyCode });
  button.textContent = ctx.strings.copyCode;
  const pre = h(ctx, 'pre', { part: 'code-pre' });
  const code = h(ctx, 'code');
  if (/^[^\s"'<>`]+$/.test(lang)) setAttr(code, 'class', `language-${lang}`);
  // As CommonMark renders it: the content ends with exactly one line break.
  const body = source ? `${source.replace(/\n$/, '')}\n` : '';
  let highlighted: Node | null = null;
  if (ctx.highlight && source) {
    try {
      highlighted = ctx.highlight(source, lang);
    } catch (err) {
      console.error(err);
    }
  }
  if (highlighted && typeof (highlighted as Node).nodeType === 'number') code.appendChild(highlighted);
  else if (body) code.textContent = body;
  pre.appendChild(code);
  header.append(label, button);
  node.append(header, pre);

  const strings = ctx.strings;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const setLabel = (t: string) => {
    button.textContent = t;
    setAttr(button, 'aria-label', t);
  };
  // The source, not the DOM text: a highlighter may add decoration that is not code.
  button.addEventListener('click', () => {
    const clipboard = navigator.clipboard;
    if (!clipboard) return; // insecure context: nothing to do, the text is still selectable
    clipboard.writeText(source).then(
      () => {
        setAttr(button, 'data-copied', '');
        setLabel(strings.copied);
        clearTimeout(timer);
        timer = setTimeout(() => {
          button.removeAttribute('data-copied');
          setLabel(strings.copyCode);
        }, 1500);
      },
      () => {
        // Permission denied or document not focused: leave the button as it was.
      },
    );
  });
  return node;
}

/**
 * Vets a link or image destination. `\` is percent-encoded first: the URL parser reads it as `/`
 * in http(s) URLs, which CommonMark does not mean. An empty destination is this page.
 */
function destination(ctx: RenderContext, raw: string): string | null {
  const url = decodeEntities(raw).replace(/\\/g, '%5C').replace(/ /g, '%20');
  const here = ctx.base ?? ctx.doc.baseURI;
  const href = url === '' ? safeUrl(here, here) : safeUrl(url, ctx.base);
  // A URL with userinfo (`https://paypal.com@evil.example`) reads as another host: no link.
  return href && !linkDisplay(href, '').refuse ? href : null;
}

/**
 * Makes a finished link say where it goes (see link-display.ts): bidi controls leave its text,
 * the destination host becomes its title, and beside text that reads as an address (another
 * URL, a host name, a look-alike host) the real host is shown as part `link-host`.
 */
function showDestination(ctx: RenderContext, a: Element, autolink = false): void {
  const href = a.getAttribute('href')!;
  const shown = linkDisplay(href, a.textContent ?? '');
  stripBidi(a);
  if (!shown.host) return;
  // The host leads the tooltip: a title the model wrote ("Official site") only follows it.
  const own = a.getAttribute('title');
  setAttr(a, 'title', own ? `${shown.host}: ${own}` : shown.host);
  // A bare URL whose text is its own destination cannot mislead.
  if (autolink || !shown.showHost || [href, href.replace(/\/$/, '')].includes(shown.text)) return;
  const host = h(ctx, 'span', { part: 'link-host', class: 'link-host' });
  host.textContent = shown.host;
  a.after(host);
}

function stripBidi(node: Node): void {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) (c as Text).data = (c as Text).data.replace(BIDI_CONTROLS, '');
    else stripBidi(c);
  }
}

/** An image's alt text: the plain text of its description, nested images by their own alt. */
function plainText(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) {
    if ('tokens' in t && Array.isArray(t.tokens)) out += plainText(t.tokens);
    else if (t.type === 'text') out += (t as Tokens.Text).escaped ? t.text : decodeEntities(t.text);
    else if (typeof (t as { text?: unknown }).text === 'string') out += (t as { text: string }).text;
  }
  return out;
}

function link(ctx: RenderContext, href: string): HTMLElement {
  return h(ctx, 'a', { href, target: '_blank', rel: 'noopener noreferrer', part: 'link' });
}

/** Renders inline tokens into `parent`. */
export function renderInline(ctx: RenderContext, tokens: readonly Token[], parent: Element, depth: number): void {
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
        if ((t as Tokens.Text).tokens) renderInline(ctx, (t as Tokens.Text).tokens!, parent, depth);
        else text(ctx, parent, (t as Tokens.Text).escaped ? t.text : decodeEntities(t.text));
        break;
      case 'html':
        // Raw HTML is shown, never parsed; only a bare <br> (common in table cells) is honoured.
        if (/^<br\s*\/?>$/i.test(t.text)) parent.appendChild(h(ctx, 'br'));
        else text(ctx, parent, t.text);
        break;
      case 'escape':
        text(ctx, parent, t.text);
        break;
      case 'codespan': {
        const code = h(ctx, 'code', { part: 'inline-code', class: 'inline-code' });
        code.textContent = t.text;
        parent.appendChild(code); // a leaf: one level more at most, even past the cap
        break;
      }
      case 'strong': case 'em': case 'del':
        renderInline(ctx, (t as Tokens.Strong).tokens, nest(parent, h(ctx, t.type), depth), depth + 1);
        break;
      case 'br':
        parent.appendChild(h(ctx, 'br'));
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const href = destination(ctx, l.href);
        if (!href || parent.closest('a')) {
          renderInline(ctx, l.tokens, parent, depth);
          break;
        }
        const a = link(ctx, href);
        if (l.title) setAttr(a, 'title', decodeEntities(l.title));
        renderInline(ctx, l.tokens, nest(parent, a, depth), depth + 1);
        // An autolink's text is its own destination (`www.x.com`, `<https://x.com>`): it cannot mislead.
        showDestination(ctx, a, l.raw === l.text || l.raw === `<${l.text}>`);
        break;
      }
      case 'image': {
        const img = t as Tokens.Image;
        const alt = plainText(img.tokens ?? []);
        const src = destination(ctx, img.href);
        const title = img.title ? decodeEntities(img.title) : '';
        if (!src) {
          text(ctx, parent, alt);
        } else if (isAllowedImageUrl(src, ctx.origins)) {
          const el = h(ctx, 'img', { part: 'image', src, alt, loading: 'lazy', referrerpolicy: 'no-referrer' });
          if (title) setAttr(el, 'title', title);
          parent.appendChild(el);
        } else {
          // Images fetch without a click, leaking the reader's IP: other hosts become a link.
          const a = link(ctx, src);
          a.textContent = alt || src;
          if (!parent.closest('a')) {
            parent.appendChild(a);
            showDestination(ctx, a);
          } else text(ctx, parent, alt);
        }
        break;
      }
      case 'math': {
        const m = t as unknown as MathToken;
        const el = h(ctx, 'code', { class: m.display ? 'math math-display' : 'math' });
        el.textContent = m.text;
        parent.appendChild(el);
        break;
      }
      case 'footnoteRef': {
        const f = t as unknown as FootnoteReferenceToken;
        if (ctx.footnoteDefs && !ctx.footnoteDefs.has(f.label)) {
          text(ctx, parent, f.raw);
          break;
        }
        let n = ctx.footnoteNumbers.get(f.label);
        if (n === undefined) ctx.footnoteNumbers.set(f.label, (n = ctx.footnoteNumbers.size + 1));
        const sup = h(ctx, 'sup', { class: 'footnote-ref' });
        sup.textContent = String(n);
        parent.appendChild(sup);
        break;
      }
      default:
        if ('tokens' in t && Array.isArray(t.tokens)) renderInline(ctx, t.tokens, parent, depth);
        else if (typeof t.raw === 'string') text(ctx, parent, t.raw);
    }
  }
}

function renderTable(ctx: RenderContext, t: Tokens.Table, parent: Element, depth: number): void {
  const wrapper = h(ctx, 'div', { part: 'table-wrapper', class: 'table-wrapper', tabindex: '0' });
  const table = h(ctx, 'table', { part: 'table' });
  wrapper.appendChild(table);
  const columns = Math.min(t.header.length, MAX_COLUMNS);
  const row = (cells: Tokens.TableCell[], tag: 'th' | 'td') => {
    const tr = h(ctx, 'tr');
    for (let i = 0; i < columns; i++) {
      const cell = h(ctx, tag);
      const align = t.align[i];
      if (align) setAttr(cell, 'align', align);
      const c = cells[i];
      if (c) renderInline(ctx, c.tokens, cell, depth + 3);
      // Cells past the cap keep their text, joined to the last kept cell.
      if (i === columns - 1) for (const extra of cells.slice(columns)) {
        text(ctx, cell, ' | ');
        renderInline(ctx, extra.tokens, cell, depth + 3);
      }
      tr.appendChild(cell);
    }
    return tr;
  };
  const thead = h(ctx, 'thead');
  thead.appendChild(row(t.header, 'th'));
  table.appendChild(thead);
  const maxRows = Math.floor(MAX_TABLE_CELLS / Math.max(columns, 1)) - 1;
  if (t.rows.length) {
    const tbody = h(ctx, 'tbody');
    for (const r of t.rows.slice(0, maxRows)) tbody.appendChild(row(r, 'td'));
    table.appendChild(tbody);
  }
  nest(parent, wrapper, depth);
  if (t.rows.length > maxRows) {
    const rest = h(ctx, 'p');
    rest.textContent = t.rows.slice(maxRows).map((r) => r.map((c) => c.text).join(' | ')).join('\n');
    parent.appendChild(rest);
  }
}

/**
 * Renders block tokens into `parent`.
 *
 * @param loose Whether the enclosing list is loose (its bare text items become paragraphs).
 */
export function renderBlocks(ctx: RenderContext, tokens: readonly Token[], parent: Element, depth: number, loose = true): void {
  for (const t of tokens) {
    switch (t.type) {
      case 'space': case 'def':
        break;
      case 'paragraph': {
        renderInline(ctx, (t as Tokens.Paragraph).tokens, nest(parent, h(ctx, 'p'), depth), depth + 1);
        break;
      }
      case 'text': {
        const tt = t as Tokens.Text;
        const target = loose ? nest(parent, h(ctx, 'p'), depth) : parent;
        if (tt.tokens) renderInline(ctx, tt.tokens, target, depth + 1);
        else text(ctx, target, decodeEntities(tt.text));
        break;
      }
      case 'heading': {
        const level = Math.min(Math.max((t as Tokens.Heading).depth, 1), 6);
        renderInline(ctx, (t as Tokens.Heading).tokens, nest(parent, h(ctx, `h${level}`), depth), depth + 1);
        break;
      }
      case 'hr':
        parent.appendChild(h(ctx, 'hr'));
        break;
      case 'code': {
        const c = t as Tokens.Code;
        parent.appendChild(codeBlock(ctx, c.text, c.lang ?? ''));
        break;
      }
      case 'blockquote':
        renderBlocks(ctx, (t as Tokens.Blockquote).tokens, nest(parent, h(ctx, 'blockquote', { part: 'blockquote' }), depth), depth + 1);
        break;
      case 'list': {
        const l = t as Tokens.List;
        const list = h(ctx, l.ordered ? 'ol' : 'ul');
        const start = Number(l.start);
        if (l.ordered && start !== 1 && Number.isFinite(start)) setAttr(list, 'start', String(start));
        const into = nest(parent, list, depth);
        for (const item of l.items) {
          const li = h(ctx, 'li');
          const where = into === list ? (list.appendChild(li), li) : into;
          renderItem(ctx, item, where, depth + 2, l.loose);
        }
        break;
      }
      case 'table':
        renderTable(ctx, t as Tokens.Table, parent, depth);
        break;
      case 'html': {
        // Raw HTML is shown as the text it is, never parsed.
        const p = nest(parent, h(ctx, 'p'), depth);
        text(ctx, p, t.text.replace(/\n+$/, ''));
        break;
      }
      case 'math': {
        const div = h(ctx, 'div', { class: 'math-block' });
        div.textContent = (t as unknown as MathToken).text;
        parent.appendChild(div);
        break;
      }
      case 'footnoteDef':
        ctx.onFootnoteDef(t as unknown as { label: string; tokens: Token[] });
        break;
      default:
        if ('tokens' in t && Array.isArray(t.tokens)) renderBlocks(ctx, t.tokens, parent, depth, loose);
        else if (typeof t.raw === 'string') text(ctx, parent, t.raw);
    }
  }
}

function renderItem(ctx: RenderContext, item: Tokens.ListItem, li: Element, depth: number, loose: boolean): void {
  let rest: readonly Token[] = item.tokens;
  if (item.task && rest[0]?.type === 'checkbox') {
    const box = h(ctx, 'input', { type: 'checkbox', disabled: '' });
    if (item.checked) setAttr(box, 'checked', '');
    if (li.localName === 'li') setAttr(li, 'class', 'task-list-item');
    rest = rest.slice(1);
    // The box goes where the item's first paragraph starts, as GFM renders it.
    const first = rest[0];
    if (loose && first && (first.type === 'paragraph' || first.type === 'text')) {
      const p = nest(li, h(ctx, 'p'), depth);
      p.append(box, ' ');
      renderInline(ctx, (first as Tokens.Paragraph).tokens ?? [], p, depth + 1);
      rest = rest.slice(1);
    } else {
      li.append(box, ' ');
    }
  }
  renderBlocks(ctx, rest, li, depth, loose);
}
