// The reducer's transitions, table-driven: every activity change, and the rule that notices
// and side requests never change activity. Pure functions: no transport, no timers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Action, reduce } from '../../src/core/reducer.ts';
import { type Activity, type ChatState, initialState, statusOf, viewKey } from '../../src/core/state.ts';
import type { Message } from '../../src/protocol/index.ts';

const user: Message = { id: 'local_u', role: 'user', parts: [{ type: 'text', text: 'hi' }] };
const pendingTool: Message = { id: 'msg_2', role: 'assistant', parts: [{ type: 'tool-call', toolCallId: 'c1', toolName: 't', input: {}, state: 'pending' }] };
const err = { code: 'NETWORK_ERROR', message: 'down', retryable: true };
const at = (activity: Activity, extra: Partial<ChatState> = {}): ChatState => ({ ...initialState('7'), activity, ...extra });

interface Row { name: string; from: ChatState; action: Action; activity: Activity; status: string; check?: (s: ChatState) => void }

const rows: Row[] = [
  { name: 'idle → submitted on a turn', from: at('idle'), action: { type: 'turn/submitted', messages: [user] }, activity: 'submitted', status: 'submitted' },
  { name: 'a new turn clears the last error', from: at('idle', { error: err, failedTurn: { text: 'x', userMessageId: 'u' } }), action: { type: 'turn/submitted' }, activity: 'submitted', status: 'submitted',
    check: (s) => assert.equal(s.failedTurn, undefined) },
  { name: 'a new turn retires the last notice', from: at('idle', { notice: err }), action: { type: 'turn/submitted' }, activity: 'submitted', status: 'submitted',
    check: (s) => assert.equal(s.notice, undefined) },
  { name: 'submitted → streaming on the first byte', from: at('submitted'), action: { type: 'turn/streaming' }, activity: 'streaming', status: 'streaming' },
  { name: 'streaming → idle when finished', from: at('streaming', { messages: [user] }), action: { type: 'turn/ended', outcome: 'finished' }, activity: 'idle', status: 'idle' },
  { name: 'streaming → awaiting-tool when the reply waits on a tool', from: at('streaming', { messages: [user, pendingTool] }), action: { type: 'turn/ended', outcome: 'finished' }, activity: 'awaiting-tool', status: 'awaiting-tool' },
  { name: 'streaming → idle + error when the reply breaks', from: at('streaming'), action: { type: 'turn/ended', outcome: 'failed', error: err, failedTurn: { text: 'hi', userMessageId: 'u' } }, activity: 'idle', status: 'error',
    check: (s) => assert.deepEqual(s.failedTurn, { text: 'hi', userMessageId: 'u' }) },
  { name: 'stopped: idle, no error, reply marked, turn repeatable', from: at('streaming'), action: { type: 'turn/ended', outcome: 'stopped', stoppedMessageId: 'local_a', failedTurn: { text: 'hi', userMessageId: 'u', assistantMessageId: 'local_a' } }, activity: 'idle', status: 'idle',
    check: (s) => { assert.equal(s.error, undefined); assert.equal(s.stoppedMessageId, 'local_a'); assert.ok(s.failedTurn); } },
  { name: 'a notice during streaming changes nothing else', from: at('streaming'), action: { type: 'notice', notice: err }, activity: 'streaming', status: 'streaming',
    check: (s) => assert.deepEqual(s.notice, err) },
  { name: 'a notice while idle leaves status idle', from: at('idle'), action: { type: 'notice', notice: err }, activity: 'idle', status: 'idle' },
  { name: 'history page while streaming keeps streaming', from: at('streaming', { messages: [user] }), action: { type: 'history/page', mode: 'prepend', messages: [pendingTool] }, activity: 'streaming', status: 'streaming' },
  { name: 'restored history waiting on a tool → awaiting-tool', from: at('idle'), action: { type: 'history/page', mode: 'replace', messages: [user, pendingTool], cursor: null }, activity: 'awaiting-tool', status: 'awaiting-tool' },
  { name: 'the last tool answered → idle', from: at('awaiting-tool', { messages: [user, pendingTool] }), action: { type: 'tool/update', toolCallId: 'c1', patch: { state: 'done' } }, activity: 'idle', status: 'idle' },
  { name: 'a tool update while a post is out keeps submitted', from: at('submitted', { messages: [user, pendingTool] }), action: { type: 'tool/update', toolCallId: 'c1', patch: { state: 'done' } }, activity: 'submitted', status: 'submitted' },
  { name: 'feedback rollback keeps activity', from: at('streaming', { messages: [pendingTool] }), action: { type: 'feedback/set', messageId: 'msg_2', feedback: 'positive' }, activity: 'streaming', status: 'streaming',
    check: (s) => assert.equal(s.messages[0].feedback, 'positive') },
  { name: 'conversation reset: empty and idle', from: at('streaming', { messages: [user], error: err }), action: { type: 'conversation/reset', conversationId: null }, activity: 'idle', status: 'idle',
    check: (s) => { assert.deepEqual(s.messages, []); assert.equal(s.conversationId, null); } },
  { name: 'a renamed reply keeps the key it was shown under (a keyed view keeps its DOM)', from: at('streaming', { messages: [user, { ...pendingTool, id: 'local_a' }] }), action: { type: 'message/renamed', from: 'local_a', to: 'msg_9' }, activity: 'streaming', status: 'streaming',
    check: (s) => { assert.equal(s.messages[1].id, 'msg_9'); assert.equal(viewKey(s, s.messages[1]), 'local_a'); assert.equal(viewKey(s, s.messages[0]), 'local_u'); } },
  { name: 'renamed twice: still the first key', from: at('idle', { messages: [{ ...user, id: 'msg_1' }], shownAs: { msg_1: 'local_u' } }), action: { type: 'message/renamed', from: 'msg_1', to: 'msg_2' }, activity: 'idle', status: 'idle',
    check: (s) => assert.equal(viewKey(s, s.messages[0]), 'local_u') },
  { name: 'a message too long is an error without a turn', from: at('idle'), action: { type: 'turn/rejected', error: err }, activity: 'idle', status: 'error' },
];

describe('reducer transitions', () => {
  for (const row of rows) {
    it(row.name, () => {
      const frozen = Object.freeze({ ...row.from });
      const next = reduce(frozen, row.action);
      assert.equal(next.activity, row.activity);
      assert.equal(statusOf(next), row.status);
      row.check?.(next);
    });
  }

  it('never mutates the state it was given', () => {
    const from = at('streaming', { messages: [user] });
    const copy = structuredClone(from);
    for (const row of rows) reduce(from, row.action);
    assert.deepEqual(from, copy);
  });

  it('returns the same object when nothing changed', () => {
    const from = at('streaming');
    assert.equal(reduce(from, { type: 'turn/streaming' }), from);
    assert.equal(reduce(from, { type: 'conversation/set', conversationId: '7' }), from);
  });

  const frames: [string, Action, string][] = [
    ['text-delta creates the assistant message', { type: 'turn/frame', messageId: 'local_a', frame: { type: 'text-delta', text: 'Hel' }, createdAt: 1 }, 'Hel'],
  ];
  for (const [name, action, text] of frames) {
    it(name, () => {
      const s1 = reduce(at('streaming', { messages: [user] }), action);
      assert.equal(s1.messages.length, 2);
      const s2 = reduce(s1, { type: 'turn/frame', messageId: 'local_a', frame: { type: 'text-delta', text: 'lo' }, createdAt: 1 });
      assert.deepEqual(s2.messages[1].parts, [{ type: 'text', text: `${text}lo` }]);
      assert.notEqual(s2.messages[1], s1.messages[1], 'a changed message is a new object');
      assert.equal(s2.messages[0], s1.messages[0], 'an unchanged message keeps its identity');
    });
  }

  it('a tool call that arrives twice is kept once', () => {
    const frame = { type: 'tool-call' as const, toolCallId: 'c9', toolName: 't', input: {} };
    let s = reduce(at('streaming'), { type: 'turn/frame', messageId: 'm', frame, createdAt: 1 });
    s = reduce(s, { type: 'turn/frame', messageId: 'm', frame, createdAt: 1 });
    assert.equal(s.messages[0].parts.length, 1);
  });
});
