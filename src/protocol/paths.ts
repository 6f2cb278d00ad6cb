/**
 * The v2 paths, relative to the API base (`…/api/v2`). Every id is checked before it becomes a
 * path segment: ids come from pages, storage and servers, and a `..` or a `/` in one would send
 * the request (and its credentials) somewhere else.
 */
import { BookbagError } from './errors.js';
import { isAgentId, isSafeId } from './limits.js';

/** The agent-scoped endpoints of the contract, by the names servers and proxies route on. */
export type EndpointName =
  | 'chat' | 'retry' | 'tool-result' | 'feedback' | 'conversation' | 'messages'
  | 'conversations' | 'user-conversations' | 'export';

/**
 * `id` as a path segment, or a non-retryable `INVALID_RESPONSE` when it is not a safe id
 * (`[A-Za-z0-9._-]{1,128}`, not `.` or `..`).
 */
export function segment(id: unknown, what: string): string {
  if (!isSafeId(id)) {
    const shown = typeof id === 'string' ? `"${id.slice(0, 40)}"` : typeof id;
    throw new BookbagError('INVALID_RESPONSE', `The ${what} ${shown} is not a valid id.`, { retryable: false });
  }
  return id;
}

const agent = (agentId: string) => {
  if (!isAgentId(agentId)) segment(agentId, 'agent id'); // non-numeric ids pass when safe (foreign servers)
  return `/agents/${agentId}`;
};
const conversation = (agentId: string, conversationId: string) => `${agent(agentId)}/conversations/${segment(conversationId, 'conversation id')}`;

/** Path builders for every endpoint the widget calls. */
export const paths = {
  health: () => '/health',
  chat: (agentId: string) => `${agent(agentId)}/chat`,
  conversation,
  messages: (agentId: string, conversationId: string) => `${conversation(agentId, conversationId)}/messages`,
  retry: (agentId: string, conversationId: string) => `${conversation(agentId, conversationId)}/retry`,
  toolResult: (agentId: string, conversationId: string) => `${conversation(agentId, conversationId)}/tool-result`,
  feedback: (agentId: string, conversationId: string, messageId: string) =>
    `${conversation(agentId, conversationId)}/messages/${segment(messageId, 'message id')}/feedback`,
  userConversations: (agentId: string, userId: string) => `${agent(agentId)}/users/${segment(userId, 'user id')}/conversations`,
} as const;
