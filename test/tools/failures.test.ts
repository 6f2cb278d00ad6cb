import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import type { ToolEntry } from '../../src/core/tool-runner.js';
import { cardStates, postToolResultDirectly, toolCalls, traffic } from './helpers.js';

const cartTurn = { text: 'Adding it now.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'Blue mug' } }], after: 'Follow-up.' };

/** One turn that calls `add_to_cart` with `entry` as its handler; returns what the server got. */
async function runWith(entry: ToolEntry) {
  const agent = await createAgent({ replies: [cartTurn] });
  const el = await chatFor(agent);
  const events = recordEvents(el);
  el.tools = { add_to_cart: entry };
  await el.send('add a mug');
  await el.updateComplete;
  const t = await traffic(agent);
  return { agent, el, events, t };
}

describe('client tools: failures', () => {
  it('a throwing handler posts { error } and fires bookbag-error TOOL_FAILED; the agent still continues', async () => {
    const { el, events, t } = await runWith(() => {
      throw new Error('out of stock');
    });
    expect(t.toolResults).to.have.length(1);
    const { toolCallId } = toolCalls(el)[0];
    expect(t.toolResults[0].body).to.deep.equal({ toolCallId, output: { error: 'out of stock' } });
    const errors = events.filter((e) => e.type === 'bookbag-error');
    expect(errors).to.have.length(1);
    expect(errors[0].detail).to.include({ code: 'TOOL_FAILED', retryable: false });
    expect(errors[0].detail.message).to.contain('out of stock');
    expect(events.find((e) => e.type === 'bookbag-tool-result')?.detail).to.deep.equal({ toolCallId, toolName: 'add_to_cart', output: { error: 'out of stock' }, isError: true });
    expect(cardStates(el)).to.deep.equal(['error']);
    expect(bubbleTexts(el).at(-1)).to.equal('Follow-up.');
    expect(el.status).to.equal('idle');
    // A tool failure is the agent's to explain, not a transcript error.
    expect($(el, '[part="error"]')).to.equal(null);
  });

  it('a rejected promise with a non-Error value is reported too', async () => {
    const { el, t } = await runWith(() => Promise.reject('nope'));
    expect(t.toolResults[0].body).to.deep.equal({ toolCallId: toolCalls(el)[0].toolCallId, output: { error: 'nope' } });
  });

  it('a handler hanging past timeoutMs posts { error } (TOOL_FAILED) and its signal aborts', async () => {
    let signal: AbortSignal | undefined;
    const { el, events, t } = await runWith({
      timeoutMs: 200,
      handler: (_input, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
    });
    expect(t.toolResults).to.have.length(1);
    expect(t.toolResults[0].body).to.deep.equal({ toolCallId: toolCalls(el)[0].toolCallId, output: { error: 'timed out after 200 ms' } });
    expect(Object.keys(t.toolResults[0].body)).to.deep.equal(['toolCallId', 'output']);
    expect(signal?.aborted).to.equal(true);
    expect(events.filter((e) => e.type === 'bookbag-error').map((e) => e.detail.code)).to.deep.equal(['TOOL_FAILED']);
    expect(cardStates(el)).to.deep.equal(['error']);
    expect(bubbleTexts(el).at(-1)).to.equal('Follow-up.');
  });

  it('a handler returning undefined posts output: null', async () => {
    const { el, events, t } = await runWith(() => undefined);
    expect(t.toolResults).to.have.length(1);
    expect(t.toolResults[0].body).to.deep.equal({ toolCallId: toolCalls(el)[0].toolCallId, output: null });
    expect(events.find((e) => e.type === 'bookbag-tool-result')?.detail.output).to.equal(null);
    expect(cardStates(el)).to.deep.equal(['done']);
  });

  it('an async handler resolving to a value posts that value as plain JSON', async () => {
    const { t } = await runWith(async () => ({ when: new Date(0), list: [1, 'two'], skip: undefined }));
    expect(t.toolResults[0].body.output).to.deep.equal({ when: '1970-01-01T00:00:00.000Z', list: [1, 'two'] });
  });

  for (const [name, make] of [
    ['a BigInt', () => ({ n: 10n })],
    ['a circular object', () => { const o: any = { a: 1 }; o.self = o; return o; }],
    ['a function', () => () => 1],
  ] as const) {
    it(`a handler returning ${name} posts an error output (not JSON)`, async () => {
      const { el, events, t } = await runWith(make);
      expect(t.toolResults).to.have.length(1);
      const body = t.toolResults[0].body;
      expect(Object.keys(body)).to.deep.equal(['toolCallId', 'output']);
      expect(body.toolCallId).to.equal(toolCalls(el)[0].toolCallId);
      expect(Object.keys(body.output)).to.deep.equal(['error']);
      expect(body.output.error).to.match(/not JSON/);
      expect(events.filter((e) => e.type === 'bookbag-error').map((e) => e.detail.code)).to.deep.equal(['TOOL_FAILED']);
      expect(cardStates(el)).to.deep.equal(['error']);
    });
  }

  it('a tool with no handler waits (pending, nothing posted) until submitToolResult', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    el.tools = { some_other_tool: () => 1 };
    await el.send('add a mug');
    await el.updateComplete;
    expect(el.status).to.equal('awaiting-tool');
    expect(cardStates(el)).to.deep.equal(['pending']);
    expect($(el, '[part="tool-call"] .tool-state')!.textContent).to.equal('Waiting');
    let t = await traffic(agent);
    expect(t.toolResults).to.have.length(0);
    expect(t.all).to.have.length(1);
    expect(events.filter((e) => e.type === 'bookbag-tool-call')).to.have.length(1);
    expect(events.filter((e) => e.type === 'bookbag-tool-result')).to.have.length(0);

    const { toolCallId } = toolCalls(el)[0];
    await el.submitToolResult(toolCallId, { added: 1 });
    t = await traffic(agent);
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId, output: { added: 1 } }]);
    expect(t.chats).to.have.length(1);
    expect(cardStates(el)).to.deep.equal(['done']);
    expect(bubbleTexts(el).at(-1)).to.equal('Follow-up.');
    expect(el.status).to.equal('idle');
    expect(events.filter((e) => e.type === 'bookbag-tool-result').map((e) => e.detail)).to.deep.equal([{ toolCallId, toolName: 'add_to_cart', output: { added: 1 }, isError: false }]);
    // Answered: a second submit is a no-op.
    await el.submitToolResult(toolCallId, { added: 2 });
    expect((await traffic(agent)).toolResults).to.have.length(1);
  });

  it('submitToolResult(id, undefined) posts output: null', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const el = await chatFor(agent);
    await el.send('add a mug');
    const { toolCallId } = toolCalls(el)[0];
    await el.submitToolResult(toolCallId, undefined);
    expect((await traffic(agent)).toolResults.map((r) => r.body)).to.deep.equal([{ toolCallId, output: null }]);
  });

  it('404 RESOURCE_TOOL_CALL_NOT_FOUND marks the call expired, once, with no retry loop', async () => {
    const agent = await createAgent({ replies: [cartTurn] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    await el.send('add a mug');
    const { toolCallId } = toolCalls(el)[0];
    // Someone else answered it first: the server no longer has it pending.
    const direct = await postToolResultDirectly(agent, el.conversationId!, toolCallId, { elsewhere: true });
    expect(direct.status).to.equal(200);
    await el.submitToolResult(toolCallId, { added: 1 });
    await el.updateComplete;
    const t = await traffic(agent);
    expect(t.toolResults).to.have.length(2); // the direct one and the widget's single attempt
    expect(t.toolResults[1].body).to.deep.equal({ toolCallId, output: { added: 1 } });
    expect(toolCalls(el)[0]).to.deep.include({ state: 'error', output: { error: 'expired' } });
    expect(cardStates(el)).to.deep.equal(['error']);
    expect(el.status).to.equal('idle');
    expect($(el, '[part="error"]')).to.equal(null);
    expect(events.filter((e) => e.type === 'bookbag-error')).to.have.length(0);
    // Nothing more is sent for it, now or when asked again.
    await el.submitToolResult(toolCallId, { added: 1 });
    // The widget's next request is a new message: nothing for the expired call came before it.
    await el.send('anything else?');
    const later = (await traffic(agent)).all.slice(t.all.length);
    expect(later.map((r) => `${r.method} ${r.path.split('/').pop()}`)).to.deep.equal(['POST chat']);
    expect((await traffic(agent)).chats.every((r) => typeof r.body.message === 'string')).to.equal(true);
  });

  it('a handler that fails with a run-time error in the ack path still settles to idle', async () => {
    const agent = await createAgent({ config: { toolResultMode: 'ack' }, replies: [cartTurn] });
    const el = await chatFor(agent);
    el.tools = { add_to_cart: () => { throw new TypeError(''); } };
    await el.send('add');
    await waitUntil(() => el.status === 'idle', 'not idle');
    const t = await traffic(agent);
    expect(t.toolResults[0].body.output).to.deep.equal({ error: 'TypeError' });
    expect(t.chats).to.have.length(1);
  });
});
