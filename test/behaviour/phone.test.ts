// Two widgets on one phone-sized page: each has its own sheet, the page scroll lock is counted
// (closing one sheet does not unlock the page under the other), and an open sheet is modal
// through `inert` on what the element renders outside the panel (the launcher), with Tab
// reaching controls slotted into its header and footer and never leaving the panel: not into
// the launcher, not onto the page the sheet covers.
import { expect, fixtureSync, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/define.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { createAgent, type TestAgent } from '../helpers/local-server.js';
import { engine, itExcept, NO_PHONE_VIEWPORT, pressChord } from '../helpers/engine.js';

const pageLocked = () => getComputedStyle(document.documentElement).overflow === 'hidden';
const launcherOf = (el: BookbagChat) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="launcher"]')!;

/** The focused element, looking into the widget's shadow root. */
function focused(): Element | null {
  const active = document.activeElement;
  return active?.shadowRoot?.activeElement ?? active;
}

/** A widget between two page buttons, so that a Tab leaving the panel has somewhere to go. */
async function onPage(agent: TestAgent): Promise<{ el: BookbagChat; before: HTMLElement; after: HTMLElement }> {
  const page = fixtureSync<HTMLDivElement>(html`<div>
    <button id="before">Before</button>
    <bookbag-chat mode="launcher" storage="none" agent-id=${agent.agentId} api-base=${agent.apiBase} api-key=${agent.workspaceKey}>
      <button slot="header" id="help">Help</button>
      <a slot="footer" id="terms" href="#terms">Terms</a>
    </bookbag-chat>
    <button id="after">After</button>
  </div>`);
  const el = page.querySelector<BookbagChat>('bookbag-chat')!;
  await el.updateComplete;
  return { el, before: page.querySelector('#before')!, after: page.querySelector('#after')! };
}

let stopRecording = () => {};

/** Every element that gets focus from now on, until the test ends (shadow roots included). */
function recordFocus(): Element[] {
  const seen: Element[] = [];
  const record = (e: FocusEvent) => seen.push(e.composedPath()[0] as Element);
  document.addEventListener('focusin', record, true);
  stopRecording = () => document.removeEventListener('focusin', record, true);
  return seen;
}

describe('phone sheet', () => {
  afterEach(async () => {
    stopRecording();
    if (engine !== 'webkit') await setViewport({ width: 800, height: 600 });
  });

  itExcept({ webkit: NO_PHONE_VIEWPORT }, 'two widgets: each sheet has its own modality, the page stays locked until the last sheet closes', async () => {
    await setViewport({ width: 375, height: 667 });
    const agent = await createAgent();
    const { el: a } = await onPage(agent);
    const { el: b } = await onPage(agent);
    a.show();
    b.show();
    await a.updateComplete;
    await b.updateComplete;
    expect(pageLocked()).to.equal(true);
    expect([launcherOf(a).inert, launcherOf(b).inert]).to.deep.equal([true, true]);
    a.hide();
    await a.updateComplete;
    expect(pageLocked(), 'one sheet still open').to.equal(true);
    expect([launcherOf(a).inert, launcherOf(b).inert], 'only the open sheet keeps its launcher inert').to.deep.equal([false, true]);
    b.hide();
    await b.updateComplete;
    expect(pageLocked()).to.equal(false);
    expect(launcherOf(b).inert).to.equal(false);
    // Removing an open widget gives its lock back too.
    a.show();
    await a.updateComplete;
    expect(pageLocked()).to.equal(true);
    a.remove();
    expect(pageLocked()).to.equal(false);
  });

  itExcept({ webkit: NO_PHONE_VIEWPORT }, 'Tab from the last control reaches the slotted footer control, then wraps inside the panel', async () => {
    await setViewport({ width: 375, height: 667 });
    const { el, before, after } = await onPage(await createAgent());
    el.show();
    await el.updateComplete;
    const terms = el.querySelector<HTMLElement>('#terms')!;
    const help = el.querySelector<HTMLElement>('#help')!;
    const launcher = launcherOf(el);
    const input = el.shadowRoot!.querySelector<HTMLElement>('[part="input"]')!;
    expect(launcher.inert, 'the launcher under the open sheet').to.equal(true);
    // With no draft Send is disabled, so the input is the panel's last own control; the footer link follows it.
    input.focus();
    expect(focused()).to.equal(input);
    const seen = recordFocus();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(terms);
    // From the footer, Tab comes back to the first control (the slotted header button) …
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(help);
    // … and Shift+Tab from there goes to the footer, past the inert launcher.
    await pressChord(['Shift'], 'Tab');
    expect(focused()).to.equal(terms);
    // Every stop focus made, in order: never the launcher, never the page under the sheet. (A
    // page without system focus, beside other test pages, hears the input's own focusin late.)
    expect(seen.filter((e) => e !== input).map((e) => e.id || e.getAttribute('part'))).to.deep.equal(['terms', 'help', 'terms']);
    expect([launcher, before, after].some((e) => seen.includes(e))).to.equal(false);
    // Escape closes the sheet, the launcher is live again and has focus.
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(launcher.inert).to.equal(false);
    expect(focused()).to.equal(launcher);
  });

  it('outside a phone sheet nothing is inert and Tab is the page’s own', async function () {
    if (engine !== 'webkit') await setViewport({ width: 800, height: 600 });
    // WebKit keeps its window's size (NO_PHONE_VIEWPORT); a phone-sized one would make a sheet.
    if (matchMedia('(max-width: 639px), (max-height: 479px)').matches) this.skip();
    const { el, after } = await onPage(await createAgent());
    el.show();
    await el.updateComplete;
    expect(launcherOf(el).inert).to.equal(false);
    el.querySelector<HTMLElement>('#terms')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(), 'the floating panel is not modal: Tab goes on to the page').to.equal(after);
  });
});
