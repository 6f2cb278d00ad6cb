// One Node http server for the whole benchmark, so pages, bundles and streams share an origin:
//   /p/<impl>/<variant>          test pages (ours | previous | deep | floor) × (load | blank)
//   /dist/<file>.js              our built bundle and its sibling chunks (markdown renderer, locales)
//   /previous/<file>.js          the same for the previous build (bench/previous.ts), when given
//   /deep/deepChat.bundle.js     deep-chat's self-contained bundle
//   /__bench/api/v2/agents/<scenario>/chat   the reply in Bookbag v2 frames (ours, floor)
//   /__bench/deep/<scenario>     the same frames, same schedule, in deep-chat's SSE format
//   /api/v2/…, /__mock/…         the local Bookbag v2 server (history scenario)
// A scenario name is a key of the stream specs (the long reply), or `short` for a turn of the
// memory scenario (its reply number is read from the user's text, "turn N").
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createBookbagServer } from '../demo/server/app.ts';
import { framesOf, markdownReply, shortReply } from './reply.ts';
import { pageHtml, type Impl, type Variant } from './pages.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES: Record<string, string> = {
  '/deep/deepChat.bundle.js': 'node_modules/deep-chat/dist/deepChat.bundle.js',
};
/** A file of a widget build: the bundle imports its chunks relative to its own URL. */
const BUILD_FILE = /^\/(dist|previous)\/([\w.-]+\.js)$/;

export interface StreamSpec {
  /** Reply text length (characters) and number of frames. */
  length: number;
  frames: number;
  /** `burst`: every frame written at once; `paced`: one frame per `frameMs`, flushed every `batchMs`. */
  mode: 'burst' | 'paced';
  frameMs: number;
  batchMs: number;
}

export interface StreamDone { scenario: string; wire: 'v2' | 'deep'; frames: number; writes: number; lastFrameAt: number; startedAt: number }

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with the page's). */
export const wallNow = () => performance.timeOrigin + performance.now();

export interface BenchServer {
  origin: string;
  events: EventEmitter;
  /** Resolves when the server has written the last frame of the next stream of `scenario`. */
  nextDone(scenario: string): Promise<StreamDone>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });
}

/**
 * @param streams  The long-reply scenarios by name.
 * @param previous The previous build's files by name (served under /previous/), if benched.
 */
export async function startBenchServer(streams: Record<string, StreamSpec>, previous?: ReadonlyMap<string, Buffer>): Promise<BenchServer> {
  const api = createBookbagServer({ pace: 0, rateLimit: 1_000_000 });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const cache = new Map<string, string[]>();
  const files = new Map<string, Buffer>();
  let seq = 0;

  function framesFor(scenario: string, body: string): { frames: string[]; spec: StreamSpec } | null {
    if (scenario === 'short') {
      // The memory scenario: the turn number comes from the user's text ("turn 17").
      const turn = Number(/turn (\d+)/.exec(body)?.[1] ?? 0);
      const spec: StreamSpec = { length: 0, frames: 0, mode: 'burst', frameMs: 0, batchMs: 0 };
      return { frames: framesOf(shortReply(turn), 12), spec };
    }
    const spec = streams[scenario];
    if (!spec) return null;
    const key = `${spec.length}/${spec.frames}`;
    let frames = cache.get(key);
    if (!frames) cache.set(key, (frames = framesOf(markdownReply(spec.length), spec.frames)));
    return { frames, spec };
  }

  async function stream(req: IncomingMessage, res: ServerResponse, scenario: string, wire: 'v2' | 'deep'): Promise<void> {
    const found = framesFor(scenario, await readBody(req));
    if (!found) return void res.writeHead(404).end('unknown scenario');
    const { frames, spec } = found;
    const n = ++seq;
    const encode = wire === 'v2'
      ? (t: string) => `data: ${JSON.stringify({ type: 'text-delta', text: t })}\n\n`
      : (t: string) => `data: ${JSON.stringify({ text: t })}\n\n`;
    const end = wire === 'v2'
      ? `data: ${JSON.stringify({
        type: 'finish', finishReason: 'stop',
        metadata: { userMessageId: `msg_u${n}`, conversationId: 'bench-conv', userId: null, messageId: `msg_a${n}`, usage: { credits: 1 } },
      })}\n\ndata: [DONE]\n\n`
      : 'data: [DONE]\n\n';
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    let closed = false;
    res.on('close', () => { closed = true; });
    const write = async (chunk: string) => {
      if (closed) return;
      if (!res.write(chunk)) {
        await new Promise<void>((r) => {
          // Remove both listeners once either fires: thousands of writes must not pile them up.
          const done = () => { res.off('drain', done); res.off('close', done); r(); };
          res.once('drain', done);
          res.once('close', done);
        });
      }
    };
    const startedAt = wallNow();
    let writes = 0;
    if (spec.mode === 'burst') {
      for (let i = 0; i < frames.length; i++) {
        await write(encode(frames[i]) + (i === frames.length - 1 ? end : ''));
        writes++;
      }
    } else {
      // Frame i is due at i × frameMs; every batchMs the frames due so far go out in one write.
      const t0 = performance.now();
      let next = 0;
      for (let k = 1; next < frames.length; k++) {
        const at = t0 + k * spec.batchMs;
        const wait = at - performance.now();
        if (wait > 0) await sleep(wait);
        const due = Math.min(frames.length, Math.floor((performance.now() - t0) / spec.frameMs) + 1);
        if (due <= next) continue;
        let chunk = '';
        for (; next < due; next++) chunk += encode(frames[next]);
        if (next === frames.length) chunk += end;
        await write(chunk);
        writes++;
        if (closed) break;
      }
    }
    const lastFrameAt = wallNow();
    res.end();
    events.emit('done', { scenario, wire, frames: frames.length, writes, lastFrameAt, startedAt } satisfies StreamDone);
  }

  const sendJs = (res: ServerResponse, body: Buffer) =>
    void res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);

  async function serveFile(res: ServerResponse, path: string): Promise<void> {
    let body = files.get(path);
    if (!body) files.set(path, (body = await readFile(root + FILES[path])));
    sendJs(res, body);
  }

  /** dist/ is read on first request (after the build); a file it lacks is a 404, not a crash. */
  async function serveBuild(res: ServerResponse, build: string, name: string): Promise<void> {
    const path = `/${build}/${name}`;
    let body = files.get(path) ?? (build === 'previous' ? previous?.get(name) : undefined);
    if (!body && build === 'dist') body = await readFile(`${root}dist/${basename(name)}`).catch(() => undefined);
    if (!body) return void res.writeHead(404).end(`${path}: not in the ${build === 'dist' ? 'build (dist/)' : 'previous build'}`);
    files.set(path, body);
    sendJs(res, body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const fail = (err: unknown) => {
      console.error('[bench server]', err);
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    };
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/__bench\/api\/v2\/agents\/([^/]+)\/chat$/.exec(path))) {
      return void stream(req, res, decodeURIComponent(m[1]), 'v2').catch(fail);
    }
    if (req.method === 'POST' && (m = /^\/__bench\/deep\/([^/]+)$/.exec(path))) {
      return void stream(req, res, decodeURIComponent(m[1]), 'deep').catch(fail);
    }
    if (FILES[path]) return void serveFile(res, path).catch(fail);
    if ((m = BUILD_FILE.exec(path))) return void serveBuild(res, m[1], m[2]).catch(fail);
    if ((m = /^\/p\/(ours|previous|deep|floor)\/(load|blank)$/.exec(path))) {
      const html = pageHtml(m[1] as Impl, m[2] as Variant);
      return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    api.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    events,
    nextDone(scenario) {
      return new Promise((resolve) => {
        const on = (d: StreamDone) => {
          if (d.scenario !== scenario) return;
          events.off('done', on);
          resolve(d);
        };
        events.on('done', on);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await api.close();
    },
  };
}
