// The behaviours of issue #16, shown on the core alone (scripted transport, no DOM): stop at any
// moment, one turn in flight, retry that never loses what was shown, a lost conversation, and
// side-request failures that stay notices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatController } from '../../src/core/chat-controller.ts';
import { BookbagError, messageText, type Message } from '../../src/protocol/index.ts';
import { ScriptedTransport, gate, page, reply } from './scripted-transport.ts';

function setup(transport: ScriptedTransport, conversationId?: string) {
  let stored: string | undefined = conversationId;
  const chat = new ChatController({
    transport,
    userId: 'u_1',
    store: { load: () => ({ conversationId: stored }), update: (p) => { if ('conversationId' in p) stored = p.conversationId; } },
  });
  const events: { type: string; detail: any }[] = [];
  for (const type of ['bookbag-error', 'bookbag-message', 'bookbag-conversation', 'bookbag-stream-start', 'return-text']) {
    chat.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  }
  const statuses: string[] = [];
  chat.subscribe(() => { if (statuses.at(-1) !== chat.status) statuses.push(chat.status); });
  return { chat, events, statuses, stored: () => stored };
}
const texts = (chat: ChatController) => chat.getState().messages.map((m: Message) => messageText(m));
const down = () => new BookbagError('NETWORK_ERROR', 'Could not reach the chat service.');
const lost = () => new BookbagError('RESOURCE_NOT_FOUND', 'Conversation not found', { status: 404 });
const stored = (id: string, role: 'user' | 'assistant', text: string) => ({ id, role, parts: [{ type: 'text', text }], createdAt: 1 });

describe('stop at any moment', () => {
  const moments: [string, (t: ScriptedTransport) => void, string[]][] = [
    ['before the first byte', (t) => t.then_('chat', { gate: new Promise(() => {}), frames: reply('never') }), ['hi']],
    ['mid-stream', (t) => t.then_('chat', { frames: [{ type: 'text-delta', text: 'Part' }, ...reply(' rest')], hangAt: 1 }), ['hi', 'Part']],
  ];
  for (const [moment, script, shown] of moments) {
    it(`${moment}: no error event, what arrived stays, the turn can be retried`, async () => {
      const t = new ScriptedTransport();
      script(t);
      const { chat, events } = setup(t);
      const sent = chat.send('hi');
      // Wait until the request is out (and, mid-stream, the partial text is shown).
      while (texts(chat).join('|') !== shown.join('|') || t.count('chat') === 0) await new Promise((r) => setImmediate(r));
      chat.stop();
      await sent;
      assert.equal(chat.status, 'idle');
      assert.deepEqual(texts(chat), shown);
      assert.deepEqual(events.filter((e) => e.type === 'bookbag-error' || e.type === 'bookbag-message'), []);
      assert.ok(chat.getState().failedTurn, 'the stopped turn can be repeated');
      if (shown.length > 1) assert.equal(chat.getState().stoppedMessageId, chat.getState().messages[1].id, 'the reply is marked as stopped');
      // Retry repeats it: the server kept nothing, so the text goes again and completes.
      t.then_('chat', reply('Complete.'));
      await chat.retry();
      assert.deepEqual(texts(chat), ['hi', 'Complete.']);
      assert.equal(chat.getState().stoppedMessageId, undefined);
      assert.equal(t.count('chat'), 2);
    });
  }
  it('stop while a tool waits for the visitor answers no and posts nothing', async () => {
    const t = new ScriptedTransport({ chat: [[{ type: 'tool-call', toolCallId: 'c1', toolName: 'ask', input: {} }, { type: 'finish', finishReason: 'tool-calls', metadata: { messageId: 'msg_2', conversationId: '7' } }, { type: 'done' }]] });
    const chat = new ChatController({ transport: t, userId: 'u', tools: () => ({ ask: { handler: () => 'yes', confirm: true } }) });
    const sent = chat.send('go');
    while (!chat.getState().confirmations.length) await new Promise((r) => setImmediate(r));
    chat.stop();
    await sent;
    assert.equal(t.count('toolResult'), 0);
    assert.deepEqual(chat.getState().confirmations, []);
  });
});

describe('at most one turn in flight', () => {
  it('a side request failing mid-stream is a notice: status stays streaming and a second send does nothing', async () => {
    const g = gate();
    const t = new ScriptedTransport({ chat: [{ frames: [{ type: 'text-delta', text: 'a' }, ...reply('b')], hangAt: 1 }], userConversations: [down()] });
    const { chat, events } = setup(t, undefined);
    const first = chat.send('one');
    while (chat.status !== 'streaming') await new Promise((r) => setImmediate(r));
    await chat.loadHistory(true);
    assert.equal(chat.status, 'streaming');
    assert.equal(chat.getState().notice?.code, 'NETWORK_ERROR');
    assert.equal(events.filter((e) => e.type === 'bookbag-error').length, 1);
    await chat.send('two');
    assert.equal(t.count('chat'), 1, 'no second chat request while one is in flight');
    chat.stop();
    await first;
    g.open();
  });
  it('feedback failing during a turn rolls back and leaves the turn alone', async () => {
    const t = new ScriptedTransport({ chat: [reply('Sure.'), { frames: reply('More'), hangAt: 0 }], feedback: [down()] });
    const { chat } = setup(t);
    await chat.send('one');
    const second = chat.send('two');
    while (chat.status !== 'streaming') await new Promise((r) => setImmediate(r));
    await chat.setFeedback('msg_2', 'positive');
    assert.equal(chat.getState().messages.find((m) => m.id === 'msg_2')?.feedback, null);
    assert.equal(chat.status, 'streaming');
    chat.stop();
    await second;
  });
});

describe('retry never removes what was shown', () => {
  it('a failed retry during an outage keeps the question and the partial reply; retry completes when the server is back', async () => {
    const t = new ScriptedTransport({
      chat: [{ frames: [{ type: 'text-delta', text: 'Half an ans' }], breakAt: { at: 1, error: new BookbagError('STREAM_INTERRUPTED', 'cut', { retryable: true }) } }],
    });
    const { chat, events } = setup(t);
    await chat.send('question?');
    assert.equal(chat.status, 'error');
    const shown = texts(chat);
    assert.deepEqual(shown, ['question?', 'Half an ans']);
    // Outage: the history lookup and the resend both fail.
    t.then_('messages', down(), down()).then_('chat', down(), down());
    await chat.retry();
    assert.deepEqual(texts(chat), shown, 'first failed retry');
    assert.equal(chat.status, 'error');
    assert.ok(chat.canRetryTurn, 'the error offers retry again');
    await chat.retry();
    assert.deepEqual(texts(chat), shown, 'second failed retry');
    // Back: retry completes the reply.
    t.then_('chat', reply('A whole answer.'));
    await chat.retry();
    assert.deepEqual(texts(chat), ['question?', 'A whole answer.']);
    assert.equal(chat.status, 'idle');
    assert.equal(events.filter((e) => e.type === 'bookbag-message').length, 1);
  });
  it('regenerating a finished reply that fails restores the transcript', async () => {
    const t = new ScriptedTransport({ chat: [reply('First.')], retry: [down()] });
    const { chat } = setup(t);
    await chat.send('hi');
    await chat.retry('msg_2');
    assert.deepEqual(texts(chat), ['hi', 'First.']);
    assert.equal(chat.status, 'error');
    assert.ok(chat.canRetryTurn);
  });
});

describe('a conversation the server no longer has', () => {
  const cases: [string, (chat: ChatController, t: ScriptedTransport) => Promise<void>, string[]][] = [
    ['chat', async (chat, t) => { t.then_('chat', lost()); await chat.send('still there?'); }, ['still there?']],
    ['retry', async (chat, t) => { t.then_('retry', lost()); await chat.retry('msg_5'); }, ['q']],
    ['restore', async (chat) => { await chat.restore(); }, []],
  ];
  for (const [where, act, returnedText] of cases) {
    it(`404 on ${where}: a new conversation, the visitor's text kept, said once`, async () => {
      const t = new ScriptedTransport({ messages: [where === 'restore' ? lost() : page([stored('msg_4', 'user', 'q'), stored('msg_5', 'assistant', 'a')])] });
      const { chat, events, stored: kept } = setup(t, '41');
      if (where !== 'restore') await chat.restore();
      await act(chat, t);
      assert.equal(chat.getState().conversationId, null);
      assert.equal(kept(), undefined, 'storage forgets it');
      assert.deepEqual(chat.getState().messages, []);
      assert.equal(chat.status, 'idle');
      assert.deepEqual(events.filter((e) => e.type === 'bookbag-conversation').map((e) => e.detail.conversationId), [null]);
      const returned = events.filter((e) => e.type === 'return-text').map((e) => e.detail.text);
      assert.deepEqual(returned, returnedText);
      assert.ok(events.filter((e) => e.type === 'bookbag-error').length <= 1, 'said at most once');
      // The next message starts a new conversation (no conversationId).
      t.then_('chat', reply('Hello again.', { conversationId: '42' }));
      await chat.send('still there?');
      const last = t.calls.filter((c) => c.kind === 'chat').at(-1)!.args[0] as { conversationId?: string };
      assert.equal(last.conversationId, undefined);
      assert.equal(chat.getState().conversationId, '42');
    });
  }
  it('404 on tool-result starts a new conversation', async () => {
    const t = new ScriptedTransport({
      chat: [[{ type: 'tool-call', toolCallId: 'c1', toolName: 'x', input: {} }, { type: 'finish', finishReason: 'tool-calls', metadata: { messageId: 'msg_2', conversationId: '9' } }, { type: 'done' }]],
      toolResult: [lost()],
    });
    const chat = new ChatController({ transport: t, userId: 'u', tools: () => ({ x: () => 1 }) });
    await chat.send('go');
    assert.equal(chat.getState().conversationId, null);
    assert.equal(chat.status, 'idle');
  });
});

describe('cross-tab following writes nothing and loads once', () => {
  it('followConversation shows the other tab\'s conversation without touching storage', async () => {
    const t = new ScriptedTransport({ messages: [page([stored('msg_1', 'user', 'from the other tab')])] });
    let writes = 0;
    const chat = new ChatController({ transport: t, userId: 'u', store: { load: () => ({}), update: () => void writes++ } });
    await chat.followConversation('77');
    await chat.followConversation('77');
    assert.equal(writes, 0);
    assert.equal(t.count('messages'), 1);
    assert.deepEqual(texts(chat), ['from the other tab']);
  });
  it('refresh appends new messages only when idle', async () => {
    const t = new ScriptedTransport({ messages: [page([stored('msg_1', 'user', 'a')]), page([stored('msg_1', 'user', 'a'), stored('msg_2', 'assistant', 'b')])] });
    const chat = new ChatController({ transport: t, userId: 'u', store: { load: () => ({ conversationId: '5' }), update: () => {} } });
    await chat.restore();
    await chat.refresh();
    assert.deepEqual(texts(chat), ['a', 'b']);
  });
});
