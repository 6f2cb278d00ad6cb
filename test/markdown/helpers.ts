// Shared helpers for the markdown tests: render through the real directive and serialise the
// resulting DOM to a compact, unambiguous string.
import { html, render } from 'lit';
import { fixtureSync } from '@open-wc/testing';
import { loadMarkdown, markdown, type MarkdownOptions } from '../../src/markdown/markdown-directive.js';

/** Attributes left out of {@link serialize} by default: constant chrome checked elsewhere. */
const NOISE = new Set(['dir', 'target', 'rel', 'part', 'class', 'loading', 'referrerpolicy', 'tabindex', 'aria-label', 'type']);
const VOID = new Set(['br', 'hr', 'img', 'input']);

/** Escapes text so `<b>` typed by the model can't be confused with a real element. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Serialises children of `node` as compact HTML, dropping noise attributes. */
export function serialize(node: Node, keepAll = false): string {
  let out = '';
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      out += esc((child as Text).data);
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const el = child as Element;
      const attrs = Array.from(el.attributes)
        .filter((a) => keepAll || !NOISE.has(a.name))
        .map((a) => (a.value === '' ? ` ${a.name}` : ` ${a.name}="${esc(a.value)}"`))
        .join('');
      out += `<${el.localName}${attrs}>`;
      if (!VOID.has(el.localName)) out += `${serialize(el, keepAll)}</${el.localName}>`;
    } else {
      out += `<!--${node.nodeType}-->`;
    }
  }
  return out;
}

/** A fixture container plus a function that re-renders the directive into it. */
export async function mount(): Promise<{ host: HTMLElement; update: (text: string, options?: MarkdownOptions) => HTMLElement }> {
  // fixtureSync, not fixture: fixture waits for an animation frame, which never comes while wtr
  // runs this file in a background tab (concurrency > 1). Cleanup is the same.
  // The renderer is a lazily loaded chunk; once loaded, the directive renders synchronously.
  await loadMarkdown();
  const host = fixtureSync<HTMLElement>(html`<section></section>`);
  const update = (text: string, options: MarkdownOptions = {}) => {
    render(html`<div class="markdown" ${markdown(text, options)}></div>`, host);
    return host.querySelector('div.markdown') as HTMLElement;
  };
  return { host, update };
}

/** Renders `text` in one go (complete) and returns the markdown container. */
export async function renderWhole(text: string, options: MarkdownOptions = {}): Promise<HTMLElement> {
  const { update } = await mount();
  return update(text, { ...options, complete: true });
}

export { prng } from '../helpers/prng.js';

/** Splits `text` into random-sized pieces of 1..max characters. */
export function chunk(text: string, rand: () => number, max = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rand() * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/**
 * Streams `pieces` through the directive the way the element does (full text so far on every
 * render), then completes. Returns the container and the serialised DOM after each step.
 */
export async function renderStreamed(
  pieces: string[],
  options: MarkdownOptions = {},
  onStep?: (el: HTMLElement) => void,
): Promise<{ el: HTMLElement; steps: string[] }> {
  const { update } = await mount();
  let text = '';
  let el!: HTMLElement;
  const steps: string[] = [];
  for (const p of pieces) {
    text += p;
    el = update(text, options);
    steps.push(serialize(el));
    onStep?.(el);
  }
  el = update(text, { ...options, complete: true });
  return { el, steps };
}
