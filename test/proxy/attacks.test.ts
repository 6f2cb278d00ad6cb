// Issue #18: each attack as an attacker would run it, against the real local Bookbag server as
// upstream, through the Node adapter (startProxyServer) or the real CLI process where the
// finding lives there. Every test here failed on the proxy before the fix.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { createBookbagProxy } from '../../src/proxy/index.ts';
import { seedConversation, type Running } from '../server/helpers.ts';
import { configure, finishOf, proxyFor, rawExchange, SECRET, startCli, trickleBody, upstreamRequests, Visitor, type Setup, upstreamForFile } from './helpers.ts';

let srv: Running;
const closers = upstreamForFile((s) => (srv = s));

async function setup(options: Parameters<typeof proxyFor>[1] = {}): Promise<Setup & { v: (h?: Record<string, string>) => Visitor; base: string }> {
  const s = await proxyFor(srv, options);
  closers.push(() => s.proxy.close());
  const base = `${s.proxy.url}/agents/${s.agent.agentId}`;
  return { ...s, base, v: (h) => new Visitor(base, h) };
}

async function cli(extra: string[] = [], agentBody: unknown = {}) {
  const { mockAgent } = await import('../server/helpers.ts');
  const agent = await mockAgent(srv.origin, agentBody);
  const p = await startCli(['--agent', agent.agentId, '--upstream', srv.origin, ...extra], { BOOKBAG_API_KEY: agent.agentKey });
  closers.push(() => p.close());
  return { agent, p, base: `${p.url}/agents/${agent.agentId}` };
}

/** POSTs `total` bytes chunked (no Content-Length); resolves with the answer, tolerating the server closing early. */
function chunkedPost(url: string, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write('{"message":"');
    const chunk = 'y'.repeat(16 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end('"}');
    };
    pump();
  });
}

describe('#1 a chunked body over the cap', () => {
  it('answers 413 and the CLI process stays up (1 MB, three times)', async () => {
    const { p, base } = await cli();
    for (let i = 0; i < 3; i++) {
      const r = await chunkedPost(`${base}/chat`, 1024 * 1024);
      assert.equal(r.status, 413);
      assert.equal(JSON.parse(r.body).error.code, 'VALIDATION_INVALID_BODY');
    }
    const v = new Visitor(base);
    const ok = await v.call('POST', '/chat', { message: 'still there?' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(p.child.exitCode, null, 'the process is alive');
    await p.close();
    assert.doesNotMatch(p.stderr(), /ERR_INVALID_STATE|Error:/);
  });
});

describe('#2 dot ids', () => {
  for (const id of ['..', '.']) {
    it(`identify() returning "${id}" is refused before anything reaches Bookbag`, async () => {
      const errors: unknown[] = [];
      const { v, agent } = await setup({ identify: () => id, onError: (e) => errors.push(e) });
      await seedConversation(srv.origin, agent.agentId, { userId: 'victim', generate: 2 });
      const r = await v().call('GET', '/users/me/conversations');
      assert.equal(r.status, 500, r.text);
      assert.equal(r.json.error.code, 'INTERNAL_SERVER_ERROR');
      assert.doesNotMatch(r.text, /victim/);
      const chat = await v().call('POST', '/chat', { message: 'hi' });
      assert.equal(chat.status, 500);
      assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
      assert.equal(errors.length, 2, 'the host bug is reported');
    });
  }

  it('dot segments in any id position, plain or encoded, never reach Bookbag (regression guard)', async () => {
    const { v, agent } = await setup();
    const visitor = v();
    for (const seg of ['.', '..', '%2e', '%2E%2E', '.%2e']) {
      for (const [method, path] of [['GET', `/conversations/${seg}`], ['GET', `/conversations/${seg}/messages`], ['PATCH', `/conversations/1/messages/${seg}/feedback`], ['GET', `/users/${seg}/conversations`]]) {
        const r = await visitor.call(method, path, method === 'PATCH' ? { feedback: 'positive' } : undefined);
        assert.ok(r.status === 404 || r.status === 403, `${method} ${path}: ${r.status}`);
      }
    }
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
  });
});

describe('#3 identity minting and the shared key budget', () => {
  it('cookieless requests from one client are limited: 429 + Retry-After, the key keeps its budget', async () => {
    const { v, agent } = await setup({ mintRateLimit: { max: 5, windowMs: 60_000 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const r = await v().call('GET', '/users/me/conversations');
      statuses.push(r.status);
      if (r.status === 429) { retryAfter = r.headers.get('retry-after'); assert.equal(r.json.error.code, 'RATE_LIMIT_TOO_MANY_REQUESTS'); }
    }
    assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(','));
    assert.ok(Number(retryAfter) >= 1, `Retry-After ${retryAfter}`);
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 5);
  });

  it('a spoofed X-Forwarded-For does not escape the limit unless it comes from a configured proxy', async () => {
    const spoofed = await setup({ mintRateLimit: { max: 3, windowMs: 60_000 } });
    let ok = 0;
    for (let i = 0; i < 10; i++) ok += (await spoofed.v({ 'x-forwarded-for': `203.0.113.${i}` }).call('GET', '/users/me/conversations')).status === 200 ? 1 : 0;
    assert.equal(ok, 3, 'untrusted X-Forwarded-For is ignored');

    const behind = await setup({ mintRateLimit: { max: 3, windowMs: 60_000 }, trustedProxies: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] });
    ok = 0;
    for (let i = 0; i < 10; i++) ok += (await behind.v({ 'x-forwarded-for': `198.51.100.7, 203.0.113.${i}` }).call('GET', '/users/me/conversations')).status === 200 ? 1 : 0;
    assert.equal(ok, 10, 'from a trusted proxy, the right-most client address counts: 10 different clients');
  });

  it('/health is answered locally: no key, no upstream, even when Bookbag is down', async () => {
    const handler = createBookbagProxy({ upstream: 'http://127.0.0.1:9', apiKey: 'oc_test_x', agentId: 5, secret: SECRET, fetch: () => { throw new Error('health must not call the upstream'); } });
    const r = await handler(new Request('http://proxy.test/api/v2/health'));
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
  });
});

describe('#4 no existence oracle', () => {
  it('a foreign and a missing conversation answer the same 404, headers included', async () => {
    const { v, agent } = await setup();
    const foreign = await seedConversation(srv.origin, agent.agentId, { userId: 'someone', generate: 2 });
    const visitor = v();
    await visitor.call('GET', '/users/me/conversations');
    const shape = (r: { status: number; headers: Headers; text: string }) => ({
      status: r.status,
      names: [...r.headers.keys()].filter((n) => n !== 'date').sort().join(','),
      requestIdPrefix: (r.headers.get('x-request-id') ?? '').replace(/[0-9a-f]{8,}$/, ''),
      body: r.text.replace(/"x-request-id":"[^"]*"/, ''),
    });
    for (const [method, path, body] of [
      ['GET', (c: string) => `/conversations/${c}`],
      ['GET', (c: string) => `/conversations/${c}/messages`],
      ['POST', () => '/chat', (c: string) => ({ message: 'hi', conversationId: c })],
      ['POST', (c: string) => `/conversations/${c}/retry`, () => ({ messageId: 'msg_1' })],
      ['PATCH', (c: string) => `/conversations/${c}/messages/msg_1/feedback`, () => ({ feedback: 'positive' })],
    ] as const) {
      const a = await visitor.call(method, path(foreign), body?.(foreign));
      const b = await visitor.call(method, path('987654321'), body?.('987654321'));
      assert.equal(a.status, 404, `${method} ${path(foreign)}`);
      assert.deepEqual(shape(a), shape(b), `${method} ${path('…')}`);
    }
  });
});

describe('#5 timeouts of its own', () => {
  const serverOptions = { headersTimeoutMs: 400, bodyTimeoutMs: 400 };

  it('a body trickling one byte at a time is cut with 408 and the socket closed', { timeout: 15_000 }, async () => {
    const { proxy, agent } = await setup(serverOptions);
    const result = await trickleBody(proxy.origin, `/api/v2/agents/${agent.agentId}/chat`);
    assert.equal(result.sentAll, false, 'cut before the slow sender finished');
    assert.match(result.text, /^HTTP\/1\.1 408/);
    assert.match(result.text, /VALIDATION_INVALID_BODY/);
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 0);
  });

  it('200 idle sockets, and one sending its headers slowly, are all closed by the server', { timeout: 15_000 }, async () => {
    const { proxy } = await setup(serverOptions);
    const { hostname, port } = new URL(proxy.origin);
    // resume(): a paused socket never sees the server's FIN, so it would never close.
    const closed = (s: Socket) => new Promise<void>((resolve) => { s.on('error', () => {}); s.on('close', () => resolve()); s.resume(); });
    const idle = Array.from({ length: 200 }, () => connect(Number(port), hostname));
    const slow = connect(Number(port), hostname);
    const header = `GET /api/v2/health HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: ${'a'.repeat(400)}`;
    let i = 0;
    const timer = setInterval(() => { if (!slow.destroyed && i < header.length) slow.write(header[i++]); }, 20);
    await Promise.all([...idle, slow].map(closed));
    clearInterval(timer);
    assert.ok(i < header.length, 'the slow header was cut before it finished');
  });
});

describe('#6 bad requests get clean 4xx, and only real outages are logged', () => {
  it('malformed Host and TRACE: 400/405 envelopes, no stack trace in the CLI log', async () => {
    const { p, agent } = await cli();
    const host = await rawExchange(p.origin, `GET /api/v2/agents/${agent.agentId}/users/me/conversations HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n`);
    assert.equal(host.status, 400, host.text);
    assert.match(host.text, /VALIDATION_INVALID_BODY/);
    const trace = await rawExchange(p.origin, `TRACE /api/v2/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.equal(trace.status, 405, trace.text);
    assert.match(trace.text, /"error"/);
    assert.equal((await fetch(`${p.url}/health`)).status, 200, 'still serving');
    await p.close(); // the whole log is in once the process is gone
    assert.doesNotMatch(p.stderr(), /\n\s+at |TypeError|unexpected/);
  });

  it('a 10,000-deep JSON body is 400, not a 502 outage', async () => {
    const errors: number[] = [];
    const { v } = await setup({ onError: (_e, info) => errors.push(info.status) });
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const visitor = v();
    const chat = await visitor.call('POST', '/chat', `{"message":"hi","stream":${deep}}`);
    assert.equal(chat.status, 400, chat.text);
    assert.equal(chat.json.error.code, 'VALIDATION_INVALID_BODY');
    const nested = await visitor.call('POST', '/chat', `{"message":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`);
    assert.equal(nested.status, 400, nested.text);
    assert.deepEqual(errors, []);
  });

  it('a client that disconnects mid-stream is not reported as a 502', async () => {
    const errors: Array<{ status: number; message: string }> = [];
    let upstreamAborted: () => void = () => {};
    const { base } = await setup({
      onError: (e, info) => errors.push({ status: info.status, message: String(e) }),
      // Observe the upstream call being aborted (the proxy's own reaction to the client going away).
      fetch: (input, init) => {
        init?.signal?.addEventListener('abort', () => upstreamAborted(), { once: true });
        return fetch(input, init);
      },
      agentBody: { config: { pace: 0, stallAfter: 1, stallMs: 30_000 }, replies: [{ text: 'one two three' }] },
    });
    for (const when of ['mid-stream']) {
      const aborted = new Promise<void>((resolve) => { upstreamAborted = resolve; });
      await new Promise<void>((resolve) => {
        const req = request(`${base}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.once('data', () => { req.destroy(); resolve(); });
        });
        req.on('error', () => {});
        req.end('{"message":"go"}');
      });
      await aborted;
      // Let the proxy's reaction (promise callbacks after the abort) run to completion.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(errors, [], when);
    }
  });
});

describe('#7 content types', () => {
  it('a 200 text/html from upstream is not served from the site’s origin', async () => {
    const { v, agent } = await setup();
    await configure(srv, agent.agentId, { config: { notSse: true } });
    const r = await v().call('POST', '/chat', { message: 'hi' });
    assert.equal(r.status, 502, r.text);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.doesNotMatch(r.text, /<html/i);
  });

  it('every answer carries nosniff and a deny-all CSP', async () => {
    const { v } = await setup();
    const visitor = v();
    const replies = [await visitor.call('POST', '/chat', { message: 'hi' })];
    replies.push(await visitor.call('GET', `/conversations/${finishOf(replies[0].text).metadata.conversationId}/messages`));
    replies.push(await visitor.call('GET', '/conversations/1'), await visitor.call('GET', '/nope'));
    for (const r of replies) {
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('content-security-policy'), "default-src 'none'");
    }
  });
});

describe('#8 the visitor cookie', () => {
  it('carries its issue time: past the server-side maximum age it is refused', async () => {
    let now = Date.now();
    const { v } = await setup({ cookieMaxAgeSeconds: 3600, clock: () => now });
    const visitor = v();
    const r = await visitor.call('POST', '/chat', { message: 'hi' });
    const cid = finishOf(r.text).metadata.conversationId;
    const id = visitor.id;
    now += 3601_000;
    const later = await visitor.call('GET', `/conversations/${cid}/messages`);
    assert.equal(later.status, 404);
    assert.notEqual(visitor.id, id, 'a new identity');
  });

  it('is re-signed with the newest secret when an older one verified it', async () => {
    const first = await setup();
    const visitor = first.v();
    const cid = finishOf((await visitor.call('POST', '/chat', { message: 'hi' })).text).metadata.conversationId;
    const { startProxyServer } = await import('../../demo/proxy/main.ts');
    const rotated = await startProxyServer({ port: 0, upstream: srv.origin, apiKey: first.agent.agentKey, agentId: first.agent.agentId, secret: ['brand-new-secret-0123456789', SECRET] });
    const onlyNew = await startProxyServer({ port: 0, upstream: srv.origin, apiKey: first.agent.agentKey, agentId: first.agent.agentId, secret: ['brand-new-secret-0123456789'] });
    closers.push(() => rotated.close(), () => onlyNew.close());
    const moved = new Visitor(`${rotated.url}/agents/${first.agent.agentId}`);
    moved.cookie = visitor.cookie;
    const r = await moved.call('GET', `/conversations/${cid}/messages`);
    assert.equal(r.status, 200);
    assert.equal(moved.setCookies.length, 1, 're-signed');
    assert.notEqual(moved.cookie, visitor.cookie);
    // After the old secret is dropped, the re-signed cookie keeps the history.
    const last = new Visitor(`${onlyNew.url}/agents/${first.agent.agentId}`);
    last.cookie = moved.cookie;
    assert.equal((await last.call('GET', `/conversations/${cid}/messages`)).status, 200);
    assert.equal(last.setCookies.length, 0);
  });

  it('uses the __Host- prefix over HTTPS (direct or behind a trusted TLS proxy)', async () => {
    const handler = createBookbagProxy({ upstream: srv.origin, apiKey: 'oc_test_x', agentId: 5, secret: SECRET, fetch: async () => Response.json({ data: [], pagination: { cursor: null, hasMore: false, total: 0 } }) });
    const r = await handler(new Request('https://shop.example/api/v2/agents/5/users/me/conversations'));
    const cookie = r.headers.getSetCookie()[0] ?? '';
    assert.match(cookie, /^__Host-bookbag_visitor=/);
    assert.ok(cookie.includes('; Path=/') && cookie.includes('; Secure') && !/Domain=/i.test(cookie), cookie);
    const plain = await handler(new Request('http://localhost/api/v2/agents/5/users/me/conversations'));
    assert.match(plain.headers.getSetCookie()[0] ?? '', /^bookbag_visitor=/);
  });
});
