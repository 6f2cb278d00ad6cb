import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, $$, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent, requestsOf, seedConversation, serverMessages, type TestAgent } from '../helpers/local-server.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';

const say = (text: string, role = 'user') => ({ role, parts: [{ type: 'text', text }] });
const items = (el: BookbagChat) => $$(el, '[part="history-item"]');
const titles = (el: BookbagChat) => items(el).map((b) => b.textContent!.replace(b.querySelector('small')?.textContent ?? '', '').trim());
const historyRequests = async (agentId: string) => (await requestsOf(agentId)).filter((r) => r.path.includes('/users/'));

async function openHistory(el: BookbagChat): Promise<void> {
  $(el, '[part="history-button"]')!.click();
  await waitUntil(() => historyLoaded(el), 'history did not load');
  await el.updateComplete;
}

/** The first page arrived (the list has items, the empty text, or an error). */
const historyLoaded = (el: BookbagChat) => !!$(el, '[part="history"] :is([part="history-item"], .empty, [part="error"])');

async function seedMany(agent: TestAgent, userId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    ids.push(await seedConversation(agent.agentId, { userId, messages: [say(`Topic ${i}`), say(`Answer ${i}`, 'assistant')] }));
  }
  return ids;
}

describe('<bookbag-chat> history panel', () => {
  it('lists this user’s conversations newest first, in pages, with relative times', async () => {
    const agent = await createAgent();
    await seedMany(agent, 'reader_1', 23);
    await seedConversation(agent.agentId, { userId: 'someone_else', messages: [say('Not mine')] });
    const el = await chatFor(agent, { userId: 'reader_1' });
    const toggle = $(el, '[part="history-button"]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(toggle.getAttribute('aria-label')).to.equal('Conversation history');
    await openHistory(el);
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, '[part="messages"]')).to.equal(null); // the list replaces the transcript
    // The list is named by the panel's heading.
    const heading = $(el, `#${$(el, '[part="history"] ul')!.getAttribute('aria-labelledby')}`)!;
    expect([heading.tagName, heading.textContent]).to.deep.equal(['H3', 'Conversation history']);
    expect(items(el)).to.have.length(20);
    expect(titles(el)[0]).to.equal('Topic 23');
    expect(titles(el)[19]).to.equal('Topic 4');
    expect(items(el)[0].querySelector('small')!.textContent).to.match(/now|second/);
    const more = [...$$(el, '[part="history"] button.button')].find((b) => b.textContent === 'Load more')!;
    more.click();
    await waitUntil(() => items(el).length === 23, 'second page did not load');
    await el.updateComplete;
    expect(titles(el).slice(20)).to.deep.equal(['Topic 3', 'Topic 2', 'Topic 1']);
    expect(titles(el)).not.to.include('Not mine');
    expect([...$$(el, '[part="history"] button')].some((b) => b.textContent === 'Load more')).to.equal(false);
    const reqs = await historyRequests(agent.agentId);
    expect(reqs.map((r) => r.path)).to.deep.equal([
      `/api/v2/agents/${agent.agentId}/users/reader_1/conversations`,
      `/api/v2/agents/${agent.agentId}/users/reader_1/conversations`,
    ]);
    expect(reqs[0].query.cursor).to.equal(undefined);
    expect(reqs[1].query.cursor).to.be.a('string');
  });

  it('picking a conversation loads it, marks it current, and keyboard focus moves sensibly', async () => {
    const agent = await createAgent();
    const [first, second] = await seedMany(agent, 'reader_2', 2);
    const el = await chatFor(agent, { userId: 'reader_2' });
    const events = recordEvents(el);
    await openHistory(el);
    // Focus goes into the list (no current conversation yet: the first entry).
    expect(el.shadowRoot!.activeElement).to.equal(items(el)[0]);
    expect(items(el).some((b) => b.hasAttribute('aria-current'))).to.equal(false);
    const loaded = oneEvent(el, 'bookbag-conversation');
    items(el)[1].click(); // "Topic 1" (older)
    expect((await loaded).detail.conversationId).to.equal(first);
    await waitUntil(() => bubbleTexts(el).length === 2, 'conversation not shown');
    await el.updateComplete;
    expect(el.conversationId).to.equal(first);
    expect(bubbleTexts(el)).to.deep.equal(['Topic 1', 'Answer 1']);
    expect($(el, '[part="history"]')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part="history-button"]'));
    // Reopen: the current conversation is marked and focused; Esc goes back to the chat.
    await openHistory(el);
    const current = items(el).filter((b) => b.getAttribute('aria-current') === 'true');
    expect(current).to.have.length(1);
    expect(current[0].textContent).to.contain('Topic 1');
    expect(el.shadowRoot!.activeElement).to.equal(current[0]);
    current[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect($(el, '[part="history"]')).to.equal(null);
    expect(el.conversationId).to.equal(first);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part="history-button"]'));
    // The back button also returns; then switch to the other one.
    await openHistory(el);
    $(el, '[part="back-button"]')!.click();
    await el.updateComplete;
    expect($(el, '[part="messages"]')).to.exist;
    await openHistory(el);
    items(el)[0].click();
    await waitUntil(() => el.conversationId === second && bubbleTexts(el)[0] === 'Topic 2', 'did not switch');
    expect(events.filter((e) => e.type === 'bookbag-conversation').map((e) => e.detail.conversationId)).to.deep.equal([first, null, second]);
  });

  it('switching conversations while a reply streams aborts it; nothing leaks into the new one', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 4000 }, replies: [{ text: 'old stream words that must not leak' }] });
    const [other] = await seedMany(agent, 'reader_3', 1);
    const el = await chatFor(agent, { userId: 'reader_3' });
    const events = recordEvents(el);
    const sent = el.send('Start something long');
    await waitUntil(() => (bubbleTexts(el)[1] ?? '').startsWith('old stream'), 'no partial text', { timeout: 4000 });
    await openHistory(el);
    const item = items(el).find((b) => b.textContent!.includes('Topic 1'))!;
    item.click();
    await sent; // the old turn ended (aborted)
    await waitUntil(() => el.conversationId === other && bubbleTexts(el).length === 2, 'did not switch');
    // The server saw the client go away: it stored the partial reply in the old conversation.
    const streamed = async () => {
      const res = await fetch(`${agent.apiBase}/agents/${agent.agentId}/users/reader_3/conversations`, { headers: { Authorization: `Bearer ${agent.workspaceKey}` } });
      const id = (await res.json()).data.map((c: any) => c.id).find((c: string) => c !== other);
      return id ? serverMessages(agent, id) : [];
    };
    await waitUntil(async () => (await streamed()).length === 2, 'old stream was not aborted', { timeout: 3000 });
    expect(texts(await streamed())).to.deep.equal(['Start something long', 'old stream ']);
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['Topic 1', 'Answer 1']);
    expect(el.messages.map((m) => m.id)).to.deep.equal((await serverMessages(agent, other)).map((m) => m.id));
    expect(el.status).to.equal('idle');
    expect(events.filter((e) => e.type === 'bookbag-message' || e.type === 'bookbag-error')).to.deep.equal([]);
    expect(texts(await serverMessages(agent, other))).to.deep.equal(['Topic 1', 'Answer 1']);
  });

  it('the new-button starts fresh and keeps the old conversation on the server and in history', async () => {
    const agent = await createAgent({ replies: [{ text: 'One.' }, { text: 'Two.' }] });
    const el = await chatFor(agent, { userId: 'reader_4' });
    await el.send('first');
    const old = el.conversationId!;
    $(el, '[part="new-button"]')!.click();
    await el.updateComplete;
    expect(el.conversationId).to.equal(null);
    expect(el.messages).to.deep.equal([]);
    expect($(el, '[part="empty"]')!.hidden).to.equal(false);
    await el.send('second');
    expect(el.conversationId).to.not.equal(old);
    expect(texts(await serverMessages(agent, old))).to.deep.equal(['first', 'One.']);
    expect((await requestsOf(agent.agentId)).filter((r) => r.method === 'DELETE')).to.deep.equal([]);
    expect((await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'))[1].body).not.to.have.property('conversationId');
    await openHistory(el);
    expect(titles(el)).to.deep.equal(['second', 'first']);
  });

  it('shows the empty state, and errors in the existing notice with a way to try again', async () => {
    const agent = await createAgent({ config: { status: 500, statusOn: ['user-conversations'], statusTimes: 2 /* the client repeats a failed read once */ } });
    const el = await chatFor(agent, { userId: 'nobody_yet' });
    await openHistory(el);
    expect($(el, '[part="history"] [part="error"]')).to.exist;
    const again = [...$$(el, '[part="history"] button')].find((b) => b.textContent === 'Load more')!;
    again.click();
    await waitUntil(() => $(el, '[part="history"] .empty'), 'no empty state');
    expect($(el, '[part="history"] .empty')!.textContent).to.equal('No earlier conversations.');
  });

  it('is accessible with the history panel open', async function () {
    // Seeding, two loads and an axe run: more than the default 10 s on a busy machine.
    this.timeout(30000);
    const agent = await createAgent();
    const ids = await seedMany(agent, 'reader_5', 3);
    const el = await chatFor(agent, { userId: 'reader_5', mode: 'launcher' });
    el.show();
    await el.loadConversation(ids[1]);
    await openHistory(el);
    expect(items(el)).to.have.length(3);
    await expect(el).to.be.accessible();
  });
});

function texts(messages: any[]): string[] {
  return messages.map((m) => m.parts.filter((p: any) => p.type === 'text').map((p: any) => p.text).join(''));
}
