// Reads and pagination (§12), export, user conversations, retry (§10) and feedback (§11).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, frames, mockAgent, seedConversation, start, textOf, type MockAgent, type Running } from './helpers.ts';

let srv: Running;
before(async () => { srv = await start(); });
after(() => srv.close());

const get = (a: MockAgent, path: string) => call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}${path}`, { key: a.workspaceKey });
const post = (a: MockAgent, path: string, body: unknown) => call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}${path}`, { key: a.workspaceKey, body });
const patch = (a: MockAgent, path: string, body: unknown) => call(srv.origin, 'PATCH', `/api/v2/agents/${a.agentId}${path}`, { key: a.workspaceKey, body });

describe('conversation lists', () => {
  it('pages newest first (ties: newest id first) with cursor, hasMore and total', async () => {
    const a = await mockAgent(srv.origin);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await seedConversation(srv.origin, a.agentId, { userId: i % 2 ? 'odd' : 'even', generate: 1 }));
    const want = [...ids].reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    const shapes = [];
    do {
      const r = await get(a, `/conversations?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200);
      seen.push(...r.json.data.map((c: any) => c.id));
      shapes.push([r.json.data.length, r.json.pagination.hasMore, r.json.pagination.total]);
      cursor = r.json.pagination.cursor;
      assert.equal(cursor === null, !r.json.pagination.hasMore);
    } while (cursor);
    assert.deepEqual(seen, want);
    assert.deepEqual(shapes, [[2, true, 5], [2, true, 5], [1, false, 5]]);
  });

  it('returns the conversation object shape', async () => {
    const a = await mockAgent(srv.origin);
    await seedConversation(srv.origin, a.agentId, { userId: 'u9', messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hello title' }] }] });
    const c = (await get(a, '/conversations')).json.data[0];
    assert.deepEqual(Object.keys(c), ['id', 'title', 'createdAt', 'updatedAt', 'userId', 'status']);
    assert.equal(c.title, 'Hello title');
    assert.equal(c.userId, 'u9');
    assert.equal(c.status, 'ongoing');
    assert.equal(typeof c.id, 'string');
  });

  it('defaults to 20 per page and rejects bad limit or cursor', async () => {
    const a = await mockAgent(srv.origin);
    for (let i = 0; i < 21; i++) await seedConversation(srv.origin, a.agentId, {});
    const r = await get(a, '/conversations');
    assert.equal(r.json.data.length, 20);
    assert.equal(r.json.pagination.hasMore, true);
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5', 'limit=', 'cursor=%%%', 'cursor=bm9wZQ']) {
      const bad = await get(a, `/conversations?${q}`);
      assert.equal(bad.status, 400, q);
      assert.equal(bad.json.error.code, 'VALIDATION_INVALID_BODY');
    }
    assert.equal((await get(a, '/conversations?limit=100')).json.data.length, 21);
  });

  it('lists one user\'s conversations with the same paging', async () => {
    const a = await mockAgent(srv.origin);
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await seedConversation(srv.origin, a.agentId, { userId: 'user_8821' }));
    await seedConversation(srv.origin, a.agentId, { userId: 'someone.else' });
    const p1 = await get(a, '/users/user_8821/conversations?limit=2');
    assert.deepEqual(p1.json.data.map((c: any) => c.id), [mine[2], mine[1]]);
    assert.deepEqual([p1.json.pagination.hasMore, p1.json.pagination.total], [true, 3]);
    const p2 = await get(a, `/users/user_8821/conversations?limit=2&cursor=${p1.json.pagination.cursor}`);
    assert.deepEqual(p2.json.data.map((c: any) => c.id), [mine[0]]);
    assert.deepEqual(p2.json.pagination, { cursor: null, hasMore: false, total: 3 });
    const none = await get(a, '/users/nobody/conversations');
    assert.deepEqual(none.json, { data: [], pagination: { cursor: null, hasMore: false, total: 0 } });
    assert.equal((await get(a, '/users/bad%20id/conversations')).status, 400);
  });

  it('exports every conversation with all messages (export is not a conversation id)', async () => {
    const a = await mockAgent(srv.origin);
    const c1 = await seedConversation(srv.origin, a.agentId, { generate: 30 });
    const c2 = await seedConversation(srv.origin, a.agentId, { generate: 2 });
    const r = await get(a, '/conversations/export');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.pagination, { cursor: null, hasMore: false, total: 2 });
    assert.deepEqual(r.json.data.map((c: any) => c.id), [c2, c1]);
    assert.equal(r.json.data[1].messages.length, 30);
    assert.equal(r.json.data[1].messages[0].parts[0].text, 'Message 1');
    assert.equal(r.json.data[1].messages[29].parts[0].text, 'Message 30');
  });
});

describe('messages', () => {
  it('first page is the newest; the cursor walks older; each page reads oldest→newest', async () => {
    const a = await mockAgent(srv.origin);
    const cid = await seedConversation(srv.origin, a.agentId, { generate: 7 });
    const texts = (r: any) => r.json.data.map((m: any) => m.parts[0].text.replace('Message ', ''));
    const p1 = await get(a, `/conversations/${cid}/messages?limit=3`);
    assert.deepEqual(texts(p1), ['5', '6', '7']);
    assert.deepEqual([p1.json.pagination.hasMore, p1.json.pagination.total], [true, 7]);
    const p2 = await get(a, `/conversations/${cid}/messages?limit=3&cursor=${p1.json.pagination.cursor}`);
    assert.deepEqual(texts(p2), ['2', '3', '4']);
    const p3 = await get(a, `/conversations/${cid}/messages?limit=3&cursor=${p2.json.pagination.cursor}`);
    assert.deepEqual(texts(p3), ['1']);
    assert.deepEqual(p3.json.pagination, { cursor: null, hasMore: false, total: 7 });
    assert.deepEqual(p1.json.data.map((m: any) => m.role), ['user', 'assistant', 'user']);

    // A list cursor is not a message cursor.
    const listCursor = (await get(a, '/conversations?limit=1')).json.pagination.cursor;
    await seedConversation(srv.origin, a.agentId, {});
    const other = (await get(a, '/conversations?limit=1')).json.pagination.cursor;
    assert.equal((await get(a, `/conversations/${cid}/messages?cursor=${other ?? listCursor}`)).status, 400);
  });

  it('single conversation read carries the newest page and pagination', async () => {
    const a = await mockAgent(srv.origin);
    const cid = await seedConversation(srv.origin, a.agentId, { userId: 'u', generate: 25 });
    const r = await get(a, `/conversations/${cid}`);
    assert.equal(r.json.data.id, cid);
    assert.equal(r.json.data.userId, 'u');
    assert.equal(r.json.data.title, 'Message 1');
    assert.equal(r.json.data.messages.length, 20);
    assert.equal(r.json.data.messages[0].parts[0].text, 'Message 6');
    assert.equal(r.json.data.messages[19].parts[0].text, 'Message 25');
    assert.equal(r.json.pagination.hasMore, true);
    assert.equal(r.json.pagination.total, 25);
    const rest = await get(a, `/conversations/${cid}/messages?cursor=${r.json.pagination.cursor}`);
    assert.equal(rest.json.data.length, 5);
    assert.equal(rest.json.data[4].parts[0].text, 'Message 5');
  });
});

describe('retry', () => {
  async function twoTurns() {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'first answer' }, { text: 'second answer' }, { text: 'regenerated answer' }] });
    const one = await post(a, '/chat', { message: 'q1', stream: false });
    const cid = one.json.data.metadata.conversationId;
    const two = await post(a, '/chat', { message: 'q2', conversationId: cid, stream: false });
    return { a, cid, one: one.json.data, two: two.json.data };
  }

  it('truncates at the retried turn and streams a new reply with a new id', async () => {
    const { a, cid, one } = await twoTurns();
    const r = await post(a, `/conversations/${cid}/retry`, { messageId: one.id });
    assert.equal(r.headers.get('content-type'), 'text/event-stream');
    assert.equal(textOf(r.text), 'regenerated answer');
    const fin = frames(r.text).at(-1);
    assert.equal(fin.metadata.userMessageId, one.metadata.userMessageId);
    assert.notEqual(fin.metadata.messageId, one.id);
    assert.ok(r.text.endsWith('data: [DONE]\n\n'));
    const list = (await get(a, `/conversations/${cid}/messages`)).json.data;
    assert.deepEqual(list.map((m: any) => m.parts[0].text), ['q1', 'regenerated answer']);
    assert.equal(list[1].id, fin.metadata.messageId);
  });

  it('JSON mode and a messageId without the msg_ prefix', async () => {
    const { a, cid, two } = await twoTurns();
    const r = await post(a, `/conversations/${cid}/retry`, { messageId: two.id.replace('msg_', ''), stream: false });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.parts, [{ type: 'text', text: 'regenerated answer' }]);
    assert.equal(r.json.data.metadata.userMessageId, two.metadata.userMessageId);
    const list = (await get(a, `/conversations/${cid}/messages`)).json.data;
    assert.deepEqual(list.map((m: any) => m.parts[0].text), ['q1', 'first answer', 'q2', 'regenerated answer']);
  });

  it('errors: missing id 400, unknown 404, user message 400, no user message 400, unknown conversation 404', async () => {
    const { a, cid, one } = await twoTurns();
    const expect = async (path: string, body: unknown, status: number, code: string) => {
      const r = await post(a, path, body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.json.error.code, code);
    };
    await expect(`/conversations/${cid}/retry`, {}, 400, 'VALIDATION_INVALID_BODY');
    await expect(`/conversations/${cid}/retry`, { messageId: '' }, 400, 'VALIDATION_INVALID_BODY');
    await expect(`/conversations/${cid}/retry`, { messageId: 'msg_999999' }, 404, 'CHAT_RETRY_MESSAGE_NOT_FOUND');
    await expect(`/conversations/${cid}/retry`, { messageId: 'garbage' }, 404, 'CHAT_RETRY_MESSAGE_NOT_FOUND');
    await expect(`/conversations/${cid}/retry`, { messageId: one.metadata.userMessageId }, 400, 'VALIDATION_INVALID_BODY');
    await expect('/conversations/999999/retry', { messageId: one.id }, 404, 'RESOURCE_NOT_FOUND');
    const lonely = await seedConversation(srv.origin, a.agentId, { messages: [{ role: 'assistant', parts: [{ type: 'text', text: 'Welcome!' }] }] });
    const welcome = (await get(a, `/conversations/${lonely}/messages`)).json.data[0].id;
    await expect(`/conversations/${lonely}/retry`, { messageId: welcome }, 400, 'CHAT_RETRY_NO_USER_MESSAGE');
  });
});

describe('feedback', () => {
  it('sets, changes and clears feedback; later reads show it', async () => {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'answer' }] });
    const r = await post(a, '/chat', { message: 'q', stream: false });
    const { id } = r.json.data;
    const cid = r.json.data.metadata.conversationId;
    const up = await patch(a, `/conversations/${cid}/messages/${id}/feedback`, { feedback: 'positive' });
    assert.equal(up.status, 200);
    assert.equal(up.json.data.id, id);
    assert.equal(up.json.data.feedback, 'positive');
    assert.deepEqual(up.json.data.parts, [{ type: 'text', text: 'answer' }]);
    assert.equal((await get(a, `/conversations/${cid}/messages`)).json.data[1].feedback, 'positive');
    const down = await patch(a, `/conversations/${cid}/messages/${id.replace('msg_', '')}/feedback`, { feedback: 'negative' });
    assert.equal(down.json.data.feedback, 'negative');
    const cleared = await patch(a, `/conversations/${cid}/messages/${id}/feedback`, { feedback: null });
    assert.equal(cleared.json.data.feedback, null);
    assert.equal((await get(a, `/conversations/${cid}`)).json.data.messages[1].feedback, null);
  });

  it('errors: bad value 400, unknown message 404, user message 400, unknown conversation 404', async () => {
    const a = await mockAgent(srv.origin, { replies: [{ text: 'answer' }] });
    const r = await post(a, '/chat', { message: 'q', stream: false });
    const { id } = r.json.data;
    const { conversationId: cid, userMessageId } = r.json.data.metadata;
    const expect = async (path: string, body: unknown, status: number, code: string) => {
      const res = await patch(a, path, body);
      assert.equal(res.status, status, `${path} ${JSON.stringify(body)}`);
      assert.equal(res.json.error.code, code);
    };
    await expect(`/conversations/${cid}/messages/${id}/feedback`, { feedback: 'up' }, 400, 'VALIDATION_INVALID_BODY');
    await expect(`/conversations/${cid}/messages/${id}/feedback`, {}, 400, 'VALIDATION_INVALID_BODY');
    await expect(`/conversations/${cid}/messages/msg_999999/feedback`, { feedback: 'positive' }, 404, 'RESOURCE_MESSAGE_NOT_FOUND');
    await expect(`/conversations/${cid}/messages/${userMessageId}/feedback`, { feedback: 'positive' }, 400, 'RESOURCE_MESSAGE_NOT_ASSISTANT');
    await expect(`/conversations/999999/messages/${id}/feedback`, { feedback: 'positive' }, 404, 'RESOURCE_NOT_FOUND');
  });
});
