// Direction, the highlight hook, bounds and the oversized-reply mode, as a user sees them.
import { expect } from '@open-wc/testing';
import { mount, renderStreamed, renderWhole, chunk, prng, serialize } from './helpers.js';
import { PLAIN_TEXT_LIMIT } from '../../src/markdown/markdown-stream.js';

describe('markdown: text direction without dir="auto"', () => {
  it('fixes each block\'s direction from its first strong character, and the container\'s from the reply\'s', async () => {
    const el = await renderWhole('مرحبا **بك**\n\n- البند\n\nEnglish after.\n\n```js\nx()\n```\n\n123');
    const blocks = Array.from(el.children);
    expect(blocks.map((b) => b.getAttribute('dir'))).to.deep.equal(['rtl', 'rtl', 'ltr', 'ltr', null]);
    expect(el.getAttribute('dir')).to.equal('rtl');
    // No element in the reply asks the engine to resolve direction from content.
    expect(el.querySelector('[dir="auto"]')).to.equal(null);
  });

  it('an English reply is ltr, and streaming gives the same directions', async () => {
    const md = 'Hello\n\nשלום';
    const whole = await renderWhole(md);
    const { el } = await renderStreamed(chunk(md, prng(3), 2));
    expect(whole.getAttribute('dir')).to.equal('ltr');
    expect(Array.from(el.children).map((b) => b.getAttribute('dir'))).to.deep.equal(['ltr', 'rtl']);
  });
});

describe('markdown: highlight hook', () => {
  const md = '```js\nconst a = 1;\n```';

  it('uses the Node the highlighter returns, with the code and language', async () => {
    const calls: string[][] = [];
    const highlight = (code: string, language: string) => {
      calls.push([code, language]);
      const span = document.createElement('span');
      span.className = 'hl';
      span.textContent = code;
      return span;
    };
    const el = await renderWhole(md, { highlight });
    expect(calls).to.deep.include(['const a = 1;', 'js']);
    expect(el.querySelector('pre code span.hl')!.textContent).to.equal('const a = 1;');
  });

  it('keeps the block plain when the highlighter returns null or throws, and copy still copies the source', async () => {
    for (const highlight of [() => null, () => { throw new Error('boom'); }]) {
      const el = await renderWhole(md, { highlight });
      expect(serialize(el.querySelector('pre')!)).to.equal('<code>const a = 1;\n</code>');
    }
    const clipboard = navigator.clipboard;
    const original = clipboard.writeText;
    let copied: string | undefined;
    clipboard.writeText = async (text: string) => { copied = text; };
    try {
      const el = await renderWhole(md, { highlight: () => document.createTextNode('decorated: const a = 1;') });
      el.querySelector('button')!.click();
      await new Promise((r) => setTimeout(r, 0));
      expect(copied).to.equal('const a = 1;');
    } finally {
      clipboard.writeText = original;
    }
  });
});

describe('markdown: bounds', () => {
  it('caps nesting: 3,000 quotes build at most a few dozen levels and the text stays', async () => {
    const el = await renderWhole(`${'>'.repeat(3000)} deep`);
    let depth = 0;
    for (let n: Element | null = el; n?.firstElementChild; n = n.firstElementChild) depth++;
    expect(depth).to.be.within(30, 40);
    expect(el.textContent).to.contain('deep');
  });

  it('caps nesting of inline markers: deep emphasis degrades to text', async () => {
    const el = await renderWhole(`${'*'.repeat(4000)}a${'*'.repeat(4000)} and ${'[a '.repeat(3000)}`);
    expect(el.textContent).to.contain('a');
    expect(el.querySelectorAll('*').length).to.be.lessThan(200);
  });

  it('caps table columns, keeping the cut cells\' text in the last column', async () => {
    const el = await renderWhole(`|${'h|'.repeat(100)}\n|${'-|'.repeat(100)}\n|${Array.from({ length: 100 }, (_, i) => `c${i}|`).join('')}`);
    const row = el.querySelector('tbody tr')!;
    expect(row.children.length).to.equal(64);
    expect(row.lastElementChild!.textContent).to.contain('c99');
  });

  it('shows a reply above the limit as plain text with a button that renders it formatted', async () => {
    const md = `# Big\n\n${'word '.repeat(Math.ceil(PLAIN_TEXT_LIMIT / 5) + 10)}`;
    const { update } = await mount();
    const el = update(md, { complete: true });
    const button = el.querySelector('button')!;
    expect(button.getAttribute('part')).to.equal('render-full-button');
    expect(el.querySelector('h1')).to.equal(null);
    expect(el.textContent).to.contain('# Big');
    // Formatted on request, a slice per frame (driven by animation frames).
    button.click();
    expect(el.querySelector('h1')!.textContent).to.equal('Big');
  });
});
