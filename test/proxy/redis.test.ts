// Limits shared across processes on Redis (#18 deliver 3): three real proxy processes (the CLI)
// share one Redis and enforce one global and one per-visitor budget between them; with Redis
// gone, each keeps serving on its local limiter and says so once. Redis is Debian's
// redis-server, installed with apt-get when missing (as root, like chromium in test/run.mjs),
// started on 127.0.0.1 on a free port and stopped after.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { mockAgent, start, type Running } from '../server/helpers.ts';
import { startCli, upstreamRequests, Visitor, type CliProxy } from './helpers.ts';

const REDIS = '/usr/bin/redis-server';

function haveRedis(): boolean {
  return spawnSync('sh', ['-c', `command -v redis-server || test -x ${REDIS}`]).status === 0;
}

/** Installs Debian's redis-server when missing; returns why it cannot, or null. */
function ensureRedis(): string | null {
  if (haveRedis()) return null;
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) {
    return 'redis-server is missing; install Debian\'s package (sudo apt-get install redis-server)';
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { env, stdio: 'inherit' as const };
  if (spawnSync('apt-get', ['update', '-qq'], opts).status !== 0) return 'apt-get update failed';
  if (spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], opts).status !== 0) return 'apt-get install redis-server failed';
  return haveRedis() ? null : 'redis-server still missing after apt-get';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface RedisServer { port: number; url: string; stop(): Promise<void> }

/** Starts redis-server on a free loopback port, without persistence; resolves when it accepts connections. */
async function startRedis(): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await new Promise<boolean>((resolve) => {
      child.stdout!.on('data', (c) => { out += c; if (out.includes('Ready to accept connections')) resolve(true); });
      void exited.then(() => resolve(false));
    });
    if (ready) {
      return {
        port, url: `redis://127.0.0.1:${port}`,
        async stop() { if (child.exitCode === null) child.kill('SIGTERM'); await exited; },
      };
    }
    // Only "port taken between our probe and its bind" is worth another port.
    if (attempt >= 3 || !/Address already in use/i.test(out)) throw new Error(`redis-server did not start: ${out}`);
  }
}

const missing = ensureRedis();

describe('three proxy processes sharing one Redis', { skip: missing ?? false }, () => {
  let srv: Running;
  let redis: RedisServer;
  let agent: Awaited<ReturnType<typeof mockAgent>>;
  let proxies: CliProxy[] = [];

  before(async () => {
    srv = await start();
    redis = await startRedis();
    agent = await mockAgent(srv.origin, {});
    const args = ['--agent', agent.agentId, '--upstream', srv.origin, '--redis', redis.url,
      '--rate', '4/60', '--global-rate', '9/60', '--ip-rate', '1000/60', '--mint-rate', '1000/60'];
    proxies = await Promise.all([0, 1, 2].map(() => startCli(args, { BOOKBAG_API_KEY: agent.agentKey })));
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await redis?.stop();
    await srv?.close();
  });

  const base = (i: number) => `${proxies[i % 3].url}/agents/${agent.agentId}`;

  it('enforce one per-visitor budget: 4 of 9 requests spread over the three', async () => {
    const visitor = new Visitor(base(0));
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      // Same cookie (same secret everywhere), a different process each time.
      const v = new Visitor(base(i));
      v.cookie = visitor.cookie;
      const r = await v.call('GET', '/users/me/conversations');
      visitor.cookie ??= v.cookie;
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429, 429, 429, 429]);
  });

  it('enforce one global upstream budget: 9 upstream calls in all, whichever process', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await new Visitor(base(i)).call('GET', '/users/me/conversations')).status);
    // 4 upstream calls were spent by the test above; 5 remain of 9.
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429, 429]);
    assert.equal((await upstreamRequests(srv, agent.agentId)).length, 9);
  });

  it('with Redis down, keep serving on the local limiter and log it once', async () => {
    await redis.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await new Visitor(base(0)).call('GET', '/users/me/conversations')).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    await proxies[0].close(); // its whole log is in once it is gone
    const lines = proxies[0].stderr().split('\n').filter((l) => /limiter store unavailable/.test(l));
    assert.equal(lines.length, 1, proxies[0].stderr());
    // Nothing before Redis went away was counted locally: the log has no other limiter line.
    assert.doesNotMatch(proxies[0].stderr().replace(lines[0], ''), /limiter store/);
  });
});
