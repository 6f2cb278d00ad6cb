/**
 * The one place the core's state changes: `reduce(state, action)` is pure, returns a new state
 * (or the same object when nothing changed), and holds every transition of `activity`.
 */
import type { ChatFrame, Feedback, Message, Part, ToolCallPart } from '../protocol/message.js';
import type { ConversationList } from './conversation-list.js';
import { type Activity, type ChatError, type ChatState, type Confirmation, type FailedTurn, initialState, settledActivity } from './state.js';

export type Action =
  /** A reply-producing request goes out (send, retry, tool result). Clears the turn's error and the notice. */
  | { type: 'turn/submitted'; messages?: readonly Message[] }
  /** The first byte of the reply arrived. */
  | { type: 'turn/streaming' }
  /** A reply frame with content, folded into the assistant message `messageId` (created at `insertAt` if missing). */
  | { type: 'turn/frame'; messageId: string; frame: ChatFrame; createdAt: number }
  /** The server named a message (`finish` metadata). */
  | { type: 'message/renamed'; from: string; to: string }
  /**
   * The turn is over. `failed` keeps what arrived and offers retry; `stopped` marks the reply;
   * `messages` replaces the transcript (an undo, when nothing reached the server).
   */
  | { type: 'turn/ended'; outcome: 'finished' | 'failed' | 'stopped' | 'aborted'; error?: ChatError; failedTurn?: FailedTurn; stoppedMessageId?: string; messages?: readonly Message[] }
  /** Waiting on tools, or a continuation post goes out while tools are pending. */
  | { type: 'turn/activity'; activity: Activity }
  /** An error that belongs to the turn but happened before one started (a message too long). */
  | { type: 'turn/rejected'; error: ChatError }
  | { type: 'notice'; notice: ChatError | undefined }
  | { type: 'conversation/set'; conversationId: string | null }
  /** A new (or another) conversation: everything of the old one goes. */
  | { type: 'conversation/reset'; conversationId: string | null }
  | { type: 'history/loading'; loading: boolean }
  /** A page of stored messages: the newest (`replace`), an older one (`prepend`) or new ones (`append`). */
  | { type: 'history/page'; mode: 'replace' | 'prepend' | 'append'; messages: readonly Message[]; cursor?: string | null }
  | { type: 'list/set'; list: ConversationList | undefined }
  | { type: 'tool/update'; toolCallId: string; patch: Partial<ToolCallPart> }
  | { type: 'confirm/add'; confirmation: Confirmation }
  | { type: 'confirm/remove'; toolCallId: string }
  | { type: 'feedback/set'; messageId: string; feedback: Feedback };

export function reduce(state: ChatState, action: Action): ChatState {
  switch (action.type) {
    case 'turn/submitted':
      return {
        ...state,
        activity: 'submitted',
        messages: action.messages ?? state.messages,
        error: undefined,
        // A new turn also retires the last notice: it was about something earlier.
        notice: undefined,
        failedTurn: undefined,
        stoppedMessageId: undefined,
      };
    case 'turn/streaming':
      return state.activity === 'streaming' ? state : { ...state, activity: 'streaming' };
    case 'turn/frame':
      return { ...state, messages: applyToMessage(state.messages, action.messageId, action.frame, action.createdAt) };
    case 'message/renamed': {
      if (action.from === action.to) return state;
      return {
        ...state,
        messages: state.messages.map((m) => (m.id === action.from ? { ...m, id: action.to } : m)),
        shownAs: { ...state.shownAs, [action.to]: state.shownAs[action.from] ?? action.from },
      };
    }
    case 'turn/ended': {
      const messages = action.messages ?? state.messages;
      return {
        ...state,
        messages,
        activity: settledActivity(messages),
        error: action.outcome === 'failed' ? action.error : undefined,
        failedTurn: action.outcome === 'failed' || action.outcome === 'stopped' ? action.failedTurn : undefined,
        stoppedMessageId: action.outcome === 'stopped' ? action.stoppedMessageId : undefined,
      };
    }
    case 'turn/activity':
      return state.activity === action.activity ? state : { ...state, activity: action.activity };
    case 'turn/rejected':
      return { ...state, error: action.error };
    case 'notice':
      return state.notice === action.notice ? state : { ...state, notice: action.notice };
    case 'conversation/set':
      return state.conversationId === action.conversationId ? state : { ...state, conversationId: action.conversationId };
    case 'conversation/reset':
      return { ...initialState(action.conversationId), history: state.history };
    case 'history/loading':
      return state.loadingHistory === action.loading ? state : { ...state, loadingHistory: action.loading };
    case 'history/page': {
      const known = new Set(state.messages.map((m) => m.id));
      const fresh = action.messages.filter((m) => !known.has(m.id));
      const messages =
        action.mode === 'replace' ? action.messages : action.mode === 'prepend' ? [...fresh, ...state.messages] : [...state.messages, ...fresh];
      const next = { ...state, messages, olderCursor: action.cursor === undefined ? state.olderCursor : action.cursor };
      // A restored conversation may wait on tools; a live turn keeps its own activity.
      return state.activity === 'idle' || state.activity === 'awaiting-tool' ? { ...next, activity: settledActivity(messages) } : next;
    }
    case 'list/set':
      return { ...state, history: action.list };
    case 'tool/update': {
      const messages = state.messages.map((m) => updateToolCall(m, action.toolCallId, action.patch));
      const next = { ...state, messages };
      return state.activity === 'awaiting-tool' ? { ...next, activity: settledActivity(messages) } : next;
    }
    case 'confirm/add':
      return { ...state, confirmations: [...state.confirmations, action.confirmation] };
    case 'confirm/remove':
      return { ...state, confirmations: state.confirmations.filter((c) => c.toolCallId !== action.toolCallId) };
    case 'feedback/set':
      return { ...state, messages: state.messages.map((m) => (m.id === action.messageId && m.role === 'assistant' ? { ...m, feedback: action.feedback } : m)) };
  }
}

/** Folds a content frame into message `id`, creating the assistant message at the end if it is new. */
function applyToMessage(messages: readonly Message[], id: string, frame: ChatFrame, createdAt: number): readonly Message[] {
  const index = messages.findIndex((m) => m.id === id);
  if (index < 0) {
    const created: Message = { id, role: 'assistant', parts: [], createdAt, feedback: null };
    return [...messages, applyFrame(created, frame)];
  }
  const next = applyFrame(messages[index], frame);
  if (next === messages[index]) return messages;
  const copy = messages.slice();
  copy[index] = next;
  return copy;
}

/**
 * Folds one reply frame into the assistant message it builds, returning a new message object
 * (so views can tell what changed by identity). Frames without content leave it as it is.
 */
export function applyFrame(message: Message, frame: ChatFrame): Message {
  if (frame.type === 'text-delta') {
    const parts = message.parts.slice();
    const last = parts[parts.length - 1];
    if (last?.type === 'text') parts[parts.length - 1] = { type: 'text', text: (last as { text: string }).text + frame.text };
    else parts.push({ type: 'text', text: frame.text });
    return { ...message, parts };
  }
  if (frame.type === 'tool-call') {
    // The same call can arrive twice (a tool-call frame and a later messages read).
    if (message.parts.some((p) => p.type === 'tool-call' && (p as ToolCallPart).toolCallId === frame.toolCallId)) return message;
    const call: ToolCallPart = { type: 'tool-call', toolCallId: frame.toolCallId, toolName: frame.toolName, input: frame.input, state: 'pending' };
    return { ...message, parts: [...message.parts, call] };
  }
  return message;
}

/** A copy of `message` with one tool call changed (the same object when it has no such call). */
export function updateToolCall(message: Message, toolCallId: string, patch: Partial<ToolCallPart>): Message {
  let changed = false;
  const parts = message.parts.map((p): Part => {
    if (p.type !== 'tool-call' || (p as ToolCallPart).toolCallId !== toolCallId) return p;
    changed = true;
    return { ...(p as ToolCallPart), ...patch };
  });
  return changed ? { ...message, parts } : message;
}
