// `node --import tsx bench/proxy-profile.ts DIR|FILE.cpuprofile [--top N]` (a DIR: its largest profile, the main thread): where the proxy's
// CPU goes, from the profile `npm run bench:proxy -- --profile DIR` writes. Prints self time
// per function and per area (the proxy's own files, web streams/fetch classes inside Node,
// node:http, the rest), as shares of the sampled time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const target = process.argv[2];
if (!target) { console.log('usage: bench/proxy-profile.ts DIR|FILE.cpuprofile [--top N]'); process.exit(2); }
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
const file = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0]
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function area(url: string, name: string): string {
  if (/\/src\/proxy\//.test(url)) return 'src/proxy';
  if (/\/demo\/proxy\//.test(url)) return 'demo/proxy (adapter, upstream client)';
  if (/internal\/webstreams|internal\/deps\/undici|internal\/fetch|web\/|undici|internal\/abort_controller|internal\/event_target|js_transferable|internal\/encoding|internal\/webidl/.test(url)) return 'web platform objects: streams, Request/Response/Headers, AbortSignal, TextDecoder (Node internals)';
  if (/^node:_http|node:http|_http_|internal\/http|node:net|internal\/stream_base|node:stream|internal\/streams/.test(url)) return 'node:http, net, streams';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(idle)' || name === '(program)') return name;
  if (/node_modules/.test(url)) return 'dependencies';
  return url ? 'other JS' : `native ${name}`;
}

let total = 0, busy = 0;
const perFn = new Map<string, number>();
const perArea = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const { functionName, url, lineNumber } = n.callFrame;
  total += us;
  if (functionName === '(idle)') continue;
  busy += us;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(wt-[^/]+|main)\//, '').replace(/^file:\/\//, '')}:${lineNumber + 1}`;
  perFn.set(key, (perFn.get(key) ?? 0) + us);
  const a = area(url, functionName);
  perArea.set(a, (perArea.get(a) ?? 0) + us);
}
// Inclusive time of the proxy's own functions (each counted once per sampled stack).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(wt-[^/]+|main)\//, '').replace(/^file:\/\//, '')}`;
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at)!;
    if (!/\/(src|demo)\/proxy\//.test(n.callFrame.url)) continue;
    const k = keyOf(n);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const pc = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
console.log('\nself time by area (share of busy time)');
for (const [a, us] of [...perArea].sort((x, y) => y[1] - x[1])) console.log(`  ${pc(us)}  ${a}`);
console.log(`\ntop ${top} functions by self time`);
for (const [k, us] of [...perFn].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pc(us)}  ${k}`);
console.log(`\nthe proxy's own functions by inclusive time (their callees included)`);
for (const [k, us] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pc(us)}  ${k}`);
