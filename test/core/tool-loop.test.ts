// The core's tool loop with a scripted transport, for shapes the local server cannot produce
// (a continuation that calls another tool).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatController } from '../../src/core/chat-controller.ts';
import type { ChatFrame } from '../../src/protocol/index.ts';
import { ScriptedTransport } from './scripted-transport.ts';

const finish = (messageId: string, finishReason: string): ChatFrame => ({ type: 'finish', finishReason, metadata: { messageId, conversationId: '7' } });

describe('core: client tools', () => {
  it('a continuation that calls another tool runs it and posts its result (no deadlock on the post queue)', async () => {
    const transport = new ScriptedTransport({
      chat: [[{ type: 'text-delta', text: 'First.' }, { type: 'tool-call', toolCallId: 'call_1', toolName: 'step', input: { n: 1 } }, finish('msg_2', 'tool-calls'), { type: 'done' }]],
      toolResult: [
        [{ type: 'text-delta', text: 'Second.' }, { type: 'tool-call', toolCallId: 'call_2', toolName: 'step', input: { n: 2 } }, finish('msg_3', 'tool-calls'), { type: 'done' }],
        [{ type: 'text-delta', text: 'All done.' }, finish('msg_4', 'stop'), { type: 'done' }],
      ],
    });
    const ran: unknown[] = [];
    const chat = new ChatController({ transport, userId: 'u_1', tools: () => ({ step: (input: unknown) => { ran.push(input); return { ok: true }; } }) });
    // Without the serial executor's ordering rule, the second post waits on the first, which
    // waits on the second: send() would never settle and the test would time out.
    await chat.send('go');
    assert.deepEqual(ran, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(transport.calls.filter((c) => c.kind === 'toolResult').map((c) => c.args.slice(1)), [['call_1', { ok: true }], ['call_2', { ok: true }]]);
    const { messages } = chat.getState();
    assert.deepEqual(messages.map((m) => m.id).slice(1), ['msg_2', 'msg_3', 'msg_4']);
    assert.equal(chat.status, 'idle');
  });
});
