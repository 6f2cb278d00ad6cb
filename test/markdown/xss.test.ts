// XSS suite: every payload sets window.__xss if it ever executes. Each is rendered whole and
// streamed in random-sized chunks (seeded, reproducible), and the DOM is checked structurally.
import { expect } from '@open-wc/testing';
import { chunk, prng, renderStreamed, renderWhole } from './helpers.js';
import { JS, OPTIONS, PAYLOADS, problems } from './xss-payloads.js';
import { afterPendingImages } from '../helpers/wait.js';

describe('XSS payloads', () => {
  before(() => { delete window.__xss; });
  afterEach(async () => {
    await afterPendingImages(); // any injected onerror/onload has fired by then
    expect(window.__xss, 'a payload executed').to.equal(undefined);
  });

  it('the harness itself detects unsafe DOM and executed payloads', async () => {
    const bad = document.createElement('div');
    const a = bad.appendChild(document.createElement('a'));
    a.setAttribute('href', 'javascript:void 0');
    a.setAttribute('onclick', 'x');
    bad.appendChild(document.createElement('script'));
    expect(problems(bad)).to.have.length.greaterThan(2);
    // Control: the flag really is set when a payload gets to run (here through innerHTML).
    const control = document.body.appendChild(document.createElement('div'));
    control.innerHTML = `<img src="data:," onerror="${JS}">`;
    await new Promise((fired) => control.firstElementChild!.addEventListener('error', fired));
    await afterPendingImages();
    control.remove();
    expect(window.__xss).to.equal(1);
    delete window.__xss;
  });

  it('has at least 100 payloads', () => {
    expect(PAYLOADS.length).to.be.at.least(100);
  });

  it('renders every payload safely in one go', async () => {
    const failures: string[] = [];
    for (const payload of PAYLOADS) {
      const root = await renderWhole(payload, OPTIONS);
      for (const p of problems(root)) failures.push(`${JSON.stringify(payload)}: ${p}`);
    }
    expect(failures).to.deep.equal([]);
  });

  it('renders every payload safely when streamed in random chunks', async function () {
    this.timeout(120000); // many streamed renders: slow under load, never stuck
    const rand = prng(0xb00c);
    const failures: string[] = [];
    for (const payload of PAYLOADS) {
      // Intermediate states must be safe too, not just the settled DOM.
      const { el } = await renderStreamed(chunk(payload, rand, 6), OPTIONS, (step) => {
        for (const p of problems(step)) failures.push(`${JSON.stringify(payload)} (mid-stream): ${p}`);
      });
      for (const p of problems(el)) failures.push(`${JSON.stringify(payload)}: ${p}`);
    }
    expect(failures).to.deep.equal([]);
  });

  it('renders all payloads as one streamed document safely', async function () {
    // Hundreds of updates of a document with hundreds of blocks: slow on a loaded machine, not stuck.
    this.timeout(120000);
    const doc = PAYLOADS.join('\n\n');
    const { el } = await renderStreamed(chunk(doc, prng(42), 40), OPTIONS);
    expect(problems(el)).to.deep.equal([]);
    // Raw HTML is shown to the reader as text rather than dropped.
    expect(el.textContent).to.contain('<script>');
  });
});
