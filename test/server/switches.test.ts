// Fault-injection switches, set per agent or per request with `x-bookbag-mock`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, dataLines, frames, mockAgent, raw, start, textOf, until, type MockAgent, type Running } from './helpers.ts';

let srv: Running;
before(async () => { srv = await start(); });
after(() => srv.close());

const TEXT = 'alpha beta gamma delta';
const agent = (config: object, replies: object[] = [{ text: TEXT }]) => mockAgent(srv.origin, { config, replies });
const chat = (a: MockAgent, body: unknown = { message: 'go' }, headers?: Record<string, string>) =>
  call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body, headers });
const rawChat = (a: MockAgent, body: unknown = { message: 'go' }) =>
  raw(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body });
const history = async (a: MockAgent) => {
  const list = await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations`, { key: a.workspaceKey });
  if (!list.json.data.length) return null;
  return (await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${list.json.data[0].id}/messages`, { key: a.workspaceKey })).json.data;
};

describe('stream faults', () => {
  it('dropAfter destroys the socket after N frames, without [DONE], keeping the partial text', async () => {
    const a = await agent({ dropAfter: 2 });
    const r = await rawChat(a);
    assert.equal(r.status, 200);
    assert.equal(r.aborted, true);
    const body = r.body.toString('utf8');
    assert.equal(body, 'data: {"type":"text-delta","text":"alpha "}\n\ndata: {"type":"text-delta","text":"beta "}\n\n');
    // Stored when the server sees the socket gone, which may be just after the client does.
    const msgs = await until(async () => { const m = await history(a); return m?.length === 2 && m; }, 'the partial reply in history');
    assert.deepEqual(msgs[1].parts, [{ type: 'text', text: 'alpha beta ' }]);
  });

  it('malformedAt writes that frame as broken JSON and carries on', async () => {
    const a = await agent({ malformedAt: 1 });
    const r = await chat(a);
    const lines = dataLines(r.text);
    assert.equal(lines.length, 6);
    assert.throws(() => JSON.parse(lines[1]));
    for (const i of [0, 2, 3, 4]) JSON.parse(lines[i]);
    assert.equal(lines[5], '[DONE]');
  });

  it('errorAfter sends an error frame then [DONE], and no finish', async () => {
    const a = await agent({ errorAfter: 1, errorText: 'Model overloaded' });
    const r = await chat(a);
    assert.equal(r.status, 200);
    assert.equal(r.text,
      'data: {"type":"text-delta","text":"alpha "}\n\n'
      + 'data: {"type":"error","errorText":"Model overloaded"}\n\n'
      + 'data: [DONE]\n\n');
    const msgs = await history(a);
    assert.deepEqual(msgs[1].parts, [{ type: 'text', text: 'alpha ' }]);
  });

  it('errorAfter with finishAfterError adds a finish frame before [DONE]', async () => {
    const a = await agent({ errorAfter: 0, finishAfterError: true });
    const fs = frames((await chat(a)).text);
    assert.deepEqual(fs.map((f) => f.type), ['error', 'finish']);
    assert.equal(typeof fs[0].errorText, 'string');
  });

  it('omitDone ends after finish without [DONE]', async () => {
    const a = await agent({ omitDone: true });
    const r = await rawChat(a);
    const body = r.body.toString('utf8');
    assert.equal(r.aborted, false);
    assert.ok(body.endsWith('"usage":{"credits":1}}}\n\n'), body);
    assert.ok(!body.includes('[DONE]'));
  });

  it('notSse answers 200 text/html and stores nothing', async () => {
    const a = await agent({ notSse: true });
    const r = await chat(a);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.text, /<html>/);
    assert.equal(await history(a), null);
    // JSON mode is unaffected.
    assert.equal((await chat(a, { message: 'x', stream: false })).json.data.role, 'assistant');
  });

  it('splitBytes writes one byte per write, splitting multi-byte characters', async () => {
    const text = 'héllo — 🙂!';
    const a = await agent({ splitBytes: true }, [{ text }]);
    const r = await rawChat(a);
    const body = r.body.toString('utf8');
    assert.equal(textOf(body), text);
    assert.ok(body.endsWith('data: [DONE]\n\n'));
    assert.ok(r.chunks.length > 20, `only ${r.chunks.length} chunks arrived`);
    // At least one chunk boundary falls inside a UTF-8 sequence.
    const cut = r.chunks.some((c) => { try { new TextDecoder('utf-8', { fatal: true }).decode(c); return false; } catch { return true; } });
    assert.ok(cut, 'no chunk split a multi-byte character');
  });

  it('unknownFrames interleaves comments, event/id lines and unknown types', async () => {
    const a = await agent({ unknownFrames: true });
    const r = await chat(a);
    assert.ok(r.text.startsWith(': ping\n\n'));
    assert.match(r.text, /^event: /m);
    assert.match(r.text, /^id: /m);
    const types = new Set(frames(r.text).map((f) => f.type));
    for (const t of ['start', 'x-bookbag-unknown', 'reasoning-delta', 'text-delta', 'finish']) assert.ok(types.has(t), t);
    const known = frames(r.text).filter((f) => f.type === 'text-delta').map((f) => f.text).join('');
    assert.equal(known, TEXT);
    assert.ok(r.text.endsWith('data: [DONE]\n\n'));
  });

  it('stallAfter pauses for stallMs', async () => {
    const a = await agent({ stallAfter: 1, stallMs: 300 });
    const t0 = Date.now();
    const r = await chat(a);
    assert.ok(Date.now() - t0 >= 280);
    assert.equal(textOf(r.text), TEXT);
  });

  it('replyBytes produces a reply of about that many bytes', async () => {
    const a = await agent({ replyBytes: 300_000, chunk: 2000 });
    const r = await chat(a);
    const size = Buffer.byteLength(textOf(r.text));
    assert.ok(Math.abs(size - 300_000) < 1000, `${size} bytes`);
    assert.equal(frames(r.text).at(-1).finishReason, 'stop');
  });
});

describe('status switches', () => {
  it('json envelope uses the spec code for the status', async () => {
    for (const [status, code] of [[500, 'INTERNAL_SERVER_ERROR'], [503, 'INTERNAL_SERVER_ERROR'], [401, 'AUTH_INVALID_API_KEY'], [403, 'AUTH_INSUFFICIENT_PERMISSIONS'], [404, 'RESOURCE_NOT_FOUND'], [400, 'VALIDATION_INVALID_BODY'], [429, 'RATE_LIMIT_TOO_MANY_REQUESTS']] as const) {
      const a = await agent({ status });
      const r = await chat(a);
      assert.equal(r.status, status);
      assert.equal(r.json.error.code, code);
      assert.match(r.headers.get('x-request-id') ?? '', /^req_/);
      assert.ok(r.headers.get('x-ratelimit-limit'));
    }
  });

  it('html, text and empty envelopes', async () => {
    const html = await chat(await agent({ status: 502, envelope: 'html' }));
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.text, /<h1>502 Bad Gateway<\/h1>/);
    const text = await chat(await agent({ status: 500, envelope: 'text' }));
    assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(text.text, '500 Internal Server Error');
    const none = await chat(await agent({ status: 503, envelope: 'none' }));
    assert.equal(none.status, 503);
    assert.equal(none.text, '');
    assert.equal(none.headers.get('content-type'), null);
  });

  it('retryAfter adds Retry-After', async () => {
    const r = await chat(await agent({ status: 429, retryAfter: 7 }));
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '7');
  });

  it('statusTimes limits the status to the next N matching requests', async () => {
    const a = await agent({ status: 500, statusTimes: 2 }, [{ text: 'ok' }]);
    assert.equal((await chat(a)).status, 500);
    assert.equal((await chat(a)).status, 500);
    const ok = await chat(a);
    assert.equal(ok.status, 200);
    assert.equal(textOf(ok.text), 'ok');
  });

  it('statusOn limits the status to the named endpoints', async () => {
    const a = await agent({ status: 500, statusOn: ['messages', 'feedback'] }, [{ text: 'ok' }]);
    const r = await chat(a, { message: 'hi', stream: false });
    assert.equal(r.status, 200);
    const cid = r.json.data.metadata.conversationId;
    assert.equal((await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}/messages`, { key: a.workspaceKey })).status, 500);
    assert.equal((await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}`, { key: a.workspaceKey })).status, 200);
  });

  it('the x-bookbag-mock header overrides the agent config for one request', async () => {
    const a = await agent({ chunk: 'char' }, [{ text: 'ab cd' }, { text: 'ab cd' }]);
    const viaHeader = await chat(a, { message: 'x' }, { 'x-bookbag-mock': '{"chunk":"word"}' });
    assert.deepEqual(frames(viaHeader.text).filter((f) => f.type === 'text-delta').map((f) => f.text), ['ab ', 'cd']);
    const plain = await chat(a);
    assert.equal(frames(plain.text).filter((f) => f.type === 'text-delta').length, 5);
    const forced = await chat(a, { message: 'x' }, { 'x-bookbag-mock': '{"status":503}' });
    assert.equal(forced.status, 503);
    // Works on the seeded agents too.
    const seeded = await call(srv.origin, 'GET', '/api/v2/agents/123/conversations', { headers: { 'x-bookbag-mock': '{"status":500,"envelope":"text"}' } });
    assert.equal(seeded.status, 500);
  });
});
