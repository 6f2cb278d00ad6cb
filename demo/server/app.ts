// Entry points. `createBookbagServer` is a request handler, not a server, because the demo
// host mounts it beside Vite in its own HTTP server; `startBookbagServer` wraps it in a
// standalone listener for tests and the CLI.
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api.ts';
import type { AppState } from './context.ts';
import { BookbagError, type ApiErrorCode } from '../../src/protocol/index.ts';
import { answerPreflight, applyCors, newRequestId, RateLimiter, sendError } from './http.ts';
import { handleMock } from './mock.ts';
import { Store } from './store.ts';
import type { ServerOptions } from './types.ts';

export type { ServerOptions } from './types.ts';

export interface BookbagServer {
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
  close(): Promise<void>;
}

export function createBookbagServer(options: ServerOptions = {}): BookbagServer {
  const state: AppState = {
    store: new Store(options.dataFile),
    limiter: new RateLimiter(options.rateLimit ?? 100, options.rateWindowMs ?? 10_000),
    pace: options.pace ?? 35,
    testApi: options.testApi ?? true,
    requests: new Map(),
    shutdown: new AbortController(),
  };
  // Every open request listens for shutdown; many parallel browser tests are normal, not a leak.
  setMaxListeners(0, state.shutdown.signal);

  function fail(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    if (err instanceof BookbagError) return sendError(res, err.status ?? 500, err.code as ApiErrorCode, err.message);
    console.error('[bookbag] unexpected error', err);
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected server error');
  }

  function handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const isApi = path === '/api/v2' || path.startsWith('/api/v2/');
    const isMock = path === '/__mock' || path.startsWith('/__mock/');
    if (!isApi && !isMock) {
      if (next) return next();
      applyCors(req, res);
      return sendError(res, 404, 'RESOURCE_NOT_FOUND', `No route for ${req.method} ${path}`);
    }
    applyCors(req, res);
    if (isApi) res.setHeader('x-request-id', newRequestId());
    if (req.method === 'OPTIONS') return answerPreflight(req, res);
    if (isMock && !state.testApi) return sendError(res, 404, 'RESOURCE_NOT_FOUND', 'The test API is disabled');
    const work = isApi ? handleApi(state, req, res, url) : handleMock(state, req, res, url);
    work.catch((err: unknown) => fail(res, err));
  }

  async function close(): Promise<void> {
    state.shutdown.abort();
    state.store.flush();
  }

  return { handle, close };
}

export interface RunningServer { origin: string; port: number; close(): Promise<void> }

export async function startBookbagServer(options: ServerOptions & { port?: number } = {}): Promise<RunningServer> {
  const app = createBookbagServer(options);
  const server = createServer((req, res) => app.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await app.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
