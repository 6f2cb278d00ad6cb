// `npm run proxy`: the Bookbag proxy as a standalone Node HTTP server.
//   BOOKBAG_API_KEY=oc_live_… npm run proxy -- --agent 123 --upstream https://app.bookbag.ai \
//     --allow-origin https://shop.example [--port 8788] [--host 127.0.0.1] [--secret …] [--cross-site]
// Prints exactly one line with its URL on stdout; warnings go to stderr.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBookbagProxy, type BookbagProxyOptions } from '../../src/proxy/index.ts';
import { toNodeHandler } from './node-adapter.ts';

export { toNodeHandler, toRequest, type NodeHandler, type NodeAdapterOptions } from './node-adapter.ts';

export interface ProxyServerOptions extends BookbagProxyOptions {
  port?: number;
  host?: string;
  trustProxy?: boolean;
}

export interface RunningProxy { url: string; origin: string; port: number; close(): Promise<void> }

export async function startProxyServer(options: ProxyServerOptions): Promise<RunningProxy> {
  const { port = 8788, host = '127.0.0.1', trustProxy, ...proxyOptions } = options;
  const mountPath = proxyOptions.mountPath ?? '/api/v2';
  const handler = toNodeHandler(createBookbagProxy({ ...proxyOptions, mountPath }), { mountPath, trustProxy });
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const actual = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
  let closing: Promise<void> | null = null;
  return {
    url: `${origin}${mountPath}`,
    origin,
    port: actual,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const HELP = `Usage: BOOKBAG_API_KEY=oc_… npm run proxy -- --agent ID [options]

  --agent ID             the agent to serve (env BOOKBAG_AGENT_ID)
  --upstream URL         Bookbag origin (env BOOKBAG_UPSTREAM; default https://app.bookbag.ai)
  --allow-origin ORIGIN  a page origin allowed to call the proxy; repeat or comma-separate
                         (env BOOKBAG_ALLOW_ORIGINS)
  --secret S             cookie-signing secret, ≥16 chars; comma-separate to rotate, newest first
                         (env BOOKBAG_PROXY_SECRET; default: random per process)
  --cross-site           pages on other sites use the proxy: SameSite=None cookies
  --port N               default 8788 (env PORT)
  --host H               default 127.0.0.1 (use 0.0.0.0 in a container)
  --mount PATH           default /api/v2
  --rate N/SECONDS       per-visitor limit, default 30/10
  --max-body BYTES       default 32768
  --timeout MS           upstream connect/first-byte timeout, default 15000
  --trust-proxy          read X-Forwarded-Proto/-Host (behind a load balancer)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

export function parseProxyArgs(argv: string[], env: NodeJS.ProcessEnv): ProxyServerOptions {
  const origins: string[] = (env.BOOKBAG_ALLOW_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  let agentId = env.BOOKBAG_AGENT_ID ?? '';
  let upstream = env.BOOKBAG_UPSTREAM ?? 'https://app.bookbag.ai';
  let secret = env.BOOKBAG_PROXY_SECRET ?? '';
  const opts: Partial<ProxyServerOptions> = { port: env.PORT ? Number(env.PORT) : 8788 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case '--agent': agentId = value(); break;
      case '--upstream': upstream = value(); break;
      case '--allow-origin': origins.push(...value().split(',').map((s) => s.trim()).filter(Boolean)); break;
      case '--secret': secret = value(); break;
      case '--cross-site': opts.crossSite = true; break;
      case '--port': opts.port = Number(value()); break;
      case '--host': opts.host = value(); break;
      case '--mount': opts.mountPath = value(); break;
      case '--rate': {
        const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value());
        if (!m) fail('--rate takes N/SECONDS, e.g. 30/10');
        opts.rateLimit = { max: Number(m[1]), windowMs: Number(m[2]) * 1000 };
        break;
      }
      case '--max-body': opts.maxBodyBytes = Number(value()); break;
      case '--timeout': opts.timeoutMs = Number(value()); break;
      case '--trust-proxy': opts.trustProxy = true; break;
      case '--help': process.stdout.write(HELP); process.exit(0);
      // falls through (exit never returns)
      default: fail(`Unknown option ${flag} (try --help)`);
    }
  }
  const apiKey = env.BOOKBAG_API_KEY ?? '';
  if (!apiKey) fail('Set BOOKBAG_API_KEY (the key stays in this process; never put it in a page).');
  if (!/^\d+$/.test(agentId)) fail('Pass --agent with the numeric agent id.');
  for (const o of origins) {
    let ok = false;
    try { ok = new URL(o).origin === o.replace(/\/+$/, ''); } catch { /* reported below */ }
    if (!ok) fail(`--allow-origin ${o}: give an exact origin such as https://shop.example`);
  }
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    process.stderr.write('warning: no BOOKBAG_PROXY_SECRET; using a random one, so visitor identities end when this process does\n');
  }
  const secrets = secret.split(',').map((s) => s.trim()).filter(Boolean);
  if (secrets.some((s) => s.length < 16)) fail('The signing secret must be at least 16 characters.');
  return { ...opts, apiKey, agentId, upstream, allowOrigins: origins, secret: secrets };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const options = parseProxyArgs(process.argv.slice(2), process.env);
  options.onError = (error, info) => process.stderr.write(`[bookbag-proxy] ${info.status} ${info.path}: ${error instanceof Error ? error.message : String(error)}\n`);
  const proxy = await startProxyServer(options);
  process.stdout.write(`Bookbag proxy for agent ${options.agentId}: ${proxy.url}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void proxy.close().then(() => process.exit(0)));
}
