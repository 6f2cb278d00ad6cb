// Links in replies show where they really go (src/markdown/link-display.ts wired into the
// renderer): what a visitor sees next to the link, whole and streamed in random chunks.
import { expect } from '@open-wc/testing';
import { chunk, prng, renderStreamed, renderWhole, serialize } from './helpers.js';

const cases: { name: string; md: string; links: { text: string; href: string | null; host: string | null; title: string | null }[] }[] = [
  {
    name: 'text naming another host shows the real one',
    md: 'Log in at [https://bank.example/login](https://evil.example/phish) now.',
    links: [{ text: 'https://bank.example/login', href: 'https://evil.example/phish', host: 'evil.example', title: 'evil.example' }],
  },
  {
    name: 'plain words get a title but no host beside them',
    md: 'See [the docs](https://docs.example.com/start).',
    links: [{ text: 'the docs', href: 'https://docs.example.com/start', host: null, title: 'docs.example.com' }],
  },
  {
    name: 'bidi controls leave the link text',
    md: 'Get [invoice\u202Efdp.exe](https://files.example/invoice.exe).',
    links: [{ text: 'invoicefdp.exe', href: 'https://files.example/invoice.exe', host: 'files.example', title: 'files.example' }],
  },
  {
    name: 'a homoglyph host is shown in punycode',
    md: 'Visit [\u0430pple.com](https://\u0430pple.com/).',
    links: [{ text: '\u0430pple.com', href: 'https://xn--pple-43d.com/', host: 'xn--pple-43d.com', title: 'xn--pple-43d.com' }],
  },
  {
    name: 'a URL with userinfo is not made a link',
    md: 'Pay at [paypal.com](https://paypal.com@evil.example/).',
    links: [],
  },
];

function linksOf(root: HTMLElement) {
  return Array.from(root.querySelectorAll('a')).map((a) => {
    const next = a.nextElementSibling;
    return {
      text: a.textContent,
      href: a.getAttribute('href'),
      host: next?.getAttribute('part') === 'link-host' ? next.textContent : null,
      title: a.getAttribute('title'),
    };
  });
}

describe('markdown links show their destination', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const whole = await renderWhole(c.md);
      expect(linksOf(whole)).to.deep.equal(c.links);
      expect(whole.textContent).not.to.match(/[\u202a-\u202e\u2066-\u2069]/);
      const rand = prng(c.md.length);
      for (let run = 0; run < 5; run++) {
        const { el: streamed } = await renderStreamed(chunk(c.md, rand));
        expect(serialize(streamed, true)).to.equal(serialize(whole, true));
      }
    });
  }
});
