// The /__mock test API: isolated agents, config and reply queues, request logs, seeding.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, mockAgent, seedConversation, start, textOf, type Running } from './helpers.ts';

let srv: Running;
before(async () => { srv = await start(); });
after(() => srv.close());

const mock = (method: string, path: string, body?: unknown) => call(srv.origin, method, `/__mock${path}`, { key: null, body });

describe('/__mock/agents', () => {
  it('creates an isolated agent with a workspace key and an agent-scoped key', async () => {
    const r = await mock('POST', '/agents', {});
    assert.equal(r.status, 201);
    const a = r.json;
    assert.deepEqual(Object.keys(a).sort(), ['agentId', 'agentKey', 'apiBase', 'workspaceKey']);
    assert.match(a.agentId, /^\d+$/);
    assert.match(a.workspaceKey, /^oc_test_/);
    assert.match(a.agentKey, /^oc_test_/);
    assert.equal(a.apiBase, `${srv.origin}/api/v2`);
    for (const key of [a.workspaceKey, a.agentKey]) {
      assert.equal((await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations`, { key })).status, 200);
      // Its own workspace: the seeded demo agent is invisible to it.
      assert.equal((await call(srv.origin, 'GET', '/api/v2/agents/123/conversations', { key })).status, 404);
    }
    const b = await mockAgent(srv.origin);
    assert.notEqual(b.agentId, a.agentId);
    assert.equal((await call(srv.origin, 'GET', `/api/v2/agents/${b.agentId}/conversations`, { key: a.workspaceKey })).status, 404);
    // A fresh key has a full rate-limit bucket of its own.
    const fresh = await call(srv.origin, 'GET', `/api/v2/agents/${b.agentId}/conversations`, { key: b.agentKey });
    assert.equal(fresh.headers.get('x-ratelimit-remaining'), '99');
  });

  it('PATCH replaces config and replies; bad input is rejected', async () => {
    const a = await mockAgent(srv.origin, { config: { status: 500 }, replies: [{ text: 'old' }] });
    assert.equal((await call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body: { message: 'x' } })).status, 500);
    const p = await mock('PATCH', `/agents/${a.agentId}`, { config: {}, replies: [{ text: 'new reply' }] });
    assert.equal(p.status, 200);
    assert.deepEqual(p.json.data, { agentId: a.agentId, config: {}, replies: [{ text: 'new reply' }] });
    const r = await call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body: { message: 'x' } });
    assert.equal(textOf(r.text), 'new reply');
    assert.equal((await mock('PATCH', `/agents/${a.agentId}`, { config: { stauts: 500 } })).status, 400);
    assert.equal((await mock('PATCH', `/agents/${a.agentId}`, { config: { chunk: 'line' } })).status, 400);
    assert.equal((await mock('PATCH', `/agents/${a.agentId}`, { replies: 'nope' })).status, 400);
    assert.equal((await mock('POST', '/agents', { config: { toolFrame: 'weird' } })).status, 400);
    assert.equal((await mock('PATCH', '/agents/424242', {})).status, 404);
  });

  it('logs every /api/v2 request of the agent, oldest first, without preflights', async () => {
    const a = await mockAgent(srv.origin);
    await fetch(`${srv.origin}/api/v2/agents/${a.agentId}/chat`, { method: 'OPTIONS' });
    await call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body: { message: 'hi', stream: false }, headers: { 'X-Custom-Thing': 'yes' } });
    await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations?limit=5`, { key: null });
    await call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, rawBody: 'not json' });
    await call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, rawBody: '' });
    const r = await mock('GET', `/agents/${a.agentId}/requests`);
    assert.equal(r.status, 200);
    const log = r.json.data;
    assert.equal(log.length, 4);
    assert.deepEqual(log.map((e: any) => e.method), ['POST', 'GET', 'POST', 'POST']);
    assert.equal(log[0].path, `/api/v2/agents/${a.agentId}/chat`);
    assert.deepEqual(log[0].body, { message: 'hi', stream: false });
    assert.equal(log[0].headers['x-custom-thing'], 'yes');
    assert.equal(log[0].headers.authorization, `Bearer ${a.workspaceKey}`);
    assert.deepEqual(log[1].query, { limit: '5' });
    assert.equal(log[1].body, null);
    assert.equal(log[2].body, 'not json');
    assert.equal(log[3].body, null);
    assert.ok(log[0].at <= log[1].at && typeof log[0].at === 'number');
  });

  it('seeds conversations from messages and generate, and deletes them', async () => {
    const a = await mockAgent(srv.origin);
    const cid = await seedConversation(srv.origin, a.agentId, {
      userId: 'seed_user',
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Earlier question' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Earlier answer' }], feedback: 'positive' },
      ],
      generate: 2,
    });
    const read = await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}`, { key: a.workspaceKey });
    assert.equal(read.json.data.userId, 'seed_user');
    assert.equal(read.json.data.title, 'Earlier question');
    assert.deepEqual(read.json.data.messages.map((m: any) => [m.role, m.parts[0].text]), [
      ['user', 'Earlier question'], ['assistant', 'Earlier answer'], ['user', 'Message 1'], ['assistant', 'Message 2'],
    ]);
    assert.equal(read.json.data.messages[1].feedback, 'positive');

    const del = await mock('DELETE', `/agents/${a.agentId}/conversations/${cid}`);
    assert.equal(del.status, 204);
    const gone = await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}`, { key: a.workspaceKey });
    assert.equal(gone.status, 404);
    assert.equal((await mock('DELETE', `/agents/${a.agentId}/conversations/${cid}`)).status, 404);
    assert.equal((await mock('POST', `/agents/${a.agentId}/conversations`, { messages: [{ role: 'system', parts: [] }] })).status, 400);
  });

  it('works for the seeded demo agent too', async () => {
    const cid = await seedConversation(srv.origin, '123', { generate: 1 });
    const r = await call(srv.origin, 'GET', `/api/v2/agents/123/conversations/${cid}/messages`);
    assert.equal(r.json.data[0].parts[0].text, 'Message 1');
  });
});
