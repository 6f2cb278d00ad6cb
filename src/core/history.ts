/**
 * The history effect: side requests that read or annotate the conversation: restoring its
 * newest page, older pages, this user's conversation list, and feedback. A failure here is a
 * notice; it never changes the activity, so it can never open the door to a second turn.
 */
import { BookbagError } from '../protocol/errors.js';
import type { Feedback, Message } from '../protocol/message.js';
import { fromServerMessage } from '../protocol/stored-message.js';
import { toEntry } from './conversation-list.js';
import { type CoreContext, isLostConversation } from './context.js';

const readMessages = (data: unknown[]): Message[] => data.map(fromServerMessage).filter((m): m is Message => !!m);

/** The newest few stored messages: what a reply or a tool result has just left on the server. */
export async function readRecent(ctx: CoreContext, conversationId: string, signal: AbortSignal): Promise<Message[]> {
  return readMessages((await ctx.transport.messages(conversationId, { limit: 10 }, signal)).data);
}

/**
 * Loads the newest page of `conversationId` (replacing the transcript, or with `append` adding
 * only what is new), or with `cursor` the next older page above the messages shown.
 */
export async function loadPage(ctx: CoreContext, conversationId: string, cursor?: string, append?: boolean): Promise<void> {
  const scope = ctx.scope.signal;
  ctx.dispatch({ type: 'history/loading', loading: true });
  try {
    const page = await ctx.transport.messages(conversationId, { cursor, limit: ctx.pageSize }, scope);
    if (scope.aborted) return;
    const next = page.pagination.hasMore ? page.pagination.cursor : null;
    ctx.dispatch({ type: 'history/page', mode: cursor ? 'prepend' : append ? 'append' : 'replace', messages: readMessages(page.data), cursor: append ? undefined : next });
  } catch (error) {
    if (scope.aborted) return;
    if (!cursor && isLostConversation(error)) {
      // The server no longer has it: start fresh instead of failing on every load.
      ctx.conversationLost(undefined);
      return;
    }
    ctx.report(error, 'notice');
  } finally {
    if (!scope.aborted) ctx.dispatch({ type: 'history/loading', loading: false });
  }
}

/**
 * Loads the next page of this user's conversations into `history`; `open` starts a new list.
 * A failure is a notice and leaves the cursor, so calling again retries.
 */
export async function loadConversationList(ctx: CoreContext, open: boolean | undefined): Promise<void> {
  let list = open ? { items: [] } : ctx.state.history;
  if (!list || list.loading || list.cursor === null) return;
  list = { ...list, loading: true };
  ctx.dispatch({ type: 'list/set', list });
  const opened = list;
  try {
    const page = await ctx.transport.userConversations(ctx.userId, { cursor: list.cursor ?? undefined });
    if (ctx.state.history !== opened) return; // closed (or reopened) meanwhile
    ctx.dispatch({
      type: 'list/set',
      list: { items: [...opened.items, ...(page.data as Parameters<typeof toEntry>[0][]).map(toEntry)], cursor: page.pagination.hasMore ? page.pagination.cursor : null, loading: false },
    });
  } catch (error) {
    if (ctx.state.history !== opened) return;
    ctx.dispatch({ type: 'list/set', list: { ...opened, loading: false } });
    ctx.report(error, 'notice');
  }
}

/** Sets thumbs up/down (or clears it) on an assistant message; rolls back on failure. */
export async function sendFeedback(ctx: CoreContext, messageId: string, feedback: Feedback): Promise<void> {
  const scope = ctx.scope.signal;
  const message = ctx.state.messages.find((m) => m.id === messageId);
  const conversationId = ctx.state.conversationId;
  if (!message || message.role !== 'assistant' || !conversationId || messageId.startsWith('local_')) return;
  const before = message.feedback ?? null;
  ctx.dispatch({ type: 'feedback/set', messageId, feedback });
  try {
    await ctx.transport.feedback(conversationId, messageId, feedback, scope);
    if (!scope.aborted) ctx.emit('bookbag-feedback', { messageId, feedback });
  } catch (error) {
    if (scope.aborted) return;
    ctx.dispatch({ type: 'feedback/set', messageId, feedback: before });
    ctx.report(error instanceof BookbagError ? error : new BookbagError('NETWORK_ERROR', String(error)), 'notice');
  }
}
