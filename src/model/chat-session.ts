import { applyFrame, updateToolCall } from './apply-frame.js';
import type { BookbagEventDetails } from '../protocol/events.js';
import { fromServerMessage } from '../protocol/stored-message.js';
import { type ChatFrame, type ChatStatus, type Feedback, type Message, type ToolCallPart, isToolCallPart, messageText } from '../protocol/message.js';
import type { FinishMetadata } from '../protocol/wire.js';
import { MAX_MESSAGE_LENGTH as MAX_MESSAGE, isConversationId } from '../protocol/limits.js';
import type { ApiClient, Reply } from '../transport/api-client.js';
import { type ConversationList, toEntry } from './conversation-list.js';
import { BookbagError, isAbort } from '../protocol/errors.js';
import type { ChatStorage } from '../persistence/chat-storage.js';
import { type ToolEntry, type ToolOutcome, failure, runTool, toolSpec } from '../tools/tool-runner.js';

/** What the session needs from whatever shows it (the element, or a test). */
export interface SessionHost {
  /** Dispatches a `bookbag-*` event; returns false when a listener cancelled it. */
  emit<K extends keyof BookbagEventDetails>(type: K, detail: BookbagEventDetails[K], cancelable?: boolean): boolean;
  /** State changed: show it (the element coalesces this to one render per frame). */
  changed(): void;
  /** Gives text that could not be sent back to the composer. */
  restoreInput(text: string): void;
}

export interface SessionInit {
  client: ApiClient;
  storage: ChatStorage;
  userId: string;
  stream: boolean;
  tools: () => Record<string, ToolEntry> | undefined;
  /** Messages per history page. @defaultValue 30 */
  pageSize?: number;
}

/** The error the transcript shows. */
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

/** The last turn that failed or was interrupted, so retry knows what to repeat. */
interface FailedTurn {
  text: string;
  userMessageId: string;
  assistantMessageId?: string;
}

interface ReplyTarget {
  /** The user message this reply answers (renamed to its server id on `finish`). */
  userMessageId?: string;
  /** Where the new assistant message goes; default: the end. */
  insertAt?: number;
}

interface ReplyResult {
  message?: Message;
  finishReason?: string;
  errorText?: string;
  acked: boolean;
}

let localIds = 0;
const localId = (): string => `local_${Date.now().toString(36)}_${++localIds}`;

/**
 * One chat with one agent: the transcript, the current conversation, and every exchange with
 * the server (send, stream, stop, retry, tools, history, feedback). Framework-free: it talks to
 * the page only through {@link SessionHost}, so it can be driven and tested without a DOM.
 */
export class ChatSession {
  messages: Message[] = [];
  status: ChatStatus = 'idle';
  conversationId: string | undefined;
  error: ChatError | undefined;
  /** Cursor of the next older page of messages, or null when the start is loaded. */
  olderCursor: string | null = null;
  loadingHistory = false;
  /** The history panel's list of this user's conversations, while it is open. */
  history: ConversationList | undefined;
  confirmations: Confirmation[] = [];
  userId: string;

  #init: SessionInit;
  #host: SessionHost;
  #failedTurn: FailedTurn | undefined;
  /** Bumped by reset/load/dispose, so work started for an older conversation cannot leak in. */
  #epoch = 0;
  #aborts = new Set<AbortController>();
  #confirmResolvers = new Map<string, (allowed: boolean) => void>();
  /** Tool results are posted one at a time, so each continuation is read in order. */
  #postQueue: Promise<unknown> = Promise.resolve();
  #restored: Promise<void> | undefined;

  constructor(init: SessionInit, host: SessionHost) {
    this.#init = init;
    this.#host = host;
    this.userId = init.userId;
    this.conversationId = init.storage.load().conversationId;
  }

  /** Whether a request for a reply is in flight. */
  get busy(): boolean {
    return this.status === 'submitted' || this.status === 'streaming';
  }

  /** Whether the last turn failed and can be retried. */
  get canRetryTurn(): boolean {
    return !!this.#failedTurn && !this.busy;
  }

  /** Loads the stored conversation's newest messages, once; then fires `bookbag-ready`. */
  restore(): Promise<void> {
    this.#restored ??= (async () => {
      if (this.conversationId) await this.#loadNewest(this.conversationId, this.#epoch);
      this.#host.emit('bookbag-ready', { conversationId: this.conversationId ?? null });
    })();
    return this.#restored;
  }

  /** Sends a user message and reads the reply. Resolves when the turn (and its tools) ends. */
  async send(raw: string): Promise<void> {
    const text = raw.trim();
    if (!text || this.busy) return;
    if (text.length > MAX_MESSAGE) {
      this.#showError(new BookbagError('VALIDATION_INVALID_BODY', `Messages can be at most ${MAX_MESSAGE} characters.`, { retryable: false }));
      this.#host.restoreInput(raw);
      return;
    }
    if (this.error?.retryAt && this.error.retryAt > Date.now()) {
      this.#host.restoreInput(raw);
      return;
    }
    if (!this.#host.emit('bookbag-send', { text }, true)) {
      this.#host.restoreInput(raw);
      return;
    }
    await this.restore();
    const user: Message = { id: localId(), role: 'user', parts: [{ type: 'text', text }], createdAt: Math.floor(Date.now() / 1000) };
    this.messages = [...this.messages, user];
    this.#failedTurn = undefined;
    const { client, stream } = this.#init;
    await this.#turn(
      (signal) => client.chat({ message: text, userId: this.userId, conversationId: this.conversationId, stream }, signal),
      { userMessageId: user.id },
      text,
      () => {
        // Nothing reached the server: take the message back out and return it to the composer.
        this.messages = this.messages.filter((m) => m !== user && m.id !== user.id);
        this.#host.restoreInput(raw);
      },
    );
  }

  /** Aborts the reply being read and any running tool handler; keeps what arrived. */
  stop(): void {
    this.#abortAll();
    this.#resolveConfirmations(false);
    this.messages = this.messages.map((m) => {
      let next = m;
      for (const p of m.parts) if (isToolCallPart(p) && p.state === 'running') next = updateToolCall(next, p.toolCallId, { state: 'error', output: { error: 'cancelled' } });
      return next;
    });
    if (this.busy || this.status === 'awaiting-tool') this.status = this.#pendingCalls().length ? 'awaiting-tool' : 'idle';
    this.#host.changed();
  }

  /**
   * Regenerates an assistant reply through the retry endpoint (default: the last assistant
   * message). For a failed or interrupted turn without a finished message, retries the
   * message the server kept, or sends the same text again.
   */
  async retry(messageId?: string): Promise<void> {
    if (this.busy) return;
    if (!messageId && this.#failedTurn) return this.#retryFailedTurn(this.#failedTurn);
    const index = messageId
      ? this.messages.findIndex((m) => m.id === messageId || m.id === `msg_${messageId}`)
      : findLastIndex(this.messages, (m) => m.role === 'assistant' && !m.id.startsWith('local_'));
    // An id not in the loaded pages goes to the server as given: it knows the whole conversation
    // (a 404 CHAT_RETRY_MESSAGE_NOT_FOUND restores the transcript and is shown).
    const id = this.messages[index]?.id ?? messageId;
    const conversationId = this.conversationId;
    if (!id || !conversationId || id.startsWith('local_')) return;
    const previous = this.messages;
    // The server truncates right after the user message that produced the reply: so does the transcript.
    const userIndex = findLastIndex(this.messages.slice(0, index < 0 ? 0 : index), (m) => m.role === 'user');
    const user = this.messages[userIndex];
    // (An id that is not loaded is older than every message shown: the server drops them all.)
    this.messages = this.messages.slice(0, userIndex + 1);
    this.#failedTurn = undefined;
    const { client, stream } = this.#init;
    await this.#turn(
      (signal) => client.retry(conversationId, id, stream, signal),
      { userMessageId: user?.id },
      user ? messageText(user) : '',
      () => {
        this.messages = previous;
      },
    );
  }

  /** Starts a new conversation; the old one stays on the server. */
  reset(): void {
    this.#abortAll();
    this.#resolveConfirmations(false);
    this.#epoch++;
    this.messages = [];
    this.olderCursor = null;
    this.error = undefined;
    this.#failedTurn = undefined;
    this.status = 'idle';
    this.loadingHistory = false;
    const changed = this.conversationId !== undefined;
    this.conversationId = undefined;
    this.#init.storage.update({ conversationId: undefined });
    this.#restored = Promise.resolve();
    if (changed) this.#host.emit('bookbag-conversation', { conversationId: null });
    this.#host.changed();
  }

  /** Makes `conversationId` current and loads its newest messages. */
  async loadConversation(conversationId: string): Promise<void> {
    const id = String(conversationId);
    this.reset();
    const epoch = this.#epoch;
    this.#setConversation(id);
    await this.#loadNewest(id, epoch);
  }

  /** Follows a conversation change made in another tab. */
  async followStoredConversation(conversationId: string | undefined): Promise<void> {
    if (conversationId === this.conversationId || this.busy) return;
    if (conversationId) await this.loadConversation(conversationId);
    else this.reset();
  }

  /** Loads the next older page of messages above the ones shown. */
  async loadOlder(): Promise<void> {
    const cursor = this.olderCursor;
    const conversationId = this.conversationId;
    if (cursor && conversationId && !this.loadingHistory) await this.#loadNewest(conversationId, this.#epoch, cursor);
  }

  /**
   * Loads the next page of this user's conversations into `history`; `open` starts a new list.
   * A failure shows the error and leaves the cursor, so calling again retries.
   */
  async loadHistory(open?: boolean): Promise<void> {
    const list = open ? (this.history = { items: [] }) : this.history;
    if (!list || list.loading || list.cursor === null) return;
    list.loading = true;
    this.#host.changed();
    try {
      const page = await this.#init.client.userConversations(this.userId, { cursor: list.cursor });
      list.items = [...list.items, ...(page.data as Parameters<typeof toEntry>[0][]).map(toEntry)];
      list.cursor = page.pagination.hasMore ? page.pagination.cursor : null;
    } catch (error) {
      this.#showError(error);
    }
    list.loading = false;
    this.#host.changed();
  }

  /** Sets thumbs up/down (or clears it) on an assistant message; rolls back on failure. */
  async setFeedback(messageId: string, feedback: Feedback): Promise<void> {
    const message = this.messages.find((m) => m.id === messageId);
    const conversationId = this.conversationId;
    if (!message || message.role !== 'assistant' || !conversationId || messageId.startsWith('local_')) return;
    const before = message.feedback ?? null;
    const epoch = this.#epoch;
    this.#replaceMessage(messageId, { ...message, feedback });
    this.#host.changed();
    try {
      await this.#init.client.feedback(conversationId, messageId, feedback);
      if (epoch === this.#epoch) this.#host.emit('bookbag-feedback', { messageId, feedback });
    } catch (error) {
      if (epoch !== this.#epoch) return;
      const current = this.messages.find((m) => m.id === messageId);
      if (current) this.#replaceMessage(messageId, { ...current, feedback: before });
      this.#showError(error);
    }
  }

  /** Posts a result for a pending tool call (one the host handles itself, or one without a handler). */
  async submitToolResult(toolCallId: string, output: unknown): Promise<void> {
    await this.restore(); // a call pending since the last visit is known once history is read
    const call = this.#findCall(toolCallId);
    if (!call || call.state === 'done' || call.state === 'error') return;
    await this.#deliver(call, { output: output === undefined ? null : output, isError: false }, this.#epoch);
  }

  /** The visitor's answer to an approval card. */
  answerConfirmation(toolCallId: string, allowed: boolean): void {
    const resolve = this.#confirmResolvers.get(toolCallId);
    if (resolve) resolve(allowed);
  }

  /** Stops everything for good (the element left the page). */
  dispose(): void {
    this.#abortAll();
    this.#resolveConfirmations(false);
    this.#epoch++;
  }

  get #pageSize(): number {
    return this.#init.pageSize ?? 30;
  }

  // ---- turns ------------------------------------------------------------------------------

  /**
   * Runs one reply-producing request. `onRejected` undoes the optimistic transcript change when
   * the request failed before any reply arrived (nothing to keep). Then runs the agent's tools.
   */
  async #turn(open: (signal: AbortSignal) => Promise<Reply>, target: ReplyTarget, text: string, onRejected: () => void): Promise<void> {
    const epoch = this.#epoch;
    this.error = undefined;
    this.status = 'submitted';
    this.#host.changed();
    const result = await this.#reply(open, target, epoch, (error) => {
      onRejected();
      this.#showError(error);
    });
    if (!result || epoch !== this.#epoch) return;
    if (result.errorText !== undefined || !result.finishReason) {
      // Failed or interrupted: remember the turn so retry can repeat it.
      if (this.error) {
        this.#failedTurn = { text, userMessageId: target.userMessageId ?? '', assistantMessageId: result.message?.id };
      }
      return;
    }
    await this.#afterFinish(result, epoch);
  }

  /** Tools the finished reply asked for, if any; otherwise the turn is over. */
  async #afterFinish(result: ReplyResult, epoch: number): Promise<void> {
    if (result.finishReason === 'tool-calls' && result.message) {
      await this.#runTools(result.message, epoch);
    } else if (epoch === this.#epoch) {
      this.#settleStatus();
    }
  }

  /**
   * Reads one reply into a new assistant message. Resolves undefined when the request itself
   * failed (after calling `onRequestError`) or was aborted before anything arrived.
   */
  async #reply(open: (signal: AbortSignal) => Promise<Reply>, target: ReplyTarget, epoch: number, onRequestError: (error: unknown) => void): Promise<ReplyResult | undefined> {
    const controller = new AbortController();
    this.#aborts.add(controller);
    const result: ReplyResult = { acked: false };
    let assistantId: string | undefined;
    const ensureMessage = (): Message => {
      const existing = assistantId ? this.messages.find((m) => m.id === assistantId) : undefined;
      if (existing) return existing;
      const message: Message = { id: localId(), role: 'assistant', parts: [], createdAt: Math.floor(Date.now() / 1000), feedback: null };
      assistantId = message.id;
      const at = target.insertAt ?? this.messages.length;
      this.messages = [...this.messages.slice(0, at), message, ...this.messages.slice(at)];
      return message;
    };
    let reply: Reply;
    try {
      reply = await open(controller.signal);
    } catch (error) {
      this.#aborts.delete(controller);
      if (epoch !== this.#epoch) return undefined;
      if (isAbort(error, controller.signal)) {
        onRequestError(undefined);
        this.error = undefined;
        this.#settleStatus();
        return undefined;
      }
      onRequestError(error);
      return undefined;
    }
    if (epoch !== this.#epoch) return undefined;
    this.status = 'streaming';
    this.#host.emit('bookbag-stream-start', { conversationId: this.conversationId ?? null });
    this.#host.changed();
    try {
      for await (const frame of reply) {
        if (epoch !== this.#epoch) return undefined;
        if (frame.type === 'done') break;
        if (frame.type === 'ack') {
          result.acked = true;
          continue;
        }
        if (frame.type === 'error') {
          result.errorText = frame.errorText;
          ensureMessage();
          continue;
        }
        const message = ensureMessage();
        if (frame.type === 'finish') {
          result.finishReason = frame.finishReason;
          assistantId = this.#applyFinish(message, frame.metadata, target);
        } else {
          this.#replaceMessage(message.id, applyFrame(message, frame as ChatFrame));
        }
        this.#host.changed();
      }
    } catch (error) {
      if (epoch !== this.#epoch) return undefined;
      if (isAbort(error, controller.signal)) {
        // stop(): keep the partial reply; the turn simply ends.
        result.message = assistantId ? this.messages.find((m) => m.id === assistantId) : undefined;
        return { ...result, finishReason: undefined };
      }
      result.message = assistantId ? this.messages.find((m) => m.id === assistantId) : undefined;
      this.#showError(error);
      return { ...result, finishReason: undefined };
    } finally {
      this.#aborts.delete(controller);
    }
    if (epoch !== this.#epoch) return undefined;
    result.message = assistantId ? this.messages.find((m) => m.id === assistantId) : undefined;
    if (result.errorText !== undefined) {
      this.#showError(new BookbagError('STREAM_ERROR', result.errorText, { retryable: true }));
      return result;
    }
    if (result.finishReason && result.message) this.#host.emit('bookbag-message', { message: result.message });
    if (!result.finishReason && !result.acked) this.#settleStatus();
    return result;
  }

  /** Applies `finish` metadata: ids for both messages and the conversation. Returns the assistant id. */
  #applyFinish(message: Message, meta: FinishMetadata, target: ReplyTarget): string {
    // A conversation id becomes a URL path segment: adopt only a safe one.
    if (meta.conversationId !== undefined && meta.conversationId !== null && isConversationId(String(meta.conversationId))) {
      this.#setConversation(String(meta.conversationId));
    }
    if (typeof meta.userMessageId === 'string' && target.userMessageId && target.userMessageId !== meta.userMessageId) {
      const user = this.messages.find((m) => m.id === target.userMessageId);
      if (user) this.#replaceMessage(user.id, { ...user, id: meta.userMessageId });
      target.userMessageId = meta.userMessageId;
    }
    if (typeof meta.messageId === 'string' && meta.messageId !== message.id) {
      this.#replaceMessage(message.id, { ...message, id: meta.messageId });
      return meta.messageId;
    }
    return message.id;
  }

  async #retryFailedTurn(turn: FailedTurn): Promise<void> {
    const conversationId = this.conversationId;
    const epoch = this.#epoch;
    const { client, stream } = this.#init;
    // The server may have kept an assistant message for the failed turn: regenerate that one.
    let stored: Message[] = [];
    if (conversationId) {
      try {
        stored = (await client.messages(conversationId, { limit: 10 })).data.map(fromServerMessage).filter((m): m is Message => !!m);
      } catch {
        // Could not look: fall back to sending the text again.
      }
      if (epoch !== this.#epoch) return;
    }
    const userIndex = findLastIndex(stored, (m) => m.role === 'user' && (m.id === turn.userMessageId || messageText(m) === turn.text));
    const user = stored[userIndex];
    const kept = user && stored.slice(userIndex + 1).find((m) => m.role === 'assistant');
    this.#failedTurn = this.error = undefined;
    this.messages = this.messages.filter((m) => m.id !== turn.userMessageId && m.id !== turn.assistantMessageId);
    if (!kept) {
      this.status = 'idle';
      return this.send(turn.text);
    }
    this.messages = [...this.messages, user];
    await this.#turn((signal) => client.retry(conversationId!, kept.id, stream, signal), { userMessageId: user.id }, turn.text, () => {});
  }

  // ---- tools ------------------------------------------------------------------------------

  async #runTools(message: Message, epoch: number): Promise<void> {
    let calls = message.parts.filter(isToolCallPart).filter((p) => p.state === 'pending');
    if (calls.length === 0 && this.conversationId) {
      // Only `finishReason: "tool-calls"` arrived: the stored message names the calls.
      try {
        const page = await this.#init.client.messages(this.conversationId, { limit: 10 });
        const stored = page.data.map(fromServerMessage).filter((m): m is Message => !!m);
        const source = stored.find((m) => m.id === message.id) ?? findLast(stored, (m) => m.role === 'assistant');
        if (epoch !== this.#epoch) return;
        let next = this.messages.find((m) => m.id === message.id) ?? message;
        for (const part of source?.parts ?? []) {
          if (isToolCallPart(part) && part.state === 'pending') {
            next = applyFrame(next, { type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
          }
        }
        this.#replaceMessage(message.id, next);
        calls = next.parts.filter(isToolCallPart).filter((p) => p.state === 'pending');
      } catch (error) {
        if (epoch === this.#epoch) this.#showError(error);
        return;
      }
    }
    if (epoch !== this.#epoch) return;
    this.status = calls.length ? 'awaiting-tool' : 'idle';
    this.#host.changed();
    await Promise.all(calls.map((call) => this.#handleCall(call, epoch)));
  }

  async #handleCall(call: ToolCallPart, epoch: number): Promise<void> {
    const { toolCallId, toolName, input } = call;
    if (!this.#host.emit('bookbag-tool-call', { toolCallId, toolName, input }, true)) return; // the host answers via submitToolResult
    const spec = toolSpec(this.#init.tools(), toolName);
    if (!spec) return; // no handler: waits for submitToolResult
    if (spec.confirm !== false) {
      const allowed = await this.#confirm(call, spec.confirm || `Allow “${toolName}”?`);
      if (epoch !== this.#epoch) return;
      if (!allowed) {
        if (this.#findCall(toolCallId)?.state === 'pending') await this.#deliver(call, failure('denied by the user'), epoch);
        return;
      }
    }
    this.#updateCall(toolCallId, { state: 'running' });
    const controller = new AbortController();
    this.#aborts.add(controller);
    const outcome = await runTool(spec, input, { toolCallId, toolName, conversationId: this.conversationId ?? '' }, controller.signal);
    this.#aborts.delete(controller);
    if (epoch !== this.#epoch || controller.signal.aborted) return;
    await this.#deliver(call, outcome, epoch);
  }

  #confirm(call: ToolCallPart, question: string): Promise<boolean> {
    return new Promise((resolve) => {
      this.confirmations = [...this.confirmations, { toolCallId: call.toolCallId, toolName: call.toolName, question, input: call.input }];
      this.#confirmResolvers.set(call.toolCallId, (allowed) => {
        this.#confirmResolvers.delete(call.toolCallId);
        this.confirmations = this.confirmations.filter((c) => c.toolCallId !== call.toolCallId);
        this.#host.changed();
        resolve(allowed);
      });
      this.#host.changed();
    });
  }

  /** Records a tool's outcome, tells the host, posts it, and reads the agent's continuation. */
  async #deliver(call: ToolCallPart, outcome: ToolOutcome, epoch: number): Promise<void> {
    const conversationId = this.conversationId;
    this.#updateCall(call.toolCallId, { state: outcome.isError ? 'error' : 'done', output: outcome.output });
    this.#host.emit('bookbag-tool-result', { toolCallId: call.toolCallId, toolName: call.toolName, output: outcome.output, isError: outcome.isError });
    if (outcome.isError) {
      const reason = (outcome.output as { error?: string }).error ?? 'failed';
      this.#host.emit('bookbag-error', { code: 'TOOL_FAILED', message: `Tool “${call.toolName}” ${reason === 'denied by the user' ? 'was denied' : `failed: ${reason}`}.`, retryable: false });
    }
    if (!conversationId) return;
    // Posted one at a time so continuations are read in order. What a continuation asks for
    // next runs after this post leaves the queue: its own posts would otherwise wait on this one.
    const post = this.#postQueue.then(async () => {
      if (epoch !== this.#epoch) return;
      this.status = 'submitted';
      this.#host.changed();
      return this.#reply(
        (signal) => this.#init.client.toolResult(conversationId, call.toolCallId, outcome.output, signal),
        {},
        epoch,
        (error) => {
          if (error instanceof BookbagError && error.code === 'RESOURCE_TOOL_CALL_NOT_FOUND') {
            // Expired or already answered: show it, and do not try again.
            this.#updateCall(call.toolCallId, { state: 'error', output: { error: 'expired' } });
            this.#settleStatus();
          } else if (error) {
            this.#showError(error);
          }
        },
      );
    });
    const queued = (this.#postQueue = post.catch(() => {}));
    const result = await post;
    if (!result || epoch !== this.#epoch) return;
    if (result.finishReason) return this.#afterFinish(result, epoch);
    if (!result.acked) return;
    // Only acknowledged: when it was the last result, the server may have stored the continuation.
    if (queued === this.#postQueue && !this.#pendingCalls().length) {
      try {
        const page = await this.#init.client.messages(conversationId, { limit: 10 });
        if (epoch !== this.#epoch) return;
        const known = new Set(this.messages.map((m) => m.id));
        this.messages = [...this.messages, ...page.data.map(fromServerMessage).filter((m): m is Message => !!m && !known.has(m.id))];
      } catch {
        // Not shown now; the next history read has it.
      }
    }
    this.#settleStatus();
  }

  #pendingCalls(): ToolCallPart[] {
    const last = findLast(this.messages, (m) => m.role === 'assistant');
    return (last?.parts ?? []).filter(isToolCallPart).filter((p) => p.state === 'pending' || p.state === 'running');
  }

  #findCall(toolCallId: string): ToolCallPart | undefined {
    for (const m of this.messages) for (const p of m.parts) if (isToolCallPart(p) && p.toolCallId === toolCallId) return p;
    return undefined;
  }

  #updateCall(toolCallId: string, patch: Partial<ToolCallPart>): void {
    this.messages = this.messages.map((m) => updateToolCall(m, toolCallId, patch));
    this.#host.changed();
  }

  #resolveConfirmations(allowed: boolean): void {
    for (const resolve of [...this.#confirmResolvers.values()]) resolve(allowed);
  }

  // ---- state helpers ----------------------------------------------------------------------

  /** Loads the newest page of messages, or with `cursor` the next older page above the ones shown. */
  async #loadNewest(conversationId: string, epoch: number, cursor?: string): Promise<void> {
    this.loadingHistory = true;
    this.#host.changed();
    try {
      const page = await this.#init.client.messages(conversationId, { cursor, limit: this.#pageSize });
      if (epoch !== this.#epoch) return;
      const loaded = page.data.map(fromServerMessage).filter((m): m is Message => !!m);
      const known = new Set(this.messages.map((m) => m.id));
      this.messages = cursor ? [...loaded.filter((m) => !known.has(m.id)), ...this.messages] : loaded;
      this.olderCursor = page.pagination.hasMore ? page.pagination.cursor : null;
      if (this.#pendingCalls().length) this.status = 'awaiting-tool';
    } catch (error) {
      if (epoch !== this.#epoch) return;
      if (!cursor && error instanceof BookbagError && error.status === 404) {
        // The server no longer has it: start fresh instead of failing on every load.
        this.conversationId = undefined;
        this.#init.storage.update({ conversationId: undefined });
        this.#host.emit('bookbag-conversation', { conversationId: null });
      } else {
        this.#showError(error);
      }
    } finally {
      if (epoch === this.#epoch) {
        this.loadingHistory = false;
        this.#host.changed();
      }
    }
  }

  #setConversation(id: string): void {
    if (this.conversationId === id) return;
    this.conversationId = id;
    this.#init.storage.update({ conversationId: id, userId: this.userId });
    this.#host.emit('bookbag-conversation', { conversationId: id });
  }

  #replaceMessage(id: string, next: Message): void {
    const index = this.messages.findIndex((m) => m.id === id);
    if (index < 0) return;
    const copy = this.messages.slice();
    copy[index] = next;
    this.messages = copy;
  }

  /** Idle, or still waiting on tools of the last reply. */
  #settleStatus(): void {
    this.status = this.#pendingCalls().length ? 'awaiting-tool' : 'idle';
    this.#host.changed();
  }

  #showError(error: unknown): void {
    const e = error instanceof BookbagError ? error : new BookbagError('NETWORK_ERROR', error instanceof Error ? error.message : String(error));
    this.error = {
      code: e.code,
      message: e.message,
      status: e.status,
      retryable: e.retryable,
      retryAt: e.retryAfter !== undefined ? Date.now() + e.retryAfter * 1000 : undefined,
    };
    this.status = 'error';
    this.#host.emit('bookbag-error', { code: e.code, message: e.message, status: e.status, retryable: e.retryable });
    this.#host.changed();
  }

  #abortAll(): void {
    for (const c of this.#aborts) c.abort();
    this.#aborts.clear();
  }
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

function findLast<T>(items: T[], test: (item: T) => boolean): T | undefined {
  const i = findLastIndex(items, test);
  return i < 0 ? undefined : items[i];
}
