// Client tool calls (§8.4) and the tool-result endpoint (§9) in every response mode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, frames, mockAgent, start, textOf, type MockAgent, type Running } from './helpers.ts';

let srv: Running;
before(async () => { srv = await start(); });
after(() => srv.close());

const chat = (a: MockAgent, body: unknown, headers?: Record<string, string>) =>
  call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/chat`, { key: a.workspaceKey, body, headers });
const result = (a: MockAgent, cid: string, body: unknown, headers?: Record<string, string>) =>
  call(srv.origin, 'POST', `/api/v2/agents/${a.agentId}/conversations/${cid}/tool-result`, { key: a.workspaceKey, body, headers });
const messages = async (a: MockAgent, cid: string) =>
  (await call(srv.origin, 'GET', `/api/v2/agents/${a.agentId}/conversations/${cid}/messages`, { key: a.workspaceKey })).json.data;

describe('tool-call turns', () => {
  it('streams text, one tool-call frame, finish tool-calls, [DONE]; then continues on the result', async () => {
    const a = await mockAgent(srv.origin, {
      replies: [{ text: 'Adding it now.', toolCalls: [{ toolName: 'add_to_cart', input: { variantId: '4411', quantity: 1 } }], after: 'Done — your cart now has 3 items.' }],
    });
    const r = await chat(a, { message: 'Add the blue mug to my cart', userId: 'user_8821' });
    const fs = frames(r.text);
    assert.deepEqual(fs.map((f) => f.type), ['text-delta', 'text-delta', 'text-delta', 'tool-call', 'finish']);
    assert.ok(r.text.endsWith('data: [DONE]\n\n'));
    const tc = fs[3];
    assert.match(tc.toolCallId, /^call_\d+$/);
    assert.deepEqual(tc, { type: 'tool-call', toolCallId: tc.toolCallId, toolName: 'add_to_cart', input: { variantId: '4411', quantity: 1 } });
    const fin = fs[4];
    assert.equal(fin.finishReason, 'tool-calls');
    const cid = fin.metadata.conversationId;

    const stored = (await messages(a, cid))[1];
    assert.equal(stored.id, fin.metadata.messageId);
    assert.deepEqual(stored.parts, [{ type: 'text', text: 'Adding it now.' }, { type: 'tool-call', toolCallId: tc.toolCallId, toolName: 'add_to_cart', input: { variantId: '4411', quantity: 1 } }]);

    const cont = await result(a, cid, { toolCallId: tc.toolCallId, output: { ok: true, cartCount: 3 } });
    assert.equal(cont.status, 200);
    assert.equal(cont.headers.get('content-type'), 'text/event-stream');
    assert.equal(textOf(cont.text), 'Done — your cart now has 3 items.');
    const cfin = frames(cont.text).at(-1);
    assert.equal(cfin.finishReason, 'stop');
    assert.equal(cfin.metadata.userMessageId, fin.metadata.userMessageId);
    assert.notEqual(cfin.metadata.messageId, fin.metadata.messageId);
    assert.equal(cfin.metadata.userId, 'user_8821');
    assert.ok(cont.text.endsWith('data: [DONE]\n\n'));

    const after = await messages(a, cid);
    assert.equal(after.length, 3);
    assert.deepEqual(after[1].parts[2], { type: 'tool-result', toolCallId: tc.toolCallId, toolName: 'add_to_cart', output: { ok: true, cartCount: 3 } });
    assert.deepEqual(after[2].parts, [{ type: 'text', text: 'Done — your cart now has 3 items.' }]);

    // The call is resolved now; a second result for it is unknown.
    const again = await result(a, cid, { toolCallId: tc.toolCallId, output: {} });
    assert.equal(again.status, 404);
    assert.equal(again.json.error.code, 'RESOURCE_TOOL_CALL_NOT_FOUND');
  });

  it('demo agent: cart call guesses item and quantity and reports cartCount', async () => {
    const a = await mockAgent(srv.origin);
    const r = await chat(a, { message: 'Please add 3 teapots to my cart', stream: false });
    const call0 = r.json.data.parts[1];
    assert.deepEqual(r.json.data.parts[0], { type: 'text', text: 'Adding it now.' });
    assert.equal(call0.toolName, 'add_to_cart');
    assert.deepEqual(call0.input, { item: 'Teapots', quantity: 3 });
    assert.equal(r.json.data.metadata.finishReason, 'tool-calls');
    const cont = await result(a, r.json.data.metadata.conversationId, { toolCallId: call0.toolCallId, output: { cartCount: 5 } });
    assert.equal(textOf(cont.text), 'Done — your cart now has 5 items.');
  });

  it('demo agent: defaults to one blue mug and explains a failed tool', async () => {
    const a = await mockAgent(srv.origin);
    const r = await chat(a, { message: 'put something in the cart', stream: false });
    const c = r.json.data.parts[1];
    assert.deepEqual(c.input, { item: 'Blue mug', quantity: 1 });
    const cont = await result(a, r.json.data.metadata.conversationId, { toolCallId: c.toolCallId, output: { error: 'out of stock' } });
    assert.equal(textOf(cont.text), "Sorry — I couldn't add Blue mug to your cart: out of stock.");
  });

  it('demo agent: theme and page-title tools', async () => {
    const a = await mockAgent(srv.origin);
    const light = await chat(a, { message: 'Switch to light mode please', stream: false });
    assert.deepEqual(light.json.data.parts[1].input, { theme: 'light' });
    assert.equal(light.json.data.parts[1].toolName, 'set_theme');
    const dark = await chat(a, { message: 'dark mode', stream: false });
    assert.deepEqual(dark.json.data.parts[1].input, { theme: 'dark' });

    const t = await chat(a, { message: "What's the page title?", stream: false });
    const c = t.json.data.parts[1];
    assert.equal(c.toolName, 'get_page_title');
    assert.deepEqual(c.input, {});
    const cont = await result(a, t.json.data.metadata.conversationId, { toolCallId: c.toolCallId, output: { title: 'Demo shop' } });
    assert.equal(textOf(cont.text), 'The page title is "Demo shop".');
  });
});

describe('tool-result modes', () => {
  async function pendingCall(config: object, headers?: Record<string, string>) {
    const a = await mockAgent(srv.origin, { config, replies: [{ text: 'Working.', toolCalls: [{ toolName: 'lookup', input: { q: 1 } }], after: 'All done.' }] });
    const r = await chat(a, { message: 'go', stream: false }, headers);
    return { a, cid: r.json.data.metadata.conversationId as string, id: r.json.data.parts[1].toolCallId as string, userMessageId: r.json.data.metadata.userMessageId };
  }

  it('json mode answers with the §6.8 message body', async () => {
    const { a, cid, id, userMessageId } = await pendingCall({ toolResultMode: 'json' });
    const r = await result(a, cid, { toolCallId: id, output: 'fine' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.parts, [{ type: 'text', text: 'All done.' }]);
    assert.equal(r.json.data.role, 'assistant');
    assert.deepEqual(r.json.data.metadata, { userMessageId, conversationId: cid, userId: null, finishReason: 'stop', usage: { credits: 1 } });
  });

  it('stream:false in the body also gives JSON', async () => {
    const { a, cid, id } = await pendingCall({});
    const r = await result(a, cid, { toolCallId: id, output: null, stream: false });
    assert.deepEqual(r.json.data.parts, [{ type: 'text', text: 'All done.' }]);
  });

  it('ack mode answers success and stores the continuation for a later read', async () => {
    const { a, cid, id } = await pendingCall({ toolResultMode: 'ack' });
    const r = await result(a, cid, { toolCallId: id, output: { ok: 1 } });
    assert.deepEqual(r.json, { data: { success: true } });
    const list = await messages(a, cid);
    assert.equal(list.length, 3);
    assert.deepEqual(list[2].parts, [{ type: 'text', text: 'All done.' }]);
  });

  it('two pending calls: the first is acknowledged, the last one continues', async () => {
    const a = await mockAgent(srv.origin);
    const r = await chat(a, { message: 'use both tools: add 2 cups to my cart, dark theme' });
    const fs = frames(r.text);
    const calls = fs.filter((f) => f.type === 'tool-call');
    assert.deepEqual(calls.map((c) => c.toolName), ['add_to_cart', 'set_theme']);
    const cid = fs.at(-1).metadata.conversationId;
    const first = await result(a, cid, { toolCallId: calls[1].toolCallId, output: { ok: true } });
    assert.deepEqual(first.json, { data: { success: true } });
    const last = await result(a, cid, { toolCallId: calls[0].toolCallId, output: { cartCount: 2 } });
    assert.equal(textOf(last.text), 'Done — your cart now has 2 items. Done — the page is now in dark mode.');
    const list = await messages(a, cid);
    assert.deepEqual(list[1].parts.map((p: any) => p.type), ['text', 'tool-call', 'tool-call', 'tool-result', 'tool-result']);
  });

  it('errors: missing toolCallId 400, unknown call 404, unknown conversation 404', async () => {
    const { a, cid } = await pendingCall({});
    const missing = await result(a, cid, { output: 1 });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.code, 'VALIDATION_INVALID_BODY');
    const unknown = await result(a, cid, { toolCallId: 'call_nope', output: 1 });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'RESOURCE_TOOL_CALL_NOT_FOUND');
    const noConv = await result(a, '999999', { toolCallId: 'call_1' });
    assert.equal(noConv.status, 404);
    assert.equal(noConv.json.error.code, 'RESOURCE_NOT_FOUND');
  });
});

describe('toolFrame switch', () => {
  const turn = { text: 'Hm.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'x', quantity: 1 } }] };

  it('tool-input-available sends the UI-stream frames', async () => {
    const a = await mockAgent(srv.origin, { config: { toolFrame: 'tool-input-available' }, replies: [turn] });
    const fs = frames((await chat(a, { message: 'go' })).text);
    assert.deepEqual(fs.map((f) => f.type), ['text-delta', 'tool-input-start', 'tool-input-delta', 'tool-input-available', 'finish']);
    const avail = fs[3];
    assert.deepEqual(avail, { type: 'tool-input-available', toolCallId: avail.toolCallId, toolName: 'add_to_cart', input: { item: 'x', quantity: 1 } });
    assert.equal(fs[4].finishReason, 'tool-calls');
  });

  it('none sends only finishReason tool-calls; the call is still in history and pending', async () => {
    const a = await mockAgent(srv.origin, { config: { toolFrame: 'none' }, replies: [turn] });
    const fs = frames((await chat(a, { message: 'go' })).text);
    assert.deepEqual(fs.map((f) => f.type), ['text-delta', 'finish']);
    assert.equal(fs[1].finishReason, 'tool-calls');
    const list = await messages(a, fs[1].metadata.conversationId);
    const part = list.at(-1).parts[1];
    assert.equal(part.type, 'tool-call');
    const cont = await result(a, fs[1].metadata.conversationId, { toolCallId: part.toolCallId, output: { cartCount: 1 } });
    assert.equal(textOf(cont.text), 'Done — your cart now has 1 item.');
  });
});
