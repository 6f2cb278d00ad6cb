/**
 * The tools effect: runs the client tools a finished reply asked for (after the visitor allows
 * them, where asked), posts each result through the serial queue, and reads the continuation.
 */
import { BookbagError } from '../protocol/errors.js';
import { type Message, type ToolCallPart, isToolCallPart } from '../protocol/message.js';
import { type ToolOutcome, failure, runTool, toolSpec } from './tool-runner.js';
import type { CoreContext } from './context.js';
import { readRecent } from './history.js';
import { findCall, pendingCalls } from './state.js';
import { endTurn, readReply } from './turn.js';

/** Confirmations waiting for the visitor, by tool call id. Aborting the signal answers "no". */
const confirmers = new WeakMap<CoreContext, Map<string, (allowed: boolean) => void>>();

/** Runs the pending calls of message `messageId` (reading them from the server if the stream named none). */
export async function runTools(ctx: CoreContext, messageId: string, signal: AbortSignal): Promise<void> {
  const scope = ctx.scope.signal;
  let message = ctx.state.messages.find((m) => m.id === messageId);
  if (!message) return;
  let calls = pending(message);
  const conversationId = ctx.state.conversationId;
  if (calls.length === 0 && conversationId) {
    // Only `finishReason: "tool-calls"` arrived: the stored message names the calls.
    try {
      const stored = await readRecent(ctx, conversationId, scope);
      if (scope.aborted) return;
      const source = stored.find((m) => m.id === messageId) ?? stored.findLast((m) => m.role === 'assistant');
      for (const part of source?.parts ?? []) {
        if (isToolCallPart(part) && part.state === 'pending') {
          ctx.dispatch({ type: 'turn/frame', messageId, frame: { type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input }, createdAt: 0 });
        }
      }
      message = ctx.state.messages.find((m) => m.id === messageId) ?? message;
      calls = pending(message);
    } catch (error) {
      if (!scope.aborted) ctx.report(error, 'notice');
      return;
    }
  }
  ctx.dispatch({ type: 'turn/activity', activity: pendingCalls(ctx.state.messages).length ? 'awaiting-tool' : 'idle' });
  await Promise.all(calls.map((call) => handleCall(ctx, call, signal)));
}

const pending = (message: Message): ToolCallPart[] => message.parts.filter(isToolCallPart).filter((p) => p.state === 'pending');

async function handleCall(ctx: CoreContext, call: ToolCallPart, signal: AbortSignal): Promise<void> {
  const { toolCallId, toolName, input } = call;
  if (!ctx.emit('bookbag-tool-call', { toolCallId, toolName, input }, true)) return; // the host answers via submitToolResult
  const spec = toolSpec(ctx.tools, toolName);
  if (!spec) return; // no handler: waits for submitToolResult
  if (spec.confirm !== false) {
    const allowed = await confirm(ctx, call, spec.confirm || `Allow “${toolName}”?`, signal);
    // Stopped or reset while asking: nothing is posted; the call waits (submitToolResult).
    if (signal.aborted) return;
    if (!allowed) {
      if (findCall(ctx.state.messages, toolCallId)?.state === 'pending') await deliver(ctx, call, failure('denied by the user'));
      return;
    }
  }
  ctx.dispatch({ type: 'tool/update', toolCallId, patch: { state: 'running' } });
  const outcome = await runTool(spec, input, { toolCallId, toolName, conversationId: ctx.state.conversationId ?? '' }, signal);
  if (signal.aborted) return;
  await deliver(ctx, call, outcome);
}

function confirm(ctx: CoreContext, call: ToolCallPart, question: string, signal: AbortSignal): Promise<boolean> {
  const waiting = confirmers.get(ctx) ?? new Map<string, (allowed: boolean) => void>();
  confirmers.set(ctx, waiting);
  return new Promise((resolve) => {
    const answer = (allowed: boolean) => {
      waiting.delete(call.toolCallId);
      signal.removeEventListener('abort', onAbort);
      ctx.dispatch({ type: 'confirm/remove', toolCallId: call.toolCallId });
      resolve(allowed);
    };
    const onAbort = () => answer(false);
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.set(call.toolCallId, answer);
    ctx.dispatch({ type: 'confirm/add', confirmation: { toolCallId: call.toolCallId, toolName: call.toolName, question, input: call.input } });
  });
}

/** The visitor's answer to an approval card. */
export function answerConfirmation(ctx: CoreContext, toolCallId: string, allowed: boolean): void {
  confirmers.get(ctx)?.get(toolCallId)?.(allowed);
}

/** Records a tool's outcome, tells the host, posts it, and reads the agent's continuation. */
export async function deliver(ctx: CoreContext, call: ToolCallPart, outcome: ToolOutcome): Promise<void> {
  const scope = ctx.scope.signal;
  const conversationId = ctx.state.conversationId;
  ctx.dispatch({ type: 'tool/update', toolCallId: call.toolCallId, patch: { state: outcome.isError ? 'error' : 'done', output: outcome.output } });
  ctx.emit('bookbag-tool-result', { toolCallId: call.toolCallId, toolName: call.toolName, output: outcome.output, isError: outcome.isError });
  if (outcome.isError) {
    const reason = (outcome.output as { error?: string }).error ?? 'failed';
    ctx.emit('bookbag-error', { code: 'TOOL_FAILED', message: `Tool “${call.toolName}” ${reason === 'denied by the user' ? 'was denied' : `failed: ${reason}`}.`, retryable: false });
  }
  if (!conversationId) return;
  // Posted one at a time so continuations are read in order. What a continuation asks for next
  // runs after this post leaves the queue: its own posts would otherwise wait on this one.
  const posted = await ctx.posts.run(async () => {
    if (scope.aborted) return undefined;
    const signal = ctx.scope.turnSignal;
    ctx.dispatch({ type: 'turn/activity', activity: 'submitted' });
    const reply = await readReply(ctx, (s) => ctx.transport.toolResult(conversationId, call.toolCallId, outcome.output, s), undefined, signal);
    return { reply, signal, last: ctx.posts.size === 1 };
  });
  if (!posted || scope.aborted) return;
  const { reply, signal, last } = posted;
  if (reply.kind === 'rejected' && reply.error instanceof BookbagError && reply.error.code === 'RESOURCE_TOOL_CALL_NOT_FOUND') {
    // Expired or already answered: show it, and do not try again.
    ctx.dispatch({ type: 'tool/update', toolCallId: call.toolCallId, patch: { state: 'error', output: { error: 'expired' } } });
  } else if (reply.kind === 'acked' && last && !pendingCalls(ctx.state.messages).length) {
    // Only acknowledged, and it was the last result: the server may have stored the continuation.
    try {
      const messages = await readRecent(ctx, conversationId, scope);
      if (scope.aborted) return;
      ctx.dispatch({ type: 'history/page', mode: 'append', messages });
    } catch {
      // Not shown now; the next history read has it.
    }
  } else {
    return endTurn(ctx, reply, signal);
  }
  ctx.dispatch({ type: 'turn/ended', outcome: 'finished' });
}

