// Not a timed assertion: logs how long the slowest single update takes while a ~50 KB reply
// streams in 5,000 pieces, so regressions to "re-parse everything each chunk" are visible.
import { expect } from '@open-wc/testing';
import { mount } from './helpers.js';

function reply(targetBytes: number): string {
  const parts = [
    '## Section heading\n\nA paragraph with *emphasis*, **strong text**, `inline code` and a [link](https://example.com/page).\n\n',
    '- first item with some words\n- second item\n  - nested item\n1. ordered one\n2. ordered two\n\n',
    '```ts\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```\n\n',
    '| Name | Value |\n|------|-------|\n| alpha | 1 |\n| beta | 2 |\n\n',
    '> A quoted line that goes on for a while to make the text longer.\n\n',
  ];
  let out = '';
  for (let i = 0; out.length < targetBytes; i++) out += parts[i % parts.length];
  return out.slice(0, targetBytes);
}

describe('markdown streaming performance', () => {
  it('logs the longest single update for a 50 KB reply in 5,000 pieces', async function () {
    // It logs, it does not time: on a loaded machine 5,000 updates take a while.
    this.timeout(120000);
    const text = reply(50_000);
    const pieces = 5000;
    const size = Math.ceil(text.length / pieces);
    const { update } = await mount();
    const times: number[] = [];
    let el!: HTMLElement;
    for (let end = size; ; end += size) {
      const t0 = performance.now();
      el = update(text.slice(0, Math.min(end, text.length)), { complete: end >= text.length });
      times.push(performance.now() - t0);
      if (end >= text.length) break;
    }
    const total = times.reduce((a, b) => a + b, 0);
    const longest = Math.max(...times);
    const sorted = [...times].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)]!;
    // The first update includes one-off JIT/module warm-up; report the steady state separately.
    const longestAfterFirst = Math.max(...times.slice(1));
    console.log(`[markdown perf] ${text.length} chars in ${times.length} updates: longest update ${longest.toFixed(2)} ms ` +
      `(at update #${times.indexOf(longest) + 1}; longest after the first ${longestAfterFirst.toFixed(2)} ms), ` +
      `p99 ${p99.toFixed(3)} ms, total ${total.toFixed(0)} ms, ${el.querySelectorAll('*').length} elements`);
    expect(el.querySelectorAll('.code-block').length).to.be.greaterThan(10);
  });
});
