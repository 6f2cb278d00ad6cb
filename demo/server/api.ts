// The /api/v2 surface (§5): routing, auth and key scope (§2), rate limiting (§14), and the
// endpoint handlers. Check order: route → key → rate limit → agent → forced status → body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { continuation } from './agent.ts';
import { record, type AppState } from './context.ts';
import {
  apiError, applyRateHeaders, invalid, notFound, parseJson, readBody, sendError, sendJson, type ParsedBody,
} from './http.ts';
import { pageConversations, pageMessages, parseLimit } from './pagination.ts';
import { conversationView, messageView } from './store.ts';
import { forcedStatus, headerSwitches, sendForcedStatus } from './switches.ts';
import { planFor, sendJsonTurn, sendNotSse, streamTurn, completeTurn, type TurnContext } from './turns.ts';
import { MAX_MESSAGE_LENGTH as MAX_MESSAGE, USER_ID_PATTERN, isUserId, type EndpointName } from '../../src/protocol/index.ts';
import type { Agent, Conversation, Switches, ToolCallPart } from './types.ts';

const KEY_SHAPE = /^oc_(live|test)_[A-Za-z0-9_-]+$/;

interface Route { endpoint: EndpointName | 'health'; agentId?: string; conversationId?: string; messageId?: string; userId?: string }

function route(method: string, segs: string[]): Route | null {
  const [a, agentId, b, c, d, e, f] = segs;
  const n = segs.length;
  if (n === 1 && a === 'health') return method === 'GET' ? { endpoint: 'health' } : null;
  if (a !== 'agents' || n < 3) return null;
  const at = (endpoint: EndpointName, want: string, extra: Partial<Route> = {}): Route | null =>
    method === want ? { endpoint, agentId, ...extra } : null;
  if (n === 3 && b === 'chat') return at('chat', 'POST');
  if (b === 'users' && n === 5 && d === 'conversations') return at('user-conversations', 'GET', { userId: c });
  if (b !== 'conversations') return null;
  if (n === 3) return at('conversations', 'GET');
  // "export" must win over ":conversationId" (§5 mock note).
  if (n === 4 && c === 'export') return at('export', 'GET');
  if (n === 4) return at('conversation', 'GET', { conversationId: c });
  if (n === 5 && d === 'messages') return at('messages', 'GET', { conversationId: c });
  if (n === 5 && d === 'retry') return at('retry', 'POST', { conversationId: c });
  if (n === 5 && d === 'tool-result') return at('tool-result', 'POST', { conversationId: c });
  if (n === 7 && d === 'messages' && f === 'feedback') return at('feedback', 'PATCH', { conversationId: c, messageId: e });
  return null;
}

function splitPath(path: string): string[] | null {
  try {
    return path.replace(/^\/api\/v2\/?/, '').replace(/\/$/, '').split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
}

interface Call {
  state: AppState;
  req: IncomingMessage;
  res: ServerResponse;
  route: Route;
  query: URLSearchParams;
  body: ParsedBody;
  agent: Agent;
  switches: Switches;
  signal: AbortSignal;
}

export async function handleApi(state: AppState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const segs = splitPath(url.pathname);
  const raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
  const body = parseJson(raw);

  if (segs && segs[0] === 'agents' && segs[1] && state.store.agent(segs[1])) {
    record(state, segs[1], {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: raw === '' ? null : body.ok ? body.value : raw,
      at: Date.now(),
    });
  }

  const found = segs ? route(method, segs) : null;
  if (!found || found.endpoint === 'health') {
    applyRateHeaders(res, state.limiter.idle());
    if (!found) return sendError(res, 404, 'RESOURCE_NOT_FOUND', `No route for ${method} ${url.pathname}`);
    return sendJson(res, 200, { status: 'ok' });
  }

  const auth = req.headers.authorization;
  if (!auth || !auth.trim()) {
    applyRateHeaders(res, state.limiter.idle());
    return sendError(res, 401, 'AUTH_MISSING_API_KEY', 'Send Authorization: Bearer oc_...');
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  const key = m && KEY_SHAPE.test(m[1]) ? state.store.key(m[1]) : undefined;
  if (!key) {
    applyRateHeaders(res, state.limiter.idle());
    return sendError(res, 401, 'AUTH_INVALID_API_KEY', 'The API key is not valid');
  }

  const rate = state.limiter.hit(key.key);
  applyRateHeaders(res, rate);
  if (!rate.allowed) return sendError(res, 429, 'RATE_LIMIT_TOO_MANY_REQUESTS', 'Too many requests; retry after the Retry-After delay');

  const agentId = found.agentId ?? '';
  const agent = /^\d+$/.test(agentId) ? state.store.agent(agentId) : undefined;
  // A key sees only its own workspace, so foreign and archived agents look absent (§2).
  if (!agent || agent.archived || agent.workspaceId !== key.workspaceId) throw notFound('Agent not found');
  if (key.agentId !== null && key.agentId !== agent.id) {
    throw apiError(403, 'AUTH_INSUFFICIENT_PERMISSIONS', 'This key is scoped to a different agent');
  }

  let switches: Switches = {};
  if (state.testApi) {
    const header = headerSwitches(req);
    const forced = forcedStatus(agent, header, found.endpoint);
    if (forced) return sendForcedStatus(res, forced);
    switches = { ...agent.config, ...header };
  }

  const controller = new AbortController();
  const abort = () => controller.abort();
  res.on('close', () => { if (!res.writableFinished) abort(); });
  state.shutdown.signal.addEventListener('abort', abort, { once: true });
  res.on('close', () => state.shutdown.signal.removeEventListener('abort', abort));

  const call: Call = { state, req, res, route: found, query: url.searchParams, body, agent, switches, signal: controller.signal };
  switch (found.endpoint) {
    case 'chat': return chat(call);
    case 'retry': return retry(call);
    case 'tool-result': return toolResult(call);
    case 'feedback': return feedback(call);
    case 'conversations': return listConversations(call, null);
    case 'user-conversations': return listConversations(call, found.userId ?? '');
    case 'conversation': return getConversation(call, true);
    case 'messages': return getConversation(call, false);
    case 'export': return exportAll(call);
  }
}

function objectBody(call: Call): Record<string, unknown> {
  if (!call.body.ok) throw invalid('Body is not valid JSON');
  const v = call.body.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('Body must be a JSON object');
  return v as Record<string, unknown>;
}

function conversationOf(call: Call, id: string | undefined): Conversation {
  const conv = id && /^\d+$/.test(id) ? call.state.store.conversation(call.agent.id, id) : undefined;
  if (!conv) throw notFound('Conversation not found');
  return conv;
}

function optionalStream(body: Record<string, unknown>): boolean {
  if (body.stream === undefined || body.stream === null) return true;
  if (typeof body.stream !== 'boolean') throw invalid('stream must be a boolean');
  return body.stream;
}

function turn(call: Call, conv: Conversation, userMessageId: string): TurnContext {
  return {
    store: call.state.store, agent: call.agent, conv, userMessageId, switches: call.switches,
    pace: call.state.pace, res: call.res, signal: call.signal,
  };
}

async function chat(call: Call): Promise<void> {
  const body = objectBody(call);
  const { message, userId, conversationId } = body;
  if (typeof message !== 'string' || !message.trim()) throw invalid('message is required and must be a non-empty string');
  if (message.length > MAX_MESSAGE) throw invalid(`message must be at most ${MAX_MESSAGE} characters`);
  if (userId !== undefined && userId !== null && !isUserId(userId)) {
    throw invalid(`userId must match ${USER_ID_PATTERN}`);
  }
  let convId: string | null = null;
  if (conversationId !== undefined && conversationId !== null) {
    if (typeof conversationId === 'number' && Number.isInteger(conversationId) && conversationId >= 0) convId = String(conversationId);
    else if (typeof conversationId === 'string' && /^\d+$/.test(conversationId)) convId = conversationId;
    else throw invalid('conversationId must be an integer');
  }
  const stream = optionalStream(body);
  const store = call.state.store;
  const conv = convId === null ? null : conversationOf(call, convId);
  if (stream && call.switches.notSse) return sendNotSse(call.res);

  // The first userId sticks; a later, different one is ignored (§17 #22).
  const target = conv ?? store.createConversation(call.agent.id, typeof userId === 'string' ? userId : null);
  const userMessage = store.addMessage(target, 'user', [{ type: 'text', text: message }]);
  const ctx = turn(call, target, userMessage.id);
  const plan = planFor(call.agent, store, message, call.switches);
  if (stream) return streamTurn(ctx, plan);
  sendJsonTurn(ctx, plan);
}

const MESSAGE_ID = /^(?:msg_)?(\d+)$/;

async function retry(call: Call): Promise<void> {
  const body = objectBody(call);
  const conv = conversationOf(call, call.route.conversationId);
  const rawId = body.messageId;
  if ((typeof rawId !== 'string' && typeof rawId !== 'number') || String(rawId).trim() === '') {
    throw invalid('messageId is required');
  }
  const stream = optionalStream(body);
  const idMatch = MESSAGE_ID.exec(String(rawId).trim());
  const index = idMatch ? conv.messages.findIndex((msg) => msg.id === `msg_${idMatch[1]}`) : -1;
  if (index === -1) throw apiError(404, 'CHAT_RETRY_MESSAGE_NOT_FOUND', 'messageId is not in this conversation');
  if (conv.messages[index].role !== 'assistant') throw invalid('messageId must be an assistant message');
  let userIndex = index - 1;
  while (userIndex >= 0 && conv.messages[userIndex].role !== 'user') userIndex--;
  if (userIndex < 0) throw apiError(400, 'CHAT_RETRY_NO_USER_MESSAGE', 'There is no user message to retry from');
  if (stream && call.switches.notSse) return sendNotSse(call.res);

  // Seed page: truncate at the user message that produced messageId, then regenerate.
  const userMessage = conv.messages[userIndex];
  call.state.store.truncate(conv, userIndex + 1);
  const text = userMessage.parts.filter((p) => p.type === 'text').map((p) => String((p as { text?: unknown }).text ?? '')).join('\n');
  const ctx = turn(call, conv, userMessage.id);
  const plan = planFor(call.agent, call.state.store, text, call.switches);
  if (stream) return streamTurn(ctx, plan);
  sendJsonTurn(ctx, plan);
}

async function toolResult(call: Call): Promise<void> {
  const body = objectBody(call);
  const conv = conversationOf(call, call.route.conversationId);
  const { toolCallId } = body;
  if (typeof toolCallId !== 'string' || !toolCallId) throw invalid('toolCallId is required');
  const store = call.state.store;
  const pending = conv.pending.find((p) => p.toolCallId === toolCallId);
  if (!pending) throw apiError(404, 'RESOURCE_TOOL_CALL_NOT_FOUND', 'No pending tool call matched the supplied toolCallId');
  const explicit = call.switches.toolResultMode;
  const mode = explicit ?? (body.stream === false ? 'json' : 'stream');
  if (mode === 'stream' && call.switches.notSse) return sendNotSse(call.res);

  conv.pending = conv.pending.filter((p) => p !== pending);
  const carrier = conv.messages.find((msg) => msg.id === pending.messageId);
  const output = body.output === undefined ? null : body.output;
  carrier?.parts.push({ type: 'tool-result', toolCallId, toolName: pending.toolName, output });
  conv.updatedAt = Math.max(conv.updatedAt, Math.floor(Date.now() / 1000));
  store.changed();

  if (conv.pending.some((p) => p.messageId === pending.messageId)) return sendJson(call.res, 200, { data: { success: true } });

  const parts = carrier?.parts ?? [];
  const outcomes = parts
    .filter((p): p is ToolCallPart => p.type === 'tool-call')
    .map((c) => ({
      toolName: c.toolName,
      input: c.input,
      output: (parts.find((p) => p.type === 'tool-result' && p.toolCallId === c.toolCallId) as { output?: unknown } | undefined)?.output,
    }));
  const plan = { text: continuation(outcomes, pending.after), toolCalls: [], after: null };
  const ctx = turn(call, conv, pending.userMessageId);
  if (mode === 'ack') {
    completeTurn(ctx, plan);
    return sendJson(call.res, 200, { data: { success: true } });
  }
  if (mode === 'json') return sendJsonTurn(ctx, plan);
  return streamTurn(ctx, plan);
}

async function feedback(call: Call): Promise<void> {
  const body = objectBody(call);
  const conv = conversationOf(call, call.route.conversationId);
  const value = body.feedback;
  if (!('feedback' in body) || !(value === 'positive' || value === 'negative' || value === null)) {
    throw invalid('feedback must be "positive", "negative" or null');
  }
  const idMatch = MESSAGE_ID.exec(call.route.messageId ?? '');
  const message = idMatch ? conv.messages.find((msg) => msg.id === `msg_${idMatch[1]}`) : undefined;
  if (!message) throw apiError(404, 'RESOURCE_MESSAGE_NOT_FOUND', 'Message not found in this conversation');
  if (message.role !== 'assistant') throw apiError(400, 'RESOURCE_MESSAGE_NOT_ASSISTANT', 'Feedback is only for assistant messages');
  message.feedback = value;
  call.state.store.changed();
  sendJson(call.res, 200, { data: messageView(message) });
}

async function listConversations(call: Call, userId: string | null): Promise<void> {
  if (userId !== null && !isUserId(userId)) throw invalid(`userId must match ${USER_ID_PATTERN}`);
  const limit = parseLimit(call.query);
  let list = call.state.store.conversations(call.agent.id);
  if (userId !== null) list = list.filter((c) => c.userId === userId);
  const page = pageConversations(list, limit, call.query.get('cursor'));
  sendJson(call.res, 200, { data: page.items.map(conversationView), pagination: page.pagination });
}

async function getConversation(call: Call, withConversation: boolean): Promise<void> {
  const conv = conversationOf(call, call.route.conversationId);
  const limit = parseLimit(call.query);
  const page = pageMessages(conv.messages, limit, call.query.get('cursor'));
  const messages = page.items.map(messageView);
  const data = withConversation ? { ...conversationView(conv), messages } : messages;
  sendJson(call.res, 200, { data, pagination: page.pagination });
}

async function exportAll(call: Call): Promise<void> {
  const list = call.state.store.conversations(call.agent.id);
  sendJson(call.res, 200, {
    data: list.map((c) => ({ ...conversationView(c), messages: c.messages.map(messageView) })),
    pagination: { cursor: null, hasMore: false, total: list.length },
  });
}
