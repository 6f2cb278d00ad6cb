// Tool cards as visitors see them: label, summary, states, details, approval with every field.
import { expect, waitUntil } from '@open-wc/testing';
import { $, $$, chatFor } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import { itExcept, NO_MEDIA_EMULATION, setReducedMotion } from '../helpers/engine.js';

const RLO = '\u202e';

async function toolChat(input: unknown, tools: (ctl: { release: (v?: unknown) => void; fail: (e: Error) => void }) => Record<string, unknown>) {
  const agent = await createAgent({ replies: [{ text: 'On it.', toolCalls: [{ toolName: 'place_order', input }], after: 'All set.' }] });
  const el = await chatFor(agent);
  const ctl = { release: (_v?: unknown) => {}, fail: (_e: Error) => {} };
  el.tools = tools(ctl) as never;
  return { el, ctl, done: el.send('order please') };
}

const card = (el: Parameters<typeof $>[0]) => $(el, '[part="tool-call"]')!;

describe('ux: tool cards', () => {
  afterEach(() => setReducedMotion('no-preference'));

  it('shows the label and describe(input), a spinner while running, then done with details', async () => {
    const { el, ctl, done } = await toolChat({ item: 'Blue mug', quantity: 2 }, (ctl) => ({
      place_order: {
        label: 'Place your order',
        describe: (i: { item: string; quantity: number }) => `${i.quantity} × ${i.item}`,
        handler: () => new Promise((r) => (ctl.release = r)),
      },
    }));
    await waitUntil(() => card(el)?.dataset.state === 'running', 'never running');
    await el.updateComplete;
    expect(card(el).querySelector('.tool-name')!.textContent).to.equal('Place your order');
    expect(card(el).querySelector('.tool-summary')!.textContent).to.equal('2 × Blue mug');
    expect(card(el).querySelector('.tool-state')!.textContent).to.equal('Working…');
    expect(card(el).getAttribute('aria-label')).to.equal('Action: Place your order');
    expect(getComputedStyle(card(el).querySelector('.tool-icon')!).animationName).to.equal('spin');
    await expect(el).to.be.accessible();
    ctl.release({ ordered: true });
    await done;
    await el.updateComplete;
    expect(card(el).dataset.state).to.equal('done');
    expect(card(el).querySelector('.tool-state')!.textContent).to.equal('Done');
    const details = card(el).querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent).to.equal('Details');
    expect([...details.querySelectorAll('.fields:not(.tool-output) > div')].map((r) => r.textContent)).to.deep.equal(['item:Blue mug', 'quantity:2']);
    expect(details.querySelector('.tool-output')!.textContent).to.equal('ordered:true');
  });

  itExcept({ firefox: NO_MEDIA_EMULATION, webkit: NO_MEDIA_EMULATION }, 'the spinner stands still under prefers-reduced-motion', async () => {
    await setReducedMotion('reduce');
    const { el, ctl, done } = await toolChat({}, (ctl) => ({ place_order: { handler: () => new Promise((r) => (ctl.release = r)) } }));
    await waitUntil(() => card(el)?.dataset.state === 'running', 'never running');
    await el.updateComplete;
    expect(getComputedStyle(card(el).querySelector('.tool-icon')!).animationName).to.equal('none');
    ctl.release();
    await done;
  });

  it('a failure shows "Failed" with a short reason; a throwing describe() only loses the summary', async () => {
    const { el, done } = await toolChat({ a: 1 }, () => ({
      place_order: { describe: () => { throw new Error('boom'); }, handler: () => { throw new Error('out of stock'); } },
    }));
    await done;
    await el.updateComplete;
    expect(card(el).dataset.state).to.equal('error');
    expect(card(el).querySelector('.tool-state')!.textContent).to.equal('Failed: out of stock');
    expect(card(el).querySelector('.tool-summary')).to.equal(null);
    expect(card(el).querySelector('.tool-name')!.textContent).to.equal('place_order');
  });

  it('Deny shows "Declined", not a failure, and the approval card lists every field in full', async () => {
    const long = 'Mallory '.repeat(240).trim();
    const { el, done } = await toolChat({ item: 'Blue mug', quantity: 500, shipTo: long, note: `refund\n\n\t  ${RLO}fdp.exe` }, () => ({
      place_order: { confirm: true, label: 'Place your order', handler: () => ({ ok: true }) },
    }));
    await waitUntil(() => $(el, '[part="tool-allow-button"]'), 'no approval card');
    await el.updateComplete;
    expect($(el, '.confirm-question')!.textContent).to.equal('Allow Place your order?');
    const rows = $$(el, '.confirm-input > div');
    expect(rows.map((r) => r.querySelector('dt')!.textContent)).to.deep.equal(['item:', 'quantity:', 'shipTo:', 'note:']);
    expect(rows[2].querySelector('dd')!.textContent).to.equal(long); // never cut
    expect(rows[3].querySelector('dd')!.textContent).to.equal('refund [U+202E]fdp.exe'); // whitespace collapsed, RLO visible
    expect(rows.every((r) => r.querySelector('dd > bdi'))).to.equal(true);
    const list = $(el, '.confirm-input')!;
    expect(list.scrollHeight).to.be.greaterThan(list.clientHeight); // it scrolls …
    expect(list.tabIndex).to.equal(0); // … and keyboard users can scroll it
    expect($$(el, '[part="actions"]')).to.have.length(0); // no thumbs while it waits
    await expect(el).to.be.accessible();
    $(el, '[part="tool-deny-button"]')!.click();
    await done;
    await el.updateComplete;
    expect(card(el).dataset.state).to.equal('declined');
    expect(card(el).querySelector('.tool-state')!.textContent).to.equal('Declined');
    expect($(el, '[role="status"][aria-live="polite"]')!.textContent!.trim()).to.match(/^Action: Place your order: Declined|^Assistant replied/);
  });

  it('tool states and details are localized (lang="fr")', async () => {
    const { el, done } = await toolChat({}, () => ({ place_order: () => ({ ok: true }) }));
    el.setAttribute('lang', 'fr');
    await done;
    await el.updateComplete;
    expect(card(el).querySelector('.tool-state')!.textContent).to.equal('Terminé');
    expect(card(el).querySelector('summary')!.textContent).to.equal('Détails');
  });
});

