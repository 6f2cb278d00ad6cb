// node:http ↔ fetch-handler adapter, streaming both ways: the request body is handed over as
// a web stream, and the response body is written chunk by chunk as it arrives (a proxied SSE
// frame reaches the browser as soon as the upstream sends it). A client that goes away
// aborts `request.signal` and cancels the response body, which cancels the upstream call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface NodeAdapterOptions {
  /** Only paths under this prefix are handled; others go to `next` (or 404). */
  mountPath?: string;
  /** Behind a load balancer: take the scheme and host from X-Forwarded-Proto / X-Forwarded-Host. */
  trustProxy?: boolean;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export function toNodeHandler(handler: FetchHandler, options: NodeAdapterOptions = {}): NodeHandler {
  const mount = options.mountPath ? `/${options.mountPath.replace(/^\/+|\/+$/g, '')}` : null;
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0];
    if (mount && path !== mount && !path.startsWith(`${mount}/`)) {
      if (next) return next();
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'RESOURCE_NOT_FOUND', message: `No route for ${req.method} ${path}` } }));
      return;
    }
    void serve(handler, req, res, options).catch((error: unknown) => {
      console.error('[bookbag-proxy] adapter error', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected proxy error' } }));
      } else {
        res.destroy();
      }
    });
  };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v?.split(',')[0]?.trim();
}

export function toRequest(req: IncomingMessage, res: ServerResponse, options: NodeAdapterOptions = {}): Request {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || '127.0.0.1';
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
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(url, init);
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, options: NodeAdapterOptions): Promise<void> {
  const response = await handler(toRequest(req, res, options));
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => { if (name !== 'set-cookie') headers[name] = value; });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  // Send the status line now, so the browser sees a stream open before its first frame.
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.on('close', stop);
  try {
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
