// `npm run bench:proxy [-- --seconds S] [--rounds N] [--streams N] [--aborts N] [--profile DIR]`
// The proxy against the local Bookbag server, direct and proxied rounds interleaved in one run,
// each server in its own process (the bench process only drives load). Prints ratios:
//   reads       requests/s through the proxy ÷ direct (autocannon, GET …/messages)   target ≥ 0.6
//               (and a bare pass-through with no checks, bench/proxy-floor.ts, as the machine's ceiling)
//   first frame p50 of N concurrent chat streams, proxy ÷ direct                      target ≤ 1.5
//               (and the bare pass-through's streams, the same ceiling for streams)
//   RSS         the proxy process after each proxied reads round: no growth over the run
//   aborts      client abort → the proxy's upstream socket closed (a TCP tap sees it)   target ≤ 200 ms
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import autocannon from 'autocannon';

interface Options { seconds: number; rounds: number; streams: number; aborts: number; profile: string | null }

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 3, rounds: 6, streams: 200, aborts: 20, profile: null };
  for (let i = 0; i < argv.length; i++) {
    const n = () => Number(argv[++i]);
    if (argv[i] === '--seconds') o.seconds = n();
    else if (argv[i] === '--rounds') o.rounds = n();
    else if (argv[i] === '--streams') o.streams = n();
    else if (argv[i] === '--aborts') o.aborts = n();
    else if (argv[i] === '--profile') o.profile = argv[++i];
    else if (argv[i] === '--help') { console.log('npm run bench:proxy -- [--seconds S] [--rounds N] [--streams N] [--aborts N] [--profile DIR]'); process.exit(0); }
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const children: ChildProcess[] = [];
process.on('exit', () => { for (const c of children) c.kill('SIGTERM'); });

/** Starts a tsx script and resolves with the first http URL it prints. */
function startChild(args: string[], env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /(http:\/\/\S+)\n/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

/** CPU time (user + system) a process has used, in ms: robust to a busy machine, unlike requests/s. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

async function json(url: string, init: RequestInit = {}): Promise<{ body: any; res: Response }> {
  const res = await fetch(url, init);
  return { body: await res.json(), res };
}

interface Tap { port: number; server: Server; nextChat: () => Promise<Socket> }

/** A TCP tap between the proxy and the upstream: it sees when the proxy closes an upstream connection. */
function tap(targetPort: number): Promise<Tap> {
  let waiting: ((socket: Socket) => void) | null = null;
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (waiting && chunk.toString('latin1').startsWith('POST ')) { const w = waiting; waiting = null; w(client); }
    });
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('close', end); upstream.on('close', end);
    client.on('error', end); upstream.on('error', end);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    // The socket of the next chat request the proxy sends upstream.
    resolve({ port, server, nextChat: () => new Promise<Socket>((r) => { waiting = r; }) });
  }));
}

// ---- setup ------------------------------------------------------------------------------

const upstream = await startChild(['demo/server/main.ts', '--port', '0', '--pace', '20', '--rate-limit', '1000000000']);
const origin = new URL(upstream.url).origin;
// Agent 123 with its agent-scoped key is built in; a second agent stalls after one frame (aborts).
const AGENT = '123';
const KEY = 'oc_test_agent123';
const staller = (await json(`${origin}/__mock/agents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: { stallAfter: 1, stallMs: 60_000 } }) })).body;
const unlimited = ['--rate', '1000000000/10', '--ip-rate', '1000000000/10', '--mint-rate', '1000000000/10', '--global-rate', '1000000000/10'];
const proxy = await startChild(['demo/proxy/main.ts', '--port', '0', '--agent', AGENT, '--upstream', origin, ...unlimited], { BOOKBAG_API_KEY: KEY, BOOKBAG_PROXY_SECRET: 'bench-secret-0123456789abcdef' }, opts.profile ? ['--cpu-prof', '--cpu-prof-dir', opts.profile] : []);
const floor = await startChild(['bench/proxy-floor.ts', `${origin}/api/v2`, KEY]);
const t = await tap(Number(new URL(origin).port));
const abortProxy = await startChild(['demo/proxy/main.ts', '--port', '0', '--agent', staller.agentId, '--upstream', `http://127.0.0.1:${t.port}`, ...unlimited], { BOOKBAG_API_KEY: staller.agentKey, BOOKBAG_PROXY_SECRET: 'bench-secret-0123456789abcdef' });

// One conversation owned by one proxy visitor; both sides read its messages.
const first = await fetch(`${proxy.url}/agents/${AGENT}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hello bench"}' });
const cookie = first.headers.getSetCookie()[0].split(';')[0];
const cid = /"conversationId":"(\d+)"/.exec(await first.text())![1];
const readPath = `/agents/${AGENT}/conversations/${cid}/messages?limit=20`;
const direct: { url: string; headers: Record<string, string> } = { url: `${origin}/api/v2${readPath}`, headers: { authorization: `Bearer ${KEY}` } };
const proxied = { url: `${proxy.url}${readPath}`, headers: { cookie } };
const bare = { url: `${floor.url}${readPath}`, headers: {} };
for (const side of [direct, proxied, bare]) {
  const r = await fetch(side.url, { headers: side.headers });
  if (r.status !== 200) throw new Error(`read ${side.url}: ${r.status} ${await r.text()}`);
}

// ---- reads ------------------------------------------------------------------------------

const cpuPerRequest = { proxy: [] as number[], upstream: [] as number[], bare: [] as number[] };

async function reads(side: { url: string; headers: Record<string, string> }, pid?: number, into?: number[]): Promise<number> {
  const before = pid ? cpuMs(pid) : 0;
  const result = await autocannon({ url: side.url, headers: side.headers, connections: 32, pipelining: 1, duration: opts.seconds });
  if (result.non2xx || result.errors) throw new Error(`reads: ${result.non2xx} non-2xx, ${result.errors} errors`);
  if (pid && into) into.push((cpuMs(pid) - before) / result.requests.total);
  return result.requests.average;
}

// ---- first frame under N concurrent streams ---------------------------------------------

function firstFrames(base: string, headers: Record<string, string>, n: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  return Promise.all(Array.from({ length: n }, () => new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const req = request(`${base}/agents/${AGENT}/chat`, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream: ${res.statusCode}`));
      let first = -1;
      res.on('data', (c: Buffer) => { if (first < 0 && c.includes('data: {')) first = performance.now() - t0; });
      // Resolve at the end, not at the first frame: the next round must not share the upstream
      // with streams still running from this one.
      res.on('end', () => (first < 0 ? reject(new Error('stream ended without a frame')) : resolve(first)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end('{"message":"stream please"}');
  })));
}

// ---- aborted streams ------------------------------------------------------------------

async function abortOnce(): Promise<number> {
  const upstreamSocket = t.nextChat();
  const closedAt = upstreamSocket.then((s) => new Promise<number>((resolve) => (s.destroyed ? resolve(performance.now()) : s.once('close', () => resolve(performance.now())))));
  const abortedAt = await new Promise<number>((resolve, reject) => {
    const req = request(`${abortProxy.url}/agents/${staller.agentId}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.once('data', () => { const at = performance.now(); req.destroy(); resolve(at); });
    });
    req.on('error', () => {});
    req.on('close', () => {});
    req.end('{"message":"abort me"}');
    setTimeout(() => reject(new Error('no first frame')), 10_000).unref();
  });
  return (await closedAt) - abortedAt;
}

// ---- run --------------------------------------------------------------------------------

const rps = { direct: [] as number[], proxy: [] as number[], bare: [] as number[] };
const rss: number[] = [];
const ff = { direct: [] as number[], proxy: [] as number[], bare: [] as number[] };
const cpuPerStream = { proxy: [] as number[], upstream: [] as number[], bare: [] as number[] };
console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`);
console.log(`bench:proxy — ${opts.rounds} interleaved rounds of ${opts.seconds} s reads, ${opts.streams} concurrent streams, ${opts.aborts} aborts`);
// Warm-up, not counted: reads on both sides, and one round of streams on each side (the first
// burst of a process runs cold code; without this only the reads were warmed).
await reads(direct); await reads(proxied);
await firstFrames(`${origin}/api/v2`, { authorization: `Bearer ${KEY}` }, opts.streams);
await firstFrames(proxy.url, {}, opts.streams);
await firstFrames(floor.url, {}, opts.streams);
for (let round = 0; round < opts.rounds; round++) {
  rps.direct.push(await reads(direct, upstream.child.pid, cpuPerRequest.upstream));
  rps.proxy.push(await reads(proxied, proxy.child.pid, cpuPerRequest.proxy));
  rss.push(rssMiB(proxy.child.pid!));
  rps.bare.push(await reads(bare, floor.child.pid, cpuPerRequest.bare));
  // Every round alike (reads, then streams), so the RSS after each is comparable.
  let before = cpuMs(upstream.child.pid!);
  ff.direct.push(median(await firstFrames(`${origin}/api/v2`, { authorization: `Bearer ${KEY}` }, opts.streams)));
  cpuPerStream.upstream.push((cpuMs(upstream.child.pid!) - before) / opts.streams);
  before = cpuMs(proxy.child.pid!);
  ff.proxy.push(median(await firstFrames(proxy.url, {}, opts.streams)));
  cpuPerStream.proxy.push((cpuMs(proxy.child.pid!) - before) / opts.streams);
  before = cpuMs(floor.child.pid!);
  ff.bare.push(median(await firstFrames(floor.url, {}, opts.streams)));
  cpuPerStream.bare.push((cpuMs(floor.child.pid!) - before) / opts.streams);
  console.log(`round ${round + 1}: reads direct ${rps.direct.at(-1)!.toFixed(0)}/s, proxy ${rps.proxy.at(-1)!.toFixed(0)}/s, bare pass-through ${rps.bare.at(-1)!.toFixed(0)}/s; proxy RSS ${rss.at(-1)!.toFixed(1)} MiB; first frame p50 direct ${ff.direct.at(-1)!.toFixed(1)} ms, proxy ${ff.proxy.at(-1)!.toFixed(1)} ms, bare pass-through ${ff.bare.at(-1)!.toFixed(1)} ms`);
}
const aborts: number[] = [];
for (let i = 0; i < opts.aborts; i++) aborts.push(await abortOnce());

const readRatio = median(rps.proxy) / median(rps.direct);
const ffRatio = median(ff.proxy) / median(ff.direct);
// A leak makes RSS climb round after round; a heap that only breathes peaks early and stays.
// Growth: the peak of the later half of the rounds over the peak of the earlier half.
const half = Math.floor(rss.length / 2);
const rssGrowth = Math.max(...rss.slice(half)) - Math.max(...rss.slice(0, half));
const RSS_TOLERANCE_MIB = 4;
const abortP50 = median(aborts), abortMax = Math.max(...aborts);
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');
console.log('\nresult');
console.log(`reads rps proxy/direct      ${readRatio.toFixed(2)}×  (median ${median(rps.proxy).toFixed(0)} vs ${median(rps.direct).toFixed(0)} req/s; target ≥ 0.60) ${mark(readRatio >= 0.6)}`);
console.log(`reads rps bare/direct       ${(median(rps.bare) / median(rps.direct)).toFixed(2)}×  (reference: a pass-through with no checks, bench/proxy-floor.ts — the ceiling for any proxy process here and now; proxy/bare ${(median(rps.proxy) / median(rps.bare)).toFixed(2)}×)`);
console.log(`first frame p50 proxy/direct ${ffRatio.toFixed(2)}×  (${median(ff.proxy).toFixed(1)} vs ${median(ff.direct).toFixed(1)} ms, ${opts.streams} concurrent; target ≤ 1.50) ${mark(ffRatio <= 1.5)}`);
console.log(`first frame p50 bare/direct  ${(median(ff.bare) / median(ff.direct)).toFixed(2)}×  (reference: the bare pass-through's streams, ${median(ff.bare).toFixed(1)} ms — the ceiling for streams; proxy/bare ${(median(ff.proxy) / median(ff.bare)).toFixed(2)}×)`);
console.log(`CPU per read                 proxy process ${median(cpuPerRequest.proxy).toFixed(2)} ms, bare pass-through ${median(cpuPerRequest.bare).toFixed(2)} ms, upstream process ${median(cpuPerRequest.upstream).toFixed(2)} ms (direct)`);
console.log(`CPU per stream               proxy process ${median(cpuPerStream.proxy).toFixed(2)} ms, bare pass-through ${median(cpuPerStream.bare).toFixed(2)} ms, upstream process ${median(cpuPerStream.upstream).toFixed(2)} ms (direct)`);
console.log(`proxy RSS over ${rss.length} rounds   ${rss.map((x) => x.toFixed(1)).join(' → ')} MiB (peak of rounds ${half + 1}–${rss.length} minus peak of rounds 1–${half}: ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} MiB; target no growth, ≤ ${RSS_TOLERANCE_MIB} MiB) ${mark(rssGrowth <= RSS_TOLERANCE_MIB)}`);
console.log(`aborted stream → upstream socket closed  each ${aborts.map((x) => x.toFixed(1)).join(' ')} ms`);
console.log(`aborted stream → upstream socket closed  p50 ${abortP50.toFixed(1)} ms, p95 ${pct(aborts, 0.95).toFixed(1)} ms, max ${abortMax.toFixed(1)} ms (target ≤ 200) ${mark(abortMax <= 200)}`);
console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
t.server.close();
const proxyExited = new Promise((resolve) => proxy.child.once('exit', resolve));
for (const c of children) c.kill('SIGTERM');
// The profile is written as the proxy exits.
if (opts.profile) { await proxyExited; console.log(`proxy CPU profile in ${opts.profile} (summary: node --import tsx bench/proxy-profile.ts ${opts.profile})`); }
process.exit(0);
