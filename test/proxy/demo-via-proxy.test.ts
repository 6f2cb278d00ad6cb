// `npm start -- --via-proxy`: the page carries no key and talks to the proxy mount, which
// forwards to the local API with the key. Node-side check of the whole chain.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { PROXY_MOUNT, startDemo } from '../../demo/serve.ts';
import { finishOf, trickleBody, Visitor } from './helpers.ts';

for (const built of [true, false]) {
  describe(`startDemo({ viaProxy: true, built: ${built} })`, () => {
    it('serves a keyless page whose chat works through the proxy', async () => {
      const demo = await startDemo({ built, viaProxy: true, port: 0, pace: 0, quiet: true });
      try {
        const page = await fetch(demo.url);
        assert.equal(page.status, 200);
        const html = await page.text();
        assert.match(html, /<bookbag-chat[\s\S]*api-base="\/chat-api\/v2"/);
        assert.doesNotMatch(html, /api-key=|oc_test_/);
        assert.match(html, built ? /\/dist\/bookbag-chat\.js/ : /\/src\/define\.ts/);

        // What the widget does: POST chat with its own userId and the page's Origin, no key.
        const visitor = new Visitor(`${demo.origin}${PROXY_MOUNT}/agents/123`, { origin: demo.origin });
        const r = await visitor.call('POST', '/chat', { message: 'hello', userId: 'widget-generated' });
        assert.equal(r.status, 200, r.text);
        assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
        const fin = finishOf(r.text);
        assert.equal(fin.finishReason, 'stop');
        assert.equal(fin.metadata.userId, visitor.id);
        assert.match(visitor.id ?? '', /^v_/);
        const history = await visitor.call('GET', `/conversations/${fin.metadata.conversationId}/messages`);
        assert.equal(history.status, 200);
        assert.equal(history.json.data.length, 2);
        const mine = await visitor.call('GET', '/users/widget-generated/conversations');
        assert.deepEqual(mine.json.data.map((c: { id: string }) => c.id), [fin.metadata.conversationId]);

        // The page has no key, so the raw API refuses it.
        const direct = await fetch(`${demo.origin}/api/v2/agents/123/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
        assert.equal(direct.status, 401);
      } finally {
        await demo.close();
      }
    });
  });
}

describe('startDemo({ viaProxy: true }) holds the proxy CLI’s deadlines (shared code, demo/proxy/server-guards.ts)', () => {
  const proxyTimeouts = { headersTimeoutMs: 300, bodyTimeoutMs: 300 };

  it('closes a socket that never sends a request', { timeout: 10_000 }, async () => {
    const demo = await startDemo({ built: true, viaProxy: true, port: 0, pace: 0, quiet: true, proxyTimeouts });
    try {
      const { hostname, port } = new URL(demo.origin);
      const silent = connect(Number(port), hostname);
      silent.on('error', () => {});
      silent.resume();
      // Without a deadline of its own the server keeps it open (the test then times out).
      await new Promise<void>((resolve) => silent.on('close', () => resolve()));
    } finally {
      await demo.close();
    }
  });

  it('cuts a request body trickling in with 408, before the slow sender finishes', { timeout: 10_000 }, async () => {
    const demo = await startDemo({ built: true, viaProxy: true, port: 0, pace: 0, quiet: true, proxyTimeouts });
    try {
      const result = await trickleBody(demo.origin, `${PROXY_MOUNT}/agents/123/chat`);
      assert.equal(result.sentAll, false, 'cut before the slow sender finished');
      assert.match(result.text, /^HTTP\/1\.1 408/);
      assert.match(result.text, /VALIDATION_INVALID_BODY/);
    } finally {
      await demo.close();
    }
  });
});
