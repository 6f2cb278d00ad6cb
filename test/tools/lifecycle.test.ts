import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import { cardStates, toolCalls, traffic } from './helpers.js';

const cartTurn = { text: 'Adding it now.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'Blue mug' } }], after: 'Follow-up.' };

/** A handler that never finishes on its own and records its context. */
function hangingHandler() {
  const seen: { signal?: AbortSignal } = {};
  const handler = (_input: unknown, ctx: { signal: AbortSignal }) => {
    seen.signal = ctx.signal;
    return new Promise(() => {});
  };
  return { seen, handler };
}

describe('client tools: reload, stop, reset', () => {
  afterEach(() => localStorage.clear());

  it('after a reload a call still pending on the server shows as pending and can be completed', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const first = await chatFor(agent, { storage: 'local' });
    await first.send('add a mug');
    const { toolCallId } = toolCalls(first)[0];
    const conversationId = first.conversationId;
    first.remove();

    const second = await chatFor(agent, { storage: 'local' });
    const events = recordEvents(second);
    second.tools = { add_to_cart: () => 'must not run again on reload' };
    await waitUntil(() => cardStates(second).length === 1, 'card not restored');
    await second.updateComplete;
    expect(second.conversationId).to.equal(conversationId);
    expect(cardStates(second)).to.deep.equal(['pending']);
    expect(second.status).to.equal('awaiting-tool');
    // Restoring history runs nothing and posts nothing.
    expect(events.filter((e) => e.type === 'bookbag-tool-call')).to.have.length(0);
    expect((await traffic(agent)).toolResults).to.have.length(0);

    await second.submitToolResult(toolCallId, { fromReload: true });
    const t = await traffic(agent);
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId, output: { fromReload: true } }]);
    expect(cardStates(second)).to.deep.equal(['done']);
    expect(bubbleTexts(second)).to.deep.equal(['add a mug', 'Adding it now.', 'Follow-up.']);
    expect(second.status).to.equal('idle');
  });

  it('submitToolResult right after a reload waits for history instead of dropping the result', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const first = await chatFor(agent, { storage: 'local' });
    await first.send('add a mug');
    const { toolCallId } = toolCalls(first)[0];
    first.remove();
    const second = await chatFor(agent, { storage: 'local' });
    // No wait for bookbag-ready: the host may answer as soon as the element exists.
    await second.submitToolResult(toolCallId, 'early');
    expect((await traffic(agent)).toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId, output: 'early' }]);
    expect(cardStates(second)).to.deep.equal(['done']);
    expect(bubbleTexts(second).at(-1)).to.equal('Follow-up.');
  });

  it('stop() aborts a running handler through its signal and posts nothing', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const el = await chatFor(agent);
    const { seen, handler } = hangingHandler();
    el.tools = { add_to_cart: handler };
    const sent = el.send('add a mug');
    await waitUntil(() => seen.signal, 'handler not called');
    await el.updateComplete;
    expect(cardStates(el)).to.deep.equal(['running']);
    expect(el.status).to.equal('awaiting-tool');
    expect(seen.signal!.aborted).to.equal(false);
    el.stop();
    await sent;
    await el.updateComplete;
    expect(seen.signal!.aborted).to.equal(true);
    expect(cardStates(el)).to.deep.equal(['error']);
    expect(toolCalls(el)[0].output).to.deep.equal({ error: 'cancelled' });
    expect(el.status).to.equal('idle');
    const t = await traffic(agent);
    expect(t.toolResults).to.have.length(0);
    expect(t.all).to.have.length(1);
  });

  it('reset() aborts a running handler through its signal and starts a new conversation', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const el = await chatFor(agent);
    const { seen, handler } = hangingHandler();
    el.tools = { add_to_cart: handler };
    const sent = el.send('add a mug');
    await waitUntil(() => seen.signal, 'handler not called');
    const conversation = oneEvent(el, 'bookbag-conversation');
    el.reset();
    await sent;
    await el.updateComplete;
    expect(seen.signal!.aborted).to.equal(true);
    expect((await conversation).detail.conversationId).to.equal(null);
    expect(el.messages).to.deep.equal([]);
    expect(cardStates(el)).to.deep.equal([]);
    expect(el.status).to.equal('idle');
    expect((await traffic(agent)).toolResults).to.have.length(0);
  });

  it('reset() while an approval is pending runs and posts nothing', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const el = await chatFor(agent);
    let ran = false;
    el.tools = { add_to_cart: { confirm: 'Sure?', handler: () => { ran = true; } } };
    const sent = el.send('add a mug');
    await waitUntil(() => el.shadowRoot!.querySelector('[part="tool-allow-button"]'), 'no approval card');
    el.reset();
    await sent;
    expect(ran).to.equal(false);
    expect((await traffic(agent)).toolResults).to.have.length(0);
  });
});
