import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, $$, bubbleTexts, chatFor } from '../helpers/chat.js';
import { createAgent, requestsOf, seedConversation } from '../helpers/local-server.js';

describe('<bookbag-chat> load older', () => {
  it('loads the newest page first and older pages at the top, keeping the scroll anchor, up to the start', async () => {
    const agent = await createAgent();
    const id = await seedConversation(agent.agentId, { generate: 200 });
    const el = await chatFor(agent);
    el.style.height = '420px';
    await el.loadConversation(id);
    const log = $(el, '[part="messages"]')!;
    expect(el.messages).to.have.length(30);
    expect(bubbleTexts(el).at(-1)).to.equal('Message 200');
    expect(log.scrollTop).to.be.greaterThan(0); // pinned to the newest message
    let pages = 0;
    while (el.messages.length < 200) {
      const count = el.messages.length;
      // The anchor is a message (by id): rows are reused by position, so find it again after.
      const anchorId = $$(el, '[part~="message"]')[0].dataset.id!;
      const anchor = () => $(el, `[data-id="${anchorId}"]`)!;
      // No frame wait: a page the runner keeps in the background gets none. The browser's own
      // scroll event for this may come later; the widget loads one page per arrival at the top.
      log.scrollTop = 0;
      const before = anchor().getBoundingClientRect().top - log.getBoundingClientRect().top;
      log.dispatchEvent(new Event('scroll'));
      await waitUntil(() => el.messages.length > count, `page ${pages + 1} did not load`);
      await el.updateComplete;
      const after = anchor().getBoundingClientRect().top - log.getBoundingClientRect().top;
      expect(Math.abs(after - before), `anchor moved on page ${pages + 1}`).to.be.lessThan(4);
      expect(log.scrollTop).to.be.greaterThan(0);
      pages++;
      expect(pages).to.be.lessThan(10);
    }
    expect(bubbleTexts(el)[0]).to.equal('Message 1');
    expect(new Set(el.messages.map((m) => m.id)).size).to.equal(200);
    // At the start: scrolling to the top asks for nothing more.
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    const reads = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/messages'));
    expect(reads).to.have.length(1 + pages);
    expect(reads.slice(1).every((r) => typeof r.query.cursor === 'string')).to.equal(true);
  });
});
