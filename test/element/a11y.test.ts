import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, bubbleTexts, chatFor } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';

describe('<bookbag-chat> accessibility (axe)', () => {
  it('is accessible closed (launcher)', async () => {
    const el = await chatFor(await createAgent(), { mode: 'launcher' });
    await expect(el).to.be.accessible();
    expect($(el, '[part="launcher"]')!.getAttribute('aria-expanded')).to.equal('false');
  });

  it('is accessible open, and the panel is a labelled dialog', async () => {
    const el = await chatFor(await createAgent(), { mode: 'launcher' });
    el.show();
    await el.updateComplete;
    const panel = $(el, '[part="panel"]')!;
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.getAttribute('aria-labelledby')).to.equal('heading');
    await expect(el).to.be.accessible();
  });

  it('is accessible while streaming, with the log busy', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 2000 }, replies: [{ text: 'streaming words here' }] });
    const el = await chatFor(agent);
    const done = el.send('hi');
    await waitUntil(() => bubbleTexts(el)[1] === 'streaming words', 'no partial text', { timeout: 4000 });
    expect($(el, '[part="messages"]')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    el.stop();
    await done;
  });

  it('is accessible in the error state, with the error as an alert', async () => {
    const el = await chatFor(await createAgent({ config: { status: 500 } }));
    const error = oneEvent(el, 'bookbag-error');
    await el.send('hi');
    await error;
    await el.updateComplete;
    expect($(el, '[part="error"]')!.getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });
});
