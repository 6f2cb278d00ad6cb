// The /__mock test API: isolated agents per browser test, request logs, seeded history.
// No auth on purpose — it only exists on a local development server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppState } from './context.ts';
import { invalid, notFound, parseJson, readBody, sendJson } from './http.ts';
import { validateSwitches } from './switches.ts';
import type { Agent, Feedback, Part, Role, ScriptedTurn } from './types.ts';

function validateReplies(value: unknown): ScriptedTurn[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid('replies must be an array');
  for (const turn of value) {
    const t = turn as Record<string, unknown>;
    const ok = typeof t === 'object' && t !== null
      && (t.text === undefined || typeof t.text === 'string')
      && (t.after === undefined || typeof t.after === 'string')
      && (t.toolCalls === undefined || (Array.isArray(t.toolCalls)
        && t.toolCalls.every((c: unknown) => typeof (c as { toolName?: unknown })?.toolName === 'string')));
    if (!ok) throw invalid('each reply is { text?: string, toolCalls?: [{ toolName, input }], after?: string }');
  }
  return value as ScriptedTurn[];
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parsed = parseJson(await readBody(req));
  if (!parsed.ok) throw invalid('Body is not valid JSON');
  const v = parsed.value ?? {};
  if (typeof v !== 'object' || Array.isArray(v) || v === null) throw invalid('Body must be a JSON object');
  return v as Record<string, unknown>;
}

function agentOr404(state: AppState, id: string): Agent {
  const agent = state.store.agent(id);
  if (!agent) throw notFound('Agent not found');
  return agent;
}

function seedConversation(state: AppState, agent: Agent, body: Record<string, unknown>): string {
  const { userId, messages, generate } = body;
  if (userId !== undefined && userId !== null && typeof userId !== 'string') throw invalid('userId must be a string');
  if (messages !== undefined && !Array.isArray(messages)) throw invalid('messages must be an array');
  if (generate !== undefined && !(Number.isInteger(generate) && (generate as number) >= 0)) throw invalid('generate must be a count');
  const list = (messages ?? []) as Array<{ role?: unknown; parts?: unknown; feedback?: unknown }>;
  for (const m of list) {
    if ((m?.role !== 'user' && m?.role !== 'assistant') || !Array.isArray(m.parts)) {
      throw invalid('each message is { role: "user" | "assistant", parts: [...], feedback? }');
    }
  }
  const store = state.store;
  const conv = store.createConversation(agent.id, (userId as string | undefined) ?? null);
  for (const m of list) {
    store.addMessage(conv, m.role as Role, m.parts as Part[], { feedback: (m.feedback ?? null) as Feedback });
  }
  for (let i = 1; i <= ((generate as number | undefined) ?? 0); i++) {
    store.addMessage(conv, i % 2 === 1 ? 'user' : 'assistant', [{ type: 'text', text: `Message ${i}` }]);
  }
  return conv.id;
}

export async function handleMock(state: AppState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const segs = url.pathname.replace(/^\/__mock\/?/, '').replace(/\/$/, '').split('/');
  const [a, agentId, b, c] = segs;
  const n = segs.length;
  const store = state.store;

  if (a !== 'agents') throw notFound(`No mock route for ${method} ${url.pathname}`);
  if (n === 1 && method === 'POST') {
    const body = await jsonBody(req);
    const config = validateSwitches(body.config, 'config');
    const replies = validateReplies(body.replies) ?? [];
    const made = store.createAgent(config, replies);
    return sendJson(res, 201, {
      agentId: made.agent.id,
      workspaceKey: made.workspaceKey,
      agentKey: made.agentKey,
      apiBase: `http://${req.headers.host ?? '127.0.0.1'}/api/v2`,
    });
  }
  if (n === 2 && method === 'PATCH') {
    const agent = agentOr404(state, agentId);
    const body = await jsonBody(req);
    const config = body.config === undefined ? undefined : validateSwitches(body.config, 'config');
    store.configure(agent, config, validateReplies(body.replies));
    return sendJson(res, 200, { data: { agentId: agent.id, config: agent.config, replies: agent.replies } });
  }
  if (n === 3 && b === 'requests' && method === 'GET') {
    agentOr404(state, agentId);
    return sendJson(res, 200, { data: state.requests.get(agentId) ?? [] });
  }
  if (n === 3 && b === 'requests' && method === 'DELETE') {
    agentOr404(state, agentId);
    state.requests.delete(agentId);
    res.writeHead(204);
    return void res.end();
  }
  if (n === 3 && b === 'conversations' && method === 'POST') {
    const agent = agentOr404(state, agentId);
    const conversationId = seedConversation(state, agent, await jsonBody(req));
    return sendJson(res, 201, { conversationId });
  }
  if (n === 4 && b === 'conversations' && method === 'DELETE') {
    agentOr404(state, agentId);
    if (!store.deleteConversation(agentId, c)) throw notFound('Conversation not found');
    res.writeHead(204);
    return void res.end();
  }
  throw notFound(`No mock route for ${method} ${url.pathname}`);
}
