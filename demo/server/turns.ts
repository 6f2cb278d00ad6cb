// One assistant turn, shared by chat, retry and tool-result continuations: pick the reply,
// deliver it as a stream or a JSON body (§6.3–6.8), and store what the client actually got.
import type { ServerResponse } from 'node:http';
import { demoReply, sizedReply, type Plan } from './agent.ts';
import { DONE, sseBlock } from '../../src/protocol/index.ts';
import { sendJson } from './http.ts';
import { Aborted, SseStream, splitText } from './sse.ts';
import type { Store } from './store.ts';
import type { Agent, Conversation, Part, PendingCall, Switches, ToolCallPart } from './types.ts';

export interface TurnContext {
  store: Store;
  agent: Agent;
  conv: Conversation;
  userMessageId: string;
  switches: Switches;
  pace: number;
  res: ServerResponse;
  /** Aborts when the client goes away or the server shuts down. */
  signal: AbortSignal;
}

type FinishReason = 'stop' | 'tool-calls';

/** The next scripted reply for this agent if one is queued, else the demo agent's answer. */
export function planFor(agent: Agent, store: Store, userText: string, switches: Switches): Plan {
  let plan: Plan;
  const scripted = agent.replies.shift();
  if (scripted) {
    store.changed();
    plan = { text: scripted.text ?? '', toolCalls: scripted.toolCalls ?? [], after: scripted.after ?? null };
  } else {
    plan = demoReply(userText);
  }
  if (switches.replyBytes !== undefined) plan = { text: sizedReply(switches.replyBytes), toolCalls: [], after: null };
  return plan;
}

function finishMetadata(ctx: TurnContext, messageId: string) {
  return {
    userMessageId: ctx.userMessageId,
    conversationId: ctx.conv.id,
    userId: ctx.conv.userId ?? null,
    messageId,
    usage: { credits: 1 },
  };
}

function toolCallParts(ctx: TurnContext, plan: Plan): ToolCallPart[] {
  return plan.toolCalls.map((c) => ({ type: 'tool-call', toolCallId: ctx.store.nextCallId(), toolName: c.toolName, input: c.input ?? {} }));
}

/** Stores the finished assistant message and marks its tool calls as waiting for results. */
function storeComplete(ctx: TurnContext, messageId: string, text: string, calls: ToolCallPart[]): FinishReason {
  const reason: FinishReason = calls.length ? 'tool-calls' : 'stop';
  const parts: Part[] = [...(text ? [{ type: 'text' as const, text }] : []), ...calls];
  ctx.store.addMessage(ctx.conv, 'assistant', parts, { id: messageId, metadata: { userMessageId: ctx.userMessageId, finishReason: reason } });
  return reason;
}

function pendingFor(ctx: TurnContext, messageId: string, calls: ToolCallPart[], plan: Plan): PendingCall[] {
  return calls.map((c) => ({
    toolCallId: c.toolCallId, toolName: c.toolName, input: c.input, messageId, userMessageId: ctx.userMessageId, after: plan.after,
  }));
}

/** JSON mode and `ack` continuations: the whole reply at once. */
export function completeTurn(ctx: TurnContext, plan: Plan): { messageId: string; parts: Part[]; finishReason: FinishReason } {
  const messageId = ctx.store.nextMessageId();
  const calls = toolCallParts(ctx, plan);
  const finishReason = storeComplete(ctx, messageId, plan.text, calls);
  ctx.store.addPending(ctx.conv, pendingFor(ctx, messageId, calls, plan));
  const parts = ctx.conv.messages.find((m) => m.id === messageId)?.parts ?? [];
  return { messageId, parts, finishReason };
}

export function sendJsonTurn(ctx: TurnContext, plan: Plan): void {
  const { messageId, parts, finishReason } = completeTurn(ctx, plan);
  const meta = finishMetadata(ctx, messageId);
  sendJson(ctx.res, 200, {
    data: {
      id: messageId,
      role: 'assistant',
      parts,
      metadata: { userMessageId: meta.userMessageId, conversationId: meta.conversationId, userId: meta.userId, finishReason, usage: meta.usage },
    },
  });
}

export async function streamTurn(ctx: TurnContext, plan: Plan): Promise<void> {
  const s = ctx.switches;
  const messageId = ctx.store.nextMessageId();
  const calls = toolCallParts(ctx, plan);
  const pieces = splitText(plan.text, s.chunk);
  const stream = new SseStream(ctx.res, { pace: s.pace ?? ctx.pace, switches: s, signal: ctx.signal, messageId });
  let emitted = '';
  let stored = false;
  // Whatever reached the client stays in history, as it would after a real interruption.
  const storePartial = () => {
    if (stored || !emitted) return;
    stored = true;
    ctx.store.addMessage(ctx.conv, 'assistant', [{ type: 'text', text: emitted }], {
      id: messageId, metadata: { userMessageId: ctx.userMessageId, finishReason: 'error' },
    });
  };
  try {
    await stream.start();
    const items: Array<{ text: string } | { call: ToolCallPart }> = [...pieces.map((text) => ({ text })), ...calls.map((call) => ({ call }))];
    let sent = 0;
    for (const item of items) {
      if (s.errorAfter === sent) break;
      if ('text' in item) {
        await stream.frame({ type: 'text-delta', text: item.text }, () => { emitted += item.text; });
      } else {
        const { toolCallId, toolName, input } = item.call;
        if (s.toolFrame === 'none') continue;
        if (s.toolFrame === 'tool-input-available') {
          await stream.frame({ type: 'tool-input-start', toolCallId, toolName });
          await stream.frame({ type: 'tool-input-delta', toolCallId, inputTextDelta: JSON.stringify(input) });
          await stream.frame({ type: 'tool-input-available', toolCallId, toolName, input });
        } else {
          await stream.frame({ type: 'tool-call', toolCallId, toolName, input });
        }
      }
      sent++;
    }
    // errorAfter past the last content frame still fails, just before `finish`.
    if (s.errorAfter !== undefined) {
      storePartial();
      await stream.frame({ type: 'error', errorText: s.errorText ?? 'The agent failed while generating this reply.' });
      if (s.finishAfterError) await stream.frame({ type: 'finish', finishReason: 'stop', metadata: finishMetadata(ctx, messageId) });
      await stream.done();
      return;
    }
    // Stored before `finish` goes out, so a client reading history right after sees it.
    const reason = storeComplete(ctx, messageId, plan.text, calls);
    stored = true;
    ctx.store.addPending(ctx.conv, pendingFor(ctx, messageId, calls, plan));
    await stream.frame({ type: 'finish', finishReason: reason, metadata: finishMetadata(ctx, messageId) });
    await stream.done();
  } catch (err) {
    storePartial();
    if (err instanceof Aborted) {
      if (!ctx.res.writableEnded) ctx.res.destroy();
      return;
    }
    // Headers are out, so the failure can only be reported in-band (§6.2).
    try {
      ctx.res.write(sseBlock({ type: 'error', errorText: 'Internal server error' }) + sseBlock(DONE));
      ctx.res.end();
    } catch {
      ctx.res.destroy();
    }
  }
}

/** A 200 HTML page where a stream was expected, like a captive portal or a misrouted proxy. */
export function sendNotSse(res: ServerResponse): void {
  const body = '<!doctype html>\n<html><head><title>Welcome</title></head><body><h1>Welcome</h1><p>This is not an event stream.</p></body></html>\n';
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
