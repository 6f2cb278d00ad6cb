/**
 * Browser-side access to the local Bookbag v2 server that web-test-runner.config.mjs starts:
 * every test creates its own agent (own keys, rate-limit bucket, conversations and request
 * log), so tests running in parallel never see each other.
 */
declare global {
  interface Window {
    BOOKBAG_TEST: { origin: string };
  }
}

export const origin = window.BOOKBAG_TEST.origin;

export interface Switches {
  pace?: number;
  chunk?: 'word' | 'char' | number;
  status?: number;
  envelope?: 'json' | 'none' | 'html' | 'text';
  retryAfter?: number;
  statusTimes?: number;
  statusOn?: string[];
  stallAfter?: number;
  stallMs?: number;
  errorAfter?: number;
  finishAfterError?: boolean;
  dropAfter?: number;
  omitDone?: boolean;
  malformedAt?: number;
  notSse?: boolean;
  splitBytes?: boolean;
  replyBytes?: number;
  unknownFrames?: boolean;
  toolFrame?: 'tool-call' | 'tool-input-available' | 'none';
  toolResultMode?: 'stream' | 'json' | 'ack';
}

export interface ScriptedTurn {
  text?: string;
  toolCalls?: { toolName: string; input: unknown }[];
  after?: string;
}

export interface TestAgent {
  agentId: string;
  workspaceKey: string;
  agentKey: string;
  apiBase: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: any;
  at: number;
}

async function mock(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${origin}/__mock${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`mock ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** A fresh agent on the local server, optionally with switches and scripted replies. */
export function createAgent(init: { config?: Switches; replies?: ScriptedTurn[] } = {}): Promise<TestAgent> {
  return mock('POST', '/agents', init);
}

export function configureAgent(agentId: string, init: { config?: Switches; replies?: ScriptedTurn[] }): Promise<void> {
  return mock('PATCH', `/agents/${agentId}`, init);
}

/** Every API request the agent received, oldest first. */
export async function requestsOf(agentId: string): Promise<RecordedRequest[]> {
  return (await mock('GET', `/agents/${agentId}/requests`)).data;
}

export async function seedConversation(agentId: string, init: { userId?: string; messages?: unknown[]; generate?: number }): Promise<string> {
  return (await mock('POST', `/agents/${agentId}/conversations`, init)).conversationId;
}

export function deleteConversation(agentId: string, conversationId: string): Promise<void> {
  return mock('DELETE', `/agents/${agentId}/conversations/${conversationId}`);
}

/** Reads a conversation's messages through the real API (newest page). */
export async function serverMessages(agent: TestAgent, conversationId: string, limit = 100): Promise<any[]> {
  const res = await fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations/${conversationId}/messages?limit=${limit}`, {
    headers: { Authorization: `Bearer ${agent.workspaceKey}` },
  });
  return (await res.json()).data;
}
