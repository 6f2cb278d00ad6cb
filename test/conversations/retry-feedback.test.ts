import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { $, $$, bubbleTexts, chatFor, recordEvents } from '../helpers/chat.js';
import { configureAgent, createAgent, requestsOf, seedConversation, serverMessages } from '../helpers/local-server.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';

const retryRequests = async (agentId: string) => (await requestsOf(agentId)).filter((r) => r.path.endsWith('/retry'));
const texts = (messages: any[]) => messages.map((m) => `${m.role}:${m.parts.filter((p: any) => p.type === 'text').map((p: any) => p.text).join('')}`);

/** Clicks a button and waits until the turn it starts has finished rendering. */
async function clickAndSettle(el: BookbagChat, button: HTMLElement, event = 'bookbag-message') {
  const done = oneEvent(el, event);
  button.click();
  await done;
  await waitUntil(() => el.status !== 'streaming' && el.status !== 'submitted', 'still busy');
  await el.updateComplete;
}

describe('<bookbag-chat> retry', () => {
  it('regenerates the last reply in place; the server truncates and keeps only the new reply', async () => {
    const agent = await createAgent({ replies: [{ text: 'First answer.' }, { text: 'Second answer.' }] });
    const el = await chatFor(agent);
    await el.send('Hello');
    const oldId = el.messages[1].id;
    const userId = el.messages[0].id;
    const buttons = $$(el, '[part~="retry-button"]');
    expect(buttons).to.have.length(1);
    await clickAndSettle(el, buttons[0]);
    expect(bubbleTexts(el)).to.deep.equal(['Hello', 'Second answer.']);
    expect(el.messages).to.have.length(2);
    expect(el.messages[0].id).to.equal(userId);
    expect(el.messages[1].id).to.match(/^msg_\d+$/).and.not.equal(oldId);
    const [req] = await retryRequests(agent.agentId);
    expect(req.body.messageId).to.equal(oldId);
    const stored = await serverMessages(agent, el.conversationId!);
    expect(texts(stored)).to.deep.equal(['user:Hello', 'assistant:Second answer.']);
    expect(stored.map((m) => m.id)).not.to.include(oldId);
    expect(stored[1].id).to.equal(el.messages[1].id);
  });

  it('retry(messageId) of an earlier reply cuts the transcript after its user message, as the server does', async () => {
    const agent = await createAgent({ replies: [{ text: 'A1' }, { text: 'A2' }, { text: 'A1 again' }] });
    const el = await chatFor(agent);
    await el.send('Q1');
    await el.send('Q2');
    await el.retry(el.messages[1].id);
    expect(bubbleTexts(el)).to.deep.equal(['Q1', 'A1 again']);
    expect(texts(await serverMessages(agent, el.conversationId!))).to.deep.equal(['user:Q1', 'assistant:A1 again']);
  });

  it('after an error frame, the error notice retries the reply the server kept for that turn', async () => {
    const agent = await createAgent({ replies: [{ text: 'First.' }, { text: 'Broken reply here' }, { text: 'Fixed reply.' }] });
    const el = await chatFor(agent);
    await el.send('One');
    await configureAgent(agent.agentId, { config: { errorAfter: 1 } });
    await el.send('Hello');
    await el.updateComplete;
    expect($(el, '[part="error"]')!.dataset.code).to.equal('STREAM_ERROR');
    expect($$(el, '[part="retry-button"]').filter((b) => !b.closest('[part="error"]'))).to.deep.equal([]);
    const kept = (await serverMessages(agent, el.conversationId!))[3];
    expect(kept.role).to.equal('assistant');
    await configureAgent(agent.agentId, { config: {} });
    await clickAndSettle(el, $(el, '[part="error"] [part~="retry-button"]')!);
    expect($(el, '[part="error"]')).to.equal(null);
    expect(bubbleTexts(el)).to.deep.equal(['One', 'First.', 'Hello', 'Fixed reply.']);
    const [req] = await retryRequests(agent.agentId);
    expect(req.body.messageId).to.equal(kept.id);
    // The user's message was not sent twice.
    expect((await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'))).to.have.length(2);
    const stored = await serverMessages(agent, el.conversationId!);
    expect(texts(stored)).to.deep.equal(['user:One', 'assistant:First.', 'user:Hello', 'assistant:Fixed reply.']);
    expect(el.messages.map((m) => m.id)).to.deep.equal(stored.map((m) => m.id));
  });

  it('after an interrupted stream, retry leaves exactly one answered turn on the server', async () => {
    const agent = await createAgent({ replies: [{ text: 'First.' }, { text: 'Cut off reply text' }, { text: 'Whole reply.' }] });
    const el = await chatFor(agent);
    await el.send('One');
    await configureAgent(agent.agentId, { config: { dropAfter: 1 } });
    await el.send('Hello');
    await el.updateComplete;
    expect($(el, '[part="error"]')).to.exist;
    await configureAgent(agent.agentId, { config: {} });
    await el.retry();
    await waitUntil(() => el.status === 'idle', 'not idle');
    await el.updateComplete;
    expect($(el, '[part="error"]')).to.equal(null);
    expect(bubbleTexts(el)).to.deep.equal(['One', 'First.', 'Hello', 'Whole reply.']);
    const stored = await serverMessages(agent, el.conversationId!);
    expect(texts(stored)).to.deep.equal(['user:One', 'assistant:First.', 'user:Hello', 'assistant:Whole reply.']);
    expect(el.messages.map((m) => m.id)).to.deep.equal(stored.map((m) => m.id));
  });

  it('a failed first turn (no conversation id yet) sends the same text again by chat', async () => {
    const agent = await createAgent({ config: { errorAfter: 1 }, replies: [{ text: 'Broken reply' }, { text: 'Now it works.' }] });
    const el = await chatFor(agent);
    await el.send('Hello');
    await el.updateComplete;
    expect(el.conversationId).to.equal(null);
    await configureAgent(agent.agentId, { config: {} });
    await el.retry();
    await el.updateComplete;
    expect(bubbleTexts(el)).to.deep.equal(['Hello', 'Now it works.']);
    expect(el.messages).to.have.length(2);
    const chats = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));
    expect(chats.map((r) => r.body.message)).to.deep.equal(['Hello', 'Hello']);
  });

  it('shows CHAT_RETRY_NO_USER_MESSAGE clearly and keeps the transcript', async () => {
    const agent = await createAgent();
    const id = await seedConversation(agent.agentId, { messages: [{ role: 'assistant', parts: [{ type: 'text', text: 'Welcome!' }] }] });
    const el = await chatFor(agent);
    await el.loadConversation(id);
    const events = recordEvents(el);
    await clickAndSettle(el, $(el, '[part~="retry-button"]')!, 'bookbag-error');
    const notice = $(el, '[part="error"]')!;
    expect(notice.dataset.code).to.equal('CHAT_RETRY_NO_USER_MESSAGE');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent).to.contain('This reply can no longer be regenerated.');
    expect(events.find((e) => e.type === 'bookbag-error')!.detail).to.include({ code: 'CHAT_RETRY_NO_USER_MESSAGE', status: 400 });
    expect(bubbleTexts(el)).to.deep.equal(['Welcome!']);
    expect(texts(await serverMessages(agent, id))).to.deep.equal(['assistant:Welcome!']);
  });

  it('shows CHAT_RETRY_MESSAGE_NOT_FOUND for an id the server does not have', async () => {
    const agent = await createAgent({ replies: [{ text: 'Answer.' }] });
    const el = await chatFor(agent);
    await el.send('Hello');
    await el.retry('msg_987654');
    expect($(el, '[part="error"]')!.dataset.code).to.equal('CHAT_RETRY_MESSAGE_NOT_FOUND');
    expect(bubbleTexts(el)).to.deep.equal(['Hello', 'Answer.']);
    expect((await retryRequests(agent.agentId))[0].body.messageId).to.equal('msg_987654');
  });
});

describe('<bookbag-chat> feedback', () => {
  async function seeded(feedback: 'positive' | 'negative' | null = null) {
    const agent = await createAgent();
    const id = await seedConversation(agent.agentId, {
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Hello there.' }], feedback },
      ],
    });
    const el = await chatFor(agent);
    await el.loadConversation(id);
    const pressed = () => $$(el, '[part~="feedback-button"]').map((b) => b.getAttribute('aria-pressed'));
    const stored = async () => (await serverMessages(agent, id))[1].feedback;
    return { agent, id, el, pressed, stored };
  }

  it('sets, changes and clears feedback, on screen and on the server', async () => {
    const { el, pressed, stored } = await seeded();
    const events = recordEvents(el);
    const messageId = el.messages[1].id;
    expect(pressed()).to.deep.equal(['false', 'false']);
    await clickAndSettle(el, $(el, '[part~="feedback-positive"]')!, 'bookbag-feedback');
    expect(pressed()).to.deep.equal(['true', 'false']);
    expect(await stored()).to.equal('positive');
    await clickAndSettle(el, $(el, '[part~="feedback-negative"]')!, 'bookbag-feedback');
    expect(pressed()).to.deep.equal(['false', 'true']);
    expect(await stored()).to.equal('negative');
    await clickAndSettle(el, $(el, '[part~="feedback-negative"]')!, 'bookbag-feedback');
    expect(pressed()).to.deep.equal(['false', 'false']);
    expect(await stored()).to.equal(null);
    expect(events.filter((e) => e.type === 'bookbag-feedback').map((e) => e.detail)).to.deep.equal([
      { messageId, feedback: 'positive' },
      { messageId, feedback: 'negative' },
      { messageId, feedback: null },
    ]);
    expect(el.messages[1].feedback).to.equal(null);
  });

  it('rolls back an optimistic update when the server answers 500', async () => {
    const { agent, el, pressed, stored } = await seeded();
    await configureAgent(agent.agentId, { config: { status: 500, statusOn: ['feedback'] } });
    const events = recordEvents(el);
    const request = el.setFeedback(el.messages[1].id, 'positive');
    expect(el.messages[1].feedback).to.equal('positive'); // optimistic
    await request;
    expect(pressed()).to.deep.equal(['false', 'false']);
    expect(el.messages[1].feedback).to.equal(null);
    expect($(el, '[part="error"]')).to.exist;
    expect(events.map((e) => e.type)).to.deep.equal(['bookbag-error']);
    expect(await stored()).to.equal(null);
  });

  it('restored history shows stored feedback', async () => {
    const { el, pressed } = await seeded('negative');
    expect(el.messages[1].feedback).to.equal('negative');
    expect(pressed()).to.deep.equal(['false', 'true']);
  });
});
