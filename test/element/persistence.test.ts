import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { $, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { createAgent, deleteConversation, requestsOf, seedConversation, serverMessages, type TestAgent } from '../helpers/local-server.js';

const keyOf = (agent: TestAgent) => `bookbag-chat:${agent.apiBase}|${agent.agentId}`;

describe('<bookbag-chat> persistence', () => {
  afterEach(() => localStorage.clear());

  it('restores the transcript after a reload (inline: at load)', async () => {
    const agent = await createAgent({ replies: [{ text: 'Remembered reply.' }] });
    const first = await chatFor(agent, { storage: 'local' });
    await first.send('remember me');
    const conversationId = first.conversationId;
    first.remove();
    const stored = JSON.parse(localStorage.getItem(keyOf(agent))!);
    expect(stored.conversationId).to.equal(conversationId);
    expect(stored.userId).to.match(/^anon_/);
    const second = await chatFor(agent, { storage: 'local' });
    const { detail } = await oneEvent(second, 'bookbag-ready');
    expect(detail.conversationId).to.equal(conversationId);
    await waitUntil(() => bubbleTexts(second).length === 2, 'history not shown');
    expect(bubbleTexts(second)).to.deep.equal(['remember me', 'Remembered reply.']);
    const reads = (await requestsOf(agent.agentId)).filter((r) => r.method === 'GET');
    expect(reads[0].path).to.match(new RegExp(`/conversations/${conversationId}/messages$`));
    // The same anonymous id keeps being used.
    await second.send('again');
    const chats = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));
    expect(chats[1].body.userId).to.equal(stored.userId);
  });

  it('in launcher mode makes no request until first opened', async () => {
    const agent = await createAgent();
    const conversationId = await seedConversation(agent.agentId, { generate: 4 });
    localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'anon_aaaaaaaaaaaaaaaaaaaa' }));
    const el = await chatFor(agent, { storage: 'local', mode: 'launcher' });
    // A marker request of the test's own, after the element is up and before it opens: the
    // server sees it first, so anything the widget sent at load would come before it.
    await serverMessages(agent, conversationId, 1);
    expect(await requestsOf(agent.agentId)).to.have.length(1);
    el.show();
    await oneEvent(el, 'bookbag-ready');
    await waitUntil(() => bubbleTexts(el).length === 4, 'history not shown');
    const requests = await requestsOf(agent.agentId);
    expect(requests.map((r) => `${r.method} ${r.query.limit === '1' ? 'marker' : 'widget'}`)).to.deep.equal(['GET marker', 'GET widget']);
  });

  it('starts fresh when the stored conversation is gone (404)', async () => {
    const agent = await createAgent();
    const conversationId = await seedConversation(agent.agentId, { generate: 2 });
    await deleteConversation(agent.agentId, conversationId);
    localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'anon_bbbbbbbbbbbbbbbbbbbb' }));
    const el = await chatFor(agent, { storage: 'local' });
    const events = recordEvents(el);
    await oneEvent(el, 'bookbag-ready');
    expect(el.conversationId).to.equal(null);
    expect($(el, '[part="error"]')).to.equal(null);
    expect(events.find((e) => e.type === 'bookbag-conversation')?.detail.conversationId).to.equal(null);
    expect(JSON.parse(localStorage.getItem(keyOf(agent))!).conversationId).to.equal(undefined);
  });

  it('works with storage that throws, and says so once', async () => {
    const agent = await createAgent({ replies: [{ text: 'Fine without storage.' }] });
    const denied = () => { throw new DOMException('denied', 'SecurityError'); };
    const original = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    const methods = { getItem: Storage.prototype.getItem, setItem: Storage.prototype.setItem, removeItem: Storage.prototype.removeItem };
    Object.defineProperty(window, 'localStorage', { configurable: true, get: denied });
    // WebKit does not always honour the redefinition of window.localStorage, so every Storage
    // call is denied too: the same case as the widget sees it (the browser refuses storage).
    Object.assign(Storage.prototype, { getItem: denied, setItem: denied, removeItem: denied });
    try {
      const errors: string[] = [];
      const el = await fixture<BookbagChat>(html`<bookbag-chat agent-id=${agent.agentId} api-base=${agent.apiBase} api-key=${agent.workspaceKey}
        mode="inline" @bookbag-error=${(e: CustomEvent) => errors.push(e.detail.code)}></bookbag-chat>`);
      await el.send('hi');
      expect(bubbleTexts(el)).to.deep.equal(['hi', 'Fine without storage.']);
      expect(errors).to.deep.equal(['STORAGE_UNAVAILABLE']);
    } finally {
      Object.assign(Storage.prototype, methods);
      Object.defineProperty(window, 'localStorage', original);
    }
  });

  it('works when storage is full (quota) on every write', async () => {
    const agent = await createAgent({ replies: [{ text: 'Still works.' }] });
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
    try {
      const el = await chatFor(agent, { storage: 'local' });
      await el.send('hi');
      expect(bubbleTexts(el)).to.deep.equal(['hi', 'Still works.']);
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });

  it('starts clean from corrupt storage', async () => {
    const agent = await createAgent();
    localStorage.setItem(keyOf(agent), '{"v":1,"conversationId":{"oops":true}');
    const el = await chatFor(agent, { storage: 'local' });
    expect(el.conversationId).to.equal(null);
    expect(el.messages).to.deep.equal([]);
  });

  it('keeps two agents on one page apart', async () => {
    const a = await createAgent({ replies: [{ text: 'From A.' }] });
    const b = await createAgent({ replies: [{ text: 'From B.' }] });
    const elA = await chatFor(a, { storage: 'local' });
    const elB = await chatFor(b, { storage: 'local' });
    await Promise.all([elA.send('to A'), elB.send('to B')]);
    expect(bubbleTexts(elA)).to.deep.equal(['to A', 'From A.']);
    expect(bubbleTexts(elB)).to.deep.equal(['to B', 'From B.']);
    expect(elA.conversationId).not.to.equal(elB.conversationId);
    expect(JSON.parse(localStorage.getItem(keyOf(a))!).conversationId).to.equal(elA.conversationId);
    expect(JSON.parse(localStorage.getItem(keyOf(b))!).conversationId).to.equal(elB.conversationId);
  });

  it('follows a conversation change made in another tab', async () => {
    const agent = await createAgent();
    const other = await seedConversation(agent.agentId, { generate: 2 });
    const el = await chatFor(agent, { storage: 'local' });
    const newValue = JSON.stringify({ v: 1, conversationId: other, userId: 'anon_cccccccccccccccccccc' });
    window.dispatchEvent(new StorageEvent('storage', { key: keyOf(agent), newValue }));
    await waitUntil(() => el.conversationId === other && bubbleTexts(el).length === 2, 'did not follow');
  });

  it('forget() drops the stored ids and draft and starts a new anonymous identity', async () => {
    const agent = await createAgent({ replies: [{ text: 'ok' }, { text: 'ok again' }] });
    const el = await chatFor(agent, { storage: 'local' });
    await el.send('hi');
    const before = JSON.parse(localStorage.getItem(keyOf(agent))!);
    el.forget();
    expect(el.conversationId).to.equal(null);
    expect(el.messages).to.deep.equal([]);
    const after = JSON.parse(localStorage.getItem(keyOf(agent)) ?? '{}');
    expect(after.conversationId).to.equal(undefined);
    expect(after.userId).to.match(/^anon_/);
    expect(after.userId).not.to.equal(before.userId);
  });

  it('drops a stored conversation that belongs to a different user-id', async () => {
    const agent = await createAgent();
    const conversationId = await seedConversation(agent.agentId, { userId: 'alice', generate: 2 });
    localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'alice' }));
    const el = await chatFor(agent, { storage: 'local', userId: 'bob' });
    await el.updateComplete;
    expect((await requestsOf(agent.agentId)).length).to.equal(0);
    expect(el.conversationId).to.equal(null);
    expect(el.messages).to.have.length(0);
  });

  it('keeps the unsent draft across a reload', async () => {
    const agent = await createAgent();
    const el = await chatFor(agent, { storage: 'local' });
    const input = $<HTMLTextAreaElement>(el, '[part="input"]')!;
    input.value = 'half a thought';
    input.dispatchEvent(new Event('input'));
    // The draft is saved after a pause in typing: wait for it to be in storage.
    await waitUntil(() => localStorage.getItem(keyOf(agent))?.includes('half a thought'), 'draft not saved');
    el.remove();
    const again = await chatFor(agent, { storage: 'local' });
    expect($<HTMLTextAreaElement>(again, '[part="input"]')!.value).to.equal('half a thought');
  });
});
