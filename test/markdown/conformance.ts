// CommonMark / GFM conformance harness, DOM-implementation neutral (runs in Node on happy-dom).
//
// The normaliser, documented here because the pass counts depend on it:
// - Both sides are parsed to DOM and serialised the same way: attributes sorted, text outside
//   <pre> with runs of whitespace collapsed to one space, whitespace next to block tags dropped.
// - Our chrome is taken away: a code block's wrapper and header (the <pre> stays), a table's
//   scroll wrapper; attributes that only carry chrome (target, rel, part, tabindex, aria-label,
//   loading, referrerpolicy, dir, classes other than `language-*`) are dropped.
// - hrefs and srcs are compared as absolute URLs against the same base.
// - What link-display adds is chrome too: the `link-host` span beside a link, and the destination
//   host that leads a link's title (`host` alone, or `host: title`).
// Safety rules are "granted" (counted separately from strict passes) when the only difference
// is what the widget does on purpose: raw HTML shown as text, links with a scheme other than
// http/https/mailto shown as their text, images off the allowed origin shown as links. That is
// decided by rendering the example with marked's own HTML renderer twice, once as is (it must
// match the reference) and once with those rules applied (it must match our DOM).
import { domainToUnicode } from 'node:url';
import { Marked } from 'marked';

export interface Example { markdown: string; html: string; section: string; number: number }

export const BASE = 'https://example.test/';

const BLOCK = new Set(['address', 'article', 'aside', 'blockquote', 'body', 'dd', 'div', 'dl', 'dt', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'ul', 'iframe', 'textarea', 'script', 'style', 'xmp', 'noembed', 'noframes', 'form', 'fieldset', 'menu']);
const DROP = new Set(['target', 'rel', 'part', 'tabindex', 'aria-label', 'loading', 'referrerpolicy', 'dir']);

function absolute(url: string): string {
  try { return new URL(url, BASE).href; } catch { return url; }
}

/** Serialises the children of `node` in the normalised form described above. */
export function normalise(node: Node, inPre = false): string {
  let out = '';
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) {
      const data = (child as Text).data;
      out += esc(inPre ? data : data.replace(/\s+/g, ' '));
    } else if (child.nodeType === 1) {
      const el = child as Element;
      const tag = el.localName;
      if (tag === 'div' && el.classList.contains('code-block')) { out += normalise({ childNodes: [el.querySelector('pre')!] } as unknown as Node); continue; }
      if (tag === 'div' && el.classList.contains('table-wrapper')) { out += normalise(el, inPre); continue; }
      if (tag === 'span' && el.classList.contains('link-host')) continue;
      const attrs = Array.from(el.attributes)
        .filter((a) => !DROP.has(a.name) && !(a.name === 'class' && !/^language-/.test(a.value)))
        .map((a) => [a.name, a.name === 'href' || a.name === 'src' ? absolute(a.value) : a.name === 'title' && tag === 'a' ? ownTitle(el, a.value) : a.value] as const)
        .filter(([name, value]) => !(name === 'title' && tag === 'a' && value === ''))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([n, v]) => ` ${n}="${esc(v)}"`).join('');
      out += `<${tag}${attrs}>`;
      if (!['br', 'hr', 'img', 'input'].includes(tag)) out += `${normalise(el, inPre || tag === 'pre')}</${tag}>`;
    }
  }
  return out;
}

/**
 * A link's title without the destination host the widget puts first (link-display): `host` alone
 * becomes `''` (dropped), `host: title` becomes `title`.
 */
function ownTitle(a: Element, title: string): string {
  let host = '';
  try { host = new URL(a.getAttribute('href') ?? '', BASE).hostname; } catch { return title; }
  for (const h of [host, domainToUnicode(host)]) {
    if (title === h) return '';
    if (title.startsWith(`${h}: `)) return title.slice(h.length + 2);
  }
  return title;
}

const BLOCK_TAG = new RegExp(`\\s*(<\\/?(?:${[...BLOCK].join('|')})(?: [^>]*)?>)\\s*`, 'g');

/** {@link normalise}, then whitespace next to block tags (it carries no meaning) and after `<br>` dropped. */
export function normalised(node: Node): string {
  return normalise(node).replace(BLOCK_TAG, '$1').replace(/<br>\s+/g, '<br>');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\u00a0/g, '&nbsp;');

const escHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** marked's HTML renderer with the widget's safety rules: what "granted" compares against. */
export function safeReference(markdown: string): string {
  const m = new Marked({ gfm: true });
  m.use({
    renderer: {
      html({ text, block }) { return block ? `<p>${escHtml(text.replace(/\n+$/, ''))}</p>` : escHtml(text); },
      link({ href, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const abs = absolute(href);
        // eslint-disable-next-line no-control-regex -- control characters are what it looks for
        return /^(https?|mailto):/i.test(abs) && !/[\s\u0000-\u001f]/.test(href) ? `<a href="${escHtml(abs)}">${inner}</a>` : inner;
      },
      image({ href, text }) {
        const abs = absolute(href);
        if (!/^https?:/i.test(abs)) return escHtml(text);
        return new URL(abs).origin === new URL(BASE).origin ? `<img src="${escHtml(abs)}" alt="${escHtml(text)}">` : `<a href="${escHtml(abs)}">${escHtml(text) || escHtml(abs)}</a>`;
      },
    },
  });
  return m.parse(markdown) as string;
}

/** marked's own HTML for an example, unchanged. */
export function markedReference(markdown: string, gfm = true): string {
  return new Marked({ gfm }).parse(markdown) as string;
}
