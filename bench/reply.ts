// The reply every page is fed: deterministic markdown (headings, lists, code, a table) of an
// exact length, cut into equal frames. The last frame is exactly the sentinel paragraph, so
// "the sentinel is in the DOM" means "the last delta was rendered".
export const SENTINEL = 'BENCHEND';
const TAIL = `\n\n${SENTINEL}`;

const WORDS = ('streaming markdown renders every delta into the transcript while the visitor reads along '
  + 'and the widget keeps its main thread free for input scrolling and painting so that long replies '
  + 'never freeze the page even on slow phones with busy networks').split(' ');

function words(seed: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]);
  return out.join(' ');
}

function section(n: number): string {
  const lines: string[] = [];
  lines.push(`## Section ${n}: ${words(n, 4)}`);
  lines.push('');
  lines.push(`${words(n + 1, 30)}, with **bold ${n}**, *emphasis*, \`inline code ${n}\` and a [link](https://example.com/${n}).`);
  lines.push('');
  for (let i = 0; i < 4; i++) lines.push(`- item ${n}.${i}: ${words(n + i, 8)}`);
  lines.push('');
  for (let i = 1; i <= 3; i++) lines.push(`${i}. step ${i} of ${n}: ${words(n * 3 + i, 6)}`);
  lines.push('');
  lines.push('```ts');
  lines.push(`function handler${n}(input: string): number {`);
  lines.push(`  const parts = input.split(' ').filter(Boolean); // ${words(n, 3)}`);
  lines.push(`  return parts.reduce((sum, p) => sum + p.length * ${n}, 0);`);
  lines.push('}');
  lines.push('```');
  lines.push('');
  lines.push('| name | value | note |');
  lines.push('| --- | ---: | --- |');
  for (let i = 0; i < 3; i++) lines.push(`| row ${n}.${i} | ${(n * 31 + i * 7) % 1000} | ${words(n + i * 2, 3)} |`);
  lines.push('');
  lines.push(`> ${words(n + 5, 18)}.`);
  return lines.join('\n');
}

/** Markdown of exactly `length` ASCII characters ending with the sentinel paragraph. */
export function markdownReply(length: number): string {
  const bodyLength = length - TAIL.length;
  let text = `# Benchmark reply\n\n${words(0, 20)}.`;
  for (let n = 1; ; n++) {
    const next = `${text}\n\n${section(n)}`;
    if (next.length > bodyLength - 120) break;
    text = next;
  }
  // Fill up to the exact length with one plain paragraph.
  let filler = '\n\n';
  for (let i = 0; filler.length < bodyLength - text.length; i++) filler += `${WORDS[i % WORDS.length]} `;
  text += filler.slice(0, bodyLength - text.length - 1) + '.';
  return text + TAIL;
}

/** Cuts `text` into `count` frames of (nearly) equal size; the tail stays one frame. */
export function framesOf(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  const frames: string[] = [];
  for (let i = 0; i < text.length; i += size) frames.push(text.slice(i, i + size));
  return frames;
}

/** A short reply for the memory scenario (about 120 characters in ~12 frames). */
export function shortReply(turn: number): string {
  return `Reply ${turn}: here is **some** text with a [link](https://example.com/${turn}), \`code\` and a list:\n\n- one\n- two ${turn}`;
}
