import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import { cardStates, toolCalls, traffic } from './helpers.js';

const checkoutTurn = {
  text: 'Ready to check out.',
  toolCalls: [{ toolName: 'checkout', input: { cart: 'c_1', total: 42.5 } }],
  after: 'Checkout handled.',
};

async function confirmChat(confirm: boolean | string) {
  const agent = await createAgent({ replies: [checkoutTurn] });
  const el = await chatFor(agent);
  const events = recordEvents(el);
  const ran: unknown[] = [];
  el.tools = { checkout: { confirm, handler: (input) => { ran.push(input); return { ordered: true }; } } };
  const sent = el.send('check out please');
  await waitUntil(() => $(el, '[part="tool-allow-button"]'), 'no approval card', { timeout: 5000 });
  await el.updateComplete;
  return { agent, el, events, ran, sent };
}

describe('client tools: approval and cancel', () => {
  it('asks first (question, tool name, input summary), runs nothing, then runs on Allow', async function () {
    // A turn, an axe run and a continuation: more than the default 10 s on a busy machine.
    this.timeout(30000);
    const { agent, el, events, ran, sent } = await confirmChat('Place this order?');
    const card = $(el, '[part="tool-call"]')!;
    expect(card.dataset.state).to.equal('pending');
    expect(card.querySelector('.tool-name')!.textContent).to.equal('checkout');
    expect(card.querySelector('.confirm-question')!.textContent).to.equal('Place this order?');
    // Every field on its own row, in full.
    expect([...card.querySelectorAll('.confirm-input > div')].map((row) => row.textContent)).to.deep.equal(['cart:c_1', 'total:42.5']);
    expect($(el, '[part="tool-deny-button"]')).to.exist;
    expect(el.status).to.equal('awaiting-tool');
    expect(ran).to.have.length(0);
    expect((await traffic(agent)).toolResults).to.have.length(0);
    // The card with its buttons is accessible.
    await expect(el).to.be.accessible();

    $(el, '[part="tool-allow-button"]')!.click();
    await sent;
    await el.updateComplete;
    expect(ran).to.deep.equal([{ cart: 'c_1', total: 42.5 }]);
    const t = await traffic(agent);
    const { toolCallId } = toolCalls(el)[0];
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId, output: { ordered: true } }]);
    expect($(el, '[part="tool-allow-button"]')).to.equal(null);
    expect(cardStates(el)).to.deep.equal(['done']);
    expect(bubbleTexts(el).at(-1)).to.equal('Checkout handled.');
    expect(events.filter((e) => e.type === 'bookbag-error')).to.have.length(0);
  });

  it('confirm: true uses a default question', async () => {
    const { el, sent } = await confirmChat(true);
    expect($(el, '.confirm-question')!.textContent).to.contain('checkout');
    $(el, '[part="tool-allow-button"]')!.click();
    await sent;
  });

  it('Deny posts { error: "denied by the user" }, runs nothing and fires TOOL_FAILED', async () => {
    const { agent, el, events, ran, sent } = await confirmChat('Place this order?');
    $(el, '[part="tool-deny-button"]')!.click();
    await sent;
    await el.updateComplete;
    expect(ran).to.have.length(0);
    const t = await traffic(agent);
    const { toolCallId } = toolCalls(el)[0];
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId, output: { error: 'denied by the user' } }]);
    expect(t.chats).to.have.length(1);
    expect(cardStates(el)).to.deep.equal(['declined']); // a deliberate Deny is not a failure
    expect($(el, '[part="tool-allow-button"]')).to.equal(null);
    expect(events.filter((e) => e.type === 'bookbag-error').map((e) => e.detail.code)).to.deep.equal(['TOOL_FAILED']);
    expect(events.find((e) => e.type === 'bookbag-tool-result')?.detail).to.deep.equal({ toolCallId, toolName: 'checkout', output: { error: 'denied by the user' }, isError: true });
    expect(bubbleTexts(el).at(-1)).to.equal('Checkout handled.');
  });

  it('cancelling bookbag-tool-call skips the handler; the host answers with submitToolResult', async () => {
    const agent = await createAgent({ replies: [checkoutTurn] });
    const el = await chatFor(agent);
    const ran: unknown[] = [];
    el.tools = { checkout: (input) => { ran.push(input); return 'handler ran'; } };
    let detail: any;
    el.addEventListener('bookbag-tool-call', (e) => {
      detail = e.detail;
      e.preventDefault();
    });
    await el.send('check out please');
    await el.updateComplete;
    expect(detail).to.deep.equal({ toolCallId: toolCalls(el)[0].toolCallId, toolName: 'checkout', input: { cart: 'c_1', total: 42.5 } });
    expect(ran).to.have.length(0);
    expect(cardStates(el)).to.deep.equal(['pending']);
    expect(el.status).to.equal('awaiting-tool');
    expect((await traffic(agent)).toolResults).to.have.length(0);

    await el.submitToolResult(detail.toolCallId, { host: 'did it' });
    const t = await traffic(agent);
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId: detail.toolCallId, output: { host: 'did it' } }]);
    expect(ran).to.have.length(0);
    expect(cardStates(el)).to.deep.equal(['done']);
    expect(bubbleTexts(el).at(-1)).to.equal('Checkout handled.');
    expect(el.status).to.equal('idle');
  });
});
