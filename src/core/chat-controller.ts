/**
 * The framework-free chat controller: the headless API of `<bookbag-chat>`.
 */
import { BookbagError } from '../protocol/errors.js';
import type { BookbagEventDetails } from '../protocol/events.js';
import { MAX_MESSAGE_LENGTH } from '../protocol/limits.js';
import { type ChatStatus, type Feedback, type Message, messageText } from '../protocol/message.js';
import type { ToolEntry } from './tool-runner.js';
import { CancelScope } from './cancel-scope.js';
import { type CoreContext, localId, nowSeconds } from './context.js';
import { loadConversationList, loadPage, sendFeedback } from './history.js';
import { type Action, reduce } from './reducer.js';
import { SerialJobExecutor } from './serial-jobs.js';
import { type ChatError, type ChatState, findCall, initialState, isBusy, settledActivity, statusOf, viewKey } from './state.js';
import { answerConfirmation, deliver } from './tools.js';
import type { ChatTransport } from './transport.js';
import { retryFailedTurn, runTurn } from './turn.js';

/** Where the controller keeps the current conversation id (the element passes its ChatStorage). */
export interface ConversationStore {
  load(): { conversationId?: string };
  update(patch: { conversationId?: string; userId?: string }): void;
}

export interface ChatControllerInit {
  /** The network: `new ApiClient({...})`, or any {@link ChatTransport}. */
  transport: ChatTransport;
  /** The end-user id sent with every chat request. */
  userId: string;
  /** Stream replies (default) or ask for JSON (`stream: false`). Read at each request. */
  stream?: boolean | (() => boolean);
  /** Client-side tool handlers by name. Read at each call. */
  tools?: () => Record<string, ToolEntry> | undefined;
  /** Keeps the current conversation across reloads; none: the controller starts empty. */
  store?: ConversationStore;
  /** Messages per history page. @defaultValue 30 */
  pageSize?: number;
}

/** `return-text`: text the visitor typed that could not be sent goes back to the composer. */
export interface ChatControllerEventMap {
  'return-text': CustomEvent<{ text: string }>;
}

/**
 * The headless chat: state, turns, tools and history for one agent, with no DOM and no
 * framework. `<bookbag-chat>` is one UI on top of it; a host can build its own.
 *
 * State is one immutable snapshot ({@link ChatController.getState}); {@link ChatController.subscribe}
 * hears every change. Notifications are `bookbag-*` `CustomEvent`s dispatched on the controller
 * itself (it is an `EventTarget`); `bookbag-send` and `bookbag-tool-call` are cancelable.
 *
 * ```js
 * const chat = new ChatController({ transport: new ApiClient({ apiBase, agentId }), userId: 'user_1' });
 * chat.subscribe((state) => render(state.messages, ChatController.statusOf(state)));
 * chat.addEventListener('bookbag-message', (e) => console.log(e.detail.message));
 * await chat.send('Where is my order?');
 * ```
 */
export class ChatController extends EventTarget {
  /** The public status of a state: the activity, or `error` after a failed turn. */
  static statusOf = statusOf;
  /** A message's key for a keyed view: unchanged when the server renames the message. */
  static viewKey = viewKey;

  #state: ChatState;
  #listeners = new Set<(state: ChatState) => void>();
  #scope = new CancelScope();
  #posts = new SerialJobExecutor();
  #init: ChatControllerInit;
  #restored: Promise<void> | undefined;
  #ctx: CoreContext;

  constructor(init: ChatControllerInit) {
    super();
    this.#init = init;
    this.#state = initialState(init.store?.load().conversationId ?? null);
    const self = this;
    const stream = init.stream;
    this.#ctx = {
      get state() {
        return self.#state;
      },
      dispatch: (action) => this.#dispatch(action),
      transport: init.transport,
      get scope() {
        return self.#scope;
      },
      get posts() {
        return self.#posts;
      },
      userId: init.userId,
      get stream() {
        return typeof stream === 'function' ? stream() : stream !== false;
      },
      get tools() {
        return init.tools?.();
      },
      pageSize: init.pageSize ?? 30,
      emit: (type, detail, cancelable) => this.#emit(type, detail, cancelable),
      adoptConversation: (id) => this.#adopt(id),
      report: (error, kind) => this.#report(error, kind),
      conversationLost: (text) => this.#lose(text),
      returnText: (text) => this.dispatchEvent(new CustomEvent('return-text', { detail: { text } })),
    };
  }

  /** The current state snapshot (never mutated; a change replaces it). */
  getState(): ChatState {
    return this.#state;
  }

  /** Calls `listener` with the new state after every change. Returns the unsubscribe function. */
  subscribe(listener: (state: ChatState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `idle`, `submitted`, `streaming`, `awaiting-tool` or `error`. */
  get status(): ChatStatus {
    return statusOf(this.#state);
  }

  /** Whether a request for a reply is in flight (a second send waits for it to end). */
  get busy(): boolean {
    return isBusy(this.#state);
  }

  /** Whether the last turn failed, was interrupted or was stopped, and can be repeated. */
  get canRetryTurn(): boolean {
    return !!this.#state.failedTurn && !this.busy;
  }

  /** Loads the stored conversation's newest messages, once; then fires `bookbag-ready`. */
  restore(): Promise<void> {
    this.#restored ??= (async () => {
      const id = this.#state.conversationId;
      if (id) await loadPage(this.#ctx, id);
      this.#emit('bookbag-ready', { conversationId: this.#state.conversationId });
    })();
    return this.#restored;
  }

  /**
   * Sends a user message and reads the reply. Resolves when the turn (and its tools) ends.
   * Text that cannot be sent comes back through `return-text`. At most one turn runs.
   */
  async send(raw: string): Promise<void> {
    const text = raw.trim();
    if (!text || this.busy) return;
    if (text.length > MAX_MESSAGE_LENGTH) {
      const error = this.#report(new BookbagError('VALIDATION_INVALID_BODY', `Messages can be at most ${MAX_MESSAGE_LENGTH} characters.`, { retryable: false }), 'turn');
      this.#dispatch({ type: 'turn/rejected', error });
      this.#ctx.returnText(raw);
      return;
    }
    const wait = this.#state.error?.retryAt;
    if ((wait && wait > Date.now()) || !this.#emit('bookbag-send', { text }, true)) {
      this.#ctx.returnText(raw);
      return;
    }
    await this.restore();
    if (this.busy) return this.#ctx.returnText(raw);
    const user: Message = { id: localId(), role: 'user', parts: [{ type: 'text', text }], createdAt: nowSeconds() };
    const before = this.#state.messages;
    const conversationId = this.#state.conversationId ?? undefined;
    const { transport, userId } = this.#init;
    await runTurn(this.#ctx, {
      open: (signal) => transport.chat({ message: text, userId, conversationId, stream: this.#ctx.stream }, signal),
      messages: [...before, user],
      userMessageId: user.id,
      text,
      // Nothing reached the server: the message leaves the transcript and goes back to the composer.
      onReject: { messages: before, returnText: true },
    });
  }

  /** Stops the reply being read and any running tool; keeps what arrived. Never an error. */
  stop(): void {
    const wasBusy = this.busy;
    this.#scope.abortTurn();
    for (const m of this.#state.messages) {
      for (const p of m.parts) {
        if (p.type === 'tool-call' && (p as { state?: string }).state === 'running') {
          this.#dispatch({ type: 'tool/update', toolCallId: (p as { toolCallId: string }).toolCallId, patch: { state: 'error', output: { error: 'cancelled' } } });
        }
      }
    }
    if (!wasBusy) this.#dispatch({ type: 'turn/activity', activity: settledActivity(this.#state.messages) });
  }

  /**
   * Regenerates an assistant reply through the retry endpoint (default: the last assistant
   * message), or repeats the last failed, interrupted or stopped turn. A retry that fails keeps
   * everything that was shown and offers retry again.
   */
  async retry(messageId?: string): Promise<void> {
    if (this.busy) return;
    const state = this.#state;
    const failed = state.failedTurn;
    if (failed && (!messageId || messageId === failed.assistantMessageId || messageId === state.stoppedMessageId)) {
      return retryFailedTurn(this.#ctx, failed);
    }
    const messages = state.messages;
    const index = messageId
      ? messages.findIndex((m) => m.id === messageId || m.id === `msg_${messageId}`)
      : messages.findLastIndex((m) => m.role === 'assistant' && !m.id.startsWith('local_'));
    // An id not in the loaded pages goes to the server as given: it knows the whole conversation.
    const id = messages[index]?.id ?? messageId;
    const conversationId = state.conversationId;
    if (!id || !conversationId || id.startsWith('local_')) return;
    // The server truncates right after the user message that produced the reply: so does the transcript.
    const userIndex = messages.slice(0, index < 0 ? 0 : index).findLastIndex((m) => m.role === 'user');
    const user = messages[userIndex];
    const text = user ? messageText(user) : '';
    await runTurn(this.#ctx, {
      open: (signal) => this.#init.transport.retry(conversationId, id, this.#ctx.stream, signal),
      messages: messages.slice(0, userIndex + 1),
      userMessageId: user?.id,
      text,
      onReject: { messages, returnText: false, failedTurn: user ? { text, userMessageId: user.id, assistantMessageId: messages[index]?.id } : undefined },
    });
  }

  /** Starts a new conversation; the old one stays on the server. */
  reset(): void {
    const changed = this.#state.conversationId !== null;
    this.#leave(null);
    this.#init.store?.update({ conversationId: undefined });
    if (changed) this.#emit('bookbag-conversation', { conversationId: null });
  }

  /** Makes `conversationId` current and loads its newest messages. */
  async loadConversation(conversationId: string): Promise<void> {
    const id = String(conversationId);
    this.reset();
    this.#adopt(id);
    await loadPage(this.#ctx, id);
  }

  /**
   * Follows a change another tab made (a new or different conversation): shows it without
   * writing storage or telling other tabs, so two tabs can never answer each other in a loop.
   */
  async followConversation(conversationId: string | null): Promise<void> {
    if (conversationId === this.#state.conversationId || this.busy) return;
    this.#leave(conversationId);
    this.#emit('bookbag-conversation', { conversationId });
    if (conversationId) await loadPage(this.#ctx, conversationId);
  }

  /** Another tab added messages to this conversation: reads the newest page once (when idle). */
  async refresh(): Promise<void> {
    const { conversationId, activity, loadingHistory } = this.#state;
    if (conversationId && activity === 'idle' && !loadingHistory) await loadPage(this.#ctx, conversationId, undefined, true);
  }

  /** Loads the next older page of messages above the ones shown. */
  async loadOlder(): Promise<void> {
    const { olderCursor, conversationId, loadingHistory } = this.#state;
    if (olderCursor && conversationId && !loadingHistory) await loadPage(this.#ctx, conversationId, olderCursor);
  }

  /** Loads the next page of this user's conversations into `state.history`; `open` starts a new list. */
  loadHistory(open?: boolean): Promise<void> {
    return loadConversationList(this.#ctx, open);
  }

  /** Closes the conversation list. */
  closeHistory(): void {
    if (this.#state.history) this.#dispatch({ type: 'list/set', list: undefined });
  }

  /** Sets thumbs up/down on an assistant message, or clears it with `null`; rolls back on failure. */
  setFeedback(messageId: string, feedback: Feedback): Promise<void> {
    return sendFeedback(this.#ctx, messageId, feedback);
  }

  /** Posts the result of a pending tool call (one the host handles itself, or one without a handler). */
  async submitToolResult(toolCallId: string, output: unknown): Promise<void> {
    await this.restore(); // a call pending since the last visit is known once history is read
    const call = findCall(this.#state.messages, toolCallId);
    if (!call || call.state === 'done' || call.state === 'error') return;
    await deliver(this.#ctx, call, { output: output === undefined ? null : output, isError: false });
  }

  /** The visitor's answer to a tool that asks first. */
  answerConfirmation(toolCallId: string, allowed: boolean): void {
    answerConfirmation(this.#ctx, toolCallId, allowed);
  }

  /** Clears the notice (a side request's failure) once it was seen. */
  dismissNotice(): void {
    this.#dispatch({ type: 'notice', notice: undefined });
  }

  /** Stops everything for good: every request, tool and wait of this controller is aborted. */
  dispose(): void {
    this.#scope.renew();
    this.#listeners.clear();
  }

  // ---- internals ---------------------------------------------------------------------------

  #dispatch(action: Action): void {
    const next = reduce(this.#state, action);
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of [...this.#listeners]) listener(next);
  }

  #emit<K extends keyof BookbagEventDetails>(type: K, detail: BookbagEventDetails[K], cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, cancelable }));
  }

  /** Aborts everything of the current conversation and shows `conversationId` (empty). */
  #leave(conversationId: string | null): void {
    this.#scope.renew();
    this.#posts = new SerialJobExecutor();
    this.#restored = Promise.resolve();
    this.#dispatch({ type: 'conversation/reset', conversationId });
  }

  #adopt(id: string): void {
    if (this.#state.conversationId === id) return;
    this.#dispatch({ type: 'conversation/set', conversationId: id });
    this.#init.store?.update({ conversationId: id, userId: this.#init.userId });
    this.#emit('bookbag-conversation', { conversationId: id });
  }

  /** The server no longer has the conversation: a new one starts; `text` is what the visitor was sending. */
  #lose(text: string | undefined): void {
    this.reset();
    if (text === undefined) return; // restoring: nothing of the visitor's was lost
    this.#report(new BookbagError('RESOURCE_NOT_FOUND', 'That conversation is gone; a new one has started.', { status: 404, retryable: false }), 'notice');
    this.#ctx.returnText(text);
  }

  #report(error: unknown, kind: 'turn' | 'notice'): ChatError {
    const e = error instanceof BookbagError ? error : new BookbagError('NETWORK_ERROR', error instanceof Error ? error.message : String(error));
    const detail = { code: e.code, message: e.message, status: e.status, retryable: e.retryable };
    const shown: ChatError = { ...detail, retryAt: e.retryAfter !== undefined ? Date.now() + e.retryAfter * 1000 : undefined };
    if (kind === 'notice') this.#dispatch({ type: 'notice', notice: shown });
    this.#emit('bookbag-error', detail);
    return shown;
  }
}
