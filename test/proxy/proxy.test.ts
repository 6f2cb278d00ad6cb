// The proxy against the real local Bookbag server as upstream, through the Node adapter.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createBookbagProxy } from '../../src/proxy/index.ts';
import { seedConversation, type Running } from '../server/helpers.ts';
import { configure, finishOf, proxyFor, SECRET, timed, upstreamRequests, Visitor, type Setup, upstreamForFile } from './helpers.ts';

let srv: Running;
const closers = upstreamForFile((s) => (srv = s));

async function setup(options: Parameters<typeof proxyFor>[1] = {}): Promise<Setup & { v: () => Visitor; base: string }> {
  const s = await proxyFor(srv, options);
  closers.push(() => s.proxy.close());
  const base = `${s.proxy.url}/agents/${s.agent.agentId}`;
  return { ...s, base, v: () => new Visitor(base) };
}

/** Starts a conversation for `v`; returns its id and the assistant message id. */
async function converse(v: Visitor, message = 'hello'): Promise<{ cid: string; mid: string; text: string }> {
  const r = await v.call('POST', '/chat', { message });
  assert.equal(r.status, 200, r.text);
  const fin = finishOf(r.text);
  return { cid: fin.metadata.conversationId, mid: fin.metadata.messageId, text: r.text };
}

describe('forwarding and identity', () => {
  it('adds the key, overwrites userId with the cookie identity, issues the cookie, copies headers', async () => {
    const { v, agent } = await setup();
    const visitor = v();
    const r = await visitor.call('POST', '/chat', { message: 'hello', userId: 'someone-else', extra: 'dropped' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.match(r.headers.get('x-request-id') ?? '', /^req_/);
    assert.equal(r.headers.get('x-ratelimit-limit'), '100');
    assert.ok(r.headers.get('x-ratelimit-remaining'));
    assert.ok(r.headers.get('x-ratelimit-reset'));
    assert.ok(r.text.trimEnd().endsWith('data: [DONE]'));

    assert.equal(visitor.setCookies.length, 1);
    const cookie = visitor.setCookies[0];
    assert.match(cookie, /^bookbag_visitor=v_[A-Za-z0-9_-]{22}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{43};/);
    for (const attr of ['HttpOnly', 'Secure', 'Path=/', 'SameSite=Lax']) assert.ok(cookie.split('; ').includes(attr), `${attr} in ${cookie}`);
    assert.match(cookie, /Max-Age=\d+/);

    const fin = finishOf(r.text);
    assert.equal(fin.metadata.userId, visitor.id);
    const [sent] = await upstreamRequests(srv, agent.agentId);
    assert.equal(sent.path, `/api/v2/agents/${agent.agentId}/chat`);
    assert.equal(sent.headers.authorization, `Bearer ${agent.agentKey}`);
    assert.equal(sent.headers.cookie, undefined, 'the visitor cookie is not forwarded');
    assert.deepEqual(sent.body, { message: 'hello', userId: visitor.id });

    // The cookie is sent back: same identity, no new cookie.
    const again = await visitor.call('POST', '/chat', { message: 'again' });
    assert.equal(again.status, 200);
    assert.equal(visitor.setCookies.length, 0);
    assert.equal(finishOf(again.text).metadata.userId, fin.metadata.userId);
  });

  it('uses SameSite=None when configured for cross-site pages', async () => {
    const { v } = await setup({ crossSite: true });
    const visitor = v();
    await visitor.call('POST', '/chat', { message: 'hi' });
    assert.ok(visitor.setCookies[0].split('; ').includes('SameSite=None'));
    assert.ok(visitor.setCookies[0].split('; ').includes('Secure'));
  });

  it('a tampered cookie gets a new identity and no access to the old conversations', async () => {
    const { v } = await setup();
    const visitor = v();
    const { cid } = await converse(visitor);
    const oldId = visitor.id!;
    const ok = await visitor.call('GET', `/conversations/${cid}/messages`);
    assert.equal(ok.status, 200);

    // Flip one character of the signature. Not A↔B: the last base64url character carries
    // padding bits, and A and B differ only there (same bytes, still valid: 1 run in 16).
    const [name, value] = visitor.cookie!.split('=');
    const last = value.at(-1) === 'A' ? 'Q' : 'A';
    visitor.cookie = `${name}=${value.slice(0, -1)}${last}`;
    const r = await visitor.call('GET', `/conversations/${cid}/messages`);
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'RESOURCE_NOT_FOUND');
    assert.equal(visitor.setCookies.length, 1, 'a fresh cookie is issued');
    assert.notEqual(visitor.id, oldId);

    // A cookie claiming the old id with a signature from another secret fares no better.
    const forger = v();
    forger.cookie = `bookbag_visitor=${oldId}.${'A'.repeat(43)}`;
    const f = await forger.call('GET', `/conversations/${cid}/messages`);
    assert.equal(f.status, 404);
    assert.notEqual(forger.id, oldId);
  });

  it('accepts cookies signed with an older secret during rotation', async () => {
    const first = await setup();
    const visitor = first.v();
    const { cid } = await converse(visitor);
    const rotated = await (async () => {
      const { startProxyServer } = await import('../../demo/proxy/main.ts');
      const p = await startProxyServer({ port: 0, upstream: srv.origin, apiKey: first.agent.agentKey, agentId: first.agent.agentId, secret: ['brand-new-secret-0123456789', SECRET] });
      closers.push(() => p.close());
      return p;
    })();
    const moved = new Visitor(`${rotated.url}/agents/${first.agent.agentId}`);
    moved.cookie = visitor.cookie;
    const r = await moved.call('GET', `/conversations/${cid}/messages`);
    assert.equal(r.status, 200);
    assert.equal(moved.setCookies.length, 1, 're-signed with the new secret (see attacks.test.ts #8)');
  });

  it('uses the host identify() instead of the cookie', async () => {
    const { v, agent } = await setup({ identify: (req) => req.headers.get('x-test-user') });
    const alice = v();
    const r = await alice.call('POST', '/chat', { message: 'hi', userId: 'mallory' }, { 'x-test-user': 'alice.42' });
    assert.equal(r.status, 200);
    assert.equal(alice.setCookies.length, 0, 'no cookie for an identified user');
    assert.equal(finishOf(r.text).metadata.userId, 'alice.42');
    const sent = (await upstreamRequests(srv, agent.agentId)).at(-1)!;
    assert.equal(sent.body.userId, 'alice.42');
    // Nobody logged in: anonymous cookie identity.
    const anon = v();
    const a = await anon.call('POST', '/chat', { message: 'hi' });
    assert.equal(a.status, 200);
    assert.match(finishOf(a.text).metadata.userId, /^v_/);
  });

  it('with anonymous: false, a request nobody is logged in for is refused', async () => {
    const { v } = await setup({ identify: () => null, anonymous: false });
    const r = await v().call('POST', '/chat', { message: 'hi' });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'AUTH_MISSING_API_KEY');
  });
});

describe('routes', () => {
  it('forwards chat, messages, conversation, feedback, retry for the owner', async () => {
    const { v } = await setup();
    const visitor = v();
    const { cid, mid } = await converse(visitor);
    const msgs = await visitor.call('GET', `/conversations/${cid}/messages?limit=1&foo=bar`);
    assert.equal(msgs.status, 200);
    assert.equal(msgs.json.data.length, 1);
    const conv = await visitor.call('GET', `/conversations/${cid}`);
    assert.equal(conv.status, 200);
    assert.equal(conv.json.data.userId, visitor.id);
    const fb = await visitor.call('PATCH', `/conversations/${cid}/messages/${mid}/feedback`, { feedback: 'positive' });
    assert.equal(fb.status, 200, fb.text);
    assert.equal(fb.json.data.feedback, 'positive');
    const cont = await visitor.call('POST', '/chat', { message: 'more', conversationId: Number(cid) });
    assert.equal(cont.status, 200);
    assert.equal(finishOf(cont.text).metadata.conversationId, cid);
    const retryOf = finishOf(cont.text).metadata.messageId;
    const retry = await visitor.call('POST', `/conversations/${cid}/retry`, { messageId: retryOf });
    assert.equal(retry.status, 200, retry.text);
    assert.ok(finishOf(retry.text));
  });

  it('forwards tool-result for the owner and streams the continuation', async () => {
    const { v } = await setup({ agentBody: { replies: [{ text: 'Adding it.', toolCalls: [{ toolName: 'add_to_cart', input: { quantity: 1 } }] }] } });
    const visitor = v();
    const r = await visitor.call('POST', '/chat', { message: 'add a mug' });
    const call = r.text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(5))).find((f) => f.type === 'tool-call');
    assert.ok(call, r.text);
    const cid = finishOf(r.text).metadata.conversationId;
    const stranger = v();
    const denied = await stranger.call('POST', `/conversations/${cid}/tool-result`, { toolCallId: call.toolCallId, output: { ok: true } });
    assert.equal(denied.status, 404);
    const res = await visitor.call('POST', `/conversations/${cid}/tool-result`, { toolCallId: call.toolCallId, output: { ok: true } });
    assert.equal(res.status, 200, res.text);
    assert.equal(finishOf(res.text).finishReason, 'stop');
  });

  it('refuses export and the agent-wide list with 403 and never calls the upstream', async () => {
    const { v, agent } = await setup();
    const visitor = v();
    for (const path of ['/conversations', '/conversations/export']) {
      const r = await visitor.call('GET', path);
      assert.equal(r.status, 403, path);
      assert.equal(r.json.error.code, 'AUTH_INSUFFICIENT_PERMISSIONS');
      assert.equal(typeof r.json.error.message, 'string');
    }
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
  });

  it('pins the agent: any other agent is 404', async () => {
    const { proxy, agent } = await setup();
    const other = new Visitor(`${proxy.url}/agents/123`);
    for (const [method, path, body] of [['POST', '/chat', { message: 'hi' }], ['GET', '/conversations/export'], ['GET', '/users/u/conversations']] as const) {
      const r = await other.call(method, path, body);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.error.code, 'RESOURCE_NOT_FOUND');
    }
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
  });

  it('answers unknown routes, wrong methods and paths outside the mount with a 404 envelope', async () => {
    const { v, proxy } = await setup();
    const visitor = v();
    for (const [method, path] of [['GET', '/chat'], ['DELETE', '/conversations/1'], ['GET', '/conversations/abc/messages'], ['GET', '/nope'], ['GET', '/conversations/1/messages/..%2F..%2Fexport']]) {
      const r = await visitor.call(method, path);
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.json.error.code, 'RESOURCE_NOT_FOUND');
    }
    const outside = await fetch(`${proxy.origin}/elsewhere`);
    assert.equal(outside.status, 404);
    assert.equal((await outside.json()).error.code, 'RESOURCE_NOT_FOUND');
  });

  it('health passes through', async () => {
    const { proxy } = await setup();
    const r = await fetch(`${proxy.url}/health`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
  });
});

describe('ownership', () => {
  it('a visitor cannot read or act on another visitor’s conversation (404)', async () => {
    const { v, agent } = await setup();
    const alice = v();
    const bob = v();
    const { cid, mid } = await converse(alice);
    await bob.call('POST', '/chat', { message: 'my own' });
    const before = (await upstreamRequests(srv, agent.agentId)).length;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/conversations/${cid}/messages`],
      ['GET', `/conversations/${cid}`],
      ['POST', '/chat', { message: 'hijack', conversationId: cid }],
      ['POST', `/conversations/${cid}/retry`, { messageId: mid }],
      ['POST', `/conversations/${cid}/tool-result`, { toolCallId: 'call_1', output: null }],
      ['PATCH', `/conversations/${cid}/messages/${mid}/feedback`, { feedback: 'negative' }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await bob.call(method, path, body);
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
      assert.equal(r.json.error.code, 'RESOURCE_NOT_FOUND');
    }
    // Nothing but ownership reads reached the upstream, and Alice's conversation is untouched.
    const after = (await upstreamRequests(srv, agent.agentId)).slice(before);
    assert.ok(after.every((r) => r.method === 'GET'), JSON.stringify(after.map((r) => `${r.method} ${r.path}`)));
    const mine = await alice.call('GET', `/conversations/${cid}/messages`);
    assert.equal(mine.json.data.length, 2);
    assert.equal(mine.json.data[1].feedback ?? null, null);
  });

  it('conversations without that userId (seeded for someone else, or none) are 404', async () => {
    const { v, agent } = await setup();
    const seeded = await seedConversation(srv.origin, agent.agentId, { userId: 'u_other', generate: 2 });
    const orphan = await seedConversation(srv.origin, agent.agentId, { generate: 2 });
    const visitor = v();
    for (const cid of [seeded, orphan, '999999']) {
      assert.equal((await visitor.call('GET', `/conversations/${cid}/messages`)).status, 404);
    }
  });

  it('rewrites users/:userId/conversations to the visitor’s own id', async () => {
    const { v, agent } = await setup();
    await seedConversation(srv.origin, agent.agentId, { userId: 'victim', generate: 2 });
    const visitor = v();
    const { cid } = await converse(visitor);
    const r = await visitor.call('GET', '/users/victim/conversations?limit=5');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.map((c: { id: string }) => c.id), [cid]);
    const sent = (await upstreamRequests(srv, agent.agentId)).at(-1)!;
    assert.equal(sent.path, `/api/v2/agents/${agent.agentId}/users/${visitor.id}/conversations`);
    assert.deepEqual(sent.query, { limit: '5' });
  });

  it('learns ownership from the stream’s finish frame (no extra upstream read)', async () => {
    const { v, agent } = await setup();
    const visitor = v();
    const { cid } = await converse(visitor);
    await visitor.call('GET', `/conversations/${cid}/messages`);
    const paths = (await upstreamRequests(srv, agent.agentId)).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths, [`POST /api/v2/agents/${agent.agentId}/chat`, `GET /api/v2/agents/${agent.agentId}/conversations/${cid}/messages`]);
  });
});

describe('streaming', () => {
  it('passes frames through as they come: the first arrives long before the upstream finishes', async () => {
    const { base, agent } = await setup({ agentBody: { config: { pace: 0, stallAfter: 1, stallMs: 1200 }, replies: [{ text: 'one two three' }] } });
    void agent;
    const r = await timed(`${base}/chat`, 'POST', { message: 'go' });
    assert.equal(r.status, 200);
    const firstFrame = r.chunks.find((c) => c.text.includes('data: {'));
    assert.ok(firstFrame, 'a frame arrived');
    assert.ok(firstFrame.text.includes('"text":"one "'), firstFrame.text);
    assert.ok(r.end >= 1200, `upstream stalled 1.2 s (ended at ${r.end.toFixed(0)} ms)`);
    assert.ok(firstFrame.at < r.end - 900, `first frame at ${firstFrame.at.toFixed(0)} ms, end at ${r.end.toFixed(0)} ms`);
    const all = r.chunks.map((c) => c.text).join('');
    assert.ok(all.trimEnd().endsWith('data: [DONE]'));
  });

  it('frames arrive chunk by chunk at the upstream pace', async () => {
    const { base } = await setup({ agentBody: { config: { pace: 120 }, replies: [{ text: 'a b c d' }] } });
    const r = await timed(`${base}/chat`, 'POST', { message: 'go' });
    const frameChunks = r.chunks.filter((c) => c.text.includes('data: '));
    assert.ok(frameChunks.length >= 4, `got ${frameChunks.length} chunks`);
    assert.ok(frameChunks.at(-1)!.at - frameChunks[0].at >= 300, 'spread over time, not one buffered write');
  });

  it('cuts a stream that goes silent longer than idleTimeoutMs', async () => {
    const { base } = await setup({ idleTimeoutMs: 200, agentBody: { config: { pace: 0, stallAfter: 1, stallMs: 5000 }, replies: [{ text: 'one two' }] } });
    const r = await timed(`${base}/chat`, 'POST', { message: 'go' });
    assert.equal(r.status, 200);
    assert.ok(r.aborted, 'the client sees an interrupted stream');
    assert.ok(r.end < 2000, `cut after ${r.end.toFixed(0)} ms`);
    assert.ok(r.chunks.map((c) => c.text).join('').includes('"one "'));
  });
});

describe('failures keep the envelope', () => {
  it('upstream down (closed port) → 502', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
    });
    const handler = createBookbagProxy({ upstream: `http://127.0.0.1:${closed}`, apiKey: 'oc_test_x', agentId: 5, secret: SECRET });
    const r = await handler(new Request('http://proxy.test/api/v2/agents/5/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' }));
    assert.equal(r.status, 502);
    assert.equal((await r.json()).error.code, 'INTERNAL_SERVER_ERROR');
    assert.ok(r.headers.get('x-request-id'));
  });

  it('upstream slow (no answer) → 504 after timeoutMs', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const slow: Server = createServer(() => { /* never answers */ });
    slow.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = slow.address() as AddressInfo;
      const handler = createBookbagProxy({ upstream: `http://127.0.0.1:${port}`, apiKey: 'oc_test_x', agentId: 5, secret: SECRET, timeoutMs: 200 });
      const t0 = performance.now();
      const r = await handler(new Request('http://proxy.test/api/v2/agents/5/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' }));
      assert.equal(r.status, 504);
      assert.equal((await r.json()).error.code, 'INTERNAL_SERVER_ERROR');
      assert.ok(performance.now() - t0 < 2000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('oversized body → 413 VALIDATION_INVALID_BODY, declared or streamed, upstream untouched', async () => {
    const { v, base, agent } = await setup({ maxBodyBytes: 1024 });
    const visitor = v();
    const r = await visitor.call('POST', '/chat', { message: 'x'.repeat(2000) });
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, 'VALIDATION_INVALID_BODY');
    // Chunked, no Content-Length: the cap applies while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('{"message":"');
      req.write('y'.repeat(1500));
      req.end('"}');
    });
    assert.equal(chunked.status, 413);
    assert.equal(JSON.parse(chunked.body).error.code, 'VALIDATION_INVALID_BODY');
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
  });

  it('a non-JSON body or content type → 400 VALIDATION_INVALID_BODY', async () => {
    const { v } = await setup();
    const visitor = v();
    const a = await visitor.call('POST', '/chat', 'message=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(a.status, 400);
    assert.equal(a.json.error.code, 'VALIDATION_INVALID_BODY');
    const b = await visitor.call('POST', '/chat', '{not json');
    assert.equal(b.status, 400);
    assert.equal(b.json.error.code, 'VALIDATION_INVALID_BODY');
  });

  it('upstream errors pass through with their headers; a non-JSON error page becomes the envelope', async () => {
    const { v, agent } = await setup();
    const visitor = v();
    await configure(srv, agent.agentId, { config: { status: 429, retryAfter: 7, statusTimes: 1 } });
    const limited = await visitor.call('POST', '/chat', { message: 'hi' });
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, 'RATE_LIMIT_TOO_MANY_REQUESTS');
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.ok(limited.headers.get('x-request-id'));

    await configure(srv, agent.agentId, { config: { status: 502, envelope: 'html', statusTimes: 1 } });
    const html = await visitor.call('POST', '/chat', { message: 'hi' });
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(html.json.error.code, 'INTERNAL_SERVER_ERROR');
  });

  it('a key Bookbag rejects is the proxy’s fault: 502 to the visitor, reported to onError', async () => {
    const errors: number[] = [];
    const { v } = await setup({ apiKey: 'oc_test_revoked', onError: (_e, info) => errors.push(info.status) });
    const r = await v().call('POST', '/chat', { message: 'hi' });
    assert.equal(r.status, 502);
    assert.equal(r.json.error.code, 'INTERNAL_SERVER_ERROR');
    assert.ok(!r.text.includes('oc_'), 'nothing about keys reaches the page');
    assert.deepEqual(errors, [401]);
  });
});

describe('CORS and rate limiting', () => {
  const SHOP = 'https://shop.example';

  it('answers an allowed origin explicitly, with credentials and Vary: Origin', async () => {
    const { v } = await setup({ allowOrigins: [SHOP] });
    const r = await v().call('POST', '/chat', { message: 'hi' }, { origin: SHOP });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), SHOP);
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    assert.match(r.headers.get('access-control-expose-headers') ?? '', /x-request-id/i);
  });

  it('refuses a disallowed origin with a 403 envelope and no CORS grant', async () => {
    const { v, agent } = await setup({ allowOrigins: [SHOP] });
    const r = await v().call('POST', '/chat', { message: 'hi' }, { origin: 'https://evil.example' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'AUTH_INSUFFICIENT_PERMISSIONS');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
  });

  it('accepts the proxy’s own origin (same-origin pages) unless told not to', async () => {
    const { v, proxy } = await setup();
    assert.equal((await v().call('POST', '/chat', { message: 'hi' }, { origin: proxy.origin })).status, 200);
    const strict = await setup({ allowSameOrigin: false });
    assert.equal((await strict.v().call('POST', '/chat', { message: 'hi' }, { origin: strict.proxy.origin })).status, 403);
  });

  it('handles preflight for allowed origins and refuses others', async () => {
    const { base } = await setup({ allowOrigins: [SHOP] });
    const ok = await fetch(`${base}/chat`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-shop-session' } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), SHOP);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    assert.equal(ok.headers.get('access-control-allow-headers'), 'content-type, x-shop-session');
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    assert.equal(ok.headers.get('set-cookie'), null);
    const bad = await fetch(`${base}/chat`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(bad.status, 403);
    assert.equal(bad.headers.get('access-control-allow-origin'), null);
  });

  it('limits each visitor separately, with 429 + Retry-After', async () => {
    const { v, agent } = await setup({ rateLimit: { max: 3, windowMs: 10_000 } });
    const a = v();
    const b = v();
    for (let i = 0; i < 3; i++) assert.equal((await a.call('GET', '/users/x/conversations')).status, 200);
    const limited = await a.call('GET', '/users/x/conversations');
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, 'RATE_LIMIT_TOO_MANY_REQUESTS');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    assert.equal((await b.call('GET', '/users/x/conversations')).status, 200, 'another visitor is unaffected');
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 4);
  });
});
