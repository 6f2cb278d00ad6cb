import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, bubbleTexts, chatFor } from '../helpers/chat.js';
import { createAgent, seedConversation } from '../helpers/local-server.js';
import { engine, itExcept, NO_MEDIA_EMULATION, NO_PHONE_VIEWPORT, pressChord, setColorScheme, typeText } from '../helpers/engine.js';

const focused = (el: BookbagChat) => el.shadowRoot!.activeElement;

describe('<bookbag-chat> embedding, theming, accessibility', () => {
  afterEach(async () => {
    await setColorScheme('light');
    if (engine !== 'webkit') await setViewport({ width: 800, height: 600 });
  });

  it('keyboard only: open focuses the input, Enter sends, Esc closes and focus returns to the launcher', async () => {
    const agent = await createAgent({ replies: [{ text: 'Typed reply.' }] });
    const el = await chatFor(agent, { mode: 'launcher' });
    $(el, '[part="launcher"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(focused(el)).to.equal($(el, '[part="input"]'));
    await typeText('hello there');
    await pressChord(['Shift'], 'Enter');
    await typeText('second line');
    const message = oneEvent(el, 'bookbag-message');
    await sendKeys({ press: 'Enter' });
    await message;
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['hello there\nsecond line', 'Typed reply.']);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(focused(el)).to.equal($(el, '[part="launcher"]'));
  });

  it('announces one streamed reply exactly once in the polite live region', async () => {
    const agent = await createAgent({ config: { pace: 5 }, replies: [{ text: 'one two three four five six seven eight nine ten' }, { text: 'Done.' }] });
    const el = await chatFor(agent);
    const region = $(el, '[role="status"][aria-live="polite"]')!;
    const changes: string[] = [];
    const observer = new MutationObserver(() => changes.push(region.textContent!.trim()));
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    await el.send('count');
    // A second turn's announcements come later: everything the first reply announced is before them.
    await el.send('thanks');
    await waitUntil(() => changes.includes('Assistant replied: Done.'), 'second reply not announced');
    observer.disconnect();
    // The typing indicator once, then the finished reply once (never token by token), per turn.
    expect(changes.filter((t) => t)).to.deep.equal(['Assistant is typing…', 'Assistant replied: one two three four five six seven eight nine ten', 'Assistant is typing…', 'Assistant replied: Done.']);
  });

  it('shows an unread badge for a reply that finishes while the panel is closed', async () => {
    const agent = await createAgent({ replies: [{ text: 'Reply while closed.' }] });
    const el = await chatFor(agent, { mode: 'launcher' });
    await el.send('hi');
    expect($(el, '.badge')!.textContent).to.equal('1');
    el.show();
    await el.updateComplete;
    expect($(el, '.badge')).to.equal(null);
  });

  it('host stylesheet tokens and ::part rules take effect; widget CSS does not leak out', async () => {
    const style = document.createElement('style');
    style.textContent = 'bookbag-chat.themed { --bookbag-accent-color: rgb(1, 2, 3); } bookbag-chat.themed::part(send-button) { border-radius: 3px; } button { color: rgb(9, 9, 9); }';
    document.head.append(style);
    try {
      // fixtureSync: `fixture` waits an animation frame for a plain <div>, and a page the runner
      // keeps in the background gets none. The element's own updateComplete is what matters.
      const el = fixtureSync<HTMLDivElement>(html`<div><button id="outside">x</button><bookbag-chat class="themed" mode="inline" agent-id="1" api-base="/x"></bookbag-chat></div>`);
      const chat = el.querySelector('bookbag-chat')!;
      await chat.updateComplete;
      const send = chat.shadowRoot!.querySelector('[part="send-button"]')!;
      expect(getComputedStyle(send).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(send).borderTopLeftRadius).to.equal('3px');
      // The page's `button` rule does not reach inside; the widget's rules do not reach out.
      expect(getComputedStyle(send).color).not.to.equal('rgb(9, 9, 9)');
      expect(getComputedStyle(el.querySelector('#outside')!).color).to.equal('rgb(9, 9, 9)');
    } finally {
      style.remove();
    }
  });

  itExcept({ firefox: NO_MEDIA_EMULATION, webkit: NO_MEDIA_EMULATION }, 'follows prefers-color-scheme: dark, and is accessible there', async () => {
    await setColorScheme('dark');
    const el = await chatFor(await createAgent({ replies: [{ text: 'Dark reply with `code`.' }] }));
    await el.send('hi');
    expect(getComputedStyle($(el, '[part="panel"]')!).backgroundColor).to.equal('rgb(27, 29, 34)');
    await expect(el).to.be.accessible();
  });

  it('lang="de" uses the German strings; lang="ar" lays out right-to-left; both accessible', async () => {
    const agent = await createAgent();
    const de = await fixture<BookbagChat>(html`<bookbag-chat lang="de" mode="inline" agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"></bookbag-chat>`);
    expect($(de, '[part="send-button"]')!.getAttribute('aria-label')).to.equal('Senden');
    expect($<HTMLTextAreaElement>(de, '[part="input"]')!.placeholder).to.equal('Nachricht schreiben…');
    await expect(de).to.be.accessible();
    const ar = await fixture<BookbagChat>(html`<bookbag-chat lang="ar" mode="inline" agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"></bookbag-chat>`);
    expect($(ar, '[part="panel"]')!.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle($(ar, '[part="panel"]')!).direction).to.equal('rtl');
    await expect(ar).to.be.accessible();
  });

  it('strings overrides any built-in label', async () => {
    const el = await fixture<BookbagChat>(html`<bookbag-chat mode="inline" agent-id="1" api-base="/x" .strings=${{ send: 'Go!' }}></bookbag-chat>`);
    expect($(el, '[part="send-button"]')!.getAttribute('aria-label')).to.equal('Go!');
  });

  itExcept({ webkit: NO_PHONE_VIEWPORT }, 'on a phone the open panel is a modal full-screen sheet that keeps focus inside', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await chatFor(await createAgent(), { mode: 'launcher' });
    el.show();
    await el.updateComplete;
    const panel = $(el, '[part="panel"]')!;
    const box = panel.getBoundingClientRect();
    expect(Math.round(box.width)).to.equal(375);
    expect(Math.round(box.height)).to.equal(667);
    expect(panel.getAttribute('aria-modal')).to.equal('true');
    expect(getComputedStyle(document.documentElement).overflow).to.equal('hidden');
    expect(parseFloat(getComputedStyle($(el, '[part="input"]')!).fontSize)).to.be.at.least(16);
    // Tab from the last control wraps to the first (the panel's own controls; the sheet's two
    // focus guards have no part).
    const controls = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.panel button:not([disabled]):not([hidden]), .panel textarea, .panel [part][tabindex="0"]')];
    controls[controls.length - 1].focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(controls[0]);
    el.hide();
    await el.updateComplete;
    expect(getComputedStyle(document.documentElement).overflow).not.to.equal('hidden');
  });

  it('shows "jump to latest" when scrolled up, and it returns to the bottom', async () => {
    const agent = await createAgent();
    const id = await seedConversation(agent.agentId, { generate: 30 });
    const el = await chatFor(agent);
    el.style.height = '400px';
    await el.loadConversation(id);
    const log = $(el, '[part="messages"]')!;
    await waitUntil(() => log.scrollHeight > log.clientHeight, 'not scrollable');
    log.scrollTop = 200;
    log.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    const jump = $(el, '[part="jump-button"]')!;
    expect(jump.hidden).to.equal(false);
    jump.click();
    await el.updateComplete;
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.lessThan(24);
  });
});
