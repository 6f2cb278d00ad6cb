// `npm start`: the demo page and the local Bookbag v2 API on one origin (127.0.0.1), so the
// page needs no CORS. Dev mode serves the TypeScript source through Vite; `--built` serves
// dist/bookbag-chat.js (run `npm run build` first), which is what the end-to-end test uses.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createBookbagServer } from './server/app.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

export interface DemoOptions {
  port?: number;
  built?: boolean;
  pace?: number;
  dataFile?: string;
  quiet?: boolean;
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
  if (!opts.built) {
    const { createServer } = await import('vite');
    vite = await createServer({ root, configFile: false, appType: 'mpa', logLevel: 'warn', server: { middlewareMode: true, hmr: false } });
  }
  const server = http.createServer((req, res) => {
    api.handle(req, res, () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/' || path === '/demo') {
        res.writeHead(302, { Location: '/demo/' }).end();
      } else if (vite) {
        vite.middlewares(req, res, () => res.writeHead(404).end('Not found'));
      } else {
        void serveBuilt(path, res);
      }
    });
  });
  const port = await listen(server, opts.port ?? 5173);
  const origin = `http://127.0.0.1:${port}`;
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

/** The built bundle and the demo's static files; the page loads the bundle instead of the source. */
async function serveBuilt(path: string, res: http.ServerResponse): Promise<void> {
  const file = path === '/demo/' ? '/demo/index.html' : path;
  const safe = normalize(file).replace(/^(\.\.[/\\])+/, '');
  if (!safe.startsWith('/demo/') && safe !== '/dist/bookbag-chat.js') return void res.writeHead(404).end('Not found');
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
    else if (flag === '--help') {
      process.stdout.write('Usage: npm start -- [--port N] [--built] [--pace MS] [--data FILE]\n');
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
