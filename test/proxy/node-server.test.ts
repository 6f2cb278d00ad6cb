// The Node server's own path (demo/proxy/node-adapter.ts + upstream-fetch.ts: node:http both
// ways, no fetch): upstream connections are pooled, and a client that leaves ends its upstream
// call at once — the socket toward Bookbag closes, and nothing is reported as an outage.
// A TCP tap between the proxy and the local server sees every upstream connection.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { start, type Running } from '../server/helpers.ts';
import { proxyFor, SECRET, Visitor } from './helpers.ts';
import { startProxyServer } from '../../demo/proxy/main.ts';

let srv: Running;
let tapServer: Server;
let tapPort = 0;
const upstreamSockets: Socket[] = [];
let onSocket: ((s: Socket) => void) | null = null;
const closers: Array<() => Promise<void>> = [];

before(async () => {
  srv = await start();
  const target = Number(new URL(srv.origin).port);
  tapServer = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    for (const s of [client, upstream]) { s.on('close', end); s.on('error', end); }
    upstreamSockets.push(client);
    onSocket?.(client);
  });
  await new Promise<void>((resolve) => tapServer.listen(0, '127.0.0.1', resolve));
  tapPort = (tapServer.address() as { port: number }).port;
});
after(async () => {
  for (const close of closers) await close();
  await new Promise<void>((resolve) => tapServer.close(() => resolve()));
  await srv.close();
});

async function setup(options: Parameters<typeof proxyFor>[1] = {}) {
  // The agent lives on the real server; the proxy reaches it through the tap.
  const s = await proxyFor(srv, { upstream: `http://127.0.0.1:${tapPort}`, ...options });
  closers.push(() => s.proxy.close());
  return { ...s, base: `${s.proxy.url}/agents/${s.agent.agentId}` };
}

describe('the Node server (node:http toward Bookbag)', () => {
  it('keeps upstream connections alive: 20 reads in a row use one connection', async () => {
    const { base } = await setup();
    const visitor = new Visitor(base);
    const chat = await visitor.call('POST', '/chat', { message: 'hello' });
    assert.equal(chat.status, 200, chat.text);
    const before = upstreamSockets.length;
    for (let i = 0; i < 20; i++) {
      const r = await visitor.call('GET', '/users/me/conversations');
      assert.equal(r.status, 200, r.text);
    }
    assert.ok(upstreamSockets.length - before <= 1, `${upstreamSockets.length - before} new upstream connections for 20 reads`);
  });

  it('a stream whose first frame is late still opens at once: the head is not held for the frame', async () => {
    // An upstream that opens the stream, then sends nothing until the client has seen it open.
    let opened: () => void = () => {};
    const seen = new Promise<void>((resolve) => { opened = resolve; });
    const upstream = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      void seen.then(() => res.end('data: {"type":"text-delta","text":"late"}\n\ndata: [DONE]\n\n'));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const proxy = await startProxyServer({ port: 0, upstream: `http://127.0.0.1:${(upstream.address() as { port: number }).port}`, apiKey: 'oc_test_key', agentId: '1', secret: SECRET });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = request(`${proxy.url}/agents/1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          assert.equal(res.statusCode, 200);
          assert.match(String(res.headers['content-type']), /^text\/event-stream/);
          // Only now does the upstream send its frame: a proxy that waited for it would hang here.
          opened();
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => { body += c; });
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end('{"message":"go"}');
      });
      assert.match(text, /"text":"late"/);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it('a client that leaves mid-stream closes the upstream socket, and is not reported', { timeout: 15_000 }, async () => {
    const errors: Array<{ status: number; message: string }> = [];
    const { base } = await setup({
      onError: (e, info) => errors.push({ status: info.status, message: String(e) }),
      agentBody: { config: { pace: 0, stallAfter: 1, stallMs: 30_000 }, replies: [{ text: 'one two three' }] },
    });
    const next = new Promise<Socket>((resolve) => { onSocket = resolve; });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${base}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        assert.equal(res.statusCode, 200);
        res.once('data', () => { req.destroy(); resolve(); });
      });
      req.on('error', () => {});
      req.end('{"message":"go"}');
      setTimeout(() => reject(new Error('no first frame')), 10_000).unref();
    });
    onSocket = null;
    // The stream's upstream socket is a fresh one (the stalled reply holds it): it must close,
    // although Bookbag would keep it open for 30 s more.
    const socket = await next;
    if (!socket.destroyed) await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors, []);
  });
});
