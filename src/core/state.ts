/**
 * The core's state: one immutable snapshot, replaced (never mutated) by the reducer. What the
 * chat is doing (`activity`) is kept apart from what went wrong with the turn (`error`) and
 * from side requests that failed (`notice`); the public `status` is derived from the first two.
 */
import type { ChatStatus, Message, ToolCallPart } from '../protocol/message.js';
import { isToolCallPart } from '../protocol/message.js';
import type { ConversationList } from './conversation-list.js';

/** What the chat is doing right now. Only the turn effects change it. */
export type Activity = 'idle' | 'submitted' | 'streaming' | 'awaiting-tool';

/** A failure to show: the turn's error, or a notice about a side request. */
export interface ChatError {
  code: string;
  message: string;
  status?: number;
  retryable: boolean;
  /** Epoch ms before which sending again is pointless (429 `Retry-After`). */
  retryAt?: number;
}

/** A visitor's yes/no pending for a tool entry with `confirm`. */
export interface Confirmation {
  toolCallId: string;
  toolName: string;
  question: string;
  input: unknown;
}

/** The last turn that failed, was interrupted or was stopped, so retry knows what to repeat. */
export interface FailedTurn {
  text: string;
  userMessageId: string;
  assistantMessageId?: string;
}

export interface ChatState {
  readonly messages: readonly Message[];
  readonly activity: Activity;
  readonly conversationId: string | null;
  /** What went wrong with the last turn (offers retry when `failedTurn` is set). */
  readonly error: ChatError | undefined;
  /** A side request (feedback, history list, older page, restore) failed; never changes activity. */
  readonly notice: ChatError | undefined;
  readonly failedTurn: FailedTurn | undefined;
  /** The assistant message the visitor stopped (shown as stopped; retry repeats its turn). */
  readonly stoppedMessageId: string | undefined;
  /** Cursor of the next older page of messages, or null when the start is loaded. */
  readonly olderCursor: string | null;
  readonly loadingHistory: boolean;
  /** The history panel's list of this user's conversations, while it is open. */
  readonly history: ConversationList | undefined;
  readonly confirmations: readonly Confirmation[];
  /**
   * Messages the server named after they were shown (a `local_…` id replaced by the server's id
   * when the reply finishes): current id → the id they were first shown under.
   */
  readonly shownAs: Readonly<Record<string, string>>;
}

export const initialState = (conversationId: string | null = null): ChatState => ({
  messages: [],
  activity: 'idle',
  conversationId,
  error: undefined,
  notice: undefined,
  failedTurn: undefined,
  stoppedMessageId: undefined,
  olderCursor: null,
  loadingHistory: false,
  history: undefined,
  confirmations: [],
  shownAs: {},
});

/**
 * A message's identity for a keyed view: stable when the server renames it, so a finished reply
 * keeps its DOM instead of being rebuilt (and its markdown parsed again) under the new id.
 */
export const viewKey = (state: ChatState, message: Message): string => state.shownAs[message.id] ?? message.id;

/** The public status: the activity, or `error` when idle after a failed turn. */
export function statusOf(state: ChatState): ChatStatus {
  if (state.activity !== 'idle') return state.activity;
  return state.error ? 'error' : 'idle';
}

/** Whether a request for a reply is in flight (a new turn must wait). */
export const isBusy = (state: ChatState): boolean => state.activity === 'submitted' || state.activity === 'streaming';

/** Tool calls of the last assistant message that still wait for a result. */
export function pendingCalls(messages: readonly Message[]): ToolCallPart[] {
  const last = messages.findLast((m) => m.role === 'assistant');
  return last ? last.parts.filter(isToolCallPart).filter((p) => p.state === 'pending' || p.state === 'running') : [];
}

/** Where a turn settles: waiting on tools of the last reply, or idle. */
export const settledActivity = (messages: readonly Message[]): Activity => (pendingCalls(messages).length ? 'awaiting-tool' : 'idle');

export function findCall(messages: readonly Message[], toolCallId: string): ToolCallPart | undefined {
  for (const m of messages) for (const p of m.parts) if (isToolCallPart(p) && p.toolCallId === toolCallId) return p;
  return undefined;
}
