// Two widgets on one phone-sized page: each has its own sheet, the page scroll lock is counted
// (closing one sheet does not unlock the page under the other), and Tab inside an open sheet
// reaches controls slotted into its header and footer.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/define.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { createAgent, type TestAgent } from '../helpers/local-server.js';

const pageLocked = () => getComputedStyle(document.documentElement).overflow === 'hidden';

async function launcher(agent: TestAgent): Promise<BookbagChat> {
  return fixture<BookbagChat>(html`<bookbag-chat mode="launcher" storage="none" agent-id=${agent.agentId} api-base=${agent.apiBase} api-key=${agent.workspaceKey}>
    <button slot="header" id="help">Help</button>
    <a slot="footer" id="terms" href="#terms">Terms</a>
  </bookbag-chat>`);
}

describe('phone sheet', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('two widgets: the page stays locked until the last sheet closes', async () => {
    await setViewport({ width: 375, height: 667 });
    const agent = await createAgent();
    const a = await launcher(agent);
    const b = await launcher(agent);
    a.show();
    b.show();
    await a.updateComplete;
    await b.updateComplete;
    expect(pageLocked()).to.equal(true);
    a.hide();
    await a.updateComplete;
    expect(pageLocked(), 'one sheet still open').to.equal(true);
    b.hide();
    await b.updateComplete;
    expect(pageLocked()).to.equal(false);
    // Removing an open widget gives its lock back too.
    a.show();
    await a.updateComplete;
    expect(pageLocked()).to.equal(true);
    a.remove();
    expect(pageLocked()).to.equal(false);
  });

  it('Tab wraps through the slotted header and footer controls', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await launcher(await createAgent());
    el.show();
    await el.updateComplete;
    const terms = el.querySelector<HTMLElement>('#terms')!;
    const help = el.querySelector<HTMLElement>('#help')!;
    // The footer link is the last stop: Tab from it wraps to the slotted header button.
    terms.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(help);
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(document.activeElement).to.equal(terms);
  });
});
