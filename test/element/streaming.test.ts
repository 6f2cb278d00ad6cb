import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, $$, bubbleTexts, chatFor, recordEvents, typeAndSend } from '../helpers/chat.js';
import { configureAgent, createAgent, requestsOf } from '../helpers/local-server.js';

const chatRequests = async (agentId: string) => (await requestsOf(agentId)).filter((r) => r.path.endsWith('/chat'));

describe('<bookbag-chat> streaming', () => {
  it('streams a reply as frames arrive and finishes with server ids', async () => {
    // The stream pauses after three frames, so the partial text is on screen whatever the load.
    const agent = await createAgent({ config: { pace: 5, stallAfter: 3, stallMs: 1500 }, replies: [{ text: 'One two three four five six seven eight nine ten' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    void typeAndSend(el, 'Count for me');
    await oneEvent(el, 'bookbag-stream-start');
    // Partial text is on screen before the reply is complete.
    await waitUntil(() => (bubbleTexts(el)[1] ?? '').length > 0, 'no partial text');
    const partial = bubbleTexts(el)[1];
    expect(partial.length).to.be.lessThan('One two three four five six seven eight nine ten'.length);
    expect('One two three four five six seven eight nine ten'.startsWith(partial)).to.equal(true);
    const { detail } = await oneEvent(el, 'bookbag-message');
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['Count for me', 'One two three four five six seven eight nine ten']);
    expect(detail.message.id).to.match(/^msg_\d+$/);
    expect(el.conversationId).to.match(/^\d+$/);
    expect(el.messages[0].id).to.match(/^msg_\d+$/);
    expect(el.status).to.equal('idle');
    expect(events.filter((e) => e.type === 'bookbag-message')).to.have.length(1);
    expect(events.find((e) => e.type === 'bookbag-conversation')?.detail.conversationId).to.equal(el.conversationId);
    const [req] = await chatRequests(agent.agentId);
    expect(req.body.message).to.equal('Count for me');
    expect(req.body.userId).to.match(/^anon_[a-z0-9]{20}$/);
    expect(req.body).not.to.have.property('conversationId');
    expect(req.headers.authorization).to.equal(`Bearer ${agent.workspaceKey}`);
  });

  it('keeps the reply\'s DOM when the server names it at the end (the markdown is not rebuilt)', async () => {
    const agent = await createAgent({ config: { pace: 5, stallAfter: 3, stallMs: 1500 }, replies: [{ text: '## Title\n\nOne **two** three four five six seven eight.' }] });
    const el = await chatFor(agent);
    void typeAndSend(el, 'Go');
    await oneEvent(el, 'bookbag-stream-start');
    await waitUntil(() => !!$(el, '.message.assistant .markdown h2'), 'no heading while streaming');
    const markdownBox = $(el, '.message.assistant .markdown');
    const heading = $(el, '.message.assistant .markdown h2');
    expect(el.messages[1].id).to.match(/^local_/);
    await oneEvent(el, 'bookbag-message');
    await el.updateComplete;
    expect(el.messages[1].id).to.match(/^msg_\d+$/);
    expect($(el, '.message.assistant .markdown')).to.equal(markdownBox);
    expect($(el, '.message.assistant .markdown h2')).to.equal(heading);
    expect($(el, '.message.assistant')!.getAttribute('data-id')).to.equal(el.messages[1].id);
  });

  it('continues the conversation with its id as a JSON number and keeps the userId', async () => {
    const agent = await createAgent({ replies: [{ text: 'First.' }, { text: 'Second.' }] });
    const el = await chatFor(agent, { userId: 'user_8821' });
    await el.send('one');
    await el.send('two');
    const [a, b] = await chatRequests(agent.agentId);
    expect(a.body.userId).to.equal('user_8821');
    expect(b.body.userId).to.equal('user_8821');
    expect(b.body.conversationId).to.equal(Number(el.conversationId));
    expect(bubbleTexts(el)).to.deep.equal(['one', 'First.', 'two', 'Second.']);
  });

  it('renders at most once per animation frame while streaming', async () => {
    const agent = await createAgent({ config: { pace: 1, chunk: 'char' }, replies: [{ text: 'x'.repeat(300) }] });
    const el = await chatFor(agent);
    let renders = 0;
    const original = (el as any).update.bind(el);
    (el as any).update = (changed: any) => { renders++; original(changed); };
    const t0 = performance.now();
    await el.send('go');
    const elapsed = performance.now() - t0;
    expect(el.messages[1].parts[0]).to.deep.equal({ type: 'text', text: 'x'.repeat(300) });
    // 300 frames arrived; renders are bounded by display frames (~16 ms), not by frames received.
    expect(renders).to.be.at.most(Math.ceil(elapsed / 16) + 3);
    expect(renders).to.be.lessThan(150);
  });

  it('uses the JSON reply with no-stream', async () => {
    const agent = await createAgent({ replies: [{ text: 'A JSON reply.' }] });
    const el = await chatFor(agent, { noStream: true });
    const message = oneEvent(el, 'bookbag-message');
    await el.send('hi');
    expect((await message).detail.message.id).to.match(/^msg_/);
    expect(bubbleTexts(el)).to.deep.equal(['hi', 'A JSON reply.']);
    const [req] = await chatRequests(agent.agentId);
    expect(req.body.stream).to.equal(false);
  });

  it('ignores unknown frames, comments and event lines', async () => {
    const agent = await createAgent({ config: { unknownFrames: true }, replies: [{ text: 'Still readable text.' }] });
    const el = await chatFor(agent);
    await el.send('hi');
    expect(bubbleTexts(el)[1]).to.equal('Still readable text.');
  });

  it('reassembles a body written one byte at a time, multi-byte characters included', async () => {
    const agent = await createAgent({ config: { splitBytes: true }, replies: [{ text: 'Grüße aus 日本 ✓ 🎉' }] });
    const el = await chatFor(agent);
    await el.send('hi');
    expect(bubbleTexts(el)[1]).to.equal('Grüße aus 日本 ✓ 🎉');
  });

  it('shows an error frame, keeps the partial text, and fires STREAM_ERROR', async () => {
    const agent = await createAgent({ config: { errorAfter: 2 }, replies: [{ text: 'alpha beta gamma delta' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    await el.send('hi');
    await el.updateComplete;
    expect(bubbleTexts(el)[1]).to.equal('alpha beta');
    expect(el.status).to.equal('error');
    expect(events.find((e) => e.type === 'bookbag-error')?.detail.code).to.equal('STREAM_ERROR');
    expect(events.some((e) => e.type === 'bookbag-message')).to.equal(false);
    expect($(el, '[part="error"]')).to.exist;
    expect($(el, '[part="error"] [part="retry-button"]')).to.exist;
  });

  it('marks a stream that ends without [DONE] as interrupted and offers retry that resends', async () => {
    const agent = await createAgent({ config: { omitDone: true }, replies: [{ text: 'cut short' }, { text: 'complete now' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    await el.send('please answer');
    await el.updateComplete;
    expect(events.find((e) => e.type === 'bookbag-error')?.detail.code).to.equal('STREAM_INTERRUPTED');
    expect(bubbleTexts(el)[1]).to.equal('cut short');
    await configureAgent(agent.agentId, { config: {}, replies: [{ text: 'complete now' }] });
    $(el, '[part="error"] [part="retry-button"]')!.click();
    await waitUntil(() => bubbleTexts(el).includes('complete now') && el.status === 'idle', 'retry did not complete', { timeout: 5000 });
    expect($(el, '[part="error"]')).to.equal(null);
  });

  it('reports a dropped connection as NETWORK_ERROR or STREAM_INTERRUPTED and keeps the partial reply', async () => {
    const agent = await createAgent({ config: { dropAfter: 2 }, replies: [{ text: 'first second third fourth' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    await el.send('hi');
    await el.updateComplete;
    expect(['NETWORK_ERROR', 'STREAM_INTERRUPTED']).to.include(events.find((e) => e.type === 'bookbag-error')?.detail.code);
    // What was read before the reset stays: a prefix of the two frames sent. (A reset may discard
    // bytes the browser received but had not read yet, so under load it can be less.)
    const kept = (el.messages[1]?.parts[0] as { text?: string } | undefined)?.text?.trim() ?? '';
    expect('first second'.startsWith(kept)).to.equal(true);
    expect(bubbleTexts(el)[1] ?? '').to.equal(kept);
    expect(el.status).to.equal('error');
  });

  it('stop() aborts the request and keeps what arrived', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 4000 }, replies: [{ text: 'kept words then more words' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    const done = el.send('hi');
    await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial text', { timeout: 4000 });
    expect($(el, '[part="stop-button"]')).to.exist;
    $(el, '[part="stop-button"]')!.click();
    await done;
    await el.updateComplete;
    expect(el.status).to.equal('idle');
    expect(bubbleTexts(el)[1]).to.equal('kept words');
    expect(events.some((e) => e.type === 'bookbag-error')).to.equal(false);
    expect($(el, '[part="send-button"]')).to.exist;
  });

  it('refuses a second send while a reply streams, keeping the typed text', async () => {
    const agent = await createAgent({ config: { stallAfter: 1, stallMs: 1500 }, replies: [{ text: 'slow reply here' }] });
    const el = await chatFor(agent);
    const first = el.send('first');
    await oneEvent(el, 'bookbag-stream-start');
    await typeAndSend(el, 'second');
    await el.updateComplete;
    expect($<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('second');
    await first;
    expect(await chatRequests(agent.agentId)).to.have.length(1);
  });

  it('does not send when bookbag-send is cancelled', async () => {
    const agent = await createAgent();
    const el = await chatFor(agent);
    el.addEventListener('bookbag-send', (e) => e.preventDefault());
    await typeAndSend(el, 'never sent');
    await el.updateComplete;
    expect(await chatRequests(agent.agentId)).to.have.length(0);
    expect(el.messages).to.have.length(0);
    expect($<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('never sent');
  });

  it('does not send empty or whitespace-only messages', async () => {
    const agent = await createAgent();
    const el = await chatFor(agent);
    await el.send('   \n\t ');
    await typeAndSend(el, '   ');
    expect(await chatRequests(agent.agentId)).to.have.length(0);
    expect($<HTMLButtonElement>(el, '[part="send-button"]')!.disabled).to.equal(true);
  });

  describe('errors before the stream', () => {
    const cases: [number, string][] = [
      [400, 'VALIDATION_INVALID_BODY'],
      [401, 'AUTH_INVALID_API_KEY'],
      [403, 'AUTH_INSUFFICIENT_PERMISSIONS'],
      [404, 'RESOURCE_NOT_FOUND'],
      [429, 'RATE_LIMIT_TOO_MANY_REQUESTS'],
      [500, 'INTERNAL_SERVER_ERROR'],
    ];
    for (const [status, code] of cases) {
      it(`${status}: shows ${code}, fires bookbag-error, returns the text to the composer`, async () => {
        const agent = await createAgent({ config: { status } });
        const el = await chatFor(agent);
        const events = recordEvents(el);
        await typeAndSend(el, 'my precious words');
        const { detail } = await oneEvent(el, 'bookbag-error');
        await el.updateComplete;
        expect(detail.code).to.equal(code);
        expect(detail.status).to.equal(status);
        expect($<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('my precious words');
        expect(el.messages).to.have.length(0);
        expect($(el, '[part="error"]')!.textContent).to.not.equal('');
        expect(events.some((e) => e.type === 'bookbag-stream-start')).to.equal(false);
      });
    }

    it('falls back to the status when the error is an HTML page', async () => {
      const agent = await createAgent({ config: { status: 502, envelope: 'html' } });
      const el = await chatFor(agent);
      const error = oneEvent(el, 'bookbag-error');
      await el.send('hi');
      expect((await error).detail).to.include({ code: 'INTERNAL_SERVER_ERROR', status: 502, retryable: true });
    });

    it('reports an unreachable server as NETWORK_ERROR', async () => {
      const agent = await createAgent();
      const el = await chatFor({ ...agent, apiBase: 'http://127.0.0.1:9/api/v2' });
      const error = oneEvent(el, 'bookbag-error');
      await typeAndSend(el, 'hello?');
      expect((await error).detail.code).to.equal('NETWORK_ERROR');
      await el.updateComplete;
      expect($<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('hello?');
    });

    it('429 honours Retry-After with a countdown, then the visitor can resend', async () => {
      const agent = await createAgent({ config: { status: 429, retryAfter: 1, statusTimes: 1 }, replies: [{ text: 'Now it works.' }] });
      const el = await chatFor(agent);
      await typeAndSend(el, 'again');
      await oneEvent(el, 'bookbag-error');
      await el.updateComplete;
      expect($(el, '.countdown')!.textContent).to.match(/1 s/);
      expect($<HTMLButtonElement>(el, '[part="send-button"]')!.disabled).to.equal(true);
      await waitUntil(() => !$<HTMLButtonElement>(el, '[part="send-button"]')!.disabled, 'send stayed disabled', { timeout: 4000 });
      await el.send($<HTMLTextAreaElement>(el, '[part="input"]')!.value);
      expect(bubbleTexts(el)).to.deep.equal(['again', 'Now it works.']);
      expect($$(el, '[part="error"]')).to.have.length(0);
    });
  });
});
