import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { styles } from './bookbag-chat.styles.js';
import { markdown, type Highlighter } from './markdown/markdown-directive.js';
import { markdownStyles } from './markdown/markdown.styles.js';
import { ChatSession, type SessionHost } from './model/chat-session.js';
import type { BookbagEventDetails } from './protocol/events.js';
import { type ChatStatus, type Feedback, type Message, messageText } from './protocol/message.js';
import { MAX_MESSAGE_LENGTH as MAX_INPUT } from './protocol/limits.js';
import { ApiClient, type HeadersInit } from './transport/api-client.js';
import { ChatStorage, type StorageKind, anonymousUserId, isValidUserId } from './persistence/chat-storage.js';
import type { ToolEntry } from './tools/tool-runner.js';
import { type BookbagStrings, resolveStrings } from './internal/strings.js';
import { renderMessage } from './view/message.js';
import { chatIcon, closeIcon, historyIcon, newIcon, sendIcon, stopIcon } from './view/icons.js';
import { renderHistory } from './view/history-panel.js';


/** Module-level, created lazily-safe: `CSSStyleSheet` does not exist during server-side import. */
const sheetHeight = typeof CSSStyleSheet === 'undefined' ? (undefined as unknown as CSSStyleSheet) : new CSSStyleSheet();
const scrollLock = typeof CSSStyleSheet === 'undefined' ? (undefined as unknown as CSSStyleSheet) : new CSSStyleSheet();
scrollLock?.replaceSync?.('html,body{overflow:hidden!important}');
const RTL_LANGS = new Set(['ar', 'fa', 'he', 'iw', 'ps', 'ur', 'yi', 'dv', 'ku', 'sd', 'ug']);

/** Settings that identify a chat (and its storage); changing one starts a new session. */
const SESSION_KEYS = ['agentId', 'apiBase', 'apiKey', 'userId', 'storage', 'withCredentials'] as const;

/**
 * An embeddable chat window for a Bookbag agent, with an optional floating launcher.
 *
 * Design tokens (`--bookbag-*`) list their light defaults; under `prefers-color-scheme: dark`
 * the colors have dark defaults (given in each description), unless the token is set.
 *
 * @summary Chat with a Bookbag agent: streamed replies, client-side tools, persistence.
 * @tag bookbag-chat
 *
 * @slot header - Replaces the heading text in the header.
 * @slot empty - Shown in an empty conversation (replaces the `welcome` text).
 * @slot launcher-icon - The launcher button's icon.
 * @slot footer - Below the composer (for a disclaimer or links).
 *
 * @fires {CustomEvent<{conversationId: string | null}>} bookbag-ready - History restored (or there was none).
 * @fires {CustomEvent<{}>} bookbag-open - The launcher panel opened (user action or `show()`).
 * @fires {CustomEvent<{}>} bookbag-close - The launcher panel closed.
 * @fires {CustomEvent<{text: string}>} bookbag-send - Before a message is sent. Cancelable: cancel to stop the send.
 * @fires {CustomEvent<{conversationId: string | null}>} bookbag-stream-start - A reply started arriving.
 * @fires {CustomEvent<{message: Message}>} bookbag-message - Once for each assistant message the server finished (a `finish` frame or a JSON reply), including one that ends in a tool call; not for restored history, nor for a turn that was stopped, interrupted or failed.
 * @fires {CustomEvent<{toolCallId: string, toolName: string, input: unknown}>} bookbag-tool-call - The agent called a client tool. Cancelable: cancel to handle it yourself.
 * @fires {CustomEvent<{toolCallId: string, toolName: string, output: unknown, isError: boolean}>} bookbag-tool-result - A tool result was posted (`isError` for a throw, a timeout or a denial).
 * @fires {CustomEvent<{messageId: string, feedback: 'positive' | 'negative' | null}>} bookbag-feedback - Feedback was saved.
 * @fires {CustomEvent<{conversationId: string | null}>} bookbag-conversation - The current conversation changed (new, restored, reset).
 * @fires {CustomEvent<{code: string, message: string, status?: number, retryable: boolean}>} bookbag-error - Something failed. `code` is the API's error code, or `NETWORK_ERROR`, `STREAM_INTERRUPTED`, `STREAM_ERROR`, `TOOL_FAILED`, `STORAGE_UNAVAILABLE`, `INVALID_RESPONSE`.
 *
 * @csspart launcher - The floating button (launcher mode).
 * @csspart panel - The chat window.
 * @csspart header - The header bar.
 * @csspart heading - The heading text.
 * @csspart close-button - Closes the panel (launcher mode).
 * @csspart new-button - Starts a new conversation.
 * @csspart history-button - Opens (or closes) the list of this user's conversations.
 * @csspart history - The conversation list that replaces the transcript while open.
 * @csspart history-item - One conversation in the list (`aria-current` on the current one).
 * @csspart back-button - Leaves the conversation list.
 * @csspart forget-button - In the conversation list: forgets this browser's id, drafts and conversation.
 * @csspart messages - The scrolling transcript (`role="log"`).
 * @csspart message - Every message row; also `message-user` / `message-assistant`.
 * @csspart message-user - A user message row.
 * @csspart message-assistant - An assistant message row.
 * @csspart bubble - A message's text bubble.
 * @csspart tool-call - A tool call card.
 * @csspart tool-confirm - The question on a tool call card whose tool asks the visitor first.
 * @csspart tool-allow-button - Allows a tool call that asks first.
 * @csspart tool-deny-button - Denies a tool call that asks first.
 * @csspart actions - The buttons under an assistant message.
 * @csspart retry-button - Regenerates a reply, or repeats a failed turn.
 * @csspart feedback-button - Thumbs up / down (also `feedback-positive`, `feedback-negative`).
 * @csspart feedback-positive - The thumbs-up button.
 * @csspart feedback-negative - The thumbs-down button.
 * @csspart error - The error notice.
 * @csspart composer - The form at the bottom.
 * @csspart input - The message text area.
 * @csspart send-button - Sends the message.
 * @csspart stop-button - Stops the reply being streamed.
 * @csspart jump-button - Scrolls back to the newest message (shown while scrolled up).
 * @csspart empty - Shown while the conversation has no messages.
 * @csspart suggestion - A starter prompt button (see `suggestions`).
 * @csspart code-block - In replies: a fenced code block (header and `<pre>`).
 * @csspart code-header - In replies: a code block's header (language and copy button).
 * @csspart code-language - In replies: a code block's language label.
 * @csspart copy-button - In replies: copies a code block.
 * @csspart code-pre - In replies: a code block's `<pre>`.
 * @csspart inline-code - In replies: inline `code`.
 * @csspart blockquote - In replies: a block quote.
 * @csspart table - In replies: a table.
 * @csspart table-wrapper - In replies: the scrolling box around a table.
 * @csspart link - In replies: a link (opens in a new tab).
 * @csspart image - In replies: an image from an allowed origin (see `image-origins`).
 *
 * @cssprop [--bookbag-accent-color=#2557d6] - Buttons, links, launcher (dark: #8fb0ff).
 * @cssprop [--bookbag-on-accent-color=#fff] - Text on the accent color (dark: #0d1b3d).
 * @cssprop [--bookbag-surface-color=#fff] - Panel background (dark: #1b1d22).
 * @cssprop [--bookbag-text-color=#1d1f24] - Main text (dark: #e8eaef).
 * @cssprop [--bookbag-muted-color=#5b6170] - Secondary text and icons (dark: #a9afbc).
 * @cssprop [--bookbag-border-color=#d5d8df] - Borders (dark: #3a3e48).
 * @cssprop [--bookbag-user-bubble-color=#2557d6] - User bubble background (dark: #3b63c4).
 * @cssprop [--bookbag-user-text-color=#fff] - User bubble text.
 * @cssprop [--bookbag-assistant-bubble-color=#f0f2f6] - Assistant bubble background (dark: #2a2d35).
 * @cssprop [--bookbag-assistant-text-color=#1d1f24] - Assistant bubble text (dark: #e8eaef).
 * @cssprop [--bookbag-danger-color=#b3261e] - Errors and the unread badge (dark: #ffb4ab).
 * @cssprop [--bookbag-focus-color=var(--bookbag-accent-color)] - Focus outlines.
 * @cssprop [--bookbag-font-family=system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif] - Font.
 * @cssprop [--bookbag-font-family-mono=ui-monospace, monospace] - Code and tool names.
 * @cssprop [--bookbag-font-size=15px] - Base font size (the input never goes below 16px).
 * @cssprop [--bookbag-radius=12px] - Corner radius.
 * @cssprop [--bookbag-spacing=12px] - Base spacing.
 * @cssprop [--bookbag-panel-width=380px] - Launcher panel width.
 * @cssprop [--bookbag-panel-height=600px] - Launcher panel height.
 * @cssprop [--bookbag-launcher-size=56px] - Launcher button size.
 * @cssprop [--bookbag-offset-x=20px] - Launcher distance from the side.
 * @cssprop [--bookbag-offset-y=20px] - Launcher distance from the bottom.
 * @cssprop [--bookbag-z-index=2147483000] - Stacking order in launcher mode.
 * @cssprop [--bookbag-shadow=0 12px 40px rgb(0 0 0 / 0.18)] - Panel and launcher shadow.
 * @cssprop [--bookbag-code-background=#f4f5f7] - In replies: code background (dark: #1e2228).
 * @cssprop [--bookbag-code-text=#1f2328] - In replies: code text (dark: #e6edf3).
 * @cssprop [--bookbag-link-color=#0b57d0] - In replies: links (dark: #7cacf8).
 */
export class BookbagChat extends LitElement {
  static override styles = [styles, markdownStyles];

  // Declared here rather than with decorators: the same options, fewer bytes in the bundle.
  static override properties = {
    agentId: { attribute: 'agent-id' },
    apiBase: { attribute: 'api-base' },
    apiKey: { attribute: 'api-key' },
    userId: { attribute: 'user-id' },
    withCredentials: { type: Boolean, attribute: 'with-credentials' },
    mode: { reflect: true },
    open: { type: Boolean, reflect: true },
    heading: {},
    placeholder: {},
    welcome: {},
    storage: {},
    noStream: { type: Boolean, attribute: 'no-stream' },
    imageOrigins: { attribute: 'image-origins', converter: { fromAttribute: (v: string | null) => (v ?? '').split(/\s+/).filter(Boolean) } },
    tools: { attribute: false },
    highlight: { attribute: false },
    headers: { attribute: false },
    strings: { attribute: false },
    suggestions: { attribute: false },
    langAttribute: { attribute: 'lang' },
    draft: { state: true },
    announcement: { state: true },
    unread: { state: true },
    pinned: { state: true },
  };

  private get input() {
    return this.renderRoot.querySelector('textarea');
  }

  private get log() {
    return this.renderRoot.querySelector<HTMLElement>('.messages');
  }

  private get launcherButton() {
    return this.renderRoot.querySelector<HTMLButtonElement>('.launcher');
  }

  /** Registers the element under `tag` unless something already holds it (so loading twice is safe). */
  static define(tag = 'bookbag-chat'): void {
    if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, this);
  }

  /** The Bookbag agent id (required). */
  agentId = '';
  /** Base URL of Bookbag API v2, or of a proxy that serves the same paths. */
  apiBase = 'https://app.bookbag.ai/api/v2';
  /**
   * Sent as `Authorization: Bearer …`. For development or an agent-scoped key only: anything in
   * a page is public, so production sites should put the key in a proxy (see the README).
   */
  apiKey: string | undefined;
  /** The end-user id (`^[a-zA-Z0-9._-]{1,128}$`). When absent an anonymous id is created once and kept. */
  userId: string | undefined;
  /** Send cookies on cross-origin requests (for a proxy on another origin). */
  withCredentials = false;
  /** `launcher`: a floating button that opens a panel; `inline`: the chat fills the element's box. */
  mode: 'launcher' | 'inline' = 'launcher';
  /** Whether the launcher panel is open. */
  open = false;
  /**
   * Text in the header. Unset: the built-in label for the language.
   * @default 'Chat'
   */
  heading: string | undefined;
  /**
   * Composer placeholder. Unset: the built-in label for the language.
   * @default 'Type a message…'
   */
  placeholder: string | undefined;
  /** A greeting shown in an empty conversation (not sent to the server). */
  welcome: string | undefined;
  /**
   * Where `conversationId`, `userId` and drafts persist: `local` (localStorage), `session`
   * (sessionStorage) or `none`.
   * @type {'local' | 'session' | 'none'}
   */
  storage: StorageKind = 'local';
  /** Use the JSON reply (`stream: false`) instead of the stream. */
  noStream = false;
  /** Origins whose images may be shown inline in replies (space-separated); other images show as links. */
  imageOrigins: string[] = [];
  /**
   * Code block highlighter, `(code, language) => Node | null`: the host loads its own
   * (highlight.js, Shiki…). It gets untrusted text, so it must escape it; `null` or a throw
   * keeps the block plain. Default: none (plain code).
   */
  highlight: Highlighter | undefined;
  /** Client-side tool handlers, by tool name. */
  tools: Record<string, ToolEntry> = {};
  /** Extra request headers (an object, or a function returning one, sync or async) for a proxy's own auth. */
  headers: HeadersInit | undefined;
  /** Overrides for any built-in label. */
  strings: Partial<BookbagStrings> | undefined;
  /** Starter prompts shown in an empty conversation. */
  suggestions: string[] = [];

  /**
   * Language for the built-in strings and the text direction. Unset: the document's language.
   * (Mirrors the `lang` attribute without shadowing `HTMLElement.lang`.)
   */
  private langAttribute: string | null = null;

  private draft = '';
  private announcement = '';
  private unread = 0;
  private pinned = true;

  #session: ChatSession | undefined;
  #storage: ChatStorage | undefined;
  #framePending: Promise<void> | undefined;
  /** The labels resolved by the current render. */
  #strings = resolveStrings('en', undefined);
  #cancelFrame: () => void = () => {};
  #ticker: ReturnType<typeof setInterval> | undefined;
  #draftTimer: ReturnType<typeof setTimeout> | undefined;
  #olderAnchor: { height: number; top: number } | undefined;

  /** The transcript (the parts model). */
  get messages(): Message[] {
    return this.#session?.messages ?? [];
  }

  /**
   * What the chat is doing: `idle`, `submitted`, `streaming`, `awaiting-tool` or `error`.
   * @type {'idle' | 'submitted' | 'streaming' | 'awaiting-tool' | 'error'}
   */
  get status(): ChatStatus {
    return this.#session?.status ?? 'idle';
  }

  /** The current conversation's id, once the server has named one. */
  get conversationId(): string | null {
    return this.#session?.conversationId ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('storage', this.#onStorage);
    globalThis.visualViewport?.addEventListener('resize', this.#syncSheet);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('storage', this.#onStorage);
    globalThis.visualViewport?.removeEventListener('resize', this.#syncSheet);
    this.#syncSheet();
    // Removed from the page: abort the request and any tool; a re-add starts from storage.
    this.#session?.dispose();
    this.#session = undefined;
    this.#cancelFrame();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  // ---- public methods ---------------------------------------------------------------------

  /** Sends `text` as the visitor. Resolves when the reply (and any tool loop) has ended. */
  async send(text: string): Promise<void> {
    const session = this.#ensureSession();
    if (!session) return;
    this.pinned = true;
    await session.send(text);
    await this.updateComplete;
  }

  /** Stops the reply being streamed; what arrived stays. */
  stop(): void {
    this.#session?.stop();
  }

  /** Regenerates an assistant message (default: the last one), or repeats a failed turn. */
  async retry(messageId?: string): Promise<void> {
    await this.#ensureSession()?.retry(messageId);
    await this.updateComplete;
  }

  /** Starts a new conversation; the old one stays on the server. */
  reset(): void {
    this.#ensureSession()?.reset();
    this.#loadDraft();
  }

  /** Forgets this browser's stored user id, drafts and conversation, and starts fresh. */
  forget(): void {
    this.#session?.reset();
    this.#storage?.clear();
    this.#session?.dispose();
    this.#session = undefined;
    this.draft = '';
    this.#ensureSession();
  }

  /** Opens the launcher panel. */
  show(): void {
    this.#setOpen(true);
  }

  /** Closes the launcher panel. */
  hide(): void {
    this.#setOpen(false);
  }

  /** Opens or closes the launcher panel. */
  toggle(): void {
    this.#setOpen(!this.open);
  }

  /** Makes a conversation current and loads its newest messages. */
  async loadConversation(id: string): Promise<void> {
    this.pinned = true;
    await this.#ensureSession()?.loadConversation(String(id));
    this.#loadDraft();
    await this.updateComplete;
  }

  /**
   * Sets thumbs up/down on an assistant message, or clears it with `null`.
   * @param {'positive' | 'negative' | null} feedback
   */
  async setFeedback(messageId: string, feedback: Feedback): Promise<void> {
    await this.#ensureSession()?.setFeedback(messageId, feedback);
    await this.updateComplete;
  }

  /** Posts the result of a tool call the host handled itself (or one without a handler). */
  async submitToolResult(toolCallId: string, output: unknown): Promise<void> {
    await this.#ensureSession()?.submitToolResult(toolCallId, output);
    await this.updateComplete;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (SESSION_KEYS.some((k) => changed.has(k)) && this.#session) {
      this.#session.dispose();
      this.#session = undefined;
    }
    const session = this.#ensureSession();
    if (session && (this.mode === 'inline' || this.open)) void session.restore();
    if (changed.has('open') && this.open) this.unread = 0;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const log = this.log;
    if (log) {
      if (this.#olderAnchor && !this.#session?.loadingHistory) {
        // Older messages were added above: keep the visible ones where they were.
        log.scrollTop = log.scrollHeight - this.#olderAnchor.height + this.#olderAnchor.top;
        this.#olderAnchor = undefined;
      } else if (this.pinned) {
        log.scrollTop = log.scrollHeight;
      }
    }
    if (changed.has('open')) this.#syncSheet();
    if (changed.has('open') && changed.get('open') !== undefined) {
      if (this.open) this.input?.focus();
    }
    const retryAt = this.#session?.error?.retryAt;
    if (retryAt && retryAt > Date.now()) {
      this.#ticker ??= setInterval(() => this.requestUpdate(), 1000);
    } else if (this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  // ---- rendering --------------------------------------------------------------------------

  protected override render() {
    this.#catchingUp = false;
    const strings = (this.#strings = resolveStrings(this.#lang, this.strings));
    const launcher = this.mode !== 'inline';
    const lang = this.#lang;
    const dir = RTL_LANGS.has(lang.toLowerCase().split('-')[0]) ? 'rtl' : this.langAttribute ? 'ltr' : nothing;
    return html`
      ${launcher
        ? html`<button type="button" part="launcher" class="launcher" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'}
            aria-controls="panel" aria-label=${strings.open} @click=${this.#handleLauncher}>
            <slot name="launcher-icon">${chatIcon}</slot>
            ${this.unread ? html`<span class="badge" aria-label=${strings.unread(new Intl.NumberFormat(lang).format(this.unread))}>${this.unread}</span>` : nothing}
          </button>`
        : nothing}
      <section id="panel" part="panel" class="panel" role=${launcher ? 'dialog' : 'region'} aria-modal=${launcher && this.#phone ? 'true' : nothing} aria-labelledby="heading" lang=${this.langAttribute ?? nothing}
        dir=${dir} ?hidden=${launcher && !this.open} @keydown=${this.#handlePanelKeydown}>
        ${this.#renderHeader(strings, launcher)}
        ${this.#session?.history
          ? renderHistory(this.#session.history, {
              strings,
              lang,
              current: this.conversationId,
              error: this.#session?.error ? this.#renderError(strings, false) : nothing,
              close: this.#closeHistory,
              more: () => void this.#session?.loadHistory(),
              forget: () => this.forget(),
            })
          : [this.#renderLog(strings), this.#renderComposer(strings)]}
        <slot name="footer"></slot>
      </section>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  #renderHeader(strings: BookbagStrings, launcher: boolean) {
    return html`<header part="header">
      <slot name="header"><h2 id="heading" part="heading" class="heading">${this.heading ?? strings.heading}</h2></slot>
      <button type="button" part="new-button" class="icon-button" aria-label=${strings.newConversation} title=${strings.newConversation}
        @click=${this.#handleNew}>${newIcon}</button>
      <button type="button" part="history-button" class="icon-button" aria-label=${strings.history} title=${strings.history}
        aria-expanded=${!!this.#session?.history} @click=${this.#toggleHistory}>${historyIcon}</button>
      ${launcher
        ? html`<button type="button" part="close-button" class="icon-button" aria-label=${strings.close} title=${strings.close}
            @click=${() => this.#setOpen(false)}>${closeIcon}</button>`
        : nothing}
    </header>`;
  }

  #renderLog(strings: BookbagStrings) {
    const session = this.#session;
    const messages = session?.messages ?? [];
    const streaming = session?.status === 'streaming' || session?.status === 'submitted';
    const lastAssistant = [...messages].reverse().find((m) => m.role === 'assistant');
    const lastId = messages[messages.length - 1]?.id;
    const error = session?.error;
    const canRetryTurn = session?.canRetryTurn ?? false;
    const ctx = {
      strings,
      confirmations: session?.confirmations ?? [],
      renderText: this.#renderText,
      onRetry: (m: Message) => void this.retry(m.id),
      onFeedback: (m: Message, value: 'positive' | 'negative') => void this.setFeedback(m.id, m.feedback === value ? null : value),
      onConfirm: (id: string, allowed: boolean) => session?.answerConfirmation(id, allowed),
    };
    return html`<div part="messages" class="messages" role="log" aria-label=${strings.messagesLabel} aria-busy=${streaming ? 'true' : 'false'}
      tabindex="0" @scroll=${this.#handleScroll}>
      ${session?.loadingHistory ? html`<div class="older" role="status">${strings.loadingOlder}</div>` : nothing}
      <div part="empty" class="empty" ?hidden=${messages.length > 0}>
        <slot name="empty">${this.welcome ? html`<div class="welcome">${this.welcome}</div>` : nothing}</slot>
        ${this.suggestions?.length
          ? html`<div class="suggestions" role="group" aria-label=${strings.suggestionsLabel}>${this.suggestions.map(
              (s) => html`<button type="button" class="suggestion" part="suggestion" @click=${() => void this.send(s)}>${s}</button>`,
            )}</div>`
          : nothing}
      </div>
      ${messages.map((m) =>
        renderMessage(m, {
          ...ctx,
          streaming: streaming && m.id === lastId && m.role === 'assistant',
          canRetry: !streaming && !canRetryTurn && m === lastAssistant && m.id === lastId,
        }),
      )}
      ${error ? this.#renderError(strings, canRetryTurn) : nothing}
      <div class="jump" ?hidden=${this.pinned || !messages.length}>
        <button type="button" part="jump-button" class="button" @click=${this.#jumpToLatest}>↓ ${strings.jumpToLatest}</button>
      </div>
    </div>`;
  }

  #renderError(strings: BookbagStrings, canRetryTurn: boolean) {
    const error = this.#session!.error!;
    const wait = error.retryAt ? Math.ceil((error.retryAt - Date.now()) / 1000) : 0;
    return html`<div part="error" class="error" role="alert" data-code=${error.code}>
      <span>${error.code === 'STREAM_INTERRUPTED' || error.code === 'NETWORK_ERROR' && canRetryTurn ? strings.interrupted + ' ' : ''}${error.code.startsWith('CHAT_RETRY_') ? strings.cannotRetry : error.message}</span>
      ${wait > 0 ? html`<span class="countdown">${strings.retryIn(String(wait))}</span>` : nothing}
      ${canRetryTurn
        ? html`<button type="button" class="button" part="retry-button" @click=${() => void this.retry()}>${strings.retry}</button>`
        : nothing}
    </div>`;
  }

  #renderComposer(strings: BookbagStrings) {
    const busy = this.#session?.busy ?? false;
    const retryAt = this.#session?.error?.retryAt ?? 0;
    const waiting = retryAt > Date.now();
    const left = MAX_INPUT - this.draft.length;
    return html`<form part="composer" @submit=${this.#handleSubmit}>
        <textarea part="input" rows="1" dir="auto" aria-label=${strings.inputLabel} placeholder=${this.placeholder ?? strings.placeholder}
          maxlength=${MAX_INPUT} .value=${this.draft} @input=${this.#handleInput} @keydown=${this.#handleInputKeydown}></textarea>
        ${busy
          ? html`<button type="button" part="stop-button" class="send" aria-label=${strings.stop} title=${strings.stop} @click=${() => this.stop()}>${stopIcon}</button>`
          : html`<button type="submit" part="send-button" class="send" aria-label=${strings.send} title=${strings.send}
              ?disabled=${waiting || !this.draft.trim()}>${sendIcon}</button>`}
      </form>
      ${left <= 500 ? html`<div class="counter" aria-live="polite">${strings.charactersLeft(new Intl.NumberFormat(this.#lang).format(left))}</div>` : nothing}`;
  }

  /** Assistant text as safe markdown, parsed incrementally while it streams. */
  /** A markdown part rendered only a slice of its backlog in the last render and wants another. */
  #catchingUp = false;
  #more = () => {
    this.#catchingUp = true;
    this.#scheduleRender();
  };

  #renderText = (text: string, complete: boolean): TemplateResult => {
    // Called for every text part on every streaming render: reuse the strings of this render.
    const strings = this.#strings;
    return html`<div class="markdown" ${markdown(text, { complete, imageOrigins: this.imageOrigins, strings: { copyCode: strings.copyCode, copied: strings.copied }, highlight: this.highlight, more: this.#more })}></div>`;
  };

  // ---- handlers ---------------------------------------------------------------------------

  #handleLauncher = () => this.toggle();

  #handleNew = async () => {
    if (this.#session) this.#session.history = undefined;
    this.reset();
    await this.updateComplete;
    this.input?.focus();
  };

  #toggleHistory = async () => {
    const session = this.#ensureSession();
    if (!session || session.history) return this.#closeHistory();
    const loaded = session.loadHistory(true);
    const list = session.history;
    await loaded;
    await this.updateComplete;
    // Into the list: the current conversation, else the first one (an empty list leaves focus on the toggle).
    if (session.history === list) (this.#q('[aria-current]') ?? this.#q('li button'))?.focus();
  };

  /** Leaves the history panel (focus back on its button); with an id, that conversation becomes current. */
  #closeHistory = async (id?: string) => {
    if (this.#session) this.#session.history = undefined;
    this.pinned = true;
    if (id && id !== this.conversationId) void this.loadConversation(id);
    this.requestUpdate();
    await this.updateComplete;
    this.#q('[part=history-button]')?.focus();
  };

  #q = (selector: string) => this.renderRoot.querySelector<HTMLElement>(selector);

  #handleSubmit = (e: Event) => {
    e.preventDefault();
    this.#sendDraft();
  };

  #handleInput = (e: Event) => {
    this.draft = (e.target as HTMLTextAreaElement).value;
    clearTimeout(this.#draftTimer);
    this.#draftTimer = setTimeout(() => this.#saveDraft(), 300);
  };

  #handleInputKeydown = (e: KeyboardEvent) => {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.#sendDraft();
    }
  };

  #handlePanelKeydown = (e: KeyboardEvent) => {
    if (e.key === 'Tab' && this.mode !== 'inline' && this.#phone) this.#trapFocus(e);
    if (e.key !== 'Escape') return;
    if (this.#session?.history) {
      e.stopPropagation();
      void this.#closeHistory();
    } else if (this.mode !== 'inline' && this.open) {
      e.stopPropagation();
      this.#setOpen(false);
    }
  };

  #jumpToLatest = () => {
    this.pinned = true;
    this.input?.focus();
  };

  /** Phones get a modal full-screen sheet (see the styles); keep Tab inside it. */
  get #phone(): boolean {
    return typeof matchMedia !== 'undefined' && matchMedia('(max-width: 639px)').matches;
  }

  #trapFocus(e: KeyboardEvent): void {
    const focusables = [...this.renderRoot.querySelectorAll<HTMLElement>('.panel button:not([disabled]):not([hidden]), .panel textarea, .panel [tabindex="0"]')];
    const active = (this.renderRoot as ShadowRoot).activeElement;
    const [first, last] = [focusables[0], focusables[focusables.length - 1]];
    if (e.shiftKey ? active === first : active === last) {
      e.preventDefault();
      (e.shiftKey ? last : first)?.focus();
    }
  }

  /**
   * While the sheet is open on a phone: size it from `visualViewport`, so the on-screen keyboard
   * never covers the composer, and stop the page behind from scrolling. Both go through
   * constructable stylesheets, which strict CSP (`style-src 'self'`) allows.
   */
  #syncSheet = () => {
    const active = this.open && this.mode !== 'inline' && this.#phone && this.isConnected;
    const height = globalThis.visualViewport?.height;
    sheetHeight.replaceSync(active && height ? `:host{--_sheet-height:${Math.round(height)}px}` : '');
    const root = this.renderRoot as ShadowRoot;
    if (!root.adoptedStyleSheets.includes(sheetHeight)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheetHeight];
    const sheets = document.adoptedStyleSheets.filter((x) => x !== scrollLock);
    document.adoptedStyleSheets = active ? [...sheets, scrollLock] : sheets;
  };

  #handleScroll = () => {
    const log = this.log;
    if (!log) return;
    const pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    if (pinned !== this.pinned) this.pinned = pinned;
    const session = this.#session;
    if (log.scrollTop < 48 && session?.olderCursor && !session.loadingHistory) {
      this.#olderAnchor = { height: log.scrollHeight, top: log.scrollTop };
      void session.loadOlder();
    }
  };

  #onStorage = (e: StorageEvent) => {
    if (!this.#storage || e.key !== this.#storage.key) return;
    void this.#session?.followStoredConversation(ChatStorage.parse(e.newValue).conversationId);
  };

  // ---- internals --------------------------------------------------------------------------

  get #lang(): string {
    return this.langAttribute || (typeof document !== 'undefined' ? document.documentElement.lang : '') || 'en';
  }

  #sendDraft(): void {
    const text = this.draft;
    if (!text.trim() || this.#session?.busy) return;
    this.draft = '';
    this.#saveDraft();
    void this.send(text);
  }

  #setOpen(open: boolean): void {
    if (this.mode === 'inline' || this.open === open) return;
    const hadFocus = this.matches(':focus-within');
    this.open = open;
    this.#emit(open ? 'bookbag-open' : 'bookbag-close', {});
    if (!open && hadFocus) void this.updateComplete.then(() => this.launcherButton?.focus());
  }

  #ensureSession(): ChatSession | undefined {
    if (this.#session) return this.#session;
    if (!this.agentId) return undefined;
    const storage = new ChatStorage({
      apiBase: this.apiBase,
      agentId: this.agentId,
      kind: this.storage === 'session' || this.storage === 'none' ? this.storage : 'local',
      resolve: (kind) => (kind === 'local' ? window.localStorage : kind === 'session' ? window.sessionStorage : null),
      onFailure: () =>
        this.#emit('bookbag-error', { code: 'STORAGE_UNAVAILABLE', message: 'This browser does not let the chat remember the conversation.', retryable: false }),
    });
    const userId = this.#resolveUserId(storage);
    const client = new ApiClient({
      apiBase: this.apiBase,
      agentId: this.agentId,
      apiKey: this.apiKey,
      withCredentials: this.withCredentials,
      headers: () => {
        const h = this.headers;
        return typeof h === 'function' ? h() : (h ?? {});
      },
    });
    const element = this;
    const host: SessionHost = {
      emit: (type, detail, cancelable) => {
        if (type === 'bookbag-message') this.#onReply((detail as BookbagEventDetails['bookbag-message']).message);
        if (type === 'bookbag-tool-result') {
          // Tool cards change state silently; say it once, politely.
          const d = detail as BookbagEventDetails['bookbag-tool-result'];
          const s = resolveStrings(this.#lang, this.strings);
          this.announcement = `${s.toolLabel(d.toolName)}: ${s.toolStates[d.isError ? 'error' : 'done']}`;
        }
        return this.#emit(type, detail, cancelable);
      },
      changed: () => this.#scheduleRender(),
      restoreInput: (text) => {
        this.draft = text;
        this.#saveDraft();
      },
    };
    this.#storage = storage;
    this.#session = new ChatSession(
      {
        client,
        storage,
        userId,
        get stream() {
          return !element.noStream;
        },
        tools: () => this.tools,
      },
      host,
    );
    this.#loadDraft();
    return this.#session;
  }

  /** The attribute's id when valid; else the stored anonymous id; else a new one, stored. */
  #resolveUserId(storage: ChatStorage): string {
    const stored = storage.load();
    if (this.userId) {
      if (isValidUserId(this.userId)) {
        // Another person's conversation must not follow a new user on a shared device.
        if (stored.userId && stored.userId !== this.userId) storage.update({ conversationId: undefined, drafts: undefined });
        storage.update({ userId: this.userId });
        return this.userId;
      }
      console.error(`<bookbag-chat>: user-id "${this.userId.slice(0, 40)}" does not match ^[a-zA-Z0-9._-]{1,128}$; using an anonymous id instead.`);
    }
    if (stored.userId?.startsWith('anon_')) return stored.userId;
    const id = anonymousUserId();
    storage.update({ userId: id, ...(stored.userId ? { conversationId: undefined } : {}) });
    return id;
  }

  #onReply(message: Message): void {
    const text = messageText(message).trim();
    if (text) this.announcement = resolveStrings(this.#lang, this.strings).replyFinished(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    if (this.mode !== 'inline' && !this.open) this.unread++;
  }

  #loadDraft(): void {
    const drafts = this.#storage?.load().drafts ?? {};
    this.draft = drafts[this.#session?.conversationId ?? ''] ?? '';
  }

  #saveDraft(): void {
    clearTimeout(this.#draftTimer);
    if (!this.#storage) return;
    const key = this.#session?.conversationId ?? '';
    const drafts = { ...this.#storage.load().drafts };
    if (this.draft) drafts[key] = this.draft;
    else delete drafts[key];
    this.#storage.update({ drafts });
  }

  /**
   * Streams change state many times per frame; render at most once per animation frame. Hidden
   * tabs get no animation frames, so a timeout makes sure a reply still lands there.
   */
  #scheduleRender(): void {
    if (this.#framePending) return;
    this.#framePending = new Promise((resolve) => {
      const run = () => {
        cancelAnimationFrame(frame);
        clearTimeout(timer);
        if (!this.#framePending) return resolve();
        this.#framePending = undefined;
        this.requestUpdate();
        resolve();
      };
      const frame = requestAnimationFrame(run);
      const timer = setTimeout(run, 100);
      this.#cancelFrame = () => {
        this.#framePending = undefined;
        run();
      };
    });
  }

  /** `updateComplete` also waits for a render that is scheduled for the next frame. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done: boolean;
    do {
      while (this.#framePending) await this.#framePending;
      done = await super.getUpdateComplete();
      // Markdown catching up on a large backlog renders a slice a frame: wait for all of it.
    } while (this.#catchingUp && this.#framePending);
    return done;
  }

  #emit<K extends keyof BookbagEventDetails>(type: K, detail: BookbagEventDetails[K], cancelable = false): boolean {
    /** @internal Tells the manifest analyser to skip this variable-named dispatch: every event is listed with `@fires` on the class. */
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'bookbag-chat': BookbagChat;
  }
}
