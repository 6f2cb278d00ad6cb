// ChatSession driven directly with a scripted client, for tool-loop shapes the local server
// cannot produce (a continuation that calls another tool).
import { expect } from '@open-wc/testing';
import { ChatSession, type SessionHost } from '../../src/model/chat-session.js';
import type { ApiClient } from '../../src/transport/api-client.js';
import type { ChatStorage } from '../../src/persistence/chat-storage.js';
import type { ChatFrame } from '../../src/model/types.js';

const finish = (messageId: string, finishReason: string): ChatFrame => ({ type: 'finish', finishReason, metadata: { messageId, conversationId: '7' } });

function scripted(toolResults: Record<string, ChatFrame[]>) {
  const posted: { toolCallId: string; output: unknown }[] = [];
  const client = {
    chat: async () => [
      { type: 'text-delta', text: 'First.' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'step', input: { n: 1 } },
      finish('msg_2', 'tool-calls'),
      { type: 'done' },
    ] as ChatFrame[],
    toolResult: async (_conversationId: string, toolCallId: string, output: unknown) => {
      posted.push({ toolCallId, output });
      return toolResults[toolCallId];
    },
    messages: async () => ({ data: [], pagination: { cursor: null, hasMore: false } }),
  } as unknown as ApiClient;
  return { client, posted };
}

const storage = { load: () => ({}), update: () => {} } as unknown as ChatStorage;
const host: SessionHost = { emit: () => true, changed: () => {}, restoreInput: () => {} };

describe('client tools: ChatSession', () => {
  it('a continuation that calls another tool runs it and posts its result (no deadlock on the post queue)', async () => {
    const { client, posted } = scripted({
      call_1: [{ type: 'text-delta', text: 'Second.' }, { type: 'tool-call', toolCallId: 'call_2', toolName: 'step', input: { n: 2 } }, finish('msg_3', 'tool-calls'), { type: 'done' }],
      call_2: [{ type: 'text-delta', text: 'All done.' }, finish('msg_4', 'stop'), { type: 'done' }],
    });
    const ran: unknown[] = [];
    const session = new ChatSession({ client, storage, userId: 'u_1', stream: true, tools: () => ({ step: (input) => { ran.push(input); return { ok: true }; } }) }, host);
    let settled = false;
    const sent = session.send('go').then(() => { settled = true; });
    // Without the fix, the second post waits on the first, which waits on the second: forever.
    await Promise.race([sent, new Promise((r) => setTimeout(r, 2000))]);
    expect(settled, 'send() never settled').to.equal(true);
    expect(ran).to.deep.equal([{ n: 1 }, { n: 2 }]);
    expect(posted).to.deep.equal([{ toolCallId: 'call_1', output: { ok: true } }, { toolCallId: 'call_2', output: { ok: true } }]);
    expect(session.messages.map((m) => m.id)).to.deep.equal([session.messages[0].id, 'msg_2', 'msg_3', 'msg_4']);
    expect(session.status).to.equal('idle');
  });
});
