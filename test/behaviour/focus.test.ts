// Every action keeps keyboard focus inside the panel: the button that did the job often leaves
// the DOM (Send becomes Stop, Retry, Allow/Deny, a suggestion), and focus must not fall to
// <body>, where Escape no longer closes the panel.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, bubbleTexts, chatFor, typeAndSend } from '../helpers/chat.js';
import { configureAgent, createAgent } from '../helpers/local-server.js';

/** The element focused inside the widget, or null when focus left it. */
const focusedIn = (el: BookbagChat) => el.shadowRoot!.activeElement;
const inPanel = (el: BookbagChat) => !!focusedIn(el)?.closest('[part="panel"]');

/** Focuses and clicks, as a pointer or keyboard activation does. */
function press(button: HTMLElement | null) {
  expect(button, 'button to press').to.exist;
  button!.focus();
  button!.click();
}

describe('focus stays inside the panel after every action', () => {
  it('send and stop', async () => {
    const agent = await createAgent({ config: { stallAfter: 1, stallMs: 8000 }, replies: [{ text: 'a long stalled reply' }] });
    const el = await chatFor(agent);
    await typeAndSend(el, 'hello');
    const input = $<HTMLTextAreaElement>(el, '[part="input"]')!;
    input.value = 'x';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await waitUntil(() => $(el, '[part="stop-button"]'), 'no stop button');
    press($(el, '[part="stop-button"]'));
    await waitUntil(() => el.status === 'idle', 'did not stop');
    await el.updateComplete;
    expect(inPanel(el), 'after stop').to.equal(true);
  });

  it('send by clicking the send button', async () => {
    const agent = await createAgent({ replies: [{ text: 'ok' }] });
    const el = await chatFor(agent);
    const input = $<HTMLTextAreaElement>(el, '[part="input"]')!;
    input.value = 'clicked send';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    press($(el, '[part="send-button"]'));
    await waitUntil(() => bubbleTexts(el).includes('ok') && el.status === 'idle', 'no reply');
    await el.updateComplete;
    expect(inPanel(el)).to.equal(true);
  });

  it('a suggestion', async () => {
    const agent = await createAgent({ replies: [{ text: 'suggested reply' }] });
    const el = await chatFor(agent);
    el.suggestions = ['Track my order'];
    await el.updateComplete;
    press($(el, '[part="suggestion"]'));
    await waitUntil(() => bubbleTexts(el).includes('suggested reply') && el.status === 'idle', 'no reply');
    await el.updateComplete;
    expect(inPanel(el)).to.equal(true);
  });

  it('retry on the error notice', async () => {
    const agent = await createAgent({ config: { omitDone: true }, replies: [{ text: 'cut short' }] });
    const el = await chatFor(agent);
    await el.send('please');
    await el.updateComplete;
    await configureAgent(agent.agentId, { config: {}, replies: [{ text: 'complete' }] });
    press($(el, '[part="error"] [part="retry-button"]'));
    await waitUntil(() => bubbleTexts(el).includes('complete') && el.status === 'idle', 'retry did not complete');
    await el.updateComplete;
    expect(inPanel(el)).to.equal(true);
  });

  for (const answer of ['allow', 'deny'] as const) {
    it(`${answer} on a tool that asks first`, async () => {
      const agent = await createAgent({ replies: [{ text: 'Checking out.', toolCalls: [{ toolName: 'checkout', input: {} }], after: 'Done.' }] });
      const el = await chatFor(agent);
      el.tools = { checkout: { confirm: 'Go?', handler: () => ({ ok: true }) } };
      const sent = el.send('buy');
      await waitUntil(() => $(el, `[part="tool-${answer}-button"]`), 'no approval card');
      press($(el, `[part="tool-${answer}-button"]`));
      await sent;
      await el.updateComplete;
      expect(inPanel(el)).to.equal(true);
    });
  }

  it('new conversation, then Escape still closes the launcher panel', async () => {
    const agent = await createAgent({ replies: [{ text: 'hi' }] });
    const el = await chatFor(agent, { mode: 'launcher' });
    el.show();
    await el.send('hello');
    press($(el, '[part="new-button"]'));
    await el.updateComplete;
    expect(inPanel(el)).to.equal(true);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('history: open the list, pick nothing, close it', async () => {
    const agent = await createAgent({ replies: [{ text: 'hi' }] });
    const el = await chatFor(agent);
    await el.send('hello');
    press($(el, '[part="history-button"]'));
    await waitUntil(() => $(el, '[part="history"] [part="history-item"]'), 'no list');
    await el.updateComplete;
    expect(inPanel(el), 'in the list').to.equal(true);
    press($(el, '[part="back-button"]'));
    await el.updateComplete;
    await waitUntil(() => !$(el, '[part="history"]'), 'list still open');
    expect(inPanel(el), 'back in the transcript').to.equal(true);
  });
});
