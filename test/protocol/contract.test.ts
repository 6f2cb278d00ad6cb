// The Bookbag v2 contract module (src/protocol): one status→code mapping, id checks that refuse
// `.` and `..`, path builders that never let an unsafe id into a URL, and frame reading.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BookbagError, codeForStatus, conversationIdForBody, framesFromJson, fromServerMessage, isRetryableStatus,
  isSafeId, isUserId, parseRetryAfter, paths, readErrorEnvelope, toFrame, BOOKBAG_EVENT_NAMES,
} from '../../src/protocol/index.ts';

describe('codeForStatus: every side maps a bare status to the same documented code', () => {
  const table: [number, string][] = [
    [400, 'VALIDATION_INVALID_BODY'], [401, 'AUTH_INVALID_API_KEY'], [403, 'AUTH_INSUFFICIENT_PERMISSIONS'],
    [404, 'RESOURCE_NOT_FOUND'], [409, 'VALIDATION_INVALID_BODY'], [422, 'VALIDATION_INVALID_BODY'],
    [429, 'RATE_LIMIT_TOO_MANY_REQUESTS'], [500, 'INTERNAL_SERVER_ERROR'], [502, 'INTERNAL_SERVER_ERROR'], [503, 'INTERNAL_SERVER_ERROR'],
  ];
  for (const [status, code] of table) it(`${status} → ${code}`, () => assert.equal(codeForStatus(status), code));
});

describe('isRetryableStatus', () => {
  const table: [number | undefined, boolean][] = [[undefined, true], [400, false], [401, false], [404, false], [408, true], [429, true], [500, true], [503, true]];
  for (const [status, retryable] of table) it(`${status} → ${retryable}`, () => {
    assert.equal(isRetryableStatus(status), retryable);
    assert.equal(new BookbagError('X', 'm', { status }).retryable, retryable);
  });
});

describe('BookbagError envelope', () => {
  it('writes and reads { error: { code, message } }', () => {
    const body = new BookbagError('RESOURCE_NOT_FOUND', 'gone', { status: 404 }).toEnvelope();
    assert.deepEqual(body, { error: { code: 'RESOURCE_NOT_FOUND', message: 'gone' } });
    assert.deepEqual(readErrorEnvelope(JSON.parse(JSON.stringify(body))), { code: 'RESOURCE_NOT_FOUND', message: 'gone' });
  });
  for (const bad of [null, 'x', {}, { error: 'x' }, []]) {
    it(`reads ${JSON.stringify(bad)} as no envelope`, () => assert.equal(readErrorEnvelope(bad), undefined));
  }
});

describe('ids: safe path segments only', () => {
  const table: [unknown, boolean][] = [
    ['123', true], ['msg_12', true], ['call_3', true], ['user.name-1_x', true], ['a.b', true], ['...', true],
    ['.', false], ['..', false], ['', false], ['a/b', false], ['a%2Fb', false], ['a?b', false], ['a#b', false], ['a b', false],
    ['x'.repeat(128), true], ['x'.repeat(129), false], [42, false], [null, false], [undefined, false],
  ];
  for (const [id, ok] of table) it(`${JSON.stringify(id)} → ${ok}`, () => {
    assert.equal(isSafeId(id), ok);
    assert.equal(isUserId(id), ok);
  });
});

describe('paths', () => {
  it('builds every endpoint under the agent', () => {
    assert.equal(paths.chat('7'), '/agents/7/chat');
    assert.equal(paths.messages('7', '456'), '/agents/7/conversations/456/messages');
    assert.equal(paths.retry('7', '456'), '/agents/7/conversations/456/retry');
    assert.equal(paths.toolResult('7', '456'), '/agents/7/conversations/456/tool-result');
    assert.equal(paths.feedback('7', '456', 'msg_9'), '/agents/7/conversations/456/messages/msg_9/feedback');
    assert.equal(paths.userConversations('7', 'anon_x'), '/agents/7/users/anon_x/conversations');
  });
  const unsafe = ['..', '.', '1/../2', '%2e%2e', '', 'a?x=1'];
  for (const id of unsafe) {
    it(`refuses conversation id ${JSON.stringify(id)} with a non-retryable INVALID_RESPONSE`, () => {
      assert.throws(() => paths.messages('7', id), (e: unknown) => e instanceof BookbagError && e.code === 'INVALID_RESPONSE' && !e.retryable);
      assert.throws(() => paths.feedback('7', '1', id), BookbagError);
      assert.throws(() => paths.userConversations('7', id), BookbagError);
      assert.throws(() => paths.chat(id), BookbagError);
    });
  }
  it('sends digit conversation ids as JSON numbers, others as given', () => {
    assert.equal(conversationIdForBody('456'), 456);
    assert.equal(conversationIdForBody('conv_a'), 'conv_a');
    assert.equal(conversationIdForBody('1'.repeat(16)), '1'.repeat(16));
  });
});

describe('frames', () => {
  const table: [unknown, unknown][] = [
    [{ type: 'text-delta', text: 'hi' }, { type: 'text-delta', text: 'hi' }],
    [{ type: 'text-delta', delta: 'hi' }, { type: 'text-delta', text: 'hi' }],
    [{ type: 'text-delta', text: '' }, undefined],
    [{ type: 'tool-input-available', toolCallId: 'c', toolName: 't' }, { type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} }],
    [{ type: 'tool-call', toolCallId: 1, toolName: 't' }, undefined],
    [{ type: 'error' }, { type: 'error', errorText: 'The reply failed.' }],
    [{ type: 'finish' }, { type: 'finish', finishReason: 'stop', metadata: {} }],
    [{ type: 'reasoning-delta', text: 'x' }, undefined],
    [null, undefined],
  ];
  for (const [json, frame] of table) it(`${JSON.stringify(json)} → ${JSON.stringify(frame)}`, () => assert.deepEqual(toFrame(json), frame));
  it('reads a JSON reply as frames ending in finish and done', () => {
    const frames = framesFromJson({ data: { id: 'msg_2', parts: [{ type: 'text', text: 'ok' }], metadata: { finishReason: 'stop', conversationId: '5' } } });
    assert.deepEqual(frames, [
      { type: 'text-delta', text: 'ok' },
      { type: 'finish', finishReason: 'stop', metadata: { finishReason: 'stop', conversationId: '5', messageId: 'msg_2' } },
      { type: 'done' },
    ]);
    assert.deepEqual(framesFromJson({ data: { success: true } }), [{ type: 'ack' }, { type: 'done' }]);
  });
});

describe('stored messages', () => {
  it('marks answered tool calls done or error and drops tool-result parts', () => {
    const m = fromServerMessage({ id: 'msg_1', role: 'assistant', createdAt: 5, parts: [
      { type: 'tool-call', toolCallId: 'a', toolName: 't', input: {} },
      { type: 'tool-call', toolCallId: 'b', toolName: 't', input: {} },
      { type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} },
      { type: 'tool-result', toolCallId: 'a', toolName: 't', output: { ok: 1 } },
      { type: 'tool-result', toolCallId: 'b', toolName: 't', output: { error: 'no' } },
    ] });
    assert.deepEqual(m?.parts.map((p) => (p as { state?: string }).state), ['done', 'error', 'pending']);
  });
  for (const bad of [null, {}, { id: 1, role: 'user', parts: [] }, { id: 'x', role: 'system', parts: [] }, { id: 'x', role: 'user' }]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(fromServerMessage(bad), undefined));
  }
});

describe('retry-after and events', () => {
  it('parses seconds and dates', () => {
    assert.equal(parseRetryAfter('3'), 3);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 5_000), 5);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
  it('names every contract event once, all bookbag-*', () => {
    assert.equal(new Set(BOOKBAG_EVENT_NAMES).size, 11);
    assert.ok(BOOKBAG_EVENT_NAMES.every((n) => n.startsWith('bookbag-')));
  });
});
