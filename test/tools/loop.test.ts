import { expect } from '@open-wc/testing';
import { bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import { cardStates, toolCalls, traffic } from './helpers.js';

// Every way a call can arrive (spec §8.3) × every way the continuation can come back.
const ARRIVALS = ['tool-call', 'tool-input-available', 'none'] as const;
const CONTINUATIONS = ['stream', 'json', 'ack'] as const;

describe('client tools: the loop', () => {
  for (const toolFrame of ARRIVALS) {
    for (const toolResultMode of CONTINUATIONS) {
      it(`arrival ${toolFrame} × continuation ${toolResultMode}`, async () => {
        const agent = await createAgent({
          config: { toolFrame, toolResultMode },
          replies: [{ text: 'Adding it now.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'Blue mug', quantity: 2 } }], after: 'Done — 2 mugs in your cart.' }],
        });
        const el = await chatFor(agent);
        const events = recordEvents(el);
        const seen: { input: unknown; ctx: any }[] = [];
        el.tools = {
          add_to_cart: (input, ctx) => {
            seen.push({ input, ctx });
            return { ok: true, cartCount: 2 };
          },
        };
        await el.send('Add two blue mugs');
        await el.updateComplete;

        // The handler ran once, with the agent's input and the documented context.
        expect(seen).to.have.length(1);
        const [{ input, ctx }] = seen;
        expect(input).to.deep.equal({ item: 'Blue mug', quantity: 2 });
        expect(Object.keys(ctx).sort()).to.deep.equal(['conversationId', 'signal', 'toolCallId', 'toolName']);
        expect(ctx.toolName).to.equal('add_to_cart');
        expect(ctx.toolCallId).to.match(/^call_\d+$/);
        expect(ctx.conversationId).to.equal(el.conversationId);
        expect(ctx.signal).to.be.instanceOf(AbortSignal);
        expect(ctx.signal.aborted).to.equal(false);

        // What the server received.
        const t = await traffic(agent);
        expect(t.chats).to.have.length(1);
        expect(t.chats[0].body.message).to.equal('Add two blue mugs');
        expect(t.toolResults).to.have.length(1);
        expect(t.toolResults[0].path).to.equal(`/api/v2/agents/${agent.agentId}/conversations/${el.conversationId}/tool-result`);
        expect(t.toolResults[0].body).to.deep.equal({ toolCallId: ctx.toolCallId, output: { ok: true, cartCount: 2 } });
        // Only the message-less fallback reads history to find the call; ack reads it for the continuation.
        const expectedReads = (toolFrame === 'none' ? 1 : 0) + (toolResultMode === 'ack' ? 1 : 0);
        expect(t.reads).to.have.length(expectedReads);
        expect(t.all).to.have.length(2 + expectedReads);

        // What the visitor sees: the call done, then the agent's continuation, once.
        expect(bubbleTexts(el)).to.deep.equal(['Add two blue mugs', 'Adding it now.', 'Done — 2 mugs in your cart.']);
        expect(cardStates(el)).to.deep.equal(['done']);
        expect(toolCalls(el)[0]).to.deep.include({ toolCallId: ctx.toolCallId, state: 'done', output: { ok: true, cartCount: 2 } });
        expect(el.status).to.equal('idle');

        // Events.
        const calls = events.filter((e) => e.type === 'bookbag-tool-call');
        expect(calls.map((e) => e.detail)).to.deep.equal([{ toolCallId: ctx.toolCallId, toolName: 'add_to_cart', input: { item: 'Blue mug', quantity: 2 } }]);
        const results = events.filter((e) => e.type === 'bookbag-tool-result');
        expect(results.map((e) => e.detail)).to.deep.equal([{ toolCallId: ctx.toolCallId, toolName: 'add_to_cart', output: { ok: true, cartCount: 2 }, isError: false }]);
        expect(events.filter((e) => e.type === 'bookbag-error')).to.have.length(0);
        // A finished message each for the call turn and (when it came back as one) the continuation.
        expect(events.filter((e) => e.type === 'bookbag-message')).to.have.length(toolResultMode === 'ack' ? 1 : 2);
      });
    }
  }

  it('the message-less fallback takes the calls of the assistant message that finished', async () => {
    const agent = await createAgent({
      config: { toolFrame: 'none' },
      replies: [
        { text: 'Checking.', toolCalls: [{ toolName: 'get_page_title', input: {} }], after: 'Got it.' },
        { text: 'Again.', toolCalls: [{ toolName: 'get_page_title', input: { again: true } }], after: 'Got it again.' },
      ],
    });
    const el = await chatFor(agent);
    const inputs: unknown[] = [];
    el.tools = { get_page_title: (input) => { inputs.push(input); return { title: 'T' }; } };
    await el.send('title?');
    await el.send('title again?');
    expect(inputs).to.deep.equal([{}, { again: true }]);
    const t = await traffic(agent);
    expect(t.toolResults.map((r) => r.body.output)).to.deep.equal([{ title: 'T' }, { title: 'T' }]);
    expect(new Set(t.toolResults.map((r) => r.body.toolCallId)).size).to.equal(2);
    expect(bubbleTexts(el)).to.deep.equal(['title?', 'Checking.', 'Got it.', 'title again?', 'Again.', 'Got it again.']);
  });
});
