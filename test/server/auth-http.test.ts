// Auth and key scope, 404 kinds, request ids, rate limiting, CORS and handler mounting.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createBookbagServer } from '../../demo/server/app.ts';
import { call, start, type Running } from './helpers.ts';

let srv: Running;
before(async () => { srv = await start(); });
after(() => srv.close());

const chat = (agent: string, key: string | null, body: unknown = { message: 'hi', stream: false }) =>
  call(srv.origin, 'POST', `/api/v2/agents/${agent}/chat`, { key, body });

function assertError(r: { status: number; json: any }, status: number, code: string) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.message, 'string');
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'message']);
}

describe('health and ids', () => {
  it('health answers 200 {status:"ok"} without auth, with request id and rate headers', async () => {
    const r = await call(srv.origin, 'GET', '/api/v2/health', { key: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok' });
    assert.match(r.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{8,}$/);
    assert.equal(r.headers.get('x-ratelimit-limit'), '100');
  });

  it('gives every response a different request id', async () => {
    const a = await call(srv.origin, 'GET', '/api/v2/health');
    const b = await call(srv.origin, 'GET', '/api/v2/health');
    assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
  });
});

describe('authentication (401)', () => {
  it('missing header → AUTH_MISSING_API_KEY', async () => {
    const r = await chat('123', null);
    assertError(r, 401, 'AUTH_MISSING_API_KEY');
    assert.match(r.headers.get('x-request-id') ?? '', /^req_/);
    assert.equal(r.headers.get('x-ratelimit-limit'), '100');
  });

  for (const bad of ['nope', 'oc_prod_abc', 'oc_test_', 'oc_test_doesnotexist', 'oc_live_demo']) {
    it(`bad key "${bad}" → AUTH_INVALID_API_KEY`, async () => {
      assertError(await chat('123', bad), 401, 'AUTH_INVALID_API_KEY');
    });
  }

  it('a non-Bearer scheme → AUTH_INVALID_API_KEY', async () => {
    const r = await call(srv.origin, 'GET', '/api/v2/agents/123/conversations', { key: null, headers: { authorization: 'Basic b2NfdGVzdF9kZW1v' } });
    assertError(r, 401, 'AUTH_INVALID_API_KEY');
  });
});

describe('scope (403/404)', () => {
  it('workspace key reaches both workspace agents', async () => {
    assert.equal((await chat('123', 'oc_test_demo')).status, 200);
    assert.equal((await chat('124', 'oc_test_demo')).status, 200);
  });

  it('agent-scoped key works on its agent and is 403 on a sibling', async () => {
    assert.equal((await chat('123', 'oc_test_agent123')).status, 200);
    assertError(await chat('124', 'oc_test_agent123'), 403, 'AUTH_INSUFFICIENT_PERMISSIONS');
    assertError(await call(srv.origin, 'GET', '/api/v2/agents/124/conversations', { key: 'oc_test_agent123' }), 403, 'AUTH_INSUFFICIENT_PERMISSIONS');
  });

  it('other workspace → 404, archived → 404, unknown → 404, non-numeric → 404', async () => {
    assertError(await chat('123', 'oc_live_other'), 404, 'RESOURCE_NOT_FOUND');
    assertError(await chat('124', 'oc_live_other'), 404, 'RESOURCE_NOT_FOUND');
    assert.equal((await chat('900', 'oc_live_other')).status, 200);
    assertError(await chat('125', 'oc_test_demo'), 404, 'RESOURCE_NOT_FOUND');
    assertError(await chat('9999', 'oc_test_demo'), 404, 'RESOURCE_NOT_FOUND');
    assertError(await chat('abc', 'oc_test_demo'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('a conversation of another agent is 404 on this agent', async () => {
    const made = await chat('124', 'oc_test_demo');
    const cid = made.json.data.metadata.conversationId;
    assertError(await call(srv.origin, 'GET', `/api/v2/agents/123/conversations/${cid}`), 404, 'RESOURCE_NOT_FOUND');
    assertError(await chat('123', 'oc_test_demo', { message: 'x', conversationId: Number(cid), stream: false }), 404, 'RESOURCE_NOT_FOUND');
    assertError(await call(srv.origin, 'GET', '/api/v2/agents/123/conversations/77777/messages'), 404, 'RESOURCE_NOT_FOUND');
    assertError(await call(srv.origin, 'GET', '/api/v2/agents/123/conversations/notanid'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('unknown routes and wrong methods → 404 RESOURCE_NOT_FOUND', async () => {
    assertError(await call(srv.origin, 'GET', '/api/v2/nothing'), 404, 'RESOURCE_NOT_FOUND');
    assertError(await call(srv.origin, 'DELETE', '/api/v2/agents/123/chat'), 404, 'RESOURCE_NOT_FOUND');
    assertError(await call(srv.origin, 'GET', '/elsewhere'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('malformed JSON → 400 VALIDATION_INVALID_BODY', async () => {
    const r = await call(srv.origin, 'POST', '/api/v2/agents/123/chat', { rawBody: '{"message": "hi"' });
    assertError(r, 400, 'VALIDATION_INVALID_BODY');
  });

  it('a malformed x-bookbag-mock header → 400', async () => {
    const r = await call(srv.origin, 'GET', '/api/v2/agents/123/conversations', { headers: { 'x-bookbag-mock': '{oops' } });
    assertError(r, 400, 'VALIDATION_INVALID_BODY');
  });
});

describe('rate limiting', () => {
  it('counts down per key with Reset in Unix seconds', async () => {
    const s = await start();
    try {
      const a = await call(s.origin, 'GET', '/api/v2/agents/123/conversations');
      const b = await call(s.origin, 'GET', '/api/v2/agents/123/conversations');
      assert.equal(a.headers.get('x-ratelimit-remaining'), '99');
      assert.equal(b.headers.get('x-ratelimit-remaining'), '98');
      const other = await call(s.origin, 'GET', '/api/v2/agents/123/conversations', { key: 'oc_test_agent123' });
      assert.equal(other.headers.get('x-ratelimit-remaining'), '99');
      const reset = Number(a.headers.get('x-ratelimit-reset'));
      const now = Date.now() / 1000;
      assert.ok(reset >= now && reset <= now + 11, `reset ${reset} vs now ${now}`);
      // Errors after auth are charged and carry the headers too.
      const nf = await call(s.origin, 'GET', '/api/v2/agents/125/conversations');
      assert.equal(nf.status, 404);
      assert.equal(nf.headers.get('x-ratelimit-remaining'), '97');
    } finally {
      await s.close();
    }
  });

  it('answers 429 with Retry-After past the limit, and recovers after the window', async (t) => {
    // The limiter's clock is Date: mocked (Date only, so sockets and undici keep real timers),
    // the window passes by a tick instead of a wait.
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const s = await start({ rateLimit: 3, rateWindowMs: 600 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await call(s.origin, 'GET', '/api/v2/agents/123/conversations')).status, 200);
      const r = await call(s.origin, 'GET', '/api/v2/agents/123/conversations');
      assertError(r, 429, 'RATE_LIMIT_TOO_MANY_REQUESTS');
      assert.equal(r.headers.get('retry-after'), '1');
      assert.equal(r.headers.get('x-ratelimit-limit'), '3');
      assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
      assert.match(r.headers.get('x-request-id') ?? '', /^req_/);
      // Another key has its own bucket; preflights are never charged.
      assert.equal((await call(s.origin, 'GET', '/api/v2/agents/123/conversations', { key: 'oc_test_agent123' })).status, 200);
      const pre = await fetch(`${s.origin}/api/v2/agents/123/chat`, { method: 'OPTIONS' });
      assert.equal(pre.status, 204);
      t.mock.timers.tick(599);
      assertError(await call(s.origin, 'GET', '/api/v2/agents/123/conversations'), 429, 'RATE_LIMIT_TOO_MANY_REQUESTS');
      t.mock.timers.tick(101);
      assert.equal((await call(s.origin, 'GET', '/api/v2/agents/123/conversations')).status, 200);
    } finally {
      await s.close();
    }
  });

  it('uses the documented default of 100 per window', async () => {
    const s = await start();
    try {
      const results = [];
      for (let i = 0; i < 101; i++) results.push(await call(s.origin, 'GET', '/api/v2/agents/123/conversations?limit=1'));
      assert.equal(results[99].status, 200);
      assert.equal(results[99].headers.get('x-ratelimit-remaining'), '0');
      assert.equal(results[100].status, 429);
      assert.ok(Number(results[100].headers.get('retry-after')) >= 1);
    } finally {
      await s.close();
    }
  });

  it('puts rate headers on streams', async () => {
    const r = await call(srv.origin, 'POST', '/api/v2/agents/123/chat', { body: { message: 'hello' } });
    assert.equal(r.headers.get('content-type'), 'text/event-stream');
    assert.ok(r.headers.get('x-ratelimit-remaining'));
    assert.ok(r.headers.get('x-ratelimit-reset'));
    assert.match(r.headers.get('x-request-id') ?? '', /^req_/);
  });
});

describe('CORS', () => {
  it('answers a preflight with 204 and the asked headers', async () => {
    const r = await fetch(`${srv.origin}/api/v2/agents/123/chat`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-custom' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET, POST, PATCH, DELETE, OPTIONS');
    assert.equal(r.headers.get('access-control-allow-headers'), 'authorization,content-type,x-custom');
    assert.equal(r.headers.get('access-control-max-age'), '600');
    assert.match(r.headers.get('vary') ?? '', /Origin/);
  });

  it('reflects the origin and exposes headers on successes, errors and the test API', async () => {
    const origin = 'http://example.test:8080';
    for (const [method, path, key] of [
      ['GET', '/api/v2/agents/123/conversations', 'oc_test_demo'],
      ['GET', '/api/v2/agents/123/conversations', null],
      ['POST', '/__mock/agents', null],
    ] as const) {
      const r = await call(srv.origin, method, path, { key, headers: { origin }, body: method === 'POST' ? {} : undefined });
      assert.equal(r.headers.get('access-control-allow-origin'), origin, path);
      assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(r.headers.get('access-control-expose-headers'), 'x-request-id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After');
      assert.match(r.headers.get('vary') ?? '', /Origin/);
    }
  });
});

describe('mounting', () => {
  it('handle() passes foreign paths to next() and serves /api/v2 itself', async () => {
    const app = createBookbagServer({ pace: 0 });
    const host = createServer((req, res) => app.handle(req, res, () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('vite'); }));
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      assert.equal(await (await fetch(`${base}/demo/index.html`)).text(), 'vite');
      assert.deepEqual(await (await fetch(`${base}/api/v2/health`)).json(), { status: 'ok' });
      const made = await (await fetch(`${base}/__mock/agents`, { method: 'POST', body: '{}' })).json();
      assert.equal(made.apiBase, `${base}/api/v2`);
    } finally {
      await app.close();
      await new Promise((r) => host.close(r));
    }
  });

  it('testApi:false hides /__mock and ignores switch headers', async () => {
    const s = await start({ testApi: false });
    try {
      const r = await call(s.origin, 'POST', '/__mock/agents', { key: null, body: {} });
      assertError(r, 404, 'RESOURCE_NOT_FOUND');
      const c = await call(s.origin, 'GET', '/api/v2/agents/123/conversations', { headers: { 'x-bookbag-mock': '{"status":500}' } });
      assert.equal(c.status, 200);
    } finally {
      await s.close();
    }
  });
});
