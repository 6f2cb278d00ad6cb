// Built-in languages: strings, direction and position per element; relative times.
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, chatFor } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';
import { engine } from '../helpers/engine.js';
import { SHIPPED_LANGS, en, loadLocale, resolveStrings } from '../../src/internal/strings.js';
import { relativeTime } from '../../src/internal/relative-time.js';

const SEND: Record<string, string> = {
  en: 'Send', de: 'Senden', fr: 'Envoyer', es: 'Enviar', it: 'Invia', pt: 'Enviar', nl: 'Versturen',
  ja: '送信', zh: '发送', ar: 'إرسال', he: 'שליחה',
};

/** Every leaf of a strings object, functions called with a marker. */
const leaves = (s: object, prefix = ''): [string, string][] =>
  Object.entries(s).flatMap(([k, v]) =>
    typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, typeof v === 'function' ? v('⟨x⟩') : String(v)] as [string, string]],
  );

describe('ux: languages', () => {
  afterEach(async () => { if (engine !== 'webkit') await setViewport({ width: 800, height: 600 }); });

  it('ships en, de, fr, es, it, pt, nl, ja, zh, ar and he, each translating every label', async () => {
    expect(SHIPPED_LANGS).to.have.members(Object.keys(SEND));
    for (const lang of SHIPPED_LANGS) {
      await loadLocale(lang);
      const s = resolveStrings(lang, undefined);
      expect(s.send, lang).to.equal(SEND[lang]);
      if (lang === 'en') continue;
      // Interpolating labels keep their value; most labels differ from English (a few, like "Chat", may not).
      for (const [key, value] of leaves(s)) if (leaves(en).find(([k]) => k === key)![1].includes('⟨x⟩')) expect(value, `${lang} ${key}`).to.contain('⟨x⟩');
      const same = leaves(s).filter(([k, v]) => leaves(en).find(([e]) => e === k)![1] === v).map(([k]) => k);
      expect(same.length, `${lang} left in English: ${same.join(', ')}`).to.be.below(6);
    }
  });

  for (const lang of ['fr', 'ja', 'ar', 'he']) {
    it(`lang="${lang}" on the element sets its strings${lang === 'ar' || lang === 'he' ? ' and right-to-left' : ''}, and is accessible`, async () => {
      const agent = await createAgent();
      const el = await fixture<BookbagChat>(html`<bookbag-chat lang=${lang} mode="inline" agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"></bookbag-chat>`);
      expect($(el, '[part="send-button"]')!.getAttribute('aria-label')).to.equal(SEND[lang]);
      expect(getComputedStyle($(el, '[part="panel"]')!).direction).to.equal(lang === 'ar' || lang === 'he' ? 'rtl' : 'ltr');
      await expect(el).to.be.accessible();
    });
  }

  it('two elements on one page keep their own language', async () => {
    const agent = await createAgent();
    const a = await fixture<BookbagChat>(html`<bookbag-chat lang="es" mode="inline" agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"></bookbag-chat>`);
    const b = await fixture<BookbagChat>(html`<bookbag-chat lang="nl" mode="inline" agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"></bookbag-chat>`);
    expect(a.isConnected && b.isConnected).to.equal(true);
    expect([$(a, '[part="input"]')!.getAttribute('placeholder'), $(b, '[part="input"]')!.getAttribute('placeholder')]).to.deep.equal(['Escribe un mensaje…', 'Typ een bericht…']);
  });

  for (const lang of ['ar', 'he']) {
    it(`lang="${lang}" keeps the open launcher panel on screen (launcher on the left)`, async () => {
      // WebKit (no setViewport over WebDriver) runs this at its window's own desktop size.
      if (engine !== 'webkit') await setViewport({ width: 1024, height: 700 });
      const agent = await createAgent();
      const el = await fixture<BookbagChat>(html`<bookbag-chat lang=${lang} agent-id=${agent.agentId} api-base=${agent.apiBase} storage="none"></bookbag-chat>`);
      el.show();
      await el.updateComplete;
      const panel = $(el, '[part="panel"]')!.getBoundingClientRect();
      expect(panel.left).to.be.at.least(0);
      expect(panel.right).to.be.at.most(innerWidth);
      const launcher = $(el, '[part="launcher"]')!.getBoundingClientRect();
      expect(launcher.left).to.be.below(innerWidth / 2);
      await expect(el).to.be.accessible();
    });
  }

  it('relative times use one style: "just now" under a minute, then the language\'s phrase', () => {
    const now = Date.UTC(2026, 0, 10, 12);
    const s = now / 1000;
    const cases: [number, string, string][] = [
      [s - 3, 'en', 'just now'],
      [s - 59, 'en', 'just now'],
      [s - 60, 'en', '1 minute ago'],
      [s - 119, 'en', '1 minute ago'],
      [s - 3600 * 5, 'en', '5 hours ago'],
      [s - 86400, 'en', 'yesterday'],
      [s - 86400 * 3, 'fr', 'il y a 3 jours'],
      [s - 3600 * 2, 'de', 'vor 2 Stunden'],
      [s - 60 * 5, 'ja', '5 分前'],
      [s - 86400 * 400, 'en', 'last year'],
    ];
    for (const [at, lang, want] of cases) expect(relativeTime(at, lang, lang === 'en' ? 'just now' : 'x', now), `${lang} ${s - at}s`).to.equal(want);
  });

  it('history rows and message timestamps are localized; the full time is in the title', async () => {
    const agent = await createAgent({ replies: [{ text: 'Bonjour.' }] });
    const el = await chatFor(agent);
    el.setAttribute('lang', 'fr');
    el.timestamps = true;
    await el.send('salut');
    await el.updateComplete;
    const stamp = $(el, '[part~="message-assistant"] [part="timestamp"]')!;
    expect(stamp.textContent).to.equal('à l’instant');
    expect(stamp.getAttribute('title')).to.match(/2\d{3}/);
    expect(new Date(stamp.getAttribute('datetime')!).getTime()).to.be.closeTo(Date.now(), 120000);
  });
});
