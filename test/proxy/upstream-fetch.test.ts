// The CLI's upstream client (demo/proxy/upstream-fetch.ts): keep-alive, streamed bodies, and the
// one safe retry when a reused socket turns out to have been closed by the upstream.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { createNodeUpstream } from '../../demo/proxy/upstream-fetch.ts';
import type { UpstreamReply } from '../../src/proxy/index.ts';

async function text(reply: UpstreamReply): Promise<string> {
  let out = '';
  for (let c = await reply.body.read(); c !== null; c = await reply.body.read()) out += Buffer.from(c).toString('utf8');
  return out;
}

/** A raw HTTP/1.1 server: answers `ok N` with keep-alive, but resets a socket on its second request (the idle-close race). */
async function flakyKeepAlive(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    n++;
    let requests = 0;
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk;
      while (buffer.includes('\r\n\r\n')) {
        buffer = buffer.slice(buffer.indexOf('\r\n\r\n') + 4);
        if (++requests === 2) return void socket.resetAndDestroy();
        const body = `ok ${n}`;
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/x`, connections: () => n,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

describe('createNodeUpstream', () => {
  it('retries once on a fresh socket when a reused one was reset before any reply', async () => {
    const up = await flakyKeepAlive();
    try {
      const f = createNodeUpstream();
      assert.equal(await text(await f(up.url, { method: 'GET', headers: {} }).reply), 'ok 1');
      // Reuses socket 1, which the server resets: the retry goes to socket 2.
      assert.equal(await text(await f(up.url, { method: 'POST', headers: {}, body: '{}' }).reply), 'ok 2');
      assert.equal(up.connections(), 2);
    } finally {
      await up.close();
    }
  });

  it('does not retry a reset on a fresh socket', async () => {
    const server = createServer((s) => { s.on('error', () => {}); s.once('data', () => s.resetAndDestroy()); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let connections = 0;
    server.on('connection', () => connections++);
    try {
      const { port } = server.address() as { port: number };
      await assert.rejects(createNodeUpstream()(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {} }).reply, /ECONNRESET|socket hang up/);
      assert.equal(connections, 1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
