// `npm run proxy`: the Bookbag proxy as a standalone Node HTTP server.
//   BOOKBAG_API_KEY=oc_live_… npm run proxy -- --agent 123 --upstream https://app.bookbag.ai \
//     --allow-origin https://shop.example [--port 8788] [--host 127.0.0.1] [--secret …] [--cross-site]
//     [--redis redis://127.0.0.1:6379]
// Prints exactly one line with its URL on stdout; warnings go to stderr.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { createBookbagProxyEngine, FallbackLimiterStore, RedisLimiterStore, type BookbagProxyOptions, type Limit } from '../../src/proxy/index.ts';
import { fetchUpstream } from '../../src/proxy/web-exchange.ts';
import { toNodeHandler } from './node-adapter.ts';
import { guardedServerOptions, guardServer, resolveTimeouts, type ServerTimeouts } from './server-guards.ts';
import { createNodeUpstream } from './upstream-fetch.ts';

export { callOf, toNodeHandler, type NodeHandler, type NodeAdapterOptions } from './node-adapter.ts';

export interface ProxyServerOptions extends BookbagProxyOptions, Omit<ServerTimeouts, 'bodyTimeoutMs'> {
  port?: number;
  host?: string;
  trustProxy?: boolean;
  /** Share the limits with every process using this Redis (`redis://host:port`). */
  redisUrl?: string;
  /** Where "Redis is down / back" goes (once per change). Default stderr. */
  log?: (message: string) => void;
}

export interface RunningProxy { url: string; origin: string; port: number; close(): Promise<void> }

export async function startProxyServer(options: ProxyServerOptions): Promise<RunningProxy> {
  const { port = 8788, host = '127.0.0.1', trustProxy, headersTimeoutMs, keepAliveTimeoutMs, redisUrl, log, ...proxyOptions } = options;
  const mountPath = proxyOptions.mountPath ?? '/api/v2';
  const say = log ?? ((message: string) => process.stderr.write(`[bookbag-proxy] ${message}\n`));
  let redis: Redis | null = null;
  if (redisUrl && !proxyOptions.limiterStore) {
    // Fail fast while Redis is away (no offline queue, no retries per command): the fallback
    // store limits locally meanwhile, and the client reconnects in the background.
    // Loaded only here: a proxy without --redis never pays for the client.
    const { Redis: RedisClient } = await import('ioredis');
    redis = new RedisClient(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: (n) => Math.min(100 * n, 2000) });
    redis.on('error', () => { /* reported once by the fallback store */ });
    proxyOptions.limiterStore = new FallbackLimiterStore(new RedisLimiterStore(redis), { log: say });
    // Serve once connected (or after the connect timeout, on the local limiter), so the first
    // requests do not count locally just because the connection was still being set up.
    const client = redis;
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); client.off('ready', done); resolve(); };
      const timer = setTimeout(done, 2000);
      client.once('ready', done);
    });
  }
  const timeouts = resolveTimeouts({ headersTimeoutMs, keepAliveTimeoutMs, bodyTimeoutMs: proxyOptions.bodyTimeoutMs });
  // node:http toward Bookbag unless the host brought its own fetch (tests do).
  const upstream = proxyOptions.fetch ? fetchUpstream(proxyOptions.fetch) : createNodeUpstream();
  const handler = toNodeHandler(createBookbagProxyEngine({ ...proxyOptions, bodyTimeoutMs: timeouts.bodyTimeoutMs, mountPath }, upstream), {
    mountPath, trustProxy, onError: (error) => say(`unexpected: ${error instanceof Error ? error.stack : String(error)}`),
  });
  const server: Server = createServer(guardedServerOptions(timeouts), (req, res) => handler(req, res));
  guardServer(server, timeouts);
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
      }).then(async () => { await redis?.quit().catch(() => redis?.disconnect()); });
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
  --ip-rate N/SECONDS    per client address, default 60/10
  --mint-rate N/SECONDS  new anonymous identities per client address, default 20/600
  --global-rate N/SECONDS
                         upstream calls of all processes sharing the limits, default 80/10
                         (keep it below the key's 100/10)
  --trusted-proxy IP     a reverse proxy in front of this one whose X-Forwarded-For is
                         believed; repeat or comma-separate (env BOOKBAG_TRUSTED_PROXIES)
  --redis URL            share the limits across processes (env BOOKBAG_REDIS_URL)
  --max-body BYTES       default 32768
  --body-timeout MS      the whole request body must arrive within this, default 10000
  --headers-timeout MS   the request head must arrive within this, default 10000
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
  const trusted: string[] = (env.BOOKBAG_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (env.BOOKBAG_REDIS_URL) opts.redisUrl = env.BOOKBAG_REDIS_URL;
  const rate = (flag: string, text: string): Limit => {
    const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
    if (!m) fail(`${flag} takes N/SECONDS, e.g. 30/10`);
    return { max: Number(m[1]), windowMs: Number(m[2]) * 1000 };
  };
  const int = (flag: string, text: string): number => {
    if (!/^\d+$/.test(text)) fail(`${flag} takes a whole number`);
    return Number(text);
  };
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
      case '--rate': opts.rateLimit = rate(flag, value()); break;
      case '--ip-rate': opts.ipRateLimit = rate(flag, value()); break;
      case '--mint-rate': opts.mintRateLimit = rate(flag, value()); break;
      case '--global-rate': opts.globalRateLimit = rate(flag, value()); break;
      case '--trusted-proxy': trusted.push(...value().split(',').map((s) => s.trim()).filter(Boolean)); break;
      case '--redis': opts.redisUrl = value(); break;
      case '--max-body': opts.maxBodyBytes = int(flag, value()); break;
      case '--body-timeout': opts.bodyTimeoutMs = int(flag, value()); break;
      case '--headers-timeout': opts.headersTimeoutMs = int(flag, value()); break;
      case '--timeout': opts.timeoutMs = int(flag, value()); break;
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
  return { ...opts, apiKey, agentId, upstream, allowOrigins: origins, secret: secrets, trustedProxies: trusted };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const options = parseProxyArgs(process.argv.slice(2), process.env);
  options.onError = (error, info) => process.stderr.write(`[bookbag-proxy] ${info.status} ${info.path}: ${error instanceof Error ? error.message : String(error)}${error instanceof Error && error.cause ? ` (${String((error.cause as Error).message ?? error.cause)})` : ""}\n`);
  const proxy = await startProxyServer(options);
  process.stdout.write(`Bookbag proxy for agent ${options.agentId}: ${proxy.url}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void proxy.close().then(() => process.exit(0)));
}
