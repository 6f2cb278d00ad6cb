// The proxy server's own deadlines, shared by `npm run proxy` (main.ts) and
// `npm start -- --via-proxy` (demo/serve.ts), so both hold the same line against slow or
// silent clients: the request head within `headersTimeoutMs`, the whole request within head +
// body deadline, idle keep-alive sockets closed after `keepAliveTimeoutMs`, a new socket that
// sends nothing closed too, and a garbled or slow head answered 400/408/431 without a stack trace.
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerTimeouts {
  /** The whole request head must arrive within this time; idle new sockets are closed too. Default 10 s. */
  headersTimeoutMs?: number;
  /** The whole request body must arrive within this time (the proxy answers 408). Default 10 s. */
  bodyTimeoutMs?: number;
  /** An idle keep-alive socket is closed after this time. Default 5 s. */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<ServerTimeouts> = { headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 };

/** The given deadlines, the defaults for those left out (or undefined). */
export function resolveTimeouts(timeouts: ServerTimeouts = {}): Required<ServerTimeouts> {
  return {
    headersTimeoutMs: timeouts.headersTimeoutMs ?? DEFAULT_TIMEOUTS.headersTimeoutMs,
    bodyTimeoutMs: timeouts.bodyTimeoutMs ?? DEFAULT_TIMEOUTS.bodyTimeoutMs,
    keepAliveTimeoutMs: timeouts.keepAliveTimeoutMs ?? DEFAULT_TIMEOUTS.keepAliveTimeoutMs,
  };
}

/** Options for `http.createServer` (some can only be given there). */
export function guardedServerOptions(timeouts: ServerTimeouts = {}): ServerOptions {
  const t = resolveTimeouts(timeouts);
  return {
    headersTimeout: t.headersTimeoutMs,
    // A backstop behind the proxy's own body deadline.
    requestTimeout: t.headersTimeoutMs + t.bodyTimeoutMs + 1000,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // How often Node checks those deadlines (its default, 30 s, would let slow sockets linger).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersTimeoutMs / 4))),
  };
}

/** Closes sockets that never send a request, and answers client errors cleanly. Call once, right after createServer. */
export function guardServer(server: Server, timeouts: ServerTimeouts = {}): void {
  const { headersTimeoutMs } = resolveTimeouts(timeouts);
  const firstRequest = new WeakMap<Socket, ReturnType<typeof setTimeout>>();
  const started = (socket: Socket) => {
    const timer = firstRequest.get(socket);
    if (timer) { clearTimeout(timer); firstRequest.delete(socket); }
  };
  // Node's headersTimeout starts with the first byte of a request: a socket that sends
  // nothing, or trickles its first request head, is closed here instead.
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), headersTimeoutMs);
    timer.unref();
    firstRequest.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (req) => started(req.socket));
  // An upgrade (Vite's HMR WebSocket) is a request too; with nobody else to take it, it is closed.
  server.on('upgrade', (req, socket: Socket) => {
    started(req.socket);
    if (server.listenerCount('upgrade') === 1) socket.destroy();
  });
  // A client that never sends its head, or sends it slowly, gets 408 and a closed socket
  // (Node's own handling); a garbled one gets 400 without a stack trace.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !socket.destroyed) {
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({ error: { code: 'VALIDATION_INVALID_BODY', message: status === 408 ? 'Request timed out' : 'Malformed request' } });
      socket.end(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy();
  });
}
