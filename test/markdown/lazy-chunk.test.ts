// The markdown renderer is a lazily loaded chunk (src/markdown/markdown-directive.ts). This file
// must not load it up front (it does not use helpers.ts's mount): each test file runs in its own
// page, so the first render here happens before the chunk is in.
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { loadMarkdown, markdown, markdownPending } from '../../src/markdown/markdown-directive.js';

describe('markdown renderer chunk', () => {
  it('a reply rendered before the chunk arrives shows no markup as text, then renders in full', async () => {
    const host = document.createElement('section');
    document.body.append(host);
    const draw = (text: string) => render(html`<div class="markdown" ${markdown(text, { complete: true })}></div>`, host);
    draw('**bold** and `code`');
    const box = host.querySelector('.markdown')!;
    // Nothing yet (the chunk is in flight): in particular no literal `**`.
    expect(box.textContent).to.equal('');
    expect(markdownPending()).to.be.instanceOf(Promise);
    // The newest text wins when the chunk arrives.
    draw('**bold** and `code`, then more');
    await markdownPending();
    expect(box.querySelector('strong')?.textContent).to.equal('bold');
    expect(box.querySelector('code')?.textContent).to.equal('code');
    expect(box.textContent).to.equal('bold and code, then more');
    expect(markdownPending()).to.equal(undefined);
    // Loaded: later renders are synchronous.
    draw('_now_');
    expect(box.querySelector('em')?.textContent).to.equal('now');
    await loadMarkdown();
    host.remove();
  });
});
