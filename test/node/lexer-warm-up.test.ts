// The lexer's warm-up (src/markdown/lexer.ts): its samples must reach every rule a reply can use,
// or the first reply still pays the compile cost of the rules they miss; and it must run one
// sample per task, or the warm-up itself is the long task it exists to avoid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, warmUp, WARM_UP_SAMPLES, type Token } from '../../src/markdown/lexer.ts';

/** Every token type in `tokens`, at any depth (list items, table cells, inline children). */
function typesIn(tokens: readonly Token[], into = new Set<string>()): Set<string> {
  for (const t of tokens) {
    into.add(t.type === 'list' && (t as { ordered?: boolean }).ordered ? 'ordered list' : t.type);
    if ((t as { task?: boolean }).task) into.add('task item');
    const table = t as { header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
    for (const cell of [...(table.header ?? []), ...(table.rows ?? []).flat()]) typesIn(cell.tokens, into);
    const kids = (t as { items?: Token[] }).items ?? (t as { tokens?: Token[] }).tokens;
    if (kids) typesIn(kids, into);
  }
  return into;
}

const RULES = [
  'paragraph', 'heading', 'hr', 'list', 'ordered list', 'task item', 'blockquote', 'code', 'table', 'def', 'footnoteDef', 'math',
  'em', 'strong', 'codespan', 'del', 'escape', 'br', 'link', 'image', 'footnoteRef', 'text',
];

test('the warm-up samples reach every block and inline rule', () => {
  const reached = new Set<string>();
  for (const sample of WARM_UP_SAMPLES) typesIn(lex(sample), reached);
  assert.deepEqual(RULES.filter((rule) => !reached.has(rule)), []);
});

test('the warm-up samples include fenced (both fences) and indented code, setext headings, references and autolinks', () => {
  const all = WARM_UP_SAMPLES.join('\n\n');
  const codes = WARM_UP_SAMPLES.flatMap((s) => lex(s)).filter((t) => t.type === 'code') as { raw: string; codeBlockStyle?: string }[];
  assert.ok(codes.some((c) => c.raw.startsWith('```')) && codes.some((c) => c.raw.startsWith('~~~')) && codes.some((c) => c.codeBlockStyle === 'indented'));
  assert.match(all, /\n===\n/);
  assert.match(all, /\[r\]\[d\][\s\S]*\[d\]: /);
  assert.match(all, /<https:\/\/[^>]+>/);
  assert.match(all, /(^| )www\./m);
});

test('warmUp lexes one sample per task', async () => {
  const original = globalThis.setTimeout;
  let tasks = 0;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    tasks++;
    return original(fn, ms);
  }) as typeof setTimeout;
  try {
    await warmUp();
  } finally {
    globalThis.setTimeout = original;
  }
  assert.equal(tasks, WARM_UP_SAMPLES.length);
});
