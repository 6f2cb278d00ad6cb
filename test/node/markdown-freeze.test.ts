// Freezing in src/markdown/markdown-stream.ts when a render ends in the middle of a line (a
// budgeted slice, or a delta that stops mid-word): the blocks before the last two are final and
// must be frozen then, not rebuilt by the next render; and the result must still be the DOM of a
// one-shot render, whatever the cuts. On happy-dom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { MarkdownStream } from '../../src/markdown/markdown-stream.ts';
import { REPLIES } from '../markdown/corpus-replies.ts';
import { BASE, normalised } from '../markdown/conformance.ts';
import { prng } from '../helpers/prng.ts';

const doc = new Window({ url: BASE }).document as unknown as Document;

function whole(markdown: string): string {
  const root = doc.createElement('div');
  const stream = new MarkdownStream(root, { baseUrl: BASE });
  stream.append(markdown);
  stream.render(true);
  return normalised(root);
}

/** Streams `markdown` in random cuts of 1 to `max` characters, rendering after each. */
function streamed(markdown: string, random: () => number, max: number, onRender?: (root: Element) => void): string {
  const root = doc.createElement('div');
  const stream = new MarkdownStream(root, { baseUrl: BASE });
  for (let i = 0; i < markdown.length; ) {
    const n = 1 + Math.floor(random() * max);
    stream.append(markdown.slice(i, i + n));
    stream.render(false);
    onRender?.(root);
    i += n;
  }
  stream.render(true);
  return normalised(root);
}

/** The corpus as one long reply, and each reply on its own. */
const LONG = REPLIES.map(([, md]) => md).join('\n\n');

test('the corpus streamed in cuts of up to 600 characters (several blocks and a half line per render) ends in the one-shot DOM', () => {
  const failures: string[] = [];
  for (const [name, md] of [...REPLIES, ['the whole corpus as one reply', LONG] as [string, string]]) {
    for (let seed = 1; seed <= 4; seed++) {
      if (streamed(md, prng(seed * 97 + md.length), 600) !== whole(md)) failures.push(`${name} (seed ${seed})`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a render that ends mid-line freezes every block but the last two: the next render rebuilds none of them', () => {
  // Ten paragraphs and a list, cut in the first line of an ordered list after it. A list can go on
  // after a blank line, so the half line may still join it: the list stays open, the rest is final.
  const paragraphs = Array.from({ length: 10 }, (_, i) => `Paragraph ${i} with **bold** text.`);
  const root = doc.createElement('div');
  const stream = new MarkdownStream(root, { baseUrl: BASE });
  stream.append(`${paragraphs.join('\n\n')}\n\n- one\n- two\n\n1.`);
  stream.render(false);
  const before = Array.from(root.children);
  stream.append(' three\n2. four\n\nThe end.');
  stream.render(false);
  const kept = before.filter((el) => el.parentNode === root);
  assert.deepEqual(kept.map((el) => el.textContent), paragraphs.map((p) => p.replace(/\*\*/g, '')));
});

test('a half line that makes the block before it a setext heading or a table still renders as one', () => {
  for (const [first, second] of [
    ['Intro.\n\nTitle\n', '===\n\nText.'],
    ['Intro.\n\n| a | b |\n', '| - | - |\n| 1 | 2 |'],
    ['Intro.\n\n- one\n- tw', 'o\n- three'],
    ['Intro.\n\n> quoted\nlaz', 'y line'],
  ]) {
    const root = doc.createElement('div');
    const stream = new MarkdownStream(root, { baseUrl: BASE });
    stream.append(first!);
    stream.render(false);
    stream.append(second!);
    stream.render(true);
    assert.equal(normalised(root), whole(first! + second!), JSON.stringify(first! + second!));
  }
});
