// Stop, retry and a lost conversation as a visitor sees them (DOM, events and the requests on
// the wire against the local server).
import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { configureAgent, createAgent, deleteConversation, requestsOf, seedConversation, type TestAgent } from '../helpers/local-server.js';

const keyOf = (agent: TestAgent) => `bookbag-chat:${agent.apiBase}|${agent.agentId}`;
const chats = async (agent: TestAgent) => (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));

describe('stop, retry and lost conversations in the page', () => {
  afterEach(() => localStorage.clear());

  it('stop before the first byte: no error event, the question stays, retry completes the reply', async () => {
    const agent = await createAgent({ replies: [{ text: 'Here I am.' }] });
    const el = await chatFor(agent);
    const events = recordEvents(el);
    // The host's async headers hold the request back: the turn is submitted, nothing has arrived.
    let release!: () => void;
    const held = new Promise<Record<string, string>>((resolve) => (release = () => resolve({})));
    el.headers = () => held;
    const sent = el.send('are you there?');
    await waitUntil(() => el.status === 'submitted', 'not submitted');
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['are you there?']);
    el.stop();
    release();
    await sent;
    await el.updateComplete;
    expect(events.filter((e) => e.type === 'bookbag-error')).to.deep.equal([]);
    expect(bubbleTexts(el)).to.deep.equal(['are you there?']);
    expect(el.status).to.equal('idle');
    expect($(el, '[part="error"]')).to.equal(null);
    expect(await chats(agent)).to.have.length(0);
    el.headers = undefined;
    await el.retry();
    expect(bubbleTexts(el)).to.deep.equal(['are you there?', 'Here I am.']);
    expect(el.status).to.equal('idle');
  });

  it('retry during an outage keeps the question and the partial reply; once the server is back it completes', async () => {
    const agent = await createAgent({ config: { omitDone: true }, replies: [{ text: 'half of it' }] });
    const el = await chatFor(agent);
    await el.send('question');
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['question', 'half of it']);
    // Outage: every endpoint answers 503.
    await configureAgent(agent.agentId, { config: { status: 503 }, replies: [] });
    const failed = oneEvent(el, 'bookbag-error');
    $(el, '[part="error"] [part="retry-button"]')!.click();
    await failed;
    await waitUntil(() => el.status === 'error', 'retry did not end');
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['question', 'half of it']);
    expect($(el, '[part="error"] [part="retry-button"]'), 'retry offered again').to.exist;
    await configureAgent(agent.agentId, { config: {}, replies: [{ text: 'the whole answer' }] });
    $(el, '[part="error"] [part="retry-button"]')!.click();
    await waitUntil(() => bubbleTexts(el).includes('the whole answer') && el.status === 'idle', 'retry did not complete');
  });

  it('a conversation the server lost: a new one starts, the text is back in the composer, said once', async () => {
    const agent = await createAgent({ replies: [{ text: 'fresh start' }] });
    const conversationId = await seedConversation(agent.agentId, { generate: 2 });
    localStorage.setItem(keyOf(agent), JSON.stringify({ v: 1, conversationId, userId: 'anon_gggggggggggggggggggg' }));
    const el = await chatFor(agent, { storage: 'local' });
    const events = recordEvents(el);
    await waitUntil(() => bubbleTexts(el).length === 2, 'history not restored');
    await deleteConversation(agent.agentId, conversationId);
    await el.send('is my order here?');
    await el.updateComplete;
    expect(el.conversationId).to.equal(null);
    expect($<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('is my order here?');
    expect(events.filter((e) => e.type === 'bookbag-error').map((e) => e.detail.code)).to.deep.equal(['RESOURCE_NOT_FOUND']);
    expect($$count(el, '[part="error"]')).to.equal(1);
    // Sending again works, in a new conversation.
    await el.send('is my order here?');
    expect(bubbleTexts(el)).to.deep.equal(['is my order here?', 'fresh start']);
    expect(el.conversationId).to.not.equal(conversationId);
    const [, second] = await chats(agent);
    expect(second.body).to.not.have.property('conversationId');
  });
});

const $$count = (el: HTMLElement, selector: string) => el.shadowRoot!.querySelectorAll(selector).length;
