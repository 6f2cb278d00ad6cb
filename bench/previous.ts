// The `previous` implementation: the widget bundle of an earlier commit (by default the last one
// before the markdown rewrite), built once and kept in bench/.previous/<commit>.json (gitignored).
//
// The build happens in a temporary directory holding `git archive` of the ref: its own
// `npm ci` unless its lockfile equals this checkout's (then this node_modules is linked), then
// `npx vite build`. Only the output is kept, as one JSON file of name → source, not as .js
// files: ESLint (run over the whole tree by `npm run lint`) would otherwise lint the minified
// bundle under bench/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The commit before the markdown rewrite (streaming-markdown renderer). */
export const DEFAULT_PREVIOUS = '25858ec';

export interface PreviousBuild {
  ref: string;
  commit: string;
  /** Built files of dist/, by file name (`bookbag-chat.js` and its sibling chunks). */
  files: Map<string, Buffer>;
}

interface Stored { ref: string; commit: string; builtAt: string; files: Record<string, string> }

const git = (root: string, args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** Builds (or reads the kept build of) the bundle at `ref`. */
export function previousBuild(root: string, ref: string): PreviousBuild {
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--previous ${ref}: not a commit in this repository`);
  }
  const store = join(root, 'bench/.previous');
  const file = join(store, `${commit}.json`);
  if (!existsSync(file)) {
    console.log(`building previous (${ref} = ${commit.slice(0, 10)}) once into bench/.previous/ …`);
    const dir = mkdtempSync(join(tmpdir(), 'bookbag-bench-previous-'));
    try {
      execFileSync('sh', ['-c', `git archive --format=tar ${commit} | tar -x -C "${dir}"`], { cwd: root, stdio: 'inherit' });
      const lock = (at: string) => (existsSync(join(at, 'package-lock.json')) ? readFileSync(join(at, 'package-lock.json'), 'utf8') : null);
      if (lock(dir) !== null && lock(dir) === lock(root) && existsSync(join(root, 'node_modules'))) {
        symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      } else {
        console.log('  its lockfile differs: npm ci there …');
        execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], { cwd: dir, stdio: 'inherit' });
      }
      execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
      const dist = join(dir, 'dist');
      const files: Record<string, string> = {};
      for (const name of readdirSync(dist)) if (name.endsWith('.js')) files[name] = readFileSync(join(dist, name), 'utf8');
      if (!files['bookbag-chat.js']) throw new Error(`previous build of ${ref}: no dist/bookbag-chat.js`);
      mkdirSync(store, { recursive: true });
      writeFileSync(file, JSON.stringify({ ref, commit, builtAt: new Date().toISOString(), files } satisfies Stored));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
  return { ref, commit, files: new Map(Object.entries(stored.files).map(([k, v]) => [k, Buffer.from(v)])) };
}
