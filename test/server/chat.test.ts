// Chat: exact stream bytes, JSON mode, validation, continuation, demo agent, interruption.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GREETING, SHOWCASE } from '../../demo/server/agent.ts';
import { call, frames, mockAgent, start, textOf, until, type Running } from './helpers.ts';

let srv: Running;
before(async () => { srv = await start(); });
after(() => srv.close());

const chat = (agent: string, body: unknown, key = 'oc_test_demo', headers?: Record<string, string>) =>
  call(srv.origin, 'POST', `/api/v2/agents/${agent}/chat`, { key, body, headers });

describe('stream format', () => {
  it('streams a scripted reply byte for byte', async () => {
    const s = await start();
    try {
      const a = await mockAgent(s.origin, { replies: [{ text: 'Your order shipped yesterday — 🚚 ok.' }] });
      const r = await call(s.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, {
        key: a.workspaceKey, body: { message: 'Where is my order?', userId: 'user_8821' },
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/event-stream');
      assert.equal(r.headers.get('cache-control'), 'no-cache');
      assert.equal(r.headers.get('connection'), 'keep-alive');
      assert.equal(r.text,
        'data: {"type":"text-delta","text":"Your "}\n\n'
        + 'data: {"type":"text-delta","text":"order "}\n\n'
        + 'data: {"type":"text-delta","text":"shipped "}\n\n'
        + 'data: {"type":"text-delta","text":"yesterday "}\n\n'
        + 'data: {"type":"text-delta","text":"— "}\n\n'
        + 'data: {"type":"text-delta","text":"🚚 "}\n\n'
        + 'data: {"type":"text-delta","text":"ok."}\n\n'
        + 'data: {"type":"finish","finishReason":"stop","metadata":{"userMessageId":"msg_1","conversationId":"1000","userId":"user_8821","messageId":"msg_2","usage":{"credits":1}}}\n\n'
        + 'data: [DONE]\n\n');
    } finally {
      await s.close();
    }
  });

  it('puts userId null in metadata when none was sent, and paces frames', async () => {
    const a = await mockAgent(srv.origin, { config: { pace: 40 }, replies: [{ text: 'one two three' }] });
    const t0 = Date.now();
    const r = await chat(a.agentId, { message: 'x' }, a.workspaceKey);
    const took = Date.now() - t0;
    const fin = frames(r.text).at(-1);
    assert.equal(fin.type, 'finish');
    assert.equal(fin.metadata.userId, null);
    assert.deepEqual(Object.keys(fin.metadata), ['userMessageId', 'conversationId', 'userId', 'messageId', 'usage']);
    assert.ok(took >= 110, `3 deltas + finish at 40 ms apart took only ${took} ms`);
  });

  it('splits by character or by fixed size when asked', async () => {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'héllo 🙂' }, { text: 'abcdefg' }] });
    const chars = await chat(a.agentId, { message: 'x' }, a.workspaceKey, { 'x-bookbag-mock': '{"chunk":"char"}' });
    assert.deepEqual(frames(chars.text).filter((f) => f.type === 'text-delta').map((f) => f.text), ['h', 'é', 'l', 'l', 'o', ' ', '🙂']);
    const three = await chat(a.agentId, { message: 'x' }, a.workspaceKey, { 'x-bookbag-mock': '{"chunk":3}' });
    assert.deepEqual(frames(three.text).filter((f) => f.type === 'text-delta').map((f) => f.text), ['abc', 'def', 'g']);
  });
});

describe('JSON mode', () => {
  it('returns the §6.8 body and stores both messages', async () => {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'Your order shipped yesterday.' }] });
    const r = await chat(a.agentId, { message: 'Where is my order?', userId: 'u1', stream: false }, a.workspaceKey);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    const { data } = r.json;
    assert.match(data.id, /^msg_\d+$/);
    assert.deepEqual(data, {
      id: data.id,
      role: 'assistant',
      parts: [{ type: 'text', text: 'Your order shipped yesterday.' }],
      metadata: { userMessageId: data.metadata.userMessageId, conversationId: data.metadata.conversationId, userId: 'u1', finishReason: 'stop', usage: { credits: 1 } },
    });
    const cid = data.metadata.conversationId;
    assert.match(cid, /^\d+$/);
    const msgs = await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}/messages`, { key: a.workspaceKey });
    assert.equal(msgs.json.data.length, 2);
    const [u, as] = msgs.json.data;
    assert.deepEqual(Object.keys(u).sort(), ['createdAt', 'id', 'parts', 'role']);
    assert.equal(u.id, data.metadata.userMessageId);
    assert.deepEqual(u.parts, [{ type: 'text', text: 'Where is my order?' }]);
    assert.ok(Number.isInteger(u.createdAt) && Math.abs(u.createdAt - Date.now() / 1000) < 5, 'createdAt in Unix seconds');
    assert.equal(as.id, data.id);
    assert.equal(as.feedback, null);
  });
});

describe('validation', () => {
  const cases: Array<[string, unknown]> = [
    ['missing message', { userId: 'u' }],
    ['empty message', { message: '' }],
    ['blank message', { message: ' \n\t ' }],
    ['non-string message', { message: 42 }],
    ['message over 8000 chars', { message: 'a'.repeat(8001) }],
    ['userId with a space', { message: 'hi', userId: 'a b' }],
    ['userId too long', { message: 'hi', userId: 'a'.repeat(129) }],
    ['userId not a string', { message: 'hi', userId: 7 }],
    ['conversationId not numeric', { message: 'hi', conversationId: 'abc' }],
    ['stream not boolean', { message: 'hi', stream: 'yes' }],
    ['body is an array', ['hi']],
  ];
  for (const [name, body] of cases) {
    it(`400 VALIDATION_INVALID_BODY for ${name}`, async () => {
      const r = await chat('123', body);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'VALIDATION_INVALID_BODY');
    });
  }

  it('accepts an 8000-char message and a 128-char userId', async () => {
    const r = await chat('123', { message: 'a'.repeat(8000), userId: 'A.b_c-'.padEnd(128, 'x'), stream: false });
    assert.equal(r.status, 200);
  });

  it('404 RESOURCE_NOT_FOUND for an unknown conversationId', async () => {
    const r = await chat('123', { message: 'hi', conversationId: 424242 });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'RESOURCE_NOT_FOUND');
  });
});

describe('conversations through chat', () => {
  it('continues by number or digit string; the first userId sticks', async () => {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
    const first = await chat(a.agentId, { message: 'first message here', userId: 'alice', stream: false }, a.workspaceKey);
    const cid = first.json.data.metadata.conversationId;
    const second = await chat(a.agentId, { message: 'two', userId: 'mallory', conversationId: Number(cid) }, a.workspaceKey);
    const fin = frames(second.text).at(-1);
    assert.equal(fin.metadata.conversationId, cid);
    assert.equal(fin.metadata.userId, 'alice');
    const third = await chat(a.agentId, { message: 'three', conversationId: cid, stream: false }, a.workspaceKey);
    assert.equal(third.json.data.metadata.conversationId, cid);
    const conv = await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}`, { key: a.workspaceKey });
    assert.equal(conv.json.data.userId, 'alice');
    assert.equal(conv.json.data.title, 'first message here');
    assert.equal(conv.json.data.status, 'ongoing');
    assert.equal(conv.json.data.messages.length, 6);
    assert.deepEqual(conv.json.data.messages.map((m: any) => m.role), ['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  });

  it('new conversations get increasing digit-string ids', async () => {
    const x = await chat('123', { message: 'one', stream: false });
    const y = await chat('123', { message: 'two', stream: false });
    assert.ok(Number(y.json.data.metadata.conversationId) > Number(x.json.data.metadata.conversationId));
    assert.ok(Number(x.json.data.metadata.conversationId) >= 1000);
  });

  it('titles are the first user message cut to 60 characters', async () => {
    const long = 'x'.repeat(70);
    const r = await chat('123', { message: `  ${long}  `, stream: false });
    const conv = await call(srv.origin, 'GET', `/api/v2/agents/123/conversations/${r.json.data.metadata.conversationId}`);
    assert.equal(conv.json.data.title, 'x'.repeat(60));
  });

  it('uses scripted replies first-in first-out, then the demo agent', async () => {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'first' }, { text: 'second' }] });
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await chat(a.agentId, { message: 'hello', stream: false }, a.workspaceKey)).json.data.parts[0].text);
    assert.deepEqual(texts, ['first', 'second', GREETING]);
  });
});

describe('demo agent', () => {
  const reply = async (message: string) => textOf((await chat('123', { message })).text);

  it('greets', async () => {
    assert.equal(await reply('Hello there'), GREETING);
  });

  it('shows the markdown showcase with every element', async () => {
    const text = await reply('Show me some markdown');
    assert.equal(text, SHOWCASE);
    for (const needle of ['## ', '### ', '**bold**', '_italic_', '  - ', '1. ', '`inline code`', '```ts', '> ', '](https://example.com)', '| --- |', '\n---\n']) {
      assert.ok(text.includes(needle), `showcase lacks ${JSON.stringify(needle)}`);
    }
  });

  it('answers other questions in a few sentences that mention the question', async () => {
    const text = await reply('What are your opening hours?');
    assert.ok(text.includes('What are your opening hours?'));
    const sentences = text.split(/(?<=[.!?])\s+/).length;
    assert.ok(sentences >= 2 && sentences <= 4, `${sentences} sentences`);
    assert.equal(await reply('What are your opening hours?'), text, 'deterministic');
  });

  it('writes about 2,000 words for a long answer', async () => {
    const text = await reply('Give me a long answer');
    const words = text.split(/\s+/).filter(Boolean).length;
    assert.ok(words >= 1800 && words <= 2600, `${words} words`);
  });
});

describe('interruption', () => {
  it('stops and stores the partial text when the client disconnects', async () => {
    const a = await mockAgent(srv.origin, { config: { pace: 30 }, replies: [{ text: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') }] });
    const controller = new AbortController();
    const res = await fetch(`${srv.origin}/api/v2/agents/${a.agentId}/chat`, {
      method: 'POST', signal: controller.signal,
      headers: { authorization: `Bearer ${a.workspaceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'go' }),
    });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('w2 ')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const messages = async (cid: string) => (await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}/messages`, { key: a.workspaceKey })).json.data;
    const cid: string = await until(async () => (await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations`, { key: a.workspaceKey })).json.data[0]?.id, 'the conversation');
    // The partial reply is stored when the server's generation loop ends, marked as failed.
    const msgs = await until(async () => { const m = await messages(cid); return m.length === 2 && m; }, 'the partial reply in history');
    assert.equal(msgs[1].metadata?.finishReason, 'error');
    const partial = msgs[1].parts[0].text as string;
    assert.ok(partial.startsWith('w0 w1 w2 '), partial);
    assert.ok(partial.length < 60, `stopped early: ${partial}`);
    // Generation really stopped: after a later turn in the same conversation has been answered
    // in full, the interrupted reply is still what it was, and the new turn comes after it.
    const next = await call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body: { message: 'again', conversationId: cid, stream: false } });
    assert.equal(next.status, 200);
    const again = await messages(cid);
    assert.equal(again.length, 4);
    assert.equal(again[1].parts[0].text, partial);
    assert.equal(again[3].id, next.json.data.id);
  });
});
