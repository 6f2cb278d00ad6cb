import { expect } from '@open-wc/testing';
import { afterPendingImages, waitUntil } from '../helpers/wait.js';
import { $$, chatFor } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import { OPTIONS, PAYLOADS, problems } from '../markdown/xss-payloads.js';

/**
 * The markdown XSS corpus, streamed by the local server through the whole widget (transport,
 * session, view, markdown) in odd-sized chunks: no script runs, no handler attribute or unsafe
 * URL appears anywhere in the shadow root, and user messages with the same payloads stay text.
 */
describe('XSS corpus through the full widget', () => {
  const groups: string[][] = [];
  for (let i = 0; i < PAYLOADS.length; i += 12) groups.push(PAYLOADS.slice(i, i + 12));

  it(`renders ${PAYLOADS.length} payloads in assistant replies without executing anything`, async function () {
    this.timeout(60000);
    const agent = await createAgent({ config: { chunk: 7 }, replies: groups.map((g) => ({ text: g.join('\n\n') })) });
    const el = await chatFor(agent);
    el.imageOrigins = OPTIONS.imageOrigins;
    for (const [i] of groups.entries()) {
      await el.send(`group ${i}`);
      await waitUntil(() => el.status === 'idle', `group ${i} did not finish (${el.status})`, { timeout: 10000 });
    }
    await el.updateComplete;
    // A payload's `<img src=x onerror>` would run when its request to this page's server fails.
    // A probe of our own, requested after every reply rendered, fails the same way and later.
    await afterPendingImages();
    expect(window.__xss).to.equal(undefined);
    const replies = $$(el, '[part~="message-assistant"] .markdown');
    expect(replies).to.have.length(groups.length);
    for (const reply of replies) expect(problems(reply)).to.deep.equal([]);
    // Nothing dangerous anywhere in the widget's shadow root either.
    expect(el.shadowRoot!.querySelector('script, iframe, object, embed, svg:not([aria-hidden]), style:not([data-lit])')).to.equal(null);
    for (const node of el.shadowRoot!.querySelectorAll('*')) {
      for (const attr of node.attributes) expect(attr.name.startsWith('on'), `${node.localName}[${attr.name}]`).to.equal(false);
    }
  });

  it('shows the same payloads typed by the visitor as plain text', async function () {
    this.timeout(30000);
    const agent = await createAgent({ replies: [{ text: 'ok' }] });
    const el = await chatFor(agent);
    const text = PAYLOADS.slice(0, 60).join('\n');
    await el.send(text);
    const bubble = $$(el, '[part~="message-user"] [part="bubble"]')[0];
    expect(bubble.textContent!.trim()).to.equal(text.trim());
    expect(bubble.querySelectorAll('*').length).to.equal(1); // only the plain-text span
    expect(window.__xss).to.equal(undefined);
  });
});
