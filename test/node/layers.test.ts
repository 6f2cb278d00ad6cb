// The layers import downward only: src/protocol/ (the Bookbag contract) imports nothing outside
// itself, and src/core/ (no Lit, no DOM) imports only itself and src/protocol/. A package import
// (`lit`, `node:…`) counts as outside. Imports are read with TypeScript's own pre-processor, so
// `import type`, `export … from`, side-effect imports, `import()` calls and `import('…').T` types
// all count, and text in comments or strings does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript-5';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Each layer and the folders (relative to the repository) its files may import from. */
const LAYERS: { layer: string; may: string[] }[] = [
  { layer: 'src/protocol', may: ['src/protocol'] },
  { layer: 'src/core', may: ['src/core', 'src/protocol'] },
];

const within = (path: string, folder: string) => path === folder || path.startsWith(folder + '/');

/**
 * The imports of one file (`file` relative to the repository, `source` its text) that leave the
 * allowed folders, as "file → specifier" lines.
 */
function violations(file: string, source: string, may: string[]): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.flatMap(({ fileName: specifier }) => {
    const target = specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)).split(sep).join('/') : undefined;
    return target !== undefined && may.some((folder) => within(target, folder)) ? [] : [`${file} → ${specifier}`];
  });
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = `${folder}/${name}`;
    return statSync(join(ROOT, path)).isDirectory() ? sourceFiles(path) : /\.ts$/.test(name) ? [path] : [];
  });
}

test('the checker sees every kind of import that leaves a layer', () => {
  const cases: [source: string, found: string[]][] = [
    [`import { a } from './state.js';\nimport type { B } from '../protocol/message.js';`, []],
    [`import type { ToolEntry } from '../tools/tool-runner.js';`, ['../tools/tool-runner.js']],
    [`export { toEntry } from '../model/conversation-list.js';`, ['../model/conversation-list.js']],
    [`import '../element/side-effect.js';`, ['../element/side-effect.js']],
    [`type T = import('../view/message.js').Row;`, ['../view/message.js']],
    [`const m = await import('../markdown/dom-renderer.js');`, ['../markdown/dom-renderer.js']],
    [`import { html } from 'lit';`, ['lit']],
    [`import { setTimeout } from 'node:timers';`, ['node:timers']],
    // A sibling folder whose name starts like an allowed one is still outside.
    [`import { x } from '../core-extra/x.js';`, ['../core-extra/x.js']],
    // Words in comments and strings are not imports.
    [`// import { html } from 'lit';\nconst s = "import x from '../element/x.js'";`, []],
  ];
  for (const [source, found] of cases) {
    assert.deepEqual(violations('src/core/example.ts', source, ['src/core', 'src/protocol']), found.map((s) => `src/core/example.ts → ${s}`), source);
  }
});

for (const { layer, may } of LAYERS) {
  test(`${layer}/ imports only ${may.map((f) => `${f}/`).join(' and ')}`, () => {
    const files = sourceFiles(layer);
    assert.ok(files.length > 0, `${layer}/ has no .ts files`);
    const found = files.flatMap((file) => violations(file, readFileSync(join(ROOT, file), 'utf8'), may));
    assert.deepEqual(found, [], `imports that leave the layer:\n${found.join('\n')}`);
  });
}
