/**
 * The turn effect: one reply-producing request (chat, retry, or a tool result's continuation)
 * read frame by frame into the transcript, and how the turn ends. Activity changes only here
 * and in the tools effect; side requests never touch it.
 */
import { BookbagError, isAbort } from '../protocol/errors.js';
import { isConversationId } from '../protocol/limits.js';
import { type Message, messageText } from '../protocol/message.js';
import type { FinishMetadata } from '../protocol/wire.js';
import { type CoreContext, isLostConversation, localId, nowSeconds } from './context.js';
import { readRecent } from './history.js';
import type { FailedTurn } from './state.js';
import type { Reply } from './transport.js';
import { runTools } from './tools.js';

/** How reading one reply ended. */
export type ReplyOutcome =
  /** The request failed before any reply arrived. */
  | { kind: 'rejected'; error: unknown }
  /** The turn was stopped (before or during the reply); what arrived stays. */
  | { kind: 'stopped'; messageId?: string }
  /** The conversation was reset or left: nothing more may be written. */
  | { kind: 'discarded' }
  /** The reply broke off (error frame, lost connection, no `[DONE]`): what arrived stays. */
  | { kind: 'failed'; error: unknown; messageId?: string }
  /** A `finish` frame arrived. */
  | { kind: 'finished'; messageId: string; finishReason: string }
  /** A tool result was accepted without a continuation, or the stream ended without `finish`. */
  | { kind: 'acked' };

/**
 * Sends the request `open` and folds its reply into a new assistant message (created on the
 * first content frame). `userMessageId` is the message the reply answers, renamed to its server
 * id on `finish`. Never throws.
 */
export async function readReply(ctx: CoreContext, open: (signal: AbortSignal) => Promise<Reply>, userMessageId: string | undefined, signal: AbortSignal): Promise<ReplyOutcome> {
  const scope = ctx.scope.signal;
  let messageId: string | undefined;
  let reply: Reply;
  try {
    reply = await open(signal);
  } catch (error) {
    if (scope.aborted) return { kind: 'discarded' };
    if (isAbort(error, signal)) return { kind: 'stopped' };
    return { kind: 'rejected', error };
  }
  if (scope.aborted) return { kind: 'discarded' };
  ctx.dispatch({ type: 'turn/streaming' });
  ctx.emit('bookbag-stream-start', { conversationId: ctx.state.conversationId });
  let errorText: string | undefined;
  let finishReason: string | undefined;
  try {
    for await (const frame of reply) {
      if (scope.aborted) return { kind: 'discarded' };
      if (signal.aborted) return { kind: 'stopped', messageId };
      if (frame.type === 'done') break;
      if (frame.type === 'ack') continue;
      messageId ??= localId();
      ctx.dispatch({ type: 'turn/frame', messageId, frame, createdAt: nowSeconds() });
      if (frame.type === 'error') errorText = frame.errorText;
      else if (frame.type === 'finish') {
        messageId = applyFinish(ctx, messageId, frame.metadata, userMessageId);
        finishReason = frame.finishReason;
      }
    }
  } catch (error) {
    if (scope.aborted) return { kind: 'discarded' };
    if (isAbort(error, signal)) return { kind: 'stopped', messageId };
    return { kind: 'failed', error, messageId };
  }
  if (scope.aborted) return { kind: 'discarded' };
  if (errorText !== undefined) return { kind: 'failed', error: new BookbagError('STREAM_ERROR', errorText, { retryable: true }), messageId };
  if (finishReason !== undefined && messageId) return { kind: 'finished', messageId, finishReason };
  // Acknowledged, or [DONE] without `finish`: the turn is over, but no message was finished.
  return { kind: 'acked' };
}

/** Applies `finish` metadata: ids for both messages and the conversation. Returns the assistant id. */
function applyFinish(ctx: CoreContext, messageId: string, meta: FinishMetadata, userMessageId: string | undefined): string {
  // A conversation id becomes a URL path segment: adopt only a safe one.
  if (meta.conversationId !== undefined && meta.conversationId !== null && isConversationId(String(meta.conversationId))) {
    ctx.adoptConversation(String(meta.conversationId));
  }
  if (typeof meta.userMessageId === 'string' && userMessageId && ctx.state.messages.some((m) => m.id === userMessageId)) {
    ctx.dispatch({ type: 'message/renamed', from: userMessageId, to: meta.userMessageId });
  }
  if (typeof meta.messageId === 'string' && meta.messageId !== messageId && !ctx.state.messages.some((m) => m.id === meta.messageId)) {
    ctx.dispatch({ type: 'message/renamed', from: messageId, to: meta.messageId });
    return meta.messageId;
  }
  return messageId;
}

export interface TurnPlan {
  open: (signal: AbortSignal) => Promise<Reply>;
  /** The transcript while the request is out (with the new user message, or truncated for a retry). */
  messages: readonly Message[];
  userMessageId: string | undefined;
  text: string;
  /** When nothing reached the server: the transcript to go back to, and whether the text goes back to the composer. */
  onReject: { messages: readonly Message[]; returnText: boolean; failedTurn?: FailedTurn };
}

/** Runs one turn to its end, then the tools the reply asked for. At most one runs at a time. */
export async function runTurn(ctx: CoreContext, plan: TurnPlan): Promise<void> {
  const scope = ctx.scope.signal;
  const signal = ctx.scope.startTurn();
  ctx.dispatch({ type: 'turn/submitted', messages: plan.messages });
  const outcome = await readReply(ctx, plan.open, plan.userMessageId, signal);
  if (!scope.aborted) return endTurn(ctx, outcome, signal, plan);
}

/**
 * How every reply-producing request ends (a turn's, or a tool result's continuation): the
 * one place that decides between finished, stopped, failed and a lost conversation. `plan`
 * is the turn that can be repeated (none for a tool result).
 */
export async function endTurn(ctx: CoreContext, outcome: ReplyOutcome, signal: AbortSignal, plan?: TurnPlan): Promise<void> {
  const text = plan?.text;
  const userMessageId = renamed(ctx, plan?.userMessageId);
  const failedTurn = (messageId?: string): FailedTurn | undefined => plan && { text: plan.text, userMessageId: userMessageId ?? '', assistantMessageId: messageId };
  if (outcome.kind === 'discarded') return;
  if (outcome.kind === 'finished') return finishTurn(ctx, outcome.messageId, outcome.finishReason, signal);
  if (outcome.kind === 'rejected' && isLostConversation(outcome.error) && ctx.state.conversationId) {
    ctx.dispatch({ type: 'turn/ended', outcome: 'aborted' });
    return ctx.conversationLost(text);
  }
  if (outcome.kind === 'rejected' || outcome.kind === 'failed') {
    const rejected = outcome.kind === 'rejected' ? plan?.onReject : undefined;
    const error = ctx.report(outcome.error, 'turn');
    ctx.dispatch({ type: 'turn/ended', outcome: 'failed', error, failedTurn: rejected ? rejected.failedTurn : failedTurn(outcome.kind === 'failed' ? outcome.messageId : undefined), messages: rejected?.messages });
    if (rejected?.returnText) ctx.returnText(plan!.text);
    return;
  }
  if (outcome.kind === 'stopped') return ctx.dispatch({ type: 'turn/ended', outcome: 'stopped', failedTurn: failedTurn(outcome.messageId), stoppedMessageId: outcome.messageId });
  ctx.dispatch({ type: 'turn/ended', outcome: 'finished' });
}

/** A finished reply: announce it, then run the tools it asked for (or settle). */
export async function finishTurn(ctx: CoreContext, messageId: string, finishReason: string, signal: AbortSignal): Promise<void> {
  const message = ctx.state.messages.find((m) => m.id === messageId);
  if (message) ctx.emit('bookbag-message', { message });
  if (finishReason === 'tool-calls' && message) {
    ctx.dispatch({ type: 'turn/ended', outcome: 'finished' });
    await runTools(ctx, messageId, signal);
  } else {
    ctx.dispatch({ type: 'turn/ended', outcome: 'finished' });
  }
}

/** The id a local user message got from the server while the turn ran. */
function renamed(ctx: CoreContext, localUserId: string | undefined): string | undefined {
  if (!localUserId || ctx.state.messages.some((m) => m.id === localUserId)) return localUserId;
  // Renamed on `finish`: it is the last user message now.
  return ctx.state.messages.findLast((m) => m.role === 'user')?.id ?? localUserId;
}

/**
 * Repeats a failed, interrupted or stopped turn. Regenerates the reply the server kept for it
 * (retry endpoint), else sends the text again. If this fails too, the transcript goes back to
 * exactly what was shown, and retry is offered again.
 */
export async function retryFailedTurn(ctx: CoreContext, turn: FailedTurn): Promise<void> {
  const scope = ctx.scope.signal;
  const shown = ctx.state.messages;
  const conversationId = ctx.state.conversationId;
  let stored: Message[] = [];
  if (conversationId) {
    try {
      stored = await readRecent(ctx, conversationId, scope);
    } catch {
      // Could not look (an outage, say): send the text again.
    }
    if (scope.aborted) return;
  }
  const userIndex = stored.findLastIndex((m) => m.role === 'user' && (m.id === turn.userMessageId || messageText(m) === turn.text));
  const storedUser = stored[userIndex];
  const kept = storedUser && stored.slice(userIndex + 1).find((m) => m.role === 'assistant');
  const withoutReply = shown.filter((m) => m.id !== turn.assistantMessageId);
  const onReject = { messages: shown, returnText: false, failedTurn: turn };
  if (kept && conversationId) {
    const messages = withoutReply.some((m) => m.id === storedUser.id)
      ? withoutReply
      : [...withoutReply.filter((m) => m.id !== turn.userMessageId), storedUser];
    return runTurn(ctx, { open: (signal) => ctx.transport.retry(conversationId, kept.id, ctx.stream, signal), messages, userMessageId: storedUser.id, text: turn.text, onReject });
  }
  let messages = withoutReply;
  let userMessageId = turn.userMessageId;
  if (!messages.some((m) => m.id === userMessageId)) {
    const user: Message = { id: localId(), role: 'user', parts: [{ type: 'text', text: turn.text }], createdAt: nowSeconds() };
    messages = [...messages, user];
    userMessageId = user.id;
  }
  return runTurn(ctx, {
    open: (signal) => ctx.transport.chat({ message: turn.text, userId: ctx.userId, conversationId: ctx.state.conversationId ?? undefined, stream: ctx.stream }, signal),
    messages,
    userMessageId,
    text: turn.text,
    onReject,
  });
}
