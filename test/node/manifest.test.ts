// custom-elements.json: regenerated from the source it must equal the committed file, it must
// describe everything the element has (parts, tokens, events found in src/), and README.md must
// list exactly the same attributes (with the same defaults), properties, methods, events, parts,
// slots and custom properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST = join(ROOT, 'custom-elements.json');
const TAG = 'bookbag-chat';

interface Named { name: string; default?: string; description?: string; type?: { text: string } }
interface Member extends Named { kind: 'field' | 'method'; privacy?: string; static?: boolean; attribute?: string; readonly?: boolean }
interface Attribute extends Named { fieldName?: string }
interface Element {
  kind: string; name: string; tagName?: string; customElement?: boolean; summary?: string;
  attributes?: Attribute[]; members?: Member[]; events?: Named[]; cssParts?: Named[]; slots?: Named[]; cssProperties?: Named[];
}
interface Manifest { modules: { path: string; declarations?: Element[]; exports?: { kind: string; name: string }[] }[] }

const committed = (): string => readFileSync(MANIFEST, 'utf8');
function element(manifest: Manifest = JSON.parse(committed())): Element {
  const el = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === TAG);
  assert.ok(el, `custom-elements.json has no declaration with tagName "${TAG}"`);
  return el;
}

test('custom-elements.json is up to date (npm run manifest)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bookbag-cem-'));
  try {
    // The analyser joins --outdir onto the working directory, so pass it relative to the root.
    const cem = spawnSync(process.execPath, [join(ROOT, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
      'analyze', '--litelement', '--quiet', '--outdir', relative(ROOT, dir)], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(cem.status, 0, `cem analyze failed:\n${cem.stdout}${cem.stderr}`);
    const fresh = readFileSync(join(dir, 'custom-elements.json'), 'utf8');
    assert.ok(fresh === committed(), 'custom-elements.json is stale: run npm run manifest');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the manifest describes <bookbag-chat>: tag, definition, attribute names and types', () => {
  const manifest: Manifest = JSON.parse(committed());
  const el = element(manifest);
  assert.equal(el.name, 'BookbagChat');
  assert.equal(el.customElement, true);
  assert.ok(el.summary, 'the element has a @summary');
  const definition = manifest.modules.find((m) => m.exports?.some((e) => e.kind === 'custom-element-definition' && e.name === TAG));
  assert.equal(definition?.path, 'dist/lib/define.js', 'the tag is defined by the ./define entry');
  for (const m of manifest.modules) assert.match(m.path, /^dist\/lib\/.+\.js$/, 'module paths are those of the published package');

  const attr = (name: string) => el.attributes?.find((a) => a.name === name);
  // `static properties` with `attribute: 'agent-id'` etc.: kebab-case names, mapped to the field.
  assert.equal(attr('agent-id')?.fieldName, 'agentId');
  assert.equal(attr('no-stream')?.fieldName, 'noStream');
  assert.equal(attr('with-credentials')?.type?.text, 'boolean');
  assert.equal(attr('mode')?.type?.text, "'launcher' | 'inline'");
  assert.equal(attr('storage')?.type?.text, "'local' | 'session' | 'none'");
  assert.equal(attr('api-base')?.default, "'https://app.bookbag.ai/api/v2'");
  assert.ok(attr('lang'), 'the lang attribute is listed');
  // Internal reactive state (`state: true`) is neither an attribute nor a public member.
  for (const name of ['draft', 'announcement', 'unread', 'pinned']) {
    assert.equal(attr(name), undefined, `${name} is internal state, not an attribute`);
    assert.equal(el.members?.find((m) => m.name === name), undefined, `${name} is internal state, not a member`);
  }
  for (const a of el.attributes ?? []) assert.ok(a.description, `attribute ${a.name} has a description`);
  for (const m of el.members ?? []) if (m.privacy !== 'protected') assert.ok(m.description, `member ${m.name} has a description`);
  for (const k of ['events', 'cssParts', 'slots', 'cssProperties'] as const) {
    for (const x of el[k] ?? []) assert.ok(x.description, `${k} ${x.name} has a description`);
  }
  for (const t of el.cssProperties ?? []) assert.ok(t.default, `${t.name} has a default`);
});

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('the manifest lists every part, custom property and event the source has', () => {
  const el = element();
  // The element's source, not the server-side proxy.
  const files = sources(join(ROOT, 'src')).filter((f) => !f.includes(`${join(ROOT, 'src', 'proxy')}`));
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const parts = new Set<string>();
  // part="a b ${x ? 'c' : 'd'}" in templates, part: 'a' in the markdown renderer.
  for (const [, value] of text.matchAll(/\bpart="([^"]*)"/g)) {
    for (const [, quoted] of value.matchAll(/'([a-z][a-z0-9-]*)'/g)) parts.add(quoted);
    for (const word of value.replace(/\$\{[^}]*\}/g, ' ').split(/\s+/)) if (/^[a-z][a-z0-9-]*[a-z0-9]$/.test(word)) parts.add(word);
  }
  for (const [, name] of text.matchAll(/\bpart: '([a-z][a-z0-9-]*)'/g)) parts.add(name);
  const tokens = new Set([...text.matchAll(/var\((--bookbag-[a-z0-9-]+)/g)].map((m) => m[1]));
  const events = new Set([...readFileSync(join(ROOT, 'src/protocol/events.ts'), 'utf8').matchAll(/'(bookbag-[a-z-]+)':/g)].map((m) => m[1]));
  assert.ok(parts.size > 20 && tokens.size > 20 && events.size > 10, 'the source scan found the parts, tokens and events');

  const missing = (found: Set<string>, listed: Named[] | undefined) => [...found].filter((n) => !listed?.some((x) => x.name === n)).sort();
  assert.deepEqual(missing(parts, el.cssParts), [], 'parts rendered by the source but missing from the manifest (add @csspart)');
  assert.deepEqual(missing(tokens, el.cssProperties), [], 'custom properties read by the styles but missing from the manifest (add @cssprop)');
  assert.deepEqual(missing(events, el.events), [], 'events in BookbagEventDetails but missing from the manifest (add @fires)');
  const extra = (el.events ?? []).map((e) => e.name).filter((n) => !events.has(n));
  assert.deepEqual(extra, [], 'events in the manifest but not in BookbagEventDetails');
});

// ---- README ------------------------------------------------------------------------------------

type Section = 'attributes' | 'properties' | 'methods' | 'events' | 'parts' | 'slots' | 'tokens';

/** What starts a README section: a heading, or a paragraph's first word ("Parts (…): `a`, `b`"). */
const LABELS: [RegExp, Section][] = [
  [/^(html )?attributes\b/i, 'attributes'],
  [/^(css )?custom properties\b|^(design )?tokens\b/i, 'tokens'],
  [/^(js |javascript )?properties\b/i, 'properties'],
  [/^methods\b/i, 'methods'],
  [/^events\b/i, 'events'],
  [/^(css |shadow )?parts\b/i, 'parts'],
  [/^slots\b/i, 'slots'],
];
const labelOf = (text: string): Section | null => {
  const plain = text.replace(/^[*_\s]+/, '');
  return LABELS.find(([re]) => re.test(plain))?.[1] ?? null;
};
const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim());
const splitRow = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

interface ReadmeSurface { names: Record<Section, Set<string>>; attributeDefaults: Map<string, string>; allCode: string[] }

/**
 * Reads README.md's public surface. A heading or a labelled paragraph ("Methods (…): …") opens a
 * section; the code spans of a labelled paragraph, and the first column of a table inside the
 * section, are its names. Unlabelled paragraphs and fenced code are skipped.
 */
function readReadme(markdown: string): ReadmeSurface {
  const names = Object.fromEntries(LABELS.map(([, s]) => [s, new Set<string>()])) as Record<Section, Set<string>>;
  const attributeDefaults = new Map<string, string>();
  const blocks: string[][] = [];
  let block: string[] = [];
  let fenced = false;
  const flush = () => { if (block.length) blocks.push(block); block = []; };
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) { fenced = !fenced; flush(); continue; }
    if (fenced) continue;
    if (!line.trim()) { flush(); continue; }
    if (/^#{1,6}\s/.test(line)) { flush(); blocks.push([line]); continue; }
    block.push(line);
  }
  flush();

  let label: Section | null = null;
  for (const lines of blocks) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[0]);
    if (heading) { label = labelOf(heading[1]); continue; }
    if (lines.every((l) => l.trim().startsWith('|'))) {
      if (!label) continue;
      const header = splitRow(lines[0]).map((c) => c.toLowerCase());
      const defaultCol = header.indexOf('default');
      for (const row of lines.slice(1)) {
        const cells = splitRow(row);
        if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
        for (const name of codeSpans(cells[0])) {
          names[label].add(name);
          if (label === 'attributes' && defaultCol >= 0) attributeDefaults.set(name, cells[defaultCol] ?? '');
        }
      }
      continue;
    }
    const own = labelOf(lines.join(' '));
    if (own) {
      label = own;
      for (const span of codeSpans(lines.join(' '))) names[own].add(span);
    }
  }
  const allCode = codeSpans(markdown.replace(/```[\s\S]*?```/g, ''));
  return { names, attributeDefaults, allCode };
}

const PATTERNS: Record<Section, (span: string) => string | undefined> = {
  attributes: (s) => (/^[a-z][a-z0-9-]*$/.test(s) ? s : undefined),
  properties: (s) => (/^[a-zA-Z_$][\w$]*$/.test(s) ? s : undefined),
  methods: (s) => /^([a-zA-Z_$][\w$]*)\(/.exec(s)?.[1],
  events: (s) => (/^bookbag-[a-z-]+$/.test(s) ? s : undefined),
  parts: (s) => (/^[a-z][a-z0-9-]*$/.test(s) ? s : undefined),
  slots: (s) => (/^[a-z][a-z0-9-]*$/.test(s) ? s : undefined),
  tokens: (s) => (/^--bookbag-[a-z0-9-]+$/.test(s) ? s : undefined),
};

function readmeNames(section: Section): Set<string> {
  const { names } = readReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  return new Set([...names[section]].map(PATTERNS[section]).filter((n): n is string => !!n));
}

function assertSameNames(section: string, inManifest: Iterable<string>, inReadme: Iterable<string>) {
  const m = new Set(inManifest), r = new Set(inReadme);
  const notInReadme = [...m].filter((n) => !r.has(n)).sort();
  const notInManifest = [...r].filter((n) => !m.has(n)).sort();
  assert.ok(m.size > 0, `the manifest lists no ${section}`);
  assert.ok(r.size > 0, `found no ${section} in README.md (was the section renamed?)`);
  assert.deepEqual({ notInReadme, notInManifest }, { notInReadme: [], notInManifest: [] },
    `README.md and custom-elements.json disagree on ${section}: ` +
    `${notInReadme.length ? `missing from README: ${notInReadme.join(', ')}` : ''}` +
    `${notInReadme.length && notInManifest.length ? '; ' : ''}` +
    `${notInManifest.length ? `not in the manifest: ${notInManifest.join(', ')}` : ''}`);
}

const isPublic = (m: Member) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.name.startsWith('#');

test('README ↔ manifest: attributes and their defaults', () => {
  const el = element();
  assertSameNames('attributes', (el.attributes ?? []).map((a) => a.name), readmeNames('attributes'));
  // A README default in backticks must be the manifest's (quotes aside); a prose one ("none",
  // "generated", "the document's") means the manifest has no literal default, or an empty one.
  const { attributeDefaults } = readReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const unquote = (v: string) => v.replace(/^(['"`])([\s\S]*)\1$/, '$2');
  const wrong: string[] = [];
  for (const a of el.attributes ?? []) {
    const cell = attributeDefaults.get(a.name);
    if (cell === undefined) continue;
    const code = /^`([^`]*)`$/.exec(cell)?.[1];
    const manifestDefault = a.default === undefined ? undefined : unquote(a.default);
    if (code !== undefined ? code !== manifestDefault : !['', 'null', 'undefined', '[]', '{}', undefined].includes(manifestDefault)) {
      wrong.push(`${a.name}: README ${cell}, manifest ${a.default ?? '(none)'}`);
    }
  }
  assert.deepEqual(wrong, [], `attribute defaults differ between README.md and custom-elements.json`);
});

test('README ↔ manifest: properties', () => {
  const el = element();
  const fields = (el.members ?? []).filter((m) => m.kind === 'field' && isPublic(m) && !m.static);
  const readme = readmeNames('properties');
  // JavaScript-only properties must be in README's list; attribute-backed ones are in the
  // attributes table ("each is also a property") but may be listed too.
  const jsOnly = fields.filter((f) => !f.attribute).map((f) => f.name);
  assertSameNames('properties', jsOnly, [...readme].filter((n) => !fields.some((f) => f.name === n && f.attribute)));
});

test('README ↔ manifest: methods', () => {
  const el = element();
  const methods = (el.members ?? []).filter((m) => m.kind === 'method' && isPublic(m));
  assertSameNames('methods', methods.filter((m) => !m.static).map((m) => m.name), readmeNames('methods'));
  // Static methods (`BookbagChat.define()`) belong to the class: README must mention them somewhere.
  const { allCode } = readReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const unmentioned = methods.filter((m) => m.static && !allCode.some((s) => s.includes(`${m.name}(`))).map((m) => `${el.name}.${m.name}()`);
  assert.deepEqual(unmentioned, [], 'static methods in the manifest that README.md never mentions');
});

test('README ↔ manifest: events', () => {
  assertSameNames('events', (element().events ?? []).map((e) => e.name), readmeNames('events'));
});

test('README ↔ manifest: CSS parts', () => {
  assertSameNames('parts', (element().cssParts ?? []).map((p) => p.name), readmeNames('parts'));
});

test('README ↔ manifest: slots', () => {
  assertSameNames('slots', (element().slots ?? []).map((s) => s.name), readmeNames('slots'));
});

test('README ↔ manifest: custom properties (design tokens)', () => {
  assertSameNames('custom properties', (element().cssProperties ?? []).map((p) => p.name), readmeNames('tokens'));
});
