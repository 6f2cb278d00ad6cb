// The proxy's small pure pieces, table-driven: the in-memory limiter, the fallback store,
// client-address resolution, and the JSON depth scan.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddressOf, trustedSet } from '../../src/proxy/client-address.ts';
import { FallbackLimiterStore, MemoryLimiterStore, type LimiterStore } from '../../src/proxy/index.ts';
import { nestsDeeperThan } from '../../src/proxy/json-depth.ts';

describe('MemoryLimiterStore', () => {
  it('is a sliding window: a slot frees exactly when the oldest hit leaves', async () => {
    let now = 1_000_000;
    const store = new MemoryLimiterStore(() => now);
    const steps: Array<[number, boolean, number]> = [
      // [advance ms, allowed, remaining-or-resetMs]
      [0, true, 2], [100, true, 1], [100, true, 0], [100, false, 700], [699, false, 1], [1, true, 0], [0, false, 100],
    ];
    for (const [advance, allowed, n] of steps) {
      now += advance;
      const d = await store.hit('k', 3, 1000);
      assert.equal(d.allowed, allowed, `at +${advance}`);
      assert.equal(allowed ? d.remaining : d.resetMs, n, `at +${advance}`);
    }
    assert.equal((await store.hit('other', 3, 1000)).allowed, true, 'keys are separate');
  });

  it('caps its key count (oldest dropped)', async () => {
    const store = new MemoryLimiterStore(Date.now, 2);
    for (const k of ['a', 'b', 'c']) await store.hit(k, 1, 60_000);
    assert.equal((await store.hit('a', 1, 60_000)).allowed, true, '"a" was evicted');
    assert.equal((await store.hit('c', 1, 60_000)).allowed, false);
  });

  it('at the cap drops the least recently hit sixteenth at once, never a key hit since', async () => {
    const store = new MemoryLimiterStore(Date.now, 64);
    for (let i = 0; i < 64; i++) await store.hit(`k${i}`, 2, 60_000);
    await store.hit('k0', 2, 60_000); // k0 is now the most recently hit
    await store.hit('k64', 2, 60_000); // one over the cap: the 4 least recent go (k1..k4)
    const allowed = async (k: string) => (await store.hit(k, 1, 60_000)).allowed;
    // Kept keys first: a refused hit inserts nothing, an allowed one is a new key.
    assert.deepEqual(await Promise.all(['k0', 'k5', 'k63', 'k64'].map(allowed)), [false, false, false, false], 'kept');
    assert.equal(await allowed('k4'), true, 'k4 went with k1: it counts afresh');
  });
});

describe('FallbackLimiterStore', () => {
  it('uses the local store while the shared one fails, logging once per change', async () => {
    let failing = true;
    let calls = 0;
    const shared: LimiterStore = {
      async hit(_k, limit) {
        calls++;
        if (failing) throw new Error('ECONNREFUSED');
        return { allowed: true, limit, remaining: limit - 1, resetMs: 1000 };
      },
    };
    const log: string[] = [];
    const store = new FallbackLimiterStore(shared, { log: (m) => log.push(m) });
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await store.hit('k', 2, 60_000)).allowed);
    assert.deepEqual(results, [true, true, false, false], 'the local limiter still limits');
    assert.equal(log.length, 1);
    assert.match(log[0], /unavailable.*ECONNREFUSED/);
    failing = false;
    assert.equal((await store.hit('k', 2, 60_000)).allowed, true, 'shared again');
    await store.hit('k', 2, 60_000);
    assert.equal(log.length, 2);
    assert.match(log[1], /back/);
    assert.equal(calls, 6);
  });

  it('treats a shared store that does not answer in time as down', async () => {
    const never: LimiterStore = { hit: () => new Promise(() => {}) };
    const log: string[] = [];
    const d = await new FallbackLimiterStore(never, { timeoutMs: 20, log: (m) => log.push(m) }).hit('k', 1, 1000);
    assert.equal(d.allowed, true);
    assert.match(log[0], /no answer within 20 ms/);
  });
});

describe('clientAddressOf', () => {
  const trusted = trustedSet(['10.0.0.1', '10.0.0.2', '::1']);
  const table: Array<[string | undefined, string | null, string, string]> = [
    ['203.0.113.5', '1.2.3.4', '203.0.113.5', 'untrusted peer: its X-Forwarded-For is ignored'],
    ['10.0.0.1', '1.2.3.4', '1.2.3.4', 'trusted peer: the address it appended'],
    ['10.0.0.1', 'spoofed, 1.2.3.4', '1.2.3.4', 'right-most untrusted entry wins'],
    ['10.0.0.1', '1.2.3.4, 10.0.0.2', '1.2.3.4', 'skips our own proxy chain'],
    ['10.0.0.1', null, '10.0.0.1', 'no header: the peer'],
    ['::ffff:10.0.0.1', '5.6.7.8', '5.6.7.8', 'IPv4-mapped peer is the IPv4 address'],
    ['::1', ' 2001:DB8::1 ', '2001:db8::1', 'IPv6, trimmed and lower-cased'],
    [undefined, '1.2.3.4', 'unknown', 'no peer address'],
  ];
  for (const [peer, xff, want, why] of table) {
    it(why, () => assert.equal(clientAddressOf(peer, xff, trusted), want));
  }
});

describe('nestsDeeperThan', () => {
  const table: Array<[string, number, boolean]> = [
    ['{"a":1}', 1, false],
    ['{"a":{"b":1}}', 1, true],
    ['[[[]]]', 3, false],
    ['[[[[]]]]', 3, true],
    ['{"s":"[[[[[[[[["}', 1, false],
    ['{"s":"\\"[[[[["}', 1, false],
    ['[]'.repeat(1000), 1, false],
    ['['.repeat(10_000) + ']'.repeat(10_000), 32, true],
  ];
  for (const [text, max, want] of table) {
    it(`${text.slice(0, 24)}… deeper than ${max}: ${want}`, () => assert.equal(nestsDeeperThan(text, max), want));
  }
});
