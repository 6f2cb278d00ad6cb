// Shared helpers for the server tests: a real listener per test file, fetch wrappers, a raw
// byte-level client for stream switches, and a tiny SSE splitter.
import { request } from 'node:http';
import { startBookbagServer, type ServerOptions } from '../../demo/server/app.ts';

export type Running = Awaited<ReturnType<typeof startBookbagServer>>;

export function start(options: ServerOptions & { port?: number } = {}): Promise<Running> {
  return startBookbagServer({ pace: 0, ...options });
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CallOptions { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }

export async function call(origin: string, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? 'oc_test_demo' : opts.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(origin + path, { method, headers, body });
  const text = await res.text();
  let json: any = undefined;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

export interface MockAgent { agentId: string; workspaceKey: string; agentKey: string; apiBase: string }

export async function mockAgent(origin: string, body: unknown = {}): Promise<MockAgent> {
  const r = await call(origin, 'POST', '/__mock/agents', { key: null, body });
  if (r.status !== 201) throw new Error(`mock agent: ${r.status} ${r.text}`);
  return r.json;
}

export async function seedConversation(origin: string, agentId: string, body: unknown): Promise<string> {
  const r = await call(origin, 'POST', `/__mock/agents/${agentId}/conversations`, { key: null, body });
  if (r.status !== 201) throw new Error(`seed: ${r.status} ${r.text}`);
  return r.json.conversationId;
}

/** The `data:` payloads of an SSE body, in order (other lines skipped). */
export function dataLines(body: string): string[] {
  return body.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart());
}

/** Parsed data frames, `[DONE]` excluded; throws on a malformed frame. */
export function frames(body: string): any[] {
  return dataLines(body).filter((d) => d !== '[DONE]').map((d) => JSON.parse(d));
}

export function textOf(body: string): string {
  return frames(body).filter((f) => f.type === 'text-delta').map((f) => f.text).join('');
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  chunks: Buffer[];
  /** True when the socket closed before the response completed. */
  aborted: boolean;
}

/** A node:http request that records every chunk and survives a server-side socket drop. */
export function raw(origin: string, method: string, path: string, opts: CallOptions = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? 'oc_test_demo' : opts.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = request(origin + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('aborted', () => { aborted = true; });
      res.on('error', () => { aborted = true; });
      res.on('close', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), chunks, aborted: aborted || !res.complete });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Resolves with `check`'s first truthy result, checking again every 10 ms: a wait on a condition
 * (never a fixed sleep). Fails after `timeoutMs`, a hang guard, naming `what` it waited for.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
