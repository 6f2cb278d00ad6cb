import { Window } from 'happy-dom';
import { MarkdownStream } from './src/markdown/markdown-stream.ts';
import { lex } from './src/markdown/lexer.ts';
const doc = new Window({ url: 'https://x.test/' }).document as unknown as Document;
const cases: Record<string, string> = {
  deepQuote: '>'.repeat(3000) + ' deep',
  deepQuoteSpaced: '> '.repeat(3000) + 'deep',
  deepList: '- '.repeat(3000) + 'x',
  stars: '*'.repeat(5000) + 'a' + '*'.repeat(5000),
  starsOpen: '*a '.repeat(5000),
  brackets: '['.repeat(5000) + 'x' + ']'.repeat(5000),
  bracketsOpen: '[a '.repeat(5000),
  linkParens: '[a](' + '('.repeat(5000),
  pipes: '|'.repeat(50000),
  wide: '|' + 'a|'.repeat(20000) + '\n|' + '-|'.repeat(20000) + '\n|' + 'b|'.repeat(20000),
  tall: '| a | b |\n|---|---|\n' + '| 1 | 2 |\n'.repeat(20000),
  backticks: '`'.repeat(20000),
  ltgt: '<'.repeat(20000) + 'a',
  emphMix: '**_'.repeat(5000),
  deepNestedIndented: Array.from({length: 200}, (_, i) => ' '.repeat(i*2) + '- x').join('\n'),
};
for (const [name, md] of Object.entries(cases)) {
  const t0 = performance.now();
  try { lex(md); } catch (e) { console.log(name, 'LEX THROW', String(e).slice(0, 100)); }
  const t1 = performance.now();
  const root = doc.createElement('div'); const s = new MarkdownStream(root, {});
  try { s.append(md); s.render(true); } catch (e) { console.log(name, 'RENDER THROW', String(e).slice(0, 100)); }
  let depth = 0; let n: Element | null = root; while (n && n.firstElementChild) { n = n.lastElementChild; depth++; }
  console.log(name, md.length, 'lex', (t1 - t0).toFixed(0), 'ms, total', (performance.now() - t0).toFixed(0), 'ms, depth', depth, 'els', root.querySelectorAll('*').length);
}
