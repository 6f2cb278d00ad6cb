// The history panel: heading, roving arrow keys, one time style, clearing data asks first.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, $$, chatFor } from '../helpers/chat.js';
import { createAgent, seedConversation } from '../helpers/local-server.js';

const say = (text: string, role = 'user') => ({ role, parts: [{ type: 'text', text }] });
const items = (el: BookbagChat) => $$<HTMLButtonElement>(el, '[part="history-item"]');
const focused = (el: BookbagChat) => el.shadowRoot!.activeElement;

async function openHistory(el: BookbagChat) {
  $(el, '[part="history-button"]')!.click();
  await waitUntil(() => $(el, '[part="history"] :is([part="history-item"], .empty)'), 'history did not load');
  await el.updateComplete;
}

async function withHistory(count: number) {
  const agent = await createAgent();
  for (let i = 1; i <= count; i++) await seedConversation(agent.agentId, { userId: 'reader_2', messages: [say(`Topic ${i}`), say(`Answer ${i}`, 'assistant')] });
  const el = await chatFor(agent, { userId: 'reader_2', storage: 'local' });
  return { agent, el };
}

describe('ux: history panel', () => {
  afterEach(() => localStorage.clear());

  it('has a heading, one Tab stop and arrow keys, one time style, and is accessible', async () => {
    const { el } = await withHistory(3);
    await openHistory(el);
    expect($(el, '[part="history"] h3')!.textContent).to.equal('Conversation history');
    expect(items(el).map((b) => b.tabIndex)).to.deep.equal([0, -1, -1]);
    expect(items(el).map((b) => b.querySelector('small')!.textContent)).to.deep.equal(['just now', 'just now', 'just now']);
    expect(focused(el)).to.equal(items(el)[0]);
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)).to.equal(items(el)[1]);
    await sendKeys({ press: 'End' });
    expect(focused(el)).to.equal(items(el)[2]);
    await sendKeys({ press: 'ArrowDown' }); // stays on the last
    expect(focused(el)).to.equal(items(el)[2]);
    await sendKeys({ press: 'Home' });
    expect(focused(el)).to.equal(items(el)[0]);
    await sendKeys({ press: 'ArrowUp' });
    expect(focused(el)).to.equal(items(el)[0]);
    expect(items(el).map((b) => b.tabIndex)).to.deep.equal([0, -1, -1]);
    await expect(el).to.be.accessible();
  });

  it('"Clear chat data" asks first; Cancel keeps everything, Clear forgets this device', async () => {
    const { agent, el } = await withHistory(1);
    await el.send('keep me');
    const before = el.conversationId;
    // This element's own entry (other test pages share localStorage).
    const key = Object.keys(localStorage).find((k) => k.startsWith('bookbag-chat:') && k.endsWith(`|${agent.agentId}`))!;
    const stored = localStorage.getItem(key);
    expect(stored).to.contain(before!);
    await openHistory(el);
    $(el, '[part="forget-button"]')!.click();
    await el.updateComplete;
    expect($(el, '.confirm-clear p')!.textContent).to.contain('Clear the chat data on this device?');
    expect(focused(el)).to.equal($(el, '.confirm-clear .cancel'));
    expect(el.conversationId).to.equal(before); // nothing happened yet
    await expect(el).to.be.accessible();
    $(el, '.confirm-clear .cancel')!.click();
    await el.updateComplete;
    expect(focused(el)).to.equal($(el, '[part="forget-button"]'));
    expect(el.conversationId).to.equal(before);
    expect(localStorage.getItem(key)).to.equal(stored);
    $(el, '[part="forget-button"]')!.click();
    await el.updateComplete;
    $(el, '[part="forget-confirm-button"]')!.click();
    await waitUntil(() => !$(el, '[part="history"]'), 'history stayed open');
    expect(el.conversationId).to.equal(null);
    expect(el.messages).to.deep.equal([]);
    expect(localStorage.getItem(key) ?? '').not.to.contain(before!);
  });
});
