// node:http ↔ fetch-handler adapter, streaming both ways: the request body is handed over as
// a web stream, and the response body is written chunk by chunk as it arrives (a proxied SSE
// frame reaches the browser as soon as the upstream sends it). A client that goes away
// aborts `request.signal` and cancels the response body, which cancels the upstream call.
// Whatever a client sends — a malformed Host, a method fetch cannot represent, a body the
// handler stops reading — ends in a clean 4xx, never an exception.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FetchHandler = (request: Request, info?: { clientAddress?: string }) => Promise<Response>;

export interface NodeAdapterOptions {
  /** Only paths under this prefix are handled; others go to `next` (or 404). */
  mountPath?: string;
  /** Behind a load balancer: take the scheme and host from X-Forwarded-Proto / X-Forwarded-Host. */
  trustProxy?: boolean;
  /** Diagnostics for what should never happen (a handler that throws). */
  onError?: (error: unknown) => void;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

// What `Request` can carry; TRACE, TRACK and CONNECT are forbidden there (and useless here).
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

export function toNodeHandler(handler: FetchHandler, options: NodeAdapterOptions = {}): NodeHandler {
  const mount = options.mountPath ? `/${options.mountPath.replace(/^\/+|\/+$/g, '')}` : null;
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0];
    if (mount && path !== mount && !path.startsWith(`${mount}/`)) {
      if (next) return next();
      return sendJsonError(res, 404, 'RESOURCE_NOT_FOUND', 'No such route');
    }
    void serve(handler, req, res, options).catch((error: unknown) => {
      if (res.destroyed) return; // the client left; nothing to answer, nothing failed
      options.onError?.(error);
      sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected proxy error');
    });
  };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v?.split(',')[0]?.trim();
}

/** The request's body as a web stream that can be cancelled at any point without throwing. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => { if (!settled) { settled = true; controller.close(); } });
      req.once('close', () => { if (!settled) { settled = true; controller.error(new Error('client closed the request')); } });
      req.once('error', (error) => { if (!settled) { settled = true; controller.error(error); } });
    },
    pull() { req.resume(); },
    // The handler stopped reading (too large, too slow): discard the rest as it comes; the
    // response then closes the connection.
    cancel() { settled = true; req.resume(); },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength });
}

export function toRequest(req: IncomingMessage, res: ServerResponse, options: NodeAdapterOptions = {}): Request {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || '127.0.0.1';
  if (!HOST.test(host) || (proto !== 'http' && proto !== 'https')) throw new BadRequest('Malformed Host header');
  const url = new URL(req.url ?? '/', `${proto}://${host}`);

  const controller = new AbortController();
  // 'close' on the response fires when it finished or the client went away; only the latter aborts.
  res.on('close', () => { if (!res.writableFinished) controller.abort(); });

  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (hasBody) {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

class BadRequest extends Error {}

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

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, options: NodeAdapterOptions): Promise<void> {
  const method = req.method ?? 'GET';
  if (!METHODS.has(method)) {
    return sendJsonError(res, 405, 'VALIDATION_INVALID_BODY', `Method ${method.slice(0, 20)} is not allowed`, { Allow: 'GET, POST, PATCH, OPTIONS' });
  }
  let request: Request;
  try {
    request = toRequest(req, res, options);
  } catch (error) {
    // A header value fetch refuses, a Host no URL can hold: the client's mistake, not ours.
    return sendJsonError(res, 400, 'VALIDATION_INVALID_BODY', error instanceof BadRequest ? error.message : 'Malformed request');
  }
  const response = await handler(request, { clientAddress: req.socket.remoteAddress });
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => { if (name !== 'set-cookie') headers[name] = value; });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  // The handler answered before reading the whole body. A slow sender (408) is cut off. A
  // large one (413) is read on and discarded, up to a cap, so that it sees the answer: closing
  // on a client still sending makes its kernel reset the connection and drop the reply.
  if (!req.complete && method !== 'GET' && method !== 'HEAD') {
    if (response.status === 408) headers.connection = 'close';
    else discardRest(req);
  }
  if (!response.body) return void res.writeHead(response.status, headers).end();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.on('close', stop);
  try {
    if (!/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
      // A JSON reply: collect it (it is small) and send head and body in one write, with a
      // Content-Length, instead of a chunked head, chunk and trailer — a third of the syscalls.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.byteLength;
        if (size > BUFFER_LIMIT) break;
      }
      if (res.destroyed) return;
      if (size <= BUFFER_LIMIT) {
        headers['content-length'] = String(size);
        res.writeHead(response.status, headers);
        return void res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      }
      res.writeHead(response.status, headers);
      for (const c of chunks) res.write(c);
    } else {
      res.writeHead(response.status, headers);
      // Send the status line now, so the browser sees a stream open before its first frame.
      res.flushHeaders();
    }
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
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
