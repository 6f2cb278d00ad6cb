/**
 * A streaming-markdown renderer that builds DOM for untrusted model output.
 *
 * Safety model: every node is made with `createElement`/`createTextNode`, tag names are literals
 * in this file, and attributes go through {@link setAttr}, which only accepts a fixed allow-list.
 * Model text therefore only ever becomes Text node data or a vetted attribute value — it never
 * reaches an HTML parser (`innerHTML` & co.), so raw HTML in the markdown is displayed as text.
 *
 * streaming-markdown reports some facts late (a link's URL arrives just before the link ends, an
 * image's URL after its alt text), so links and images start life as a `<span>` and are upgraded
 * in place once their URL is known and vetted.
 */
import { Attr, Token, type Parser, type Renderer } from 'streaming-markdown';
import { isAllowedImageUrl, normalizeOrigins, safeUrl } from './safe-url.js';
import { BIDI_CONTROLS, linkDisplay } from './link-display.js';

/** User-visible labels, overridable for localisation. */
export interface MarkdownStrings {
  /** Accessible name and text of a code block's copy button. */
  copyCode: string;
  /** Shown on the copy button briefly after a successful copy. */
  copied: string;
}

/** English defaults for {@link MarkdownStrings}. */
export const DEFAULT_MARKDOWN_STRINGS: Readonly<MarkdownStrings> = Object.freeze({
  copyCode: 'Copy code',
  copied: 'Copied',
});

/** Rendering configuration that is fixed for the lifetime of one renderer. */
export interface DomRendererOptions {
  /** Origins (`https://cdn.example.com`) whose images may be loaded; all others become links. */
  imageOrigins?: readonly string[];
  /** Label overrides. */
  strings?: Partial<MarkdownStrings>;
  /** Base for relative URLs; defaults to `document.baseURI`. */
  baseUrl?: string;
}

/** One open token: where its content goes and what we need to finish it. */
interface Frame {
  /** streaming-markdown token type. */
  t: number;
  /** Element that receives this token's children and text. */
  el: Element;
  /** Outermost node this token inserted into its parent (differs from `el` for wrappers). */
  node: Element;
  /** Raw URL for links/images, once the parser reported it. */
  url?: string;
  /** Code blocks: the language label element. */
  label?: HTMLElement;
  /** Tables: sections created so far. */
  thead?: Element;
  tbody?: Element;
  /** Table rows: whether this row is the header row. */
  head?: boolean;
  /** Equations and literal intraword `_` runs: the opening delimiter, to restore the closer. */
  open?: string;
}

/** State carried by the renderer between parser callbacks. */
export interface DomRendererData {
  /** Open tokens; `stack[0]` is the root container and is never popped. */
  stack: Frame[];
  /** Vetted image origins. */
  origins: Set<string>;
  /** Resolved labels. */
  strings: MarkdownStrings;
  /** Base for relative URLs. */
  base: string | undefined;
  /**
   * The parser feeding this renderer, set by the caller after `parser()`. Only read to recover
   * which math delimiter (`$` vs `\(`) the parser consumed, so math is shown as written.
   */
  parser?: Parser;
}

/**
 * The only attributes this renderer ever sets. Anything else is a programming error, so it throws
 * instead of silently setting e.g. an `on*` handler or `style` (which would also break CSP).
 */
const ALLOWED_ATTRS = new Set([
  'href', 'target', 'rel', 'part', 'class', 'src', 'alt', 'loading', 'referrerpolicy',
  'type', 'aria-label', 'disabled', 'checked', 'start', 'data-copied', 'tabindex', 'title',
]);

/**
 * Sets one allow-listed attribute. All attribute writes in this module go through here so the
 * allow-list is enforced in one place.
 *
 * @param el    Target element.
 * @param name  Attribute name; must be in the allow-list.
 * @param value Attribute value (model-derived values must already be vetted).
 */
export function setAttr(el: Element, name: string, value: string): void {
  if (!ALLOWED_ATTRS.has(name)) throw new Error(`markdown renderer: attribute "${name}" is not allowed`);
  el.setAttribute(name, value);
}

/** Creates an element with allow-listed attributes; `tag` is always a literal from this file. */
function h(tag: string, attrs?: Record<string, string>): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) for (const name in attrs) setAttr(el, name, attrs[name]!);
  return el;
}

/** Appends text, extending the last Text node so streamed replies don't leave thousands of nodes. */
function appendText(el: Element, text: string): void {
  const last = el.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE) (last as Text).appendData(text);
  else el.appendChild(document.createTextNode(text));
}

/** Moves all children of `from` into `to` (used when a placeholder is upgraded). */
function moveChildren(from: Element, to: Element): void {
  while (from.firstChild) to.appendChild(from.firstChild);
}

/** Replaces a placeholder with its children (it turned out not to be a link after all). */
function unwrap(el: Element): void {
  const parent = el.parentNode;
  el.replaceWith(...Array.from(el.childNodes));
  // Merge the now-adjacent text nodes so later streamed text extends them instead of piling up.
  parent?.normalize();
}

/**
 * Extracts the destination from what streaming-markdown hands us as a link URL: everything
 * between `](` and `)`, which may still include `<…>` brackets and a `"title"`.
 */
function linkDestination(raw: string): string {
  const s = raw.trim();
  if (s.startsWith('<')) {
    // `<…>` is the one form where CommonMark allows spaces; encode them as renderers do.
    // Other whitespace stays and is refused by safeUrl.
    const end = s.indexOf('>');
    return (end > 0 ? s.slice(1, end) : s.slice(1)).replace(/ /g, '%20');
  }
  const m = /^(\S*)\s+(?:"[^"]*"?|'[^']*'?)$/.exec(s);
  return m ? m[1]! : s;
}

/** Builds a safe external link element around the given href (already vetted). */
function makeLink(href: string): HTMLElement {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', part: 'link' });
}

/**
 * Upgrades a link placeholder to `<a>` once its URL is known and safe. Nested anchors are
 * invalid HTML and confuse click handling, so any anchors already inside are flattened to spans.
 */
function upgradeLink(f: Frame, data: DomRendererData): void {
  if (f.url === undefined || f.el.localName === 'a') return;
  const href = safeUrl(linkDestination(f.url), data.base);
  // Unsafe, or a URL with userinfo (`https://bank.example@evil.example`): stays a plain <span>.
  if (!href || linkDisplay(href, '').refuse) return;
  const a = makeLink(href);
  moveChildren(f.el, a);
  for (const inner of Array.from(a.querySelectorAll('a'))) {
    const span = h('span');
    moveChildren(inner, span);
    inner.replaceWith(span);
  }
  f.el.replaceWith(a);
  f.el = f.node = a;
}

/**
 * Finishes a link. `[text]` without a `(url)` was never a link, so its brackets go back. A bare
 * URL's trailing sentence punctuation ("see https://x.y.") is moved out of the link, as GitHub
 * does, so the href isn't broken by the full stop.
 */
function finishLink(f: Frame, data: DomRendererData): void {
  if (f.url === undefined) {
    if (f.t === Token.Link) {
      f.el.insertBefore(document.createTextNode('['), f.el.firstChild);
      appendText(f.el, ']');
      unwrap(f.el);
    }
    return;
  }
  let trailing = '';
  if (f.t === Token.Raw_URL) {
    let url = f.url;
    for (;;) {
      const last = url.slice(-1);
      if (!last) break;
      const unbalanced = last === ')' && url.split(')').length > url.split('(').length;
      if (!'.,:;!?\'"*_~'.includes(last) && !unbalanced) break;
      trailing = last + trailing;
      url = url.slice(0, -1);
    }
    f.url = url;
    if (trailing) f.el.textContent = url;
  }
  upgradeLink(f, data);
  // An empty link text would make an invisible link; show where it goes instead.
  if (f.el.localName === 'a' && !f.el.textContent) appendText(f.el, f.el.getAttribute('href')!);
  if (trailing) f.node.after(document.createTextNode(trailing));
  if (f.el.localName === 'a') showDestination(f.el);
}

/**
 * Makes a finished link tell the truth about where it goes (rules in link-display.ts): bidi
 * controls leave its text, the destination host is its title, and when the text reads as an
 * address or names a host, that host is also shown beside the link (part `link-host`).
 */
function showDestination(a: Element): void {
  const shown = linkDisplay(a.getAttribute('href')!, a.textContent ?? '');
  const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
    const clean = t.data.replace(BIDI_CONTROLS, '');
    if (clean !== t.data) t.data = clean;
  }
  if (!shown.host) return;
  setAttr(a, 'title', shown.host);
  // A bare URL whose text is its own destination cannot mislead; anything else that reads as an
  // address (another URL, a host name, a look-alike host) gets the real host beside it.
  const href = a.getAttribute('href')!;
  if (!shown.showHost || [href, href.replace(/\/$/, '')].includes(shown.text)) return;
  const host = h('span', { part: 'link-host', class: 'link-host' });
  appendText(host, shown.host);
  a.after(host);
}

/**
 * Finishes an image. Images are fetched without a click, leaking the reader's IP and timing to
 * whatever host the model names, so only embedder-approved origins become `<img>`; other safe
 * URLs become a link showing the alt text, and unsafe ones just the alt text.
 */
function finishImage(f: Frame, data: DomRendererData): void {
  const alt = f.el.textContent ?? '';
  if (f.url === undefined) {
    // `![alt]` with no URL: not an image; restore the consumed markup as text.
    f.el.textContent = `![${alt}]`;
    unwrap(f.el);
    return;
  }
  const src = safeUrl(linkDestination(f.url), data.base);
  if (!src) return;
  let replacement: HTMLElement;
  if (isAllowedImageUrl(src, data.origins)) {
    replacement = h('img', { part: 'image', src, alt, loading: 'lazy', referrerpolicy: 'no-referrer' });
  } else {
    replacement = makeLink(src);
    replacement.textContent = alt || src;
  }
  f.el.replaceWith(replacement);
}

/** Removes the padding spaces streaming-markdown leaves around table cell text. */
function trimCell(el: Element): void {
  const first = el.firstChild;
  if (first && first.nodeType === Node.TEXT_NODE) {
    const t = first as Text;
    t.data = t.data.trimStart();
    if (!t.data) t.remove();
  }
  const last = el.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE) {
    const t = last as Text;
    t.data = t.data.trimEnd();
    if (!t.data) t.remove();
  }
}

/**
 * Builds the code block chrome: a header with the language label and a copy button, then
 * `<pre><code>`. Returns the wrapper, the `<code>` that receives text, and the label.
 */
function codeBlock(strings: MarkdownStrings): { node: HTMLElement; code: HTMLElement; label: HTMLElement } {
  const node = h('div', { part: 'code-block', class: 'code-block' });
  const header = h('div', { part: 'code-header', class: 'code-header' });
  const label = h('span', { part: 'code-language', class: 'code-language' });
  const button = h('button', { type: 'button', part: 'copy-button', class: 'copy-button', 'aria-label': strings.copyCode });
  button.textContent = strings.copyCode;
  const pre = h('pre', { part: 'code-pre' });
  const code = h('code');
  pre.appendChild(code);
  header.append(label, button);
  node.append(header, pre);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const setLabel = (text: string) => {
    button.textContent = text;
    setAttr(button, 'aria-label', text);
  };
  // Read the code at click time, so a block copied mid-stream gets what is shown right now.
  button.addEventListener('click', () => {
    const clipboard = navigator.clipboard;
    if (!clipboard) return; // insecure context: nothing to do, the text is still selectable
    clipboard.writeText(code.textContent ?? '').then(
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
  return { node, code, label };
}

/** streaming-markdown `add_token`: opens an element for `type` under the current one. */
function addToken(data: DomRendererData, type: Token): void {
  const top = data.stack[data.stack.length - 1]!;
  let parent: Element = top.el;
  let el: HTMLElement;
  let node: HTMLElement | undefined;
  const frame: Partial<Frame> = { t: type };

  switch (type) {
    case Token.Paragraph: el = h('p'); break;
    case Token.Heading_1: case Token.Heading_2: case Token.Heading_3:
    case Token.Heading_4: case Token.Heading_5: case Token.Heading_6:
      // Heading tokens are consecutive numbers, so the level is an offset (never model text).
      el = h(`h${type - Token.Heading_1 + 1}`);
      break;
    case Token.Blockquote: el = h('blockquote', { part: 'blockquote' }); break;
    case Token.Italic_Und: case Token.Strong_Und:
      // streaming-markdown opens `_` emphasis inside words, turning snake_case_names into
      // italics. CommonMark never does that, so such a run is kept as literal text instead.
      if (/[\p{L}\p{N}]$/u.test(parent.lastChild?.nodeType === Node.TEXT_NODE ? (parent.lastChild as Text).data : '')) {
        frame.open = type === Token.Italic_Und ? '_' : '__';
        el = h('span');
        appendText(el, frame.open);
        break;
      }
      el = h(type === Token.Italic_Und ? 'em' : 'strong');
      break;
    case Token.Italic_Ast: el = h('em'); break;
    case Token.Strong_Ast: el = h('strong'); break;
    case Token.Strike: el = h('del'); break;
    case Token.Code_Inline: el = h('code', { part: 'inline-code', class: 'inline-code' }); break;
    case Token.Link: case Token.Raw_URL: case Token.Image:
      el = h('span'); // placeholder until the URL is known; see upgradeLink / finishImage
      break;
    case Token.List_Unordered: el = h('ul'); break;
    case Token.List_Ordered: el = h('ol'); break;
    case Token.List_Item: el = h('li'); break;
    case Token.Checkbox:
      el = h('input', { type: 'checkbox', disabled: '' });
      if (parent.localName === 'li') setAttr(parent, 'class', 'task-list-item');
      break;
    case Token.Code_Block: case Token.Code_Fence: {
      const block = codeBlock(data.strings);
      el = block.code;
      node = block.node;
      frame.label = block.label;
      break;
    }
    case Token.Table:
      el = h('table', { part: 'table' });
      // Wide tables scroll inside their own box; tabindex lets keyboard users scroll it.
      node = h('div', { part: 'table-wrapper', class: 'table-wrapper', tabindex: '0' });
      node.appendChild(el);
      break;
    case Token.Table_Row:
      el = h('tr');
      if (top.t === Token.Table) {
        // streaming-markdown has no header token: the first row is the header row.
        if (!top.thead) {
          parent = top.thead = parent.appendChild(h('thead'));
          frame.head = true;
        } else {
          parent = top.tbody ??= parent.appendChild(h('tbody'));
        }
      }
      break;
    case Token.Table_Cell: el = h(top.head ? 'th' : 'td'); break;
    case Token.Line_Break: el = h('br'); break;
    case Token.Rule: el = h('hr'); break;
    case Token.Equation_Inline: case Token.Equation_Block: {
      // No math typesetting: show the TeX source with the delimiters the author used.
      const block = type === Token.Equation_Block;
      const backslash = data.parser?.pending.startsWith('\\') ?? false;
      frame.open = backslash ? (block ? '\\[' : '\\(') : block ? '$$' : '$';
      el = h(block ? 'div' : 'span', { class: block ? 'math-block' : 'math' });
      appendText(el, frame.open);
      break;
    }
    default:
      el = h('span'); // a token type from a newer parser: keep its text, drop its meaning
  }

  frame.el = el;
  frame.node = node ?? el;
  parent.appendChild(frame.node);
  data.stack.push(frame as Frame);
}

/** streaming-markdown `end_token`: closes the current element, finishing late-bound tokens. */
function endToken(data: DomRendererData): void {
  if (data.stack.length <= 1) return; // never pop the root, whatever the parser does
  const f = data.stack.pop()!;
  switch (f.t) {
    case Token.Link: case Token.Raw_URL: finishLink(f, data); break;
    case Token.Image: finishImage(f, data); break;
    case Token.Table_Cell: trimCell(f.el); break;
    case Token.Italic_Und: case Token.Strong_Und:
      if (f.open) {
        // Literal intraword underscores: restore the closer if the parser consumed one (it is
        // still pending when the run ends on `_`, not when a line/block end cut it off).
        if (data.parser?.pending.startsWith('_')) appendText(f.el, f.open);
        unwrap(f.el);
      }
      break;
    case Token.Equation_Inline: case Token.Equation_Block: {
      // The parser is still holding the closing delimiter when it ends a properly closed
      // equation; an equation cut off by the end of its block gets no closer.
      const pending = data.parser?.pending ?? '';
      if (pending.startsWith('$') || pending.startsWith('\\')) {
        const close = { '$': '$', '$$': '$$', '\\(': '\\)', '\\[': '\\]' }[f.open!] ?? '';
        appendText(f.el, close);
      }
      break;
    }
  }
}

/** streaming-markdown `add_text`: text always becomes Text node data, never markup. */
function addText(data: DomRendererData, text: string): void {
  appendText(data.stack[data.stack.length - 1]!.el, text);
}

/** streaming-markdown `set_attr`: only ever applied after vetting, never copied through. */
function setAttrFromParser(data: DomRendererData, type: Attr, value: string): void {
  const top = data.stack[data.stack.length - 1]!;
  switch (type) {
    case Attr.Href:
    case Attr.Src:
      if (top.t === Token.Link || top.t === Token.Raw_URL || top.t === Token.Image) {
        // Vetted and applied when the token ends: by then all of its text has arrived.
        top.url = value;
      }
      break;
    case Attr.Lang:
      if (top.label) {
        // Info string "js title=x" → "js"; capped so a hostile fence can't flood the header.
        top.label.textContent = value.trim().split(/\s/, 1)[0]!.slice(0, 32);
      }
      break;
    case Attr.Checked:
      if (top.el.localName === 'input') setAttr(top.el, 'checked', '');
      break;
    case Attr.Start:
      if (top.el.localName === 'ol' && /^\d{1,9}$/.test(value)) setAttr(top.el, 'start', String(Number(value)));
      break;
  }
}

/**
 * Creates a streaming-markdown renderer that appends safe DOM to `root`.
 *
 * The caller owns `root` and should make it empty first; the renderer only ever appends to it
 * (or replaces its own placeholder nodes inside it). Set `renderer.data.parser` to the parser
 * after creating it so math delimiters can be shown as written.
 *
 * @param root    Container the rendered markdown is appended to.
 * @param options Image origins, label overrides and URL base.
 * @returns A renderer to pass to streaming-markdown's `parser()`.
 */
export function createDomRenderer(root: Element, options: DomRendererOptions = {}): Renderer<DomRendererData> {
  return {
    data: {
      stack: [{ t: Token.Document, el: root, node: root }],
      origins: normalizeOrigins(options.imageOrigins),
      strings: { ...DEFAULT_MARKDOWN_STRINGS, ...options.strings },
      base: options.baseUrl,
    },
    add_token: addToken,
    end_token: endToken,
    add_text: addText,
    set_attr: setAttrFromParser,
  };
}
