// Proxy test helpers: the real local Bookbag server as upstream, the proxy behind the real
// Node adapter, and a "visitor" with a one-cookie jar.
import { request } from 'node:http';
import { connect } from 'node:net';
import { startProxyServer, type ProxyServerOptions, type RunningProxy } from '../../demo/proxy/main.ts';
import { after, before } from 'node:test';
import { call, mockAgent, start, type MockAgent, type Running } from '../server/helpers.ts';

export const SECRET = 'test-secret-0123456789-abcdef';

export interface Setup { agent: MockAgent; proxy: RunningProxy }

export async function proxyFor(srv: Running, options: Partial<ProxyServerOptions> & { agentBody?: unknown } = {}): Promise<Setup> {
  const { agentBody, ...rest } = options;
  const agent = await mockAgent(srv.origin, agentBody ?? {});
  const proxy = await startProxyServer({
    port: 0, upstream: srv.origin, apiKey: agent.agentKey, agentId: agent.agentId, secret: SECRET, ...rest,
  });
  return { agent, proxy };
}

export interface Recorded { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: any }

export async function upstreamRequests(srv: Running, agentId: string): Promise<Recorded[]> {
  const r = await call(srv.origin, 'GET', `/__mock/agents/${agentId}/requests`, { key: null });
  return r.json.data;
}

export async function configure(srv: Running, agentId: string, body: unknown): Promise<void> {
  const r = await call(srv.origin, 'PATCH', `/__mock/agents/${agentId}`, { key: null, body });
  if (r.status !== 200) throw new Error(`configure: ${r.status} ${r.text}`);
}

export interface ProxyReply { status: number; headers: Headers; text: string; json: any }

/** A browser stand-in: keeps the proxy's cookie and sends it back. */
export class Visitor {
  cookie: string | null = null;
  setCookies: string[] = [];

  constructor(private readonly base: string, private readonly defaults: Record<string, string> = {}) {}

  /** The visitor id inside the signed cookie value. */
  get id(): string | null {
    return this.cookie ? this.cookie.split('=')[1].split('.')[0] : null;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ProxyReply> {
    const h: Record<string, string> = { ...this.defaults, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    this.setCookies = res.headers.getSetCookie();
    const first = this.setCookies[0];
    if (first) this.cookie = first.split(';')[0];
    const text = await res.text();
    let json: any;
    try { json = JSON.parse(text); } catch { /* SSE or empty */ }
    return { status: res.status, headers: res.headers, text, json };
  }
}

export function finishOf(sse: string): any {
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data:') || line.includes('[DONE]')) continue;
    const f = JSON.parse(line.slice(5));
    if (f.type === 'finish') return f;
  }
  return null;
}

export interface TimedChunk { at: number; text: string }

/** A node:http request that timestamps every chunk (to show frames pass before the end). */
export function timed(url: string, method: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; chunks: TimedChunk[]; start: number; end: number; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: TimedChunk[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => chunks.push({ at: performance.now() - start, text: c.toString('utf8') }));
      res.on('aborted', () => { aborted = true; });
      res.on('error', () => { aborted = true; });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, chunks, start, end: performance.now() - start, aborted: aborted || !res.complete }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export interface CliProxy {
  url: string; origin: string; child: import('node:child_process').ChildProcess;
  /** What it wrote to stderr so far (all of it once `close()` resolved). */
  stderr: () => string;
  exited: Promise<number | null>;
  close(): Promise<void>;
}

/** `npm run proxy` as a child process (the real CLI), resolved once it prints its URL. */
export async function startCli(args: string[], env: Record<string, string> = {}): Promise<CliProxy> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/proxy/main.ts', '--port', '0', ...args], {
    env: { ...process.env, BOOKBAG_PROXY_SECRET: SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c) => { err += c; });
  // 'close', not 'exit': it comes after stdout/stderr have ended, so stderr() is then complete.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /(http:\/\/\S+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`proxy CLI exited (${code}) before listening: ${err}`)));
  });
  return {
    url, origin: new URL(url).origin, child, stderr: () => err, exited,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sends a request over a raw socket and resolves with what came back when the server closes or answers. */
export function rawExchange(origin: string, payload: string): Promise<{ text: string; status: number }> {
  return import('node:net').then(({ connect }) => new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    const socket = connect(Number(port), hostname, () => socket.write(payload));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => {
      text += c;
      // One complete response with a Content-Length body is enough.
      const head = text.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(text);
      if (head !== -1 && len && text.length >= head + 4 + Number(len[1])) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0) }));
  }));
}

/**
 * The slow-body attack: POSTs a 213-byte JSON body to `path` one byte every 50 ms over a raw
 * socket, and resolves when the server closes it, with what it answered and whether the whole
 * body got out first (a server with its own body timeout cuts it off before that).
 */
export function trickleBody(origin: string, path: string): Promise<{ text: string; sentAll: boolean }> {
  const { hostname, port } = new URL(origin);
  const body = `{"message":"${'z'.repeat(200)}"}`;
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '', sent = 0;
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    const timer = setInterval(() => { if (sent < body.length && !socket.destroyed) socket.write(body[sent++]); }, 50);
    socket.on('data', (c) => { text += c; });
    socket.on('error', () => {});
    socket.on('close', () => { clearInterval(timer); resolve({ text, sentAll: sent >= body.length }); });
  });
}

/**
 * Starts the local Bookbag server (the proxy's upstream) before a test file runs, hands it to
 * `use`, and after the file closes everything pushed onto the returned list, then the server.
 */
export function upstreamForFile(use: (srv: Running) => void): Array<() => Promise<void>> {
  const closers: Array<() => Promise<void>> = [];
  let srv: Running;
  before(async () => {
    srv = await start();
    use(srv);
  });
  after(async () => {
    for (const close of closers) await close();
    await srv.close();
  });
  return closers;
}
