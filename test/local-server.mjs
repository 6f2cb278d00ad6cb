// Starts the local Bookbag v2 server (demo/server/main.ts) as a real child process on a free
// port and resolves with its origin once it says it is listening. It dies with this process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function startLocalServer(extraArgs = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts', '--port', '0', '--pace', '0', ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => { if (child.exitCode === null) child.kill(); };
  process.once('exit', stop);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`local server did not start:\n${out}`)), 20000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: `http://127.0.0.1:${m[1]}`, stop, child });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`local server exited (${code}):\n${out}`)); });
  });
}
