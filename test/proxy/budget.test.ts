// Budget protection (#18 deliver 2): the site's one key has 100 requests per 10 s at Bookbag
// for every visitor together; the proxy keeps below that, limits each client address and each
// visitor, and every 429 of its own says when to come back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Running } from '../server/helpers.ts';
import { proxyFor, upstreamRequests, Visitor, upstreamForFile } from './helpers.ts';

let srv: Running;
const closers = upstreamForFile((s) => (srv = s));

const LOOPBACK = ['127.0.0.1', '::1'];

async function setup(options: Parameters<typeof proxyFor>[1] = {}) {
  const s = await proxyFor(srv, { trustedProxies: LOOPBACK, ...options });
  closers.push(() => s.proxy.close());
  const base = `${s.proxy.url}/agents/${s.agent.agentId}`;
  /** A visitor behind our (trusted) load balancer, at client address `ip`. */
  const from = (ip: string) => new Visitor(base, { 'x-forwarded-for': ip });
  return { ...s, from };
}

describe('the global upstream budget', () => {
  it('by default stops at 80 per 10 s, so Bookbag never answers the key with 429', async () => {
    const { from, agent } = await setup();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await from(`198.51.100.${i}`).call('GET', '/users/me/conversations');
      statuses.push(r.status);
      if (r.status === 429) {
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
        assert.match(r.headers.get('x-request-id') ?? '', /^proxy_/, 'the proxy’s own 429, not Bookbag’s');
      }
    }
    assert.equal(statuses.filter((s) => s === 200).length, 80, statuses.join(','));
    const seen = await upstreamRequests(srv, agent.agentId);
    assert.equal(seen.length, 80);
  });

  it('is configurable, and counts ownership reads too', async () => {
    const { from, agent } = await setup({ globalRateLimit: { max: 3, windowMs: 60_000 } });
    const v = from('203.0.113.1');
    assert.equal((await v.call('POST', '/chat', { message: 'hi' })).status, 200);
    // Foreign conversation: one ownership read, then 404 — two of three used.
    assert.equal((await v.call('GET', '/conversations/424242/messages')).status, 404);
    assert.equal((await from('203.0.113.2').call('GET', '/users/me/conversations')).status, 200);
    const r = await from('203.0.113.3').call('GET', '/users/me/conversations');
    assert.equal(r.status, 429);
    assert.equal(r.json.error.code, 'RATE_LIMIT_TOO_MANY_REQUESTS');
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 3);
  });
});

describe('per client address and per visitor', () => {
  it('limits one address, all its visitors together; other addresses are unaffected', async () => {
    const { from } = await setup({ ipRateLimit: { max: 4, windowMs: 60_000 } });
    const a = from('192.0.2.10');
    const b = from('192.0.2.10');
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await a.call('GET', '/users/me/conversations')).status, (await b.call('GET', '/users/me/conversations')).status);
    assert.deepEqual(got, [200, 200, 200, 200, 429, 429]);
    assert.equal((await from('192.0.2.11').call('GET', '/users/me/conversations')).status, 200);
  });

  it('every 429 of the proxy carries Retry-After and X-RateLimit-*, and no new cookie', async () => {
    const cases = [
      { name: 'visitor', options: { rateLimit: { max: 1, windowMs: 60_000 } }, sameVisitor: true },
      { name: 'ip', options: { ipRateLimit: { max: 1, windowMs: 60_000 } }, sameVisitor: false },
      { name: 'mint', options: { mintRateLimit: { max: 1, windowMs: 60_000 } }, sameVisitor: false },
      { name: 'global', options: { globalRateLimit: { max: 1, windowMs: 60_000 } }, sameVisitor: false },
    ];
    for (const c of cases) {
      const { from } = await setup(c.options);
      const first = from('192.0.2.20');
      assert.equal((await first.call('GET', '/users/me/conversations')).status, 200, c.name);
      const second = c.sameVisitor ? first : from(c.name === 'global' ? '192.0.2.21' : '192.0.2.20');
      const r = await second.call('GET', '/users/me/conversations');
      assert.equal(r.status, 429, c.name);
      const retryAfter = Number(r.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `${c.name}: Retry-After ${retryAfter}`);
      assert.equal(r.headers.get('x-ratelimit-limit'), '1', c.name);
      assert.equal(r.headers.get('x-ratelimit-remaining'), '0', c.name);
      assert.ok(Number(r.headers.get('x-ratelimit-reset')) > Date.now() / 1000, c.name);
      if (!c.sameVisitor) assert.equal(second.setCookies.length, 0, `${c.name}: no identity handed out with a 429`);
    }
  });
});
