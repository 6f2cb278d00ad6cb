// `npm start`: the demo page and the local Bookbag v2 API on one origin (127.0.0.1), so the
// page needs no CORS. Dev mode serves the TypeScript source through Vite; `--built` serves
// dist/bookbag-chat.js (run `npm run build` first), which is what the end-to-end test uses.
// `--via-proxy` puts the Bookbag proxy (src/proxy) in front of the local API at /chat-api/v2
// and serves the page with that api-base and no api-key: page → proxy (adds the key, sets
// userId from its cookie) → local API, the same chain as a production deployment.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createBookbagServer } from './server/app.ts';
import { createBookbagProxyEngine } from '../src/proxy/index.ts';
import { toNodeHandler, type NodeHandler } from './proxy/node-adapter.ts';
import { guardedServerOptions, guardServer, resolveTimeouts, type ServerTimeouts } from './proxy/server-guards.ts';
import { createNodeUpstream } from './proxy/upstream-fetch.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

export interface DemoOptions {
  port?: number;
  built?: boolean;
  pace?: number;
  dataFile?: string;
  quiet?: boolean;
  /** Serve the page through the proxy at PROXY_MOUNT (no api-key on the page). */
  viaProxy?: boolean;
  /** With `viaProxy`: the server's deadlines, the proxy CLI's by default (demo/proxy/server-guards.ts). */
  proxyTimeouts?: ServerTimeouts;
}

export const PROXY_MOUNT = '/chat-api/v2';
const DEMO_KEY = 'oc_test_agent123';

/** The demo page as the proxy setup serves it: the proxy's api-base, and no key at all. */
function viaProxyHtml(html: string): string {
  return html.replace(/\s+api-key="[^"]*"/, '').replace('api-base="/api/v2"', `api-base="${PROXY_MOUNT}"`);
}

export interface RunningDemo {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Starts the demo server; resolves with the demo page's URL. */
export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const api = createBookbagServer({ pace: opts.pace, dataFile: opts.dataFile });
  let vite: import('vite').ViteDevServer | undefined;
  let proxy: NodeHandler | null = null;
  const timeouts = resolveTimeouts(opts.proxyTimeouts);
  // With the proxy in front, this server holds the same line as `npm run proxy` against slow clients.
  const server = http.createServer(opts.viaProxy ? guardedServerOptions(timeouts) : {}, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (opts.viaProxy && (path === PROXY_MOUNT || path.startsWith(`${PROXY_MOUNT}/`))) {
      if (proxy) return proxy(req, res);
      return void res.writeHead(503).end();
    }
    api.handle(req, res, () => {
      if (path === '/' || path === '/demo') {
        res.writeHead(302, { Location: '/demo/' }).end();
      } else if (opts.viaProxy && (path === '/demo/' || path === '/demo/index.html')) {
        void servePage(path, res, vite);
      } else if (vite) {
        vite.middlewares(req, res, () => res.writeHead(404).end('Not found'));
      } else {
        void serveBuilt(path, res);
      }
    });
  });
  if (opts.viaProxy) guardServer(server, timeouts);
  if (!opts.built) {
    const { createServer } = await import('vite');
    // HMR's WebSocket shares this server (127.0.0.1, the port picked below): Vite's own default,
    // port 24678 on every interface, collides when a second `npm start` runs.
    vite = await createServer({ root, configFile: false, appType: 'mpa', logLevel: 'warn', server: { middlewareMode: true, hmr: { server } } });
  }
  const port = await listen(server, opts.port ?? 5173);
  const origin = `http://127.0.0.1:${port}`;
  if (opts.viaProxy) {
    // The upstream is this very server's /api/v2; the key lives only in this process.
    const engine = createBookbagProxyEngine({
      upstream: origin, apiKey: DEMO_KEY, agentId: 123, mountPath: PROXY_MOUNT, bodyTimeoutMs: timeouts.bodyTimeoutMs,
      secret: process.env.BOOKBAG_PROXY_SECRET ?? randomBytes(32).toString('base64url'),
      onError: (error, info) => { if (!opts.quiet) console.error(`[proxy] ${info.status} ${info.path}:`, error instanceof Error ? error.message : error); },
    }, createNodeUpstream());
    proxy = toNodeHandler(engine, { mountPath: PROXY_MOUNT });
  }
  return {
    url: `${origin}/demo/`,
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vite?.close();
      await api.close();
    },
  };
}

/** The demo page for `--via-proxy`, from source (through Vite) or pointing at the built bundle. */
async function servePage(path: string, res: http.ServerResponse, vite: import('vite').ViteDevServer | undefined): Promise<void> {
  try {
    let html = await readFile(join(root, 'demo/index.html'), 'utf8');
    html = vite ? await vite.transformIndexHtml(path, html) : html.replace('/src/define.ts', '/dist/bookbag-chat.js');
    res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store' }).end(viaProxyHtml(html));
  } catch {
    res.writeHead(500).end('Could not read the demo page');
  }
}

/** The built bundle and the demo's static files; the page loads the bundle instead of the source. */
async function serveBuilt(path: string, res: http.ServerResponse): Promise<void> {
  const file = path === '/demo/' ? '/demo/index.html' : path;
  const safe = normalize(file).replace(/^(\.\.[/\\])+/, '');
  // The bundle and its sibling chunks (the built-in locales other than English).
  if (!safe.startsWith('/demo/') && !/^\/dist\/bookbag-chat(-[\w-]+)?\.js$/.test(safe)) return void res.writeHead(404).end('Not found');
  try {
    let body: Buffer | string = await readFile(join(root, safe));
    if (safe.endsWith('.html')) body = body.toString('utf8').replace('/src/define.ts', '/dist/bookbag-chat.js');
    res.writeHead(200, { 'Content-Type': TYPES[extname(safe)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404).end('Not found');
  }
}

/** Listens on 127.0.0.1; a taken default port falls back to any free one. */
function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const attempt = (p: number) => {
      server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' && p !== 0 ? attempt(0) : reject(err)));
      server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    };
    attempt(port);
  });
}

function parseFlags(argv: string[]): DemoOptions {
  const opts: DemoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--built') opts.built = true;
    else if (flag === '--port') opts.port = Number(argv[++i]);
    else if (flag === '--pace') opts.pace = Number(argv[++i]);
    else if (flag === '--data') opts.dataFile = argv[++i];
    else if (flag === '--via-proxy') opts.viaProxy = true;
    else if (flag === '--help') {
      process.stdout.write('Usage: npm start -- [--port N] [--built] [--pace MS] [--data FILE] [--via-proxy]\n');
      process.exit(0);
    } else {
      process.stderr.write(`Unknown option ${flag} (try --help)\n`);
      process.exit(2);
    }
  }
  return opts;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const demo = await startDemo(parseFlags(process.argv.slice(2)));
  // The one line with a URL: the demo page.
  process.stdout.write(`Demo: ${demo.url}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void demo.close().then(() => process.exit(0)));
}
