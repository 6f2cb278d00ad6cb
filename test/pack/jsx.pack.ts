// JSX typings as a React + TypeScript app gets them: `npm pack` → unpack the tarball into a
// scratch project's node_modules (next to the repo's lit and @types/react, linked) → type-check
// small TSX consumers with `jsx: react-jsx`. The typings come from `bookbag-chat/react`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** What the package's .d.ts files and a React app's types import. */
const TYPE_DEPS = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', '@lit-labs/ssr-dom-shim', '@types/trusted-types', 'eventsource-parser', 'marked', '@types/react', 'csstype'];

let scratch = '';
let app = '';

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

before(() => {
  assert.ok(existsSync(join(ROOT, 'dist/lib/react.d.ts')), 'run npm run build first');
  scratch = mkdtempSync(join(tmpdir(), 'bookbag-jsx-'));
  const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT);
  assert.equal(pack.code, 0, `npm pack failed:\n${pack.out}`);
  const [{ filename }] = JSON.parse(pack.stdout) as { filename: string }[];
  app = join(scratch, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'bookbag-chat'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bookbag-react-consumer', private: true, type: 'module' }));
  assert.equal(sh('tar', ['-xzf', join(scratch, filename), '-C', join(modules, 'bookbag-chat'), '--strip-components=1'], app).code, 0);
  for (const dep of TYPE_DEPS) {
    const from = join(ROOT, 'node_modules', dep);
    assert.ok(existsSync(from), `${dep} is installed in the repo`);
    mkdirSync(join(modules, dep, '..'), { recursive: true });
    symlinkSync(from, join(modules, dep), 'dir');
  }
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function typecheck(dir: string, source: string) {
  const root = join(app, dir);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'app.tsx'), source);
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, skipLibCheck: false, types: [],
    },
    files: ['app.tsx'],
  }));
  const r = sh(process.execPath, [TSC, '-p', join(root, 'tsconfig.json'), '--pretty', 'false'], root);
  return { ...r, errors: r.out.split('\n').filter((l) => /error TS\d+/.test(l)) };
}

const GOOD = `
import type {} from 'bookbag-chat/react';
import 'bookbag-chat/define';
import type { BookbagChat } from 'bookbag-chat';
import { useRef } from 'react';

export function Support({ onAnswer }: { onAnswer: (text: string) => void }) {
  const chat = useRef<BookbagChat>(null);
  return (
    <bookbag-chat
      ref={chat}
      agent-id="42"
      api-base="https://api.example.com"
      mode="inline"
      storage="session"
      no-stream
      heading="Help"
      className="support"
      tools={{ lookupOrder: (input: { orderId: string }) => ({ status: 'shipped', id: input.orderId }) }}
      strings={{ send: 'Go' }}
      headers={() => ({ 'x-app': 'shop' })}
      onbookbag-message={(e) => onAnswer(e.detail.message.id)}
      onbookbag-error={(e) => console.warn(e.detail.code, e.detail.retryable)}
    >
      <span slot="header">Shop help</span>
    </bookbag-chat>
  );
}
`;

test('a TSX consumer that imports bookbag-chat/react type-checks: attributes, properties, typed event props, ref', () => {
  const r = typecheck('good', GOOD);
  assert.equal(r.code, 0, `tsc reported errors:\n${r.out}`);
});

test('without bookbag-chat/react, <bookbag-chat> is not a known JSX element', () => {
  const r = typecheck('without', GOOD.replace("import type {} from 'bookbag-chat/react';", ''));
  assert.notEqual(r.code, 0, 'tsc accepted <bookbag-chat> without the typings');
  assert.ok(r.errors.some((l) => /app\.tsx\(\d+,.*'bookbag-chat'/.test(l)), `an error names bookbag-chat:\n${r.out}`);
});

// Three deliberate mistakes, one per line: a mode that does not exist, a misspelt detail field,
// a misspelt attribute.
const BAD = `
import type {} from 'bookbag-chat/react';
export const a = <bookbag-chat mode="popup" />;
export const b = <bookbag-chat onbookbag-message={(e) => console.log(e.detail.mesage)} />;
export const c = <bookbag-chat agentid="1" />;
`;

test('mistakes in <bookbag-chat> props fail type-checking, each on its own line', () => {
  const r = typecheck('bad', BAD);
  assert.notEqual(r.code, 0, 'tsc accepted the mistakes');
  assert.deepEqual(r.errors.map((l) => /app\.tsx\((\d+),/.exec(l)?.[1]), ['3', '4', '5'], `one error per mistake:\n${r.out}`);
  assert.match(r.errors[0], /popup/);
  assert.match(r.errors[1], /mesage/);
  assert.match(r.errors[2], /agentid/);
});
