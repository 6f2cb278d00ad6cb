import { expect } from '@open-wc/testing';
import { bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent, serverMessages } from '../helpers/local-server.js';
import { cardStates, toolCalls, traffic } from './helpers.js';

const twoCalls = {
  text: 'Doing both.',
  toolCalls: [
    { toolName: 'add_to_cart', input: { item: 'Teapot' } },
    { toolName: 'set_theme', input: { theme: 'dark' } },
  ],
  after: 'Both done.',
};

describe('client tools: several calls in one turn', () => {
  for (const toolResultMode of ['stream', 'json', 'ack'] as const) {
    it(`each call gets its own tool-result; the continuation renders once (${toolResultMode})`, async () => {
      const agent = await createAgent({ config: { toolResultMode }, replies: [twoCalls] });
      const el = await chatFor(agent);
      const events = recordEvents(el);
      // The second handler finishes only after the first has, so the posts' order is not left to chance.
      let firstDone!: () => void;
      const first = new Promise<void>((r) => (firstDone = r));
      el.tools = {
        add_to_cart: ({ item }) => { firstDone(); return { added: item }; },
        set_theme: async ({ theme }) => { await first; return { theme }; },
      };
      await el.send('do both');
      await el.updateComplete;

      const calls = toolCalls(el);
      expect(calls.map((c) => c.toolName)).to.deep.equal(['add_to_cart', 'set_theme']);
      const t = await traffic(agent);
      expect(t.chats).to.have.length(1);
      expect(t.chats.every((r) => typeof r.body.message === 'string' && r.body.message.length > 0)).to.equal(true);
      expect(t.toolResults.map((r) => r.body)).to.deep.equal([
        { toolCallId: calls[0].toolCallId, output: { added: 'Teapot' } },
        { toolCallId: calls[1].toolCallId, output: { theme: 'dark' } },
      ]);
      // Only the last result's acknowledgement makes the widget look for a stored continuation.
      expect(t.reads).to.have.length(toolResultMode === 'ack' ? 1 : 0);
      expect(bubbleTexts(el)).to.deep.equal(['do both', 'Doing both.', 'Both done.']);
      expect(cardStates(el)).to.deep.equal(['done', 'done']);
      expect(el.status).to.equal('idle');
      expect(events.filter((e) => e.type === 'bookbag-tool-result').map((e) => e.detail.toolCallId)).to.deep.equal(calls.map((c) => c.toolCallId));
      // The transcript matches what the server stored.
      const stored = await serverMessages(agent, el.conversationId!);
      expect(stored.map((m: any) => m.id)).to.deep.equal(el.messages.map((m) => m.id));
    });
  }

  it('a handled call and one without a handler: the second waits, then completes the turn', async () => {
    const agent = await createAgent({ replies: [twoCalls] });
    const el = await chatFor(agent);
    el.tools = { add_to_cart: () => ({ ok: true }) };
    await el.send('do both');
    await el.updateComplete;
    const [cart, theme] = toolCalls(el);
    expect(cardStates(el)).to.deep.equal(['done', 'pending']);
    expect(el.status).to.equal('awaiting-tool');
    let t = await traffic(agent);
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId: cart.toolCallId, output: { ok: true } }]);
    expect(bubbleTexts(el)).to.deep.equal(['do both', 'Doing both.']);

    await el.submitToolResult(theme.toolCallId, { theme: 'dark' });
    t = await traffic(agent);
    expect(t.toolResults.map((r) => r.body.toolCallId)).to.deep.equal([cart.toolCallId, theme.toolCallId]);
    expect(t.chats).to.have.length(1);
    expect(t.reads).to.have.length(0);
    expect(cardStates(el)).to.deep.equal(['done', 'done']);
    expect(bubbleTexts(el)).to.deep.equal(['do both', 'Doing both.', 'Both done.']);
    expect(el.status).to.equal('idle');
  });
});
