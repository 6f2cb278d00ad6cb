// Shared helpers for the client-side tool tests: the requests the local server received,
// grouped the way the assertions need them.
import type { BookbagChat } from '../../src/bookbag-chat.js';
import type { ToolCallPart } from '../../src/model/types.js';
import { $$ } from '../helpers/chat.js';
import { requestsOf, type RecordedRequest, type TestAgent } from '../helpers/local-server.js';

export interface Traffic {
  all: RecordedRequest[];
  chats: RecordedRequest[];
  toolResults: RecordedRequest[];
  reads: RecordedRequest[];
}

export async function traffic(agent: TestAgent): Promise<Traffic> {
  const all = await requestsOf(agent.agentId);
  return {
    all,
    chats: all.filter((r) => r.method === 'POST' && r.path.endsWith('/chat')),
    toolResults: all.filter((r) => r.method === 'POST' && r.path.endsWith('/tool-result')),
    reads: all.filter((r) => r.method === 'GET' && r.path.endsWith('/messages')),
  };
}

/** Every tool call in the element's messages, in order. */
export const toolCalls = (el: BookbagChat): ToolCallPart[] =>
  el.messages.flatMap((m) => m.parts.filter((p): p is ToolCallPart => p.type === 'tool-call'));

/** `data-state` of every tool-call card in the transcript. */
export const cardStates = (el: BookbagChat): string[] => $$(el, '[part="tool-call"]').map((c) => c.dataset.state ?? '');

/** Posts a tool result straight to the server (as another tab or the host's backend would). */
export async function postToolResultDirectly(agent: TestAgent, conversationId: string, toolCallId: string, output: unknown): Promise<Response> {
  return fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations/${conversationId}/tool-result`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${agent.workspaceKey}`, 'Content-Type': 'application/json', 'x-bookbag-mock': JSON.stringify({ toolResultMode: 'ack' }) },
    body: JSON.stringify({ toolCallId, output }),
  });
}
