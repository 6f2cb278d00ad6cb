// Identity, theming, launcher, landmarks, layout on phones, unread badge, tab-title notice.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, $$, chatFor } from '../helpers/chat.js';
import { createAgent, origin } from '../helpers/local-server.js';
import { engine, itExcept, NO_MEDIA_EMULATION, NO_PHONE_VIEWPORT, setColorScheme } from '../helpers/engine.js';

// Served by the test runner from this folder: the page's own origin, allowed via image-origins.
const AVATAR = `${location.origin}/test/ux/avatar.svg`;

describe('ux: identity and theming', () => {
  afterEach(async () => {
    await setColorScheme('light');
    if (engine !== 'webkit') await setViewport({ width: 800, height: 600 });
  });

  it('agent-name shows in the header; avatar shows only from an allowed image origin', async () => {
    const agent = await createAgent();
    const el = await fixture<BookbagChat>(html`<bookbag-chat mode="inline" agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"
      agent-name="Mia from Support" avatar=${AVATAR}></bookbag-chat>`);
    expect($(el, '[part="agent-name"]')!.textContent).to.equal('Mia from Support');
    expect($(el, '[part="avatar"]')).to.equal(null); // no image-origins: not shown
    el.setAttribute('image-origins', location.origin);
    await el.updateComplete;
    const img = $<HTMLImageElement>(el, '.header [part="avatar"]')!;
    expect(img.src).to.equal(AVATAR);
    expect(img.alt).to.equal('');
    el.setAttribute('avatar', 'javascript:alert(1)');
    await el.updateComplete;
    expect($(el, '[part="avatar"]')).to.equal(null);
    el.setAttribute('avatar', `${origin}/x.png`); // another origin than the one allowed
    await el.updateComplete;
    expect($(el, '[part="avatar"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  itExcept({ firefox: NO_MEDIA_EMULATION, webkit: NO_MEDIA_EMULATION }, 'theme="dark" and theme="light" override the system scheme', async () => {
    const agent = await createAgent({ replies: [{ text: 'Run `npm test` now.' }] });
    const el = await fixture<BookbagChat>(html`<bookbag-chat mode="inline" theme="dark" agent-id=${agent.agentId} api-base=${agent.apiBase} api-key=${agent.workspaceKey} storage="none"></bookbag-chat>`);

    const bg = () => getComputedStyle($(el, '[part="panel"]')!).backgroundColor;
    expect(bg()).to.equal('rgb(27, 29, 34)');
    await el.send('code please');
    // Replies follow the forced theme too: inline code on the dark code background.
    expect(getComputedStyle($(el, '[part~="inline-code"]')!).backgroundColor).to.equal('rgb(30, 34, 40)');
    await expect(el).to.be.accessible();
    await setColorScheme('dark');
    el.theme = 'light';
    await el.updateComplete;
    expect(bg()).to.equal('rgb(255, 255, 255)');
    el.theme = 'auto';
    await el.updateComplete;
    expect(bg()).to.equal('rgb(27, 29, 34)');
    el.style.setProperty('--bookbag-surface-color', 'rgb(1, 2, 3)');
    expect(bg()).to.equal('rgb(1, 2, 3)'); // a token the host sets wins
  });

  it('the launcher becomes a close button while open', async () => {
    const el = await chatFor(await createAgent(), { mode: 'launcher' });
    const launcher = $(el, '[part="launcher"]')!;
    expect(launcher.getAttribute('aria-label')).to.equal('Open chat');
    launcher.click();
    await el.updateComplete;
    expect(launcher.getAttribute('aria-label')).to.equal('Close chat');
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    launcher.click();
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('has no second banner landmark; focus order is header → transcript → composer', async () => {
    const el = await chatFor(await createAgent());
    expect($$(el, 'header, [role="banner"]')).to.have.length(0);
    $(el, '[part="new-button"]')!.focus();
    await sendKeys({ press: 'Tab' }); // history
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part="messages"]'));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part="input"]'));
  });

  it('the welcome is anchored at the top of the transcript', async () => {
    const agent = await createAgent();
    const el = await fixture<BookbagChat>(html`<bookbag-chat mode="inline" welcome="Hi! Ask me anything." agent-id=${agent.agentId} api-base=${agent.apiBase}
      storage="none" style="height:500px"></bookbag-chat>`);
    const log = $(el, '[part="messages"]')!.getBoundingClientRect();
    const empty = $(el, '[part="empty"]')!.getBoundingClientRect();
    expect(empty.top - log.top).to.be.below(30);
  });

  for (const [name, size] of [['portrait', { width: 390, height: 844 }], ['landscape', { width: 844, height: 390 }]] as const) {
    itExcept({ webkit: NO_PHONE_VIEWPORT }, `phone ${name}: the open panel is a full-screen sheet with touch targets of at least 44px`, async () => {
      await setViewport(size);
      const el = await chatFor(await createAgent(), { mode: 'launcher' });
      el.show();
      await el.updateComplete;
      const panel = $(el, '[part="panel"]')!.getBoundingClientRect();
      expect([Math.round(panel.width), Math.round(panel.height)]).to.deep.equal([size.width, size.height]);
      for (const b of $$(el, '[part="panel"] button:not([hidden])').filter((b) => b.getClientRects().length)) {
        const r = b.getBoundingClientRect();
        expect(Math.min(r.width, r.height), b.getAttribute('part') ?? b.className).to.be.at.least(44);
      }
      await expect(el).to.be.accessible();
    });
  }

  it('the unread badge counts replies, not messages (a tool turn is one reply)', async () => {
    const agent = await createAgent({ replies: [{ text: 'Checking.', toolCalls: [{ toolName: 'lookup', input: {} }], after: 'Found it.' }] });
    const el = await chatFor(agent, { mode: 'launcher' });
    el.tools = { lookup: () => ({ ok: true }) };
    await el.send('find');
    await waitUntil(() => el.status === 'idle' && el.messages.length === 3, 'tool turn did not finish');
    await el.updateComplete;
    expect($(el, '.badge')!.textContent).to.equal('1');
  });

  it('title-notice: while the page is hidden, the tab title counts new replies; it is restored when visible', async () => {
    const agent = await createAgent({ replies: [{ text: 'One.' }, { text: 'Two.' }] });
    const el = await chatFor(agent);
    el.titleNotice = true;
    const title = (document.title = 'Shop');
    let state: DocumentVisibilityState = 'hidden';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    try {
      await el.send('a');
      await el.send('b');
      expect(document.title).to.equal(`(2) New reply · ${title}`);
      state = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      expect(document.title).to.equal(title);
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
  });
});
