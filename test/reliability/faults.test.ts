import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent, requestsOf, seedConversation, serverMessages, type TestAgent } from '../helpers/local-server.js';

const inputOf = (el: BookbagChat) => $<HTMLTextAreaElement>(el, '[part="input"]')!;
const keyOf = (agent: TestAgent) => `bookbag-chat:${agent.apiBase}|${agent.agentId}`;

/** Sends and waits until the turn is over (idle or error) and rendered. */
async function sendAndSettle(el: BookbagChat, text: string): Promise<void> {
  await el.send(text);
  await waitUntil(() => el.status === 'idle' || el.status === 'error', `still ${el.status}`, { timeout: 15000 });
  await el.updateComplete;
}

describe('reliability: stream faults', () => {
  for (const dropAfter of [1, 3, 6]) {
    it(`a connection dropped after ${dropAfter} frame(s) keeps the partial reply and offers retry`, async () => {
      const text = 'one two three four five six seven eight';
      const agent = await createAgent({ config: { dropAfter }, replies: [{ text }] });
      const el = await chatFor(agent);
      const events = recordEvents(el);
      await sendAndSettle(el, 'hello');
      expect(el.status).to.equal('error');
      expect(bubbleTexts(el)[0]).to.equal('hello');
      // What arrived before the reset is kept: a prefix of the reply, never more than was sent.
      // (A reset can discard bytes the browser had received but not yet read, so it may be less.)
      const kept = (el.messages[1]?.parts[0] as { text?: string } | undefined)?.text?.trim() ?? '';
      expect(text.startsWith(kept)).to.equal(true);
      expect(kept.split(' ').filter(Boolean).length).to.be.at.most(dropAfter);
      expect(bubbleTexts(el)[1] ?? '').to.equal(kept);
      expect(['NETWORK_ERROR', 'STREAM_INTERRUPTED']).to.include(events.find((e) => e.type === 'bookbag-error')!.detail.code);
      expect($(el, '[part="error"] [part="retry-button"]')).to.exist;
    });
  }

  it('a stalled reply shows it is still working, and stop() ends it', async () => {
    const agent = await createAgent({ config: { stallAfter: 1, stallMs: 5000 }, replies: [{ text: 'first then the rest' }] });
    const el = await chatFor(agent);
    const done = el.send('hi');
    await waitUntil(() => bubbleTexts(el)[1] === 'first', 'no first word', { timeout: 4000 });
    expect(el.status).to.equal('streaming');
    expect($(el, '[part="messages"]')!.getAttribute('aria-busy')).to.equal('true');
    expect($(el, '[part="stop-button"]')).to.exist;
    el.stop();
    await done;
    expect(el.status).to.equal('idle');
    expect(bubbleTexts(el)[1]).to.equal('first');
  });

  it('a malformed frame is reported and the rest of the reply is kept', async () => {
    const agent = await createAgent({ config: { malformedAt: 1 }, replies: [{ text: 'alpha beta gamma' }] });
    const el = await chatFor(agent);
    const error = oneEvent(el, 'bookbag-error');
    await sendAndSettle(el, 'hi');
    expect((await error).detail.code).to.equal('STREAM_ERROR');
    expect(bubbleTexts(el)[1]).to.contain('alpha');
    expect(bubbleTexts(el)[1]).to.contain('gamma');
  });

  it('a body that is not SSE fails clearly and returns the text', async () => {
    const agent = await createAgent({ config: { notSse: true } });
    const el = await chatFor(agent);
    const error = oneEvent(el, 'bookbag-error');
    await sendAndSettle(el, 'keep me');
    expect((await error).detail.code).to.equal('INVALID_RESPONSE');
    expect(inputOf(el).value).to.equal('keep me');
    expect(el.messages).to.have.length(0);
  });

  it('an error frame then finish and [DONE] ends as an error with the partial text', async () => {
    const agent = await createAgent({ config: { errorAfter: 1, finishAfterError: true }, replies: [{ text: 'partial rest' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    await sendAndSettle(el, 'hi');
    expect(el.status).to.equal('error');
    expect(bubbleTexts(el)[1]).to.equal('partial');
    expect(events.filter((e) => e.type === 'bookbag-error').map((e) => e.detail.code)).to.deep.equal(['STREAM_ERROR']);
    expect(events.some((e) => e.type === 'bookbag-message')).to.equal(false);
  });

  it('renders a 2 MB reply completely', async function () {
    this.timeout(60000);
    const agent = await createAgent({ config: { replyBytes: 2_000_000, chunk: 4000 } });
    const el = await chatFor(agent);
    await sendAndSettle(el, 'a very long answer please');
    expect(el.status).to.equal('idle');
    const text = (el.messages[1].parts[0] as { text: string }).text;
    expect(text.length).to.be.greaterThan(1_900_000);
    // The rendered DOM holds all of it (markdown adds no text of its own here).
    const rendered = $(el, '[part~="message-assistant"] .markdown')!.textContent!.replace(/\s+/g, '');
    expect(rendered.length).to.be.greaterThan(text.replace(/[\s#*`>|_-]+/g, '').length * 0.95);
  });
});

describe('reliability: HTTP faults on every endpoint the widget calls', () => {
  afterEach(() => localStorage.clear());

  for (const [status, envelope] of [[500, 'json'], [502, 'html'], [503, 'none'], [401, 'json'], [403, 'text']] as const) {
    it(`restoring history: ${status} (${envelope}) shows an error, never a broken widget`, async () => {
      const agent = await createAgent({ config: { status, envelope, statusOn: ['messages'] } });
      const conversationId = await seedConversation(agent.agentId, { generate: 2 });
      localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'anon_dddddddddddddddddddd' }));
      const el = await chatFor(agent, { storage: 'local' });
      const { detail } = await oneEvent(el, 'bookbag-error');
      await el.updateComplete;
      expect(detail.status).to.equal(status);
      expect($(el, '[part="error"]')).to.exist;
      expect(inputOf(el).disabled).to.equal(false);
    });
  }

  it('a read is retried once (and only once) after a 500', async () => {
    const agent = await createAgent({ config: { status: 500, statusOn: ['messages'] } });
    const conversationId = await seedConversation(agent.agentId, { generate: 2 });
    localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'anon_eeeeeeeeeeeeeeeeeeee' }));
    const el = await chatFor(agent, { storage: 'local' });
    await oneEvent(el, 'bookbag-error');
    const reads = (await requestsOf(agent.agentId)).filter((r) => r.method === 'GET');
    expect(reads).to.have.length(2);
  });

  it('a read that fails once succeeds on the automatic retry', async () => {
    const agent = await createAgent({ config: { status: 503, statusTimes: 1, statusOn: ['messages'] } });
    const conversationId = await seedConversation(agent.agentId, { generate: 2 });
    localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'anon_ffffffffffffffffffff' }));
    const el = await chatFor(agent, { storage: 'local' });
    await waitUntil(() => bubbleTexts(el).length === 2, 'history not shown after the retry', { timeout: 5000 });
    expect($(el, '[part="error"]')).to.equal(null);
  });

  it('a chat request is never repeated automatically', async () => {
    const agent = await createAgent({ config: { status: 500, statusOn: ['chat'] } });
    const el = await chatFor(agent);
    await sendAndSettle(el, 'once');
    // No wait for a repeat that might come later: test/core/http-transport.test.ts shows with
    // fake timers that a write is never repeated, however long one waits.
    expect((await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'))).to.have.length(1);
  });

  it('a failed tool-result post is shown and not repeated', async () => {
    const agent = await createAgent({ config: { status: 500, statusOn: ['tool-result'] }, replies: [{ text: 'Calling.', toolCalls: [{ toolName: 'ping', input: {} }] }] });
    const el = await chatFor(agent);
    el.tools = { ping: () => ({ pong: true }) };
    const error = oneEvent(el, 'bookbag-error');
    await el.send('go');
    expect((await error).detail).to.include({ code: 'INTERNAL_SERVER_ERROR', status: 500 });
    expect((await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/tool-result'))).to.have.length(1);
  });
});

describe('reliability: state faults', () => {
  afterEach(() => localStorage.clear());

  it('removing the element mid-stream aborts the request quietly; re-adding restores it', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 3000 }, replies: [{ text: 'kept words and the rest' }] });
    const el = await chatFor(agent, { storage: 'local' });
    const events = recordEvents(el);
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    void el.send('hello');
    await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial text', { timeout: 4000 });
    const parent = el.parentElement!;
    el.remove();
    // The server saw the client go away: it stopped generating and kept only the partial reply.
    const list = await fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations`, { headers: { Authorization: `Bearer ${agent.workspaceKey}` } });
    const [conversation] = (await list.json()).data;
    let stored: any[] = [];
    await waitUntil(async () => {
      stored = await serverMessages(agent, conversation.id);
      return stored.length === 2 && stored[1].parts[0]?.text?.trim() === 'kept words';
    }, 'server did not record the abort', { timeout: 5000 });
    expect(events.filter((e) => e.type === 'bookbag-error')).to.have.length(0);
    parent.append(el);
    await el.updateComplete;
    await el.send('again');
    await waitUntil(() => el.status === 'idle' || el.status === 'error', 'no reply', { timeout: 10000 });
    window.removeEventListener('error', onError);
    expect(errors).to.have.length(0);
    expect(bubbleTexts(el)).to.include('again');
  });
});

describe('reliability: input abuse', () => {
  it('does not send 8,000+ characters; says why and keeps the text', async () => {
    const agent = await createAgent();
    const el = await chatFor(agent);
    const long = 'x'.repeat(8001);
    const error = oneEvent(el, 'bookbag-error');
    await el.send(long);
    expect((await error).detail.code).to.equal('VALIDATION_INVALID_BODY');
    expect(inputOf(el).value).to.equal(long);
    expect(await requestsOf(agent.agentId)).to.have.length(0);
    expect(inputOf(el).maxLength).to.equal(8000);
  });

  it('sends control characters and bidi overrides verbatim and shows them as text', async () => {
    const agent = await createAgent({ replies: [{ text: 'ok' }] });
    const el = await chatFor(agent);
    const text = 'a\u0007b \u202Eevil\u202C <b>c</b>';
    await el.send(text);
    const [req] = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));
    expect(req.body.message).to.equal(text);
    const bubble = $(el, '[part~="message-user"] [part="bubble"]')!;
    expect(bubble.textContent!.trim()).to.equal(text);
    expect(bubble.querySelector('b')).to.equal(null);
  });

  it('a user-id that fails the pattern logs a clear error and falls back to an anonymous id', async () => {
    const agent = await createAgent({ replies: [{ text: 'ok' }] });
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(' '));
    try {
      const el = await chatFor(agent, { userId: 'not valid!' });
      await el.send('hi');
    } finally {
      console.error = original;
    }
    expect(logged.join('\n')).to.match(/user-id .* does not match/);
    const [req] = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));
    expect(req.body.userId).to.match(/^anon_/);
  });

  it('a non-numeric agent-id gets the server’s 404, shown clearly', async () => {
    const agent = await createAgent();
    const el = await chatFor({ ...agent, agentId: 'abc' });
    const error = oneEvent(el, 'bookbag-error');
    await el.send('hi');
    expect((await error).detail.code).to.equal('RESOURCE_NOT_FOUND');
    expect(inputOf(el).value).to.equal('hi');
  });

  it('an api-base that is not a URL fails with a clear message', async () => {
    const el = await fixture<BookbagChat>(html`<bookbag-chat agent-id="1" api-base="not a url" mode="inline" storage="none"></bookbag-chat>`);
    const error = oneEvent(el, 'bookbag-error');
    await el.send('hi');
    const { detail } = await error;
    expect(detail.code).to.equal('NETWORK_ERROR');
    expect(detail.message).to.contain('not a valid URL');
    expect(inputOf(el).value).to.equal('hi');
  });
});
