// The proxy (its exchange interfaces, src/proxy/exchange.ts) served by node:http directly: no
// web Request/Response objects and no web streams in between, which was most of the proxy's
// CPU per request (`npm run bench:proxy -- --profile DIR`). The request body is read chunk by
// chunk as the proxy asks for it, and a streamed reply is written frame by frame as it comes
// (a proxied SSE frame reaches the browser as soon as the upstream sends it). A client that
// goes away ends the upstream call at once. Whatever a client sends — a malformed Host, a
// method the proxy does not serve, a body it stops reading — ends in a clean 4xx, never an
// exception.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodySource, BookbagProxyEngine, Departure, ProxyAnswer, ProxyCall } from '../../src/proxy/index.ts';
import { incomingBody } from './incoming-body.ts';

export interface NodeAdapterOptions {
  /** Only paths under this prefix are handled; others go to `next` (or 404). */
  mountPath?: string;
  /** Behind a load balancer: take the scheme and host from X-Forwarded-Proto / X-Forwarded-Host. */
  trustProxy?: boolean;
  /** Diagnostics for what should never happen (a handler that throws). */
  onError?: (error: unknown) => void;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

// What a web `Request` can carry (identify() gets one); TRACE, TRACK and CONNECT are useless here.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
// A Host is a name or an address with an optional port: nothing else reaches `new URL`.
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

function sendJsonError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return void res.destroy();
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'", Connection: 'close', ...extra,
  });
  res.end(body);
}

export function toNodeHandler(engine: BookbagProxyEngine, options: NodeAdapterOptions = {}): NodeHandler {
  const mount = options.mountPath ? `/${options.mountPath.replace(/^\/+|\/+$/g, '')}` : null;
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0];
    if (mount && path !== mount && !path.startsWith(`${mount}/`)) {
      if (next) return next();
      return sendJsonError(res, 404, 'RESOURCE_NOT_FOUND', 'No such route');
    }
    void serve(engine, req, res, options).catch((error: unknown) => {
      if (res.destroyed) return; // the client left; nothing to answer, nothing failed
      options.onError?.(error);
      sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected proxy error');
    });
  };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v?.split(',')[0]?.trim();
}

/** The client leaving: the response closed before it was finished. */
function departureOf(res: ServerResponse): Departure {
  let aborted = false;
  const listeners = new Set<() => void>();
  res.on('close', () => {
    if (res.writableFinished) return;
    aborted = true;
    for (const listener of listeners) listener();
    listeners.clear();
  });
  return {
    get aborted() { return aborted; },
    onAbort(listener) {
      if (!aborted) listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

class BadRequest extends Error {}

export function callOf(req: IncomingMessage, res: ServerResponse, options: NodeAdapterOptions = {}): ProxyCall {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || '127.0.0.1';
  if (!HOST.test(host) || (proto !== 'http' && proto !== 'https')) throw new BadRequest('Malformed Host header');
  const url = new URL(req.url ?? '/', `${proto}://${host}`);
  const method = req.method ?? 'GET';
  const header = (name: string): string | null => {
    const v = req.headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  return {
    method,
    url,
    header,
    // The rest of a body the proxy stopped reading (too large, too slow) is discarded as it comes.
    body: method === 'GET' || method === 'HEAD' ? null : incomingBody(req, (m) => void m.resume()),
    departure: departureOf(res),
    clientAddress: req.socket.remoteAddress,
    toRequest: () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name.startsWith(':')) continue;
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else headers.set(name, value);
      }
      return new Request(url, { method, headers });
    },
  };
}

const DISCARD_LIMIT = 8 * 1024 * 1024;
/** JSON replies up to this size are sent in one write; larger ones stream. */
const BUFFER_LIMIT = 1024 * 1024;

function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > DISCARD_LIMIT) req.socket.destroy();
  });
  req.resume();
}

async function serve(engine: BookbagProxyEngine, req: IncomingMessage, res: ServerResponse, options: NodeAdapterOptions): Promise<void> {
  const method = req.method ?? 'GET';
  if (!METHODS.has(method)) {
    return sendJsonError(res, 405, 'VALIDATION_INVALID_BODY', `Method ${method.slice(0, 20)} is not allowed`, { Allow: 'GET, POST, PATCH, OPTIONS' });
  }
  let call: ProxyCall;
  try {
    call = callOf(req, res, options);
  } catch (error) {
    // A Host no URL can hold: the client's mistake, not ours.
    return sendJsonError(res, 400, 'VALIDATION_INVALID_BODY', error instanceof BadRequest ? error.message : 'Malformed request');
  }
  const answer = await engine(call);
  const body = answer.body;
  if (res.destroyed) {
    if (body !== null && typeof body !== 'string') body.cancel();
    return;
  }
  const headers: Record<string, string | string[]> = Object.fromEntries(answer.headers);
  if (answer.setCookie) headers['set-cookie'] = [answer.setCookie];
  // The proxy answered before reading the whole body. A slow sender (408) is cut off. A
  // large one (413) is read on and discarded, up to a cap, so that it sees the answer: closing
  // on a client still sending makes its kernel reset the connection and drop the reply.
  if (call.body && !req.complete) {
    call.body.cancel();
    if (answer.status === 408) headers.connection = 'close';
    else discardRest(req);
  }
  if (body === null) return void res.writeHead(answer.status, headers).end();
  if (typeof body === 'string') {
    headers['content-length'] = String(Buffer.byteLength(body));
    return void res.writeHead(answer.status, headers).end(body);
  }
  await writeStream(res, answer, headers, body);
}

const LATER = Symbol('later');

/** `read`'s chunk if it arrives within this event-loop turn, else LATER (the read goes on). */
function firstOrLater(read: Promise<Uint8Array | null>): Promise<Uint8Array | null | typeof LATER> {
  let turn: ReturnType<typeof setImmediate> | undefined;
  const later = new Promise<typeof LATER>((resolve) => { turn = setImmediate(resolve, LATER); });
  return Promise.race([read, later]).finally(() => clearImmediate(turn));
}

async function writeStream(res: ServerResponse, answer: ProxyAnswer, headers: Record<string, string | string[]>, body: BodySource): Promise<void> {
  const stop = () => body.cancel();
  res.on('close', stop);
  let pending: Promise<Uint8Array | null> | null = null;
  try {
    if (!/^text\/event-stream/i.test(answer.headers.get('content-type') ?? '')) {
      // A JSON reply: collect it (it is small) and send head and body in one write, with a
      // Content-Length, instead of a chunked head, chunk and trailer — a third of the syscalls.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const chunk = await body.read();
        if (chunk === null) break;
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size > BUFFER_LIMIT) break;
      }
      if (res.destroyed) return;
      if (size <= BUFFER_LIMIT) {
        headers['content-length'] = String(size);
        res.writeHead(answer.status, headers);
        return void res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      }
      res.writeHead(answer.status, headers);
      for (const c of chunks) res.write(c);
    } else {
      res.writeHead(answer.status, headers);
      const first = body.read();
      // The head goes out with the first frame when that is already here (one write and one
      // packet instead of two: the upstream usually sends both at once). Otherwise it is sent
      // at the end of this event-loop turn, so the browser sees the stream open before its
      // first frame; the frame itself is never held back.
      if ((await firstOrLater(first)) === LATER && !res.destroyed) res.flushHeaders();
      pending = first;
    }
    for (;;) {
      const chunk = await (pending ?? body.read());
      pending = null;
      if (chunk === null) break;
      if (!res.write(chunk)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    // The upstream died mid-body: drop the connection so the client sees an interrupted
    // stream rather than a clean end.
    res.destroy();
  } finally {
    res.off('close', stop);
  }
}
