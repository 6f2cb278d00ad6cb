// CLI: `tsx demo/server/main.ts [--port N] [--pace MS] [--data FILE] [--rate-limit N] [--no-test-api]`.
// Prints exactly one line on start; the test harness greps the origin out of it.
import { startBookbagServer } from './app.ts';

const USAGE = `Usage: tsx demo/server/main.ts [options]

  --port N          port on 127.0.0.1 (default 8787; 0 = any free port)
  --pace MS         milliseconds between stream frames (default 35)
  --data FILE       keep conversations in FILE across restarts
  --rate-limit N    requests per key per 10 s (default 100)
  --no-test-api     disable /__mock and the x-bookbag-mock switches
  --help            show this help`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts: { port: number; pace?: number; dataFile?: string; rateLimit?: number; testApi: boolean } = { port: 8787, testApi: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    const count = () => {
      const v = value();
      if (!/^\d+$/.test(v)) fail(`${flag} expects a non-negative integer, got "${v}"`);
      return Number(v);
    };
    switch (flag) {
      case '--port': opts.port = count(); break;
      case '--pace': opts.pace = count(); break;
      case '--data': opts.dataFile = value(); break;
      case '--rate-limit': opts.rateLimit = count(); break;
      case '--no-test-api': opts.testApi = false; break;
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: fail(`Unknown option ${arg}`);
    }
  }
  if (opts.port > 65535) fail('--port must be at most 65535');
  if (opts.rateLimit === 0) fail('--rate-limit must be at least 1');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const server = await startBookbagServer(opts);
process.stdout.write(`Bookbag local API: ${server.origin}/api/v2\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    });
  });
}
