import { expect, waitUntil } from '@open-wc/testing';
import { html, render } from 'lit';
import { chunk, mount, prng, renderStreamed, renderWhole, serialize } from './helpers.js';

const CODE = (lang: string, code: string) =>
  `<div><div><span>${lang}</span><button>Copy code</button></div><pre><code>${code}</code></pre></div>`;
const TABLE = (inner: string) => `<div><table>${inner}</table></div>`;
const BASE = new URL('/', document.baseURI).href;

/** markdown → expected compact DOM (see serialize(): noise attributes like part/target are omitted). */
const CASES: Array<[name: string, markdown: string, expected: string]> = [
  ['paragraph', 'Hello world', '<p>Hello world</p>'],
  ['two paragraphs', 'one\n\ntwo', '<p>one</p><p>two</p>'],
  ['emphasis', '*em* _em_ **strong** __strong__ ~~del~~', '<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> <del>del</del></p>'],
  ['nested emphasis', '***bi*** **b *i* b** **_x_**', '<p><em><strong>bi</strong></em> <strong>b <em>i</em> b</strong> <strong><em>x</em></strong></p>'],
  ['intraword underscores stay text', 'snake_case_name and a__b__c', '<p>snake_case_name and a__b__c</p>'],
  ['odd intraword underscore', 'my_var_name_here ok', '<p>my_var_name_here ok</p>'],
  ['unclosed strong is text', 'def f(**kwargs): pass', '<p>def f(**kwargs): pass</p>'],
  ['underscore emphasis at word start', '_em_ and __strong__', '<p><em>em</em> and <strong>strong</strong></p>'],
  ['intraword stars are emphasis', '2*3*4', '<p>2<em>3</em>4</p>'],
  ['inline code', 'use `a < b` here', '<p>use <code>a &lt; b</code> here</p>'],
  ['headings', '# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six', '<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>'],
  ['seven hashes is text', '####### seven', '<p>####### seven</p>'],
  ['unordered list', '- a\n- b\n+ c', '<ul><li>a</li><li>b</li></ul><ul><li>c</li></ul>'],
  ['paragraph after a nested list', '- a\n  - b\n\nafter', '<ul><li>a<ul><li>b</li></ul></li></ul><p>after</p>'],
  ['code and a second paragraph in a numbered item', '1. one\n\n   ```\n   x\n   ```\n\n   more\n2. two',
    '<ol><li><p>one</p><div><div><span></span><button>Copy code</button></div><pre><code>x\n</code></pre></div><p>more</p></li><li><p>two</p></li></ol>'],
  ['ordered list', '1. a\n2. b', '<ol><li>a</li><li>b</li></ol>'],
  ['ordered list start', '3. three\n4. four', '<ol start="3"><li>three</li><li>four</li></ol>'],
  ['nested lists', '- a\n  - b\n    1. c\n- d', '<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>'],
  ['task list', '- [x] done\n- [ ] todo', '<ul><li><input disabled checked> done</li><li><input disabled> todo</li></ul>'],
  ['fenced code with language', '```js title=x\nlet x = 1 < 2;\n```\nafter', CODE('js', 'let x = 1 &lt; 2;\n') + '<p>after</p>'],
  ['tilde fence', '~~~\nx\n~~~', CODE('', 'x\n')],
  ['fenced code without language', '```\n<b>raw</b>\n```', CODE('', '&lt;b&gt;raw&lt;/b&gt;\n')],
  ['indented code', '    indented\n    code', CODE('', 'indented\ncode\n')],
  ['unterminated fence', '```py\nprint(1)', CODE('py', 'print(1)\n')],
  ['blockquote', '> quote\n> > nested', '<blockquote><p>quote</p><blockquote><p>nested</p></blockquote></blockquote>'],
  ['horizontal rule', 'a\n\n---\n\nb', '<p>a</p><hr><p>b</p>'],
  ['line breaks', 'soft\nbreak, hard  \nbreak\\\nand<br>html<br/>br', '<p>soft\nbreak, hard<br>break<br>and<br>html<br>br</p>'],
  ['setext headings', 'One\n===\n\nTwo\n---', '<h1>One</h1><h2>Two</h2>'],
  ['table', '| a | b |\n|---|:-:|\n| 1 | **2** |\n| 3 | 4 |',
    TABLE('<thead><tr><th>a</th><th align="center">b</th></tr></thead><tbody><tr><td>1</td><td align="center"><strong>2</strong></td></tr><tr><td>3</td><td align="center">4</td></tr></tbody>')],
  ['table alignment and escaped pipe', '| l | r |\n|:--|--:|\n| a \\| b | 2 |',
    TABLE('<thead><tr><th align="left">l</th><th align="right">r</th></tr></thead><tbody><tr><td align="left">a | b</td><td align="right">2</td></tr></tbody>')],
  ['link', '[link](https://example.com/x)', '<p><a href="https://example.com/x" title="example.com">link</a></p>'],
  ['link with title', '[t](https://example.com/x "title")', '<p><a href="https://example.com/x" title="example.com: title">t</a></p>'],
  ['reference link defined later', '[docs] and [x][d]\n\n[docs]: https://example.com/docs\n[d]: https://example.com/d', '<p><a href="https://example.com/docs" title="example.com">docs</a> and <a href="https://example.com/d" title="example.com">x</a></p>'],
  ['angle and www autolinks', '<https://example.com/a> www.example.com <me@example.com>', '<p><a href="https://example.com/a" title="example.com">https://example.com/a</a> <a href="http://www.example.com/" title="www.example.com">www.example.com</a> <a href="mailto:me@example.com">me@example.com</a></p>'],
  ['entities and escapes', '&copy; &#169; &#xA9; &amp; \\*not em\\* &nosuch;', '<p>© © © &amp; *not em* &amp;nosuch;</p>'],
  ['link in angle brackets', '[t](<https://example.com/a b>)', '<p><a href="https://example.com/a%20b" title="example.com">t</a></p>'],
  ['relative link resolves', '[rel](/path?q=1)', `<p><a href="${BASE}path?q=1" title="${new URL(BASE).hostname}">rel</a></p>`],
  ['mailto link', '[**mail**](mailto:a@b.example)', '<p><a href="mailto:a@b.example"><strong>mail</strong></a></p>'],
  ['unsafe link is text', '[bad](javascript:alert)', '<p>bad</p>'],
  ['bare url', 'see https://example.com/a here', '<p>see <a href="https://example.com/a" title="example.com">https://example.com/a</a> here</p>'],
  ['bare url trailing dot', 'see https://example.com/a.', '<p>see <a href="https://example.com/a" title="example.com">https://example.com/a</a>.</p>'],
  ['brackets without url stay text', 'array[0] and [x] y and ![nope]', '<p>array[0] and [x] y and ![nope]</p>'],
  ['image off by default', '![a cat](https://img.example/cat.png)', '<p><a href="https://img.example/cat.png" title="img.example">a cat</a></p>'],
  ['unsafe image is alt text', '![a cat](javascript:alert)', '<p>a cat</p>'],
  ['raw html is text', '<script>alert(1)</script> <b>x</b>', '<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;</p>'],
  ['math shown as source', 'Costs $5, $x$ and \\(y\\)', '<p>Costs $5, <code>$x$</code> and <code>\\(y\\)</code></p>'],
  ['shell and PHP variables stay text', 'echo $PATH and $name; $ x $ too\n\n```sh\necho $HOME\n```', '<p>echo $PATH and $name; $ x $ too</p>' + CODE('sh', 'echo $HOME\n')],
  ['display math', '$$\na^2\n$$\n\n\\[b\\]', '<div>$$\na^2\n$$</div><div>\\[b\\]</div>'],
  ['footnotes', 'Claim[^1] and more[^n].\n\n[^1]: Source one.\n[^n]: Source two.', '<p>Claim<sup>1</sup> and more<sup>2</sup>.</p><section><ol><li><p>Source one.</p></li><li><p>Source two.</p></li></ol></section>'],
  ['undefined footnote stays text', 'x[^nope]', '<p>x[^nope]</p>'],
  ['dangling strong is text', 'Hello **world', '<p>Hello **world</p>'],
  ['lone stars settle as text', 'Hello **', '<p>Hello **</p>'],
  ['CRLF', 'a\r\nb\r\n\r\nc', '<p>a\nb</p><p>c</p>'],
];

describe('markdown rendering', () => {
  for (const [name, md, expected] of CASES) {
    it(name, async () => {
      expect(serialize(await renderWhole(md))).to.equal(expected);
    });
    it(`${name} (streamed)`, async () => {
      const { el } = await renderStreamed(chunk(md, prng(md.length), 3));
      expect(serialize(el)).to.equal(expected);
    });
  }

  it('allowed image origins render <img> with safe attributes', async () => {
    const el = await renderWhole('![a cat](https://cdn.example.com/cat.png) ![dog](https://other.example/dog.png)', {
      imageOrigins: ['https://CDN.example.com/'],
    });
    const img = el.querySelector('img')!;
    expect(img.getAttribute('src')).to.equal('https://cdn.example.com/cat.png');
    expect(img.getAttribute('alt')).to.equal('a cat');
    expect(img.getAttribute('part')).to.equal('image');
    expect(img.getAttribute('loading')).to.equal('lazy');
    expect(img.getAttribute('referrerpolicy')).to.equal('no-referrer');
    expect(el.querySelectorAll('img').length).to.equal(1);
    expect(el.querySelector('a')!.getAttribute('href')).to.equal('https://other.example/dog.png');
  });

  it('links get target, rel and part', async () => {
    const el = await renderWhole('[x](https://example.com) https://example.org ![i](https://example.net/i.png)');
    const links = el.querySelectorAll('a');
    expect(links.length).to.equal(3);
    for (const a of Array.from(links)) {
      expect(a.getAttribute('target')).to.equal('_blank');
      expect(a.getAttribute('rel')).to.equal('noopener noreferrer');
      expect(a.getAttribute('part')).to.equal('link');
    }
  });

  it('code blocks, tables, inline code and quotes carry their parts', async () => {
    const el = await renderWhole('```ts\nx\n```\n\n| a |\n|---|\n| b |\n\n`c`\n\n> q');
    const block = el.querySelector('[part="code-block"]')!;
    expect(block.classList.contains('code-block')).to.equal(true);
    expect(block.querySelector('[part="code-language"]')!.textContent).to.equal('ts');
    const button = block.querySelector('button')!;
    expect(button.getAttribute('type')).to.equal('button');
    expect(button.getAttribute('part')).to.equal('copy-button');
    expect(button.getAttribute('aria-label')).to.equal('Copy code');
    expect(block.querySelector('pre > code')!.textContent).to.equal('x\n');
    expect(el.querySelector('[part="table-wrapper"] > table[part="table"]')).to.exist;
    expect(el.querySelector('code[part="inline-code"]')!.textContent).to.equal('c');
    expect(el.querySelector('blockquote[part="blockquote"]')).to.exist;
  });

  it('copy button writes the code to the clipboard and shows "Copied"', async () => {
    const clipboard = navigator.clipboard;
    const original = clipboard.writeText;
    let copied: string | undefined;
    clipboard.writeText = async (text: string) => { copied = text; };
    try {
      const el = await renderWhole('```\nline 1\nline 2\n```', { strings: { copied: 'Kopiert' } });
      const button = el.querySelector('button')!;
      button.click();
      await waitUntil(() => button.hasAttribute('data-copied'), 'never showed "Copied"');
      expect(copied).to.equal('line 1\nline 2');
      expect(button.hasAttribute('data-copied')).to.equal(true);
      expect(button.textContent).to.equal('Kopiert');
      expect(button.hasAttribute('style')).to.equal(false);
      // The confirmation goes back to the label after a moment.
      await waitUntil(() => !button.hasAttribute('data-copied'), 'stayed on "Copied"', { timeout: 5000 });
      expect(button.textContent).to.equal('Copy code');
    } finally {
      clipboard.writeText = original;
    }
  });

  it('copy button survives a clipboard failure', async () => {
    const clipboard = navigator.clipboard;
    const original = clipboard.writeText;
    clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    try {
      const el = await renderWhole('```\nx\n```');
      const button = el.querySelector('button')!;
      button.click();
      await new Promise((r) => setTimeout(r, 0));
      expect(button.hasAttribute('data-copied')).to.equal(false);
    } finally {
      clipboard.writeText = original;
    }
  });

  it('custom strings label the copy button', async () => {
    const el = await renderWhole('```\nx\n```', { strings: { copyCode: 'Code kopieren' } });
    expect(el.querySelector('button')!.getAttribute('aria-label')).to.equal('Code kopieren');
  });
});

describe('markdown streaming', () => {
  it('shows sensible intermediate DOM for an open fence, half a table and dangling **', async () => {
    const pieces = ['Intro **bo', 'ld** text\n\n```js\nconst a', ' = 1;\n', '```\n\n| h1 | h2 |\n|--', '-|---|\n| 1 |', ' 2 |\n\n', 'See [the docs](https://exa', 'mple.com) now'];
    const { el, steps } = await renderStreamed(pieces);
    const intro = '<p>Intro <strong>bold</strong> text</p>';
    // Open emphasis is closed for display; an open fence is already a code block.
    expect(steps[0]).to.equal('<p>Intro <strong>bo</strong></p>');
    expect(steps[1]).to.equal(`${intro}${CODE('js', 'const a\n')}`);
    expect(steps[2]).to.equal(`${intro}${CODE('js', 'const a = 1;\n')}`);
    // A first pipe line waits for the next line to say whether it heads a table.
    expect(steps[3]).to.equal(`${intro}${CODE('js', 'const a = 1;\n')}`);
    expect(steps[4]).to.equal(`${intro}${CODE('js', 'const a = 1;\n')}${TABLE('<thead><tr><th>h1</th><th>h2</th></tr></thead>')}`);
    expect(steps[5]).to.contain('<tbody><tr><td>1</td><td>2</td></tr></tbody>');
    // A half link is held back, then shown whole.
    expect(steps[6]).to.match(/<p>See <\/p>$/);
    expect(steps[7]).to.match(/<p>See <a href="https:\/\/example.com\/" title="example.com">the docs<\/a> now<\/p>$/);
    const whole = await renderWhole(pieces.join(''));
    expect(serialize(el)).to.equal(serialize(whole));
  });

  it('a streamed reply ends with the same DOM as rendering it at once', async function () {
    this.timeout(60000); // one render per character at the end: slow under load, never stuck
    const doc = [
      '# Title', '', 'Some *emphasis*, **strong**, `code` and a [link](https://example.com).', '',
      '- one', '  - nested **bold', '- [x] task', '', '1. first', '2. second', '',
      '> quote with https://example.org/x', '', '```python', 'def f(x):', '    return x * 2', '```', '',
      '| a | b |', '|---|---|', '| 1 | 2 |', '', '---', 'tail with dangling **strong and ~~strike',
    ].join('\n');
    const whole = serialize(await renderWhole(doc));
    for (const seed of [1, 2, 3, 4, 5]) {
      const { el } = await renderStreamed(chunk(doc, prng(seed), 1 + seed * 3));
      expect(serialize(el), `seed ${seed}`).to.equal(whole);
    }
    const { el } = await renderStreamed(Array.from(doc)); // one character at a time
    expect(serialize(el)).to.equal(whole);
  });

  it('feeds only the new suffix: earlier nodes are kept, not rebuilt', async () => {
    const { update } = await mount();
    const el = update('First paragraph.\n\nSecond');
    const first = el.querySelector('p')!;
    update('First paragraph.\n\nSecond paragraph and more', { complete: true });
    expect(el.querySelector('p')).to.equal(first);
    expect(serialize(el)).to.equal('<p>First paragraph.</p><p>Second paragraph and more</p>');
  });

  it('replaced text (a retry) starts over', async () => {
    const { update } = await mount();
    const el = update('Old **answer**', { complete: true });
    const old = el.querySelector('p');
    update('New', { complete: true });
    expect(serialize(el)).to.equal('<p>New</p>');
    expect(el.querySelector('p')).not.to.equal(old);
    update('', {});
    expect(el.childNodes.length).to.equal(0);
  });

  it('changing image origins re-renders with the new rules', async () => {
    const { update } = await mount();
    const md = '![c](https://cdn.example.com/c.png)';
    const el = update(md, { complete: true });
    expect(el.querySelector('img')).to.equal(null);
    update(md, { complete: true, imageOrigins: ['https://cdn.example.com'] });
    expect(el.querySelector('img')).to.exist;
  });

  it('re-rendering the same complete text is a no-op', async () => {
    const { update } = await mount();
    const el = update('a [b](https://example.com)', { complete: true });
    const a = el.querySelector('a');
    update('a [b](https://example.com)', { complete: true });
    expect(el.querySelector('a')).to.equal(a);
  });

  it('refuses non-element positions', async () => {
    const { markdown } = await import('../../src/markdown/markdown-directive.js');
    const host = document.createElement('div');
    expect(() => render(html`<p>${markdown('x')}</p>`, host)).to.throw(/element directive/);
  });
});
