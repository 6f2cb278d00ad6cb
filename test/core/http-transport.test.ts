// The HTTP transport (ApiClient) with an injected fetch and Node's fake timers: writes are never
// repeated, safe reads are repeated once after a pause, and no unsafe id reaches a URL.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { ApiClient } from '../../src/transport/api-client.ts';
import { BookbagError } from '../../src/protocol/index.ts';

function client(answers: (() => Response)[]) {
  const urls: string[] = [];
  const fetch = async (url: string | URL | Request) => {
    urls.push(String(url));
    const next = answers.shift();
    if (!next) throw new TypeError('no more answers');
    return next();
  };
  return { api: new ApiClient({ apiBase: 'https://api.test/api/v2', agentId: '7', fetch: fetch as typeof globalThis.fetch }), urls };
}
const status = (code: number, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify({ error: { code: 'X', message: 'no' } }), { status: code, headers: { 'content-type': 'application/json', ...headers } });
const ok = () => new Response(JSON.stringify({ data: [], pagination: { cursor: null, hasMore: false } }), { status: 200, headers: { 'content-type': 'application/json' } });

/** Runs `call` with fake timers, ticking `ms` while it is pending; returns how it settled. */
async function settle(call: () => Promise<unknown>, ms: number): Promise<'resolved' | BookbagError> {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const result = call().then(() => 'resolved' as const, (e: BookbagError) => e);
    for (let t = 0; t < ms; t += 100) {
      await new Promise((r) => setImmediate(r));
      mock.timers.tick(100);
    }
    return await result;
  } finally {
    mock.timers.reset();
  }
}

describe('ApiClient: automatic repeats', () => {
  const writes: [string, (api: ApiClient) => Promise<unknown>][] = [
    ['chat', (api) => api.chat({ message: 'hi' })],
    ['retry', (api) => api.retry('5', 'msg_1', true)],
    ['tool-result', (api) => api.toolResult('5', 'call_1', null)],
    ['feedback', (api) => api.feedback('5', 'msg_1', 'positive')],
  ];
  for (const [name, call] of writes) {
    it(`${name}: a 500 is reported and never repeated`, async () => {
      const { api, urls } = client([status(500), ok]);
      const result = await settle(() => call(api), 60_000);
      assert.ok(result instanceof BookbagError && result.code === 'X' && result.status === 500);
      assert.equal(urls.length, 1);
    });
  }

  const reads: [string, (() => Response)[], number, number | 'resolved'][] = [
    ['a 500, then ok: one repeat', [status(500), ok], 2, 'resolved'],
    ['two 500s: one repeat, then the error', [status(500), status(500), ok], 2, 500],
    ['a 429 with Retry-After 2: repeated after it', [status(429, { 'retry-after': '2' }), ok], 2, 'resolved'],
    ['a 429 with Retry-After 30: not repeated', [status(429, { 'retry-after': '30' }), ok], 1, 429],
    ['a 404: not repeated', [status(404), ok], 1, 404],
  ];
  for (const [name, answers, calls, outcome] of reads) {
    it(`messages: ${name}`, async () => {
      const { api, urls } = client(answers);
      const result = await settle(() => api.messages('5'), 10_000);
      assert.equal(urls.length, calls);
      assert.equal(result instanceof BookbagError ? result.status : result, outcome);
    });
  }
});

describe('ApiClient: ids in URLs', () => {
  for (const id of ['..', '.', 'a/b', '%2e%2e']) {
    it(`refuses conversation id ${JSON.stringify(id)} without a request`, async () => {
      const { api, urls } = client([ok]);
      await assert.rejects(api.messages(id), (e: unknown) => e instanceof BookbagError && e.code === 'INVALID_RESPONSE');
      await assert.rejects(api.retry(id, 'msg_1', true), BookbagError);
      await assert.rejects(api.feedback('5', id, null), BookbagError);
      assert.equal(urls.length, 0);
    });
  }
  it('builds the documented paths', async () => {
    const { api, urls } = client([ok, ok]);
    await api.messages('5', { limit: 30, cursor: 'c1' });
    await api.userConversations('anon_x');
    assert.deepEqual(urls, ['https://api.test/api/v2/agents/7/conversations/5/messages?limit=30&cursor=c1', 'https://api.test/api/v2/agents/7/users/anon_x/conversations']);
  });
});
