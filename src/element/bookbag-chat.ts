import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styles } from '../bookbag-chat.styles.js';
import { loadMarkdown, markdown, markdownPending, type Highlighter } from '../markdown/markdown-directive.js';
import { markdownStyles } from '../markdown/markdown.styles.js';
import { ChatController } from '../core/chat-controller.js';
import { type ChatState, type Confirmation, viewKey } from '../core/state.js';
import { BOOKBAG_EVENT_NAMES, type BookbagEventDetails, type BookbagEventName } from '../protocol/events.js';
import { type ChatStatus, type Feedback, type Message, isTextPart, isToolCallPart, messageText } from '../protocol/message.js';
import { MAX_MESSAGE_LENGTH as MAX_INPUT } from '../protocol/limits.js';
import { ApiClient, type HeadersInit } from '../transport/api-client.js';
import { ChatStorage, type StorageKind, anonymousUserId, isValidUserId } from '../persistence/chat-storage.js';
import type { ToolEntry } from '../core/tool-runner.js';
import { type BookbagStrings, loadLocale, localeReady } from '../internal/strings.js';
import { errorKind } from '../internal/error-kind.js';
import { plainText } from '../internal/plain-text.js';
import { isAllowedImageUrl, normalizeOrigins, safeUrl } from '../markdown/safe-url.js';
import { type MessageViewContext, renderMessage, renderTypingIndicator } from '../view/message.js';
import { chatIcon, closeIcon, historyIcon, newIcon, sendIcon, stopIcon } from '../view/icons.js';
import { renderHistory } from '../view/history-panel.js';
import { CoreHost } from './core-host.js';
import { Countdown } from './countdown.js';
import { CrossTab } from './cross-tab.js';
import { Drafts } from './drafts.js';
import { FocusKeeper } from './focus-keeper.js';
import { Language } from './language.js';
import { PhoneSheet } from './phone-sheet.js';
import { ScrollAnchor } from './scroll-anchor.js';
import { TitleNotice } from './title-notice.js';

/** Settings that identify a chat (and its storage); changing one starts a new core. */
const SESSION_KEYS = ['agentId', 'apiBase', 'apiKey', 'userId', 'storage', 'withCredentials'] as const;

/**
 * What the page does for each core notification before the element re-fires it as its own
 * `bookbag-*` event: the live-region announcements, the unread badge, telling other tabs.
 * Notifications not listed are only re-fired.
 */
const NOTIFICATIONS: { [K in BookbagEventName]?: (el: BookbagChat, detail: BookbagEventDetails[K]) => void } = {
  'bookbag-message': (el, { message }) => el['noteReply'](message),
  // Tool cards change state silently; say it once, politely.
  'bookbag-tool-result': (el, { toolName, output, isError }) => {
    const entry = el.tools?.[toolName];
    const label = (typeof entry === 'object' && entry.label) || toolName;
    const declined = isError && (output as { error?: unknown } | null)?.error === 'denied by the user';
    el['announce']((s) => `${s.toolLabel(label)}: ${s.toolStates[declined ? 'declined' : isError ? 'error' : 'done']}`);
  },
  'bookbag-conversation': (el, { conversationId }) => el['noteConversation'](conversationId),
};

/**
 * An embeddable chat window for a Bookbag agent, with an optional floating launcher.
 *
 * Design tokens (`--bookbag-*`) list their light defaults; in the dark scheme (`theme="dark"`,
 * or `theme="auto"` under `prefers-color-scheme: dark`) the colors have dark defaults (given in
 * each description), unless the token is set.
 *
 * @summary Chat with a Bookbag agent: streamed replies, client-side tools, persistence.
 * @tag bookbag-chat
 *
 * @slot header - Replaces the heading text in the header.
 * @slot empty - Shown in an empty conversation (replaces the `welcome` text).
 * @slot launcher-icon - The launcher button's icon.
 * @slot footer - Below the composer (for a disclaimer or links).
 * @slot avatar - Replaces the agent's avatar in the header.
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
 * @csspart agent-name - The agent's name in the header (see `agent-name`).
 * @csspart avatar - The agent's picture, in the header and beside replies (see `avatar`).
 * @csspart close-button - Closes the panel (launcher mode).
 * @csspart new-button - Starts a new conversation.
 * @csspart history-button - Opens (or closes) the list of this user's conversations.
 * @csspart history - The conversation list that replaces the transcript while open.
 * @csspart history-item - One conversation in the list (`aria-current` on the current one).
 * @csspart back-button - Leaves the conversation list.
 * @csspart forget-button - In the conversation list: forgets this browser's id, drafts and conversation (asks first).
 * @csspart forget-confirm-button - Confirms clearing this device's chat data.
 * @csspart messages - The scrolling transcript (`role="log"`).
 * @csspart message - Every message row; also `message-user` / `message-assistant`.
 * @csspart message-user - A user message row.
 * @csspart message-assistant - An assistant message row.
 * @csspart bubble - A message's text bubble.
 * @csspart tool-call - A tool call card (`data-state`: `pending`, `running`, `done`, `error` or `declined`).
 * @csspart tool-details - A tool card's expandable input and result.
 * @csspart tool-confirm - The question on a tool call card whose tool asks the visitor first.
 * @csspart tool-allow-button - Allows a tool call that asks first.
 * @csspart tool-deny-button - Denies a tool call that asks first.
 * @csspart actions - The buttons under an assistant turn's last message, once the turn has settled.
 * @csspart copy-message-button - Copies a reply's text.
 * @csspart typing-indicator - Shown from send until the first token of the reply.
 * @csspart stopped - The marker on a reply the visitor stopped, with continue and retry.
 * @csspart timestamp - A message's time (with `timestamps`): relative, the full time on hover.
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
 * @csspart link-host - In replies: the host a link really goes to, shown beside link text that reads as an address or names another host.
 * @csspart image - In replies: an image from an allowed origin (see `image-origins`).
 *
 * @cssprop [--bookbag-accent-color=#2557d6] - Buttons, links, launcher (dark: #8fb0ff).
 * @cssprop [--bookbag-on-accent-color=#fff] - Text on the accent color (dark: #0d1b3d).
 * @cssprop [--bookbag-surface-color=#fff] - Panel background (dark: #1b1d22).
 * @cssprop [--bookbag-text-color=#1d1f24] - Main text (dark: #e8eaef).
 * @cssprop [--bookbag-muted-color=#5b6170] - Secondary text and icons (dark: #a9afbc).
 * @cssprop [--bookbag-border-color=#d5d8df] - Borders (dark: #4a4f5c).
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
    highlight: { attribute: false },
    tools: { attribute: false },
    headers: { attribute: false },
    strings: { attribute: false },
    suggestions: { attribute: false },
    langAttribute: { attribute: 'lang' },
    theme: { reflect: true },
    agentName: { attribute: 'agent-name' },
    avatar: {},
    timestamps: { type: Boolean },
    titleNotice: { type: Boolean, attribute: 'title-notice' },
    confirmingClear: { state: true },
    hint: { state: true },
    announcement: { state: true },
    unread: { state: true },
  };

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
   * Color scheme: `auto` follows the visitor's system setting; `light` or `dark` force one.
   * @type {'auto' | 'light' | 'dark'}
   */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** The agent's name: shown in the header and read by screen readers instead of "Assistant". */
  agentName: string | undefined;
  /**
   * An image URL for the agent (header and replies). Shown only from an origin listed in
   * `image-origins`, the same rule as images in replies; otherwise not shown.
   */
  avatar: string | undefined;
  /** Show a time on each message (relative and localized; the full date and time on hover). */
  timestamps = false;
  /** While the page is hidden, prefix the tab title with the number of new replies. */
  titleNotice = false;

  /**
   * Language for the built-in strings and the text direction. Unset: the document's language.
   * (Mirrors the `lang` attribute without shadowing `HTMLElement.lang`.)
   */
  private langAttribute: string | null = null;

  private announcement = '';
  private unread = 0;
  private confirmingClear = false;
  /** A brief hint under the composer (Enter while a reply is still arriving). */
  private hint = '';
  #hintTimer: ReturnType<typeof setTimeout> | undefined;
  /** The locale being fetched for the current `lang`, so `updateComplete` can wait for it. */
  #localePending: Promise<void> | undefined;
  /** The language whose locale file was last fetched (each is tried once per element). */
  #localeTried: string | undefined;
  #internals = typeof this.attachInternals === 'function' ? this.attachInternals() : undefined;
  #titleNotice = new TitleNotice(this);

  #storage: ChatStorage | undefined;
  #host = new CoreHost(this);
  #language = new Language();
  #drafts = new Drafts(this);
  #scroll = new ScrollAnchor(this, () => this.#q('.messages'), () => this.#state?.loadingHistory ?? false);
  #sheet = new PhoneSheet(this);
  #countdown = new Countdown(this, () => this.#state?.error?.retryAt);
  #tabs = new CrossTab(this, () => this.#host.core, () => this.#storage);
  // Registered last: it runs after the others have updated the DOM.
  #focus = new FocusKeeper(this, () => this.#q('textarea'));

  /** The transcript (the parts model). */
  get messages(): Message[] {
    return (this.#state?.messages ?? []) as Message[];
  }

  /**
   * What the chat is doing: `idle`, `submitted`, `streaming`, `awaiting-tool` or `error`.
   * @type {'idle' | 'submitted' | 'streaming' | 'awaiting-tool' | 'error'}
   */
  get status(): ChatStatus {
    return this.#host.core?.status ?? 'idle';
  }

  /** The current conversation's id, once the server has named one. */
  get conversationId(): string | null {
    return this.#state?.conversationId ?? null;
  }

  // ---- public methods ---------------------------------------------------------------------

  /** Sends `text` as the visitor. Resolves when the reply (and any tool loop) has ended. */
  async send(text: string): Promise<void> {
    const core = this.#core();
    if (!core) return;
    this.#scroll.pin();
    // The typing indicator is announced once per send (the live region only speaks a change).
    const strings = this.#language.strings;
    const typing = strings.typing(this.agentName || strings.assistant);
    this.announcement = this.announcement === typing ? `${typing}\u00a0` : typing;
    await core.send(text);
    await this.updateComplete;
  }

  /** Stops the reply being streamed; what arrived stays (marked `stopped`, with continue and retry). */
  stop(): void {
    this.#host.core?.stop();
  }

  /** Regenerates an assistant message (default: the last one), or repeats a failed or stopped turn. */
  async retry(messageId?: string): Promise<void> {
    await this.#core()?.retry(messageId);
    await this.updateComplete;
  }

  /** Starts a new conversation; the old one stays on the server. */
  reset(): void {
    this.#core()?.reset();
    this.#drafts.load(this.#storage, null);
  }

  /** Forgets this browser's stored user id, drafts and conversation, and starts fresh. */
  forget(): void {
    this.confirmingClear = false;
    this.#host.core?.reset();
    this.#storage?.clear();
    this.#host.attach(undefined);
    this.#drafts.load(undefined, null);
    this.#core();
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
    this.#scroll.pin();
    await this.#core()?.loadConversation(String(id));
    this.#drafts.load(this.#storage, this.conversationId);
    await this.updateComplete;
  }

  /**
   * Sets thumbs up/down on an assistant message, or clears it with `null`.
   * @param {'positive' | 'negative' | null} feedback
   */
  async setFeedback(messageId: string, feedback: Feedback): Promise<void> {
    await this.#core()?.setFeedback(messageId, feedback);
    await this.updateComplete;
  }

  /** Posts the result of a tool call the host handled itself (or one without a handler). */
  async submitToolResult(toolCallId: string, output: unknown): Promise<void> {
    await this.#core()?.submitToolResult(toolCallId, output);
    await this.updateComplete;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /**
   * The first paint waits for the element's language (once; a locale file that cannot be fetched
   * leaves English), so a visitor never sees English labels flash before their own.
   */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (!this.hasUpdated && !localeReady(this.#lang) && this.#localeTried !== this.#lang) {
      this.#fetchLocale();
      return false;
    }
    return super.shouldUpdate(changed);
  }

  /** Fetches the built-in strings for the element's language, once per language; renders after. */
  #fetchLocale(): void {
    const lang = this.#lang;
    if (localeReady(lang) || this.#localeTried === lang) return;
    this.#localeTried = lang;
    const pending = (this.#localePending = loadLocale(lang).then(() => {
      if (this.#localePending === pending) this.#localePending = undefined;
      this.requestUpdate();
    }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (SESSION_KEYS.some((k) => changed.has(k)) && this.#host.core) this.#host.attach(undefined);
    const core = this.#core();
    if (core && (this.mode === 'inline' || this.open)) {
      // Replies are about to be shown: fetch the renderer now, beside the history request.
      void loadMarkdown();
      void core.restore();
    }
    if (changed.has('open') && this.open) this.unread = 0;
    this.#fetchLocale();
    // Right-to-left for this element alone: the launcher and panel move to the left edge.
    const rtl = this.#language.dir(this.langAttribute) === 'rtl' || (!this.langAttribute && document.documentElement.dir === 'rtl');
    try {
      if (rtl) this.#internals?.states.add('rtl');
      else this.#internals?.states.delete('rtl');
    } catch {
      // A browser without custom states keeps the document's side.
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && changed.get('open') !== undefined && this.open) this.#q('textarea')?.focus();
  }

  /** `updateComplete` also waits for a render that is scheduled for the next frame. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done: boolean;
    do {
      while (this.#localePending) await this.#localePending;
      while (this.#host.pending) await this.#host.pending;
      // Replies waiting for the markdown renderer chunk render when it arrives.
      await markdownPending();
      done = await super.getUpdateComplete();
      // Markdown catching up on a large backlog renders a slice a frame: wait for all of it.
    } while ((this.#catchingUp && this.#host.pending) || this.#localePending || markdownPending());
    return done;
  }

  // ---- rendering --------------------------------------------------------------------------

  protected override render() {
    this.#catchingUp = false;
    const strings = this.#language.resolve(this.langAttribute, this.strings);
    const launcher = this.mode !== 'inline';
    const lang = this.#lang;
    const state = this.#state;
    return html`
      ${launcher
        ? html`<button type="button" part="launcher" class="launcher" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'}
            aria-controls="panel" aria-label=${this.open ? strings.close : strings.open} lang=${this.langAttribute ?? nothing} @click=${this.#handleLauncher}
            @pointerenter=${loadMarkdown} @focus=${loadMarkdown}>
            ${this.open ? closeIcon : html`<slot name="launcher-icon">${chatIcon}</slot>`}
            ${this.unread ? html`<span class="badge" aria-label=${strings.unread(new Intl.NumberFormat(lang).format(this.unread))}>${this.unread}</span>` : nothing}
          </button>`
        : nothing}
      <section id="panel" part="panel" class="panel" role=${launcher ? 'dialog' : 'region'} aria-modal=${launcher && this.#sheet.phone ? 'true' : nothing} aria-labelledby="heading" lang=${this.langAttribute ?? nothing}
        dir=${this.#language.dir(this.langAttribute) ?? nothing} ?hidden=${launcher && !this.open} @keydown=${this.#handlePanelKeydown}>
        ${this.#renderHeader(strings, launcher)}
        ${state?.history
          ? renderHistory(state.history, {
              strings,
              lang,
              current: this.conversationId,
              error: state.error || state.notice ? this.#renderError(strings, false) : nothing,
              confirmingClear: this.confirmingClear,
              close: this.#closeHistory,
              more: () => void this.#host.core?.loadHistory(),
              clear: this.#clear,
            })
          : [this.#renderLog(strings), this.#renderComposer(strings)]}
        <slot name="footer"></slot>
      </section>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  #renderHeader(strings: BookbagStrings, launcher: boolean) {
    // A plain div: a <header> here would be a second `banner` landmark on the host page.
    return html`<div part="header" class="header">
      <slot name="avatar">${this.#avatar('header-avatar')}</slot>
      <div class="titles">
        <slot name="header"><h2 id="heading" part="heading" class="heading">${this.heading ?? strings.heading}</h2></slot>
        ${this.agentName ? html`<span part="agent-name" class="agent-name"><bdi>${this.agentName}</bdi></span>` : nothing}
      </div>
      <button type="button" part="new-button" class="icon-button" aria-label=${strings.newConversation} title=${strings.newConversation}
        @click=${this.#handleNew}>${newIcon}</button>
      <button type="button" part="history-button" class="icon-button" aria-label=${strings.history} title=${strings.history}
        aria-expanded=${!!this.#state?.history} @click=${this.#toggleHistory}>${historyIcon}</button>
      ${launcher
        ? html`<button type="button" part="close-button" class="icon-button" aria-label=${strings.close} title=${strings.close}
            @click=${() => this.#setOpen(false)}>${closeIcon}</button>`
        : nothing}
    </div>`;
  }

  /** The agent's avatar, only from an origin in `image-origins` (like images in replies). */
  #avatar(cls: string): TemplateResult | typeof nothing {
    const url = this.avatar ? safeUrl(this.avatar, document.baseURI) : null;
    if (!url || !isAllowedImageUrl(url, normalizeOrigins(this.imageOrigins))) return nothing;
    return html`<img part="avatar" class="avatar ${cls}" src=${url} alt="" width="28" height="28" decoding="async">`;
  }

  #renderLog(strings: BookbagStrings) {
    const core = this.#host.core;
    const state = this.#state;
    const messages = (state?.messages ?? []) as Message[];
    const streaming = core?.busy ?? false;
    const lastAssistant = messages.findLast((m) => m.role === 'assistant');
    const lastId = messages[messages.length - 1]?.id;
    const error = state?.error ?? state?.notice;
    // The error notice offers retry for a failed turn (a stopped one is repeated from its reply).
    const canRetryTurn = !!state?.error && (core?.canRetryTurn ?? false);
    const activity = state?.activity;
    const last = messages[messages.length - 1];
    const shows = (m: Message | undefined) => m?.role === 'assistant' && m.parts.some((p) => (isTextPart(p) && p.text) || isToolCallPart(p));
    // From send until the first token (and while a tool's continuation is requested).
    const typing = activity === 'submitted' || (activity === 'streaming' && !shows(last));
    // Actions wait until the turn has settled: nothing arriving, no tool running or asking.
    const settled = !streaming && activity !== 'awaiting-tool' && !state?.confirmations.length;
    const stoppedId = streaming ? undefined : state?.stoppedMessageId;
    // Messages followed by the visitor's next question: the last of their turn.
    const endsTurn = new Set(messages.filter((m, i) => messages[i + 1]?.role === 'user').map((m) => m.id));
    const agentName = this.agentName || strings.assistant;
    const avatar = this.#avatar('message-avatar');
    const ctx: Omit<MessageViewContext, 'streaming' | 'canRetry' | 'showActions' | 'stopped'> = {
      strings,
      lang: this.#lang,
      agentName,
      avatar,
      timestamps: this.timestamps,
      tools: this.tools ?? {},
      confirmations: (state?.confirmations ?? []) as Confirmation[],
      renderText: this.#renderText,
      onRetry: (m: Message) => void this.retry(m.id),
      onFeedback: (m: Message, value: 'positive' | 'negative') => void this.setFeedback(m.id, m.feedback === value ? null : value),
      onConfirm: (id: string, allowed: boolean) => core?.answerConfirmation(id, allowed),
      onCopy: this.#copyMessage,
      onContinue: () => void this.send(strings.continuePrompt),
      // The core repeats a stopped turn (the same question, answered again).
      onRetryStopped: (m: Message) => void this.retry(m.id),
    };
    return html`<div part="messages" class="messages" role="log" aria-label=${strings.messagesLabel} aria-busy=${streaming ? 'true' : 'false'}
      tabindex="0" @scroll=${this.#handleScroll}>
      ${state?.loadingHistory ? html`<div class="older" role="status">${strings.loadingOlder}</div>` : nothing}
      <div part="empty" class="empty" ?hidden=${messages.length > 0}>
        <slot name="empty">${this.welcome ? html`<div class="welcome">${this.welcome}</div>` : nothing}</slot>
        ${this.suggestions?.length
          ? html`<div class="suggestions" role="group" aria-label=${strings.suggestionsLabel}>${this.suggestions.map(
              (s) => html`<button type="button" class="suggestion" part="suggestion" @click=${() => void this.send(s)}>${s}</button>`,
            )}</div>`
          : nothing}
      </div>
      ${repeat(
        messages,
        // Keyed: loading an older page inserts rows above and re-renders (re-parses) none of these,
        // and a reply the server names when it finishes keeps its DOM.
        (m) => (state ? viewKey(state, m) : m.id),
        (m) =>
          renderMessage(m, {
            ...ctx,
            streaming: streaming && m.id === lastId && m.role === 'assistant',
            canRetry: !streaming && !canRetryTurn && m === lastAssistant && m.id === lastId,
            // One actions row per turn: on its last assistant message.
            showActions: (m.id === lastId ? settled : endsTurn.has(m.id)) && m.id !== stoppedId,
            stopped: m.id === stoppedId,
          }),
      )}
      ${typing ? renderTypingIndicator(strings.typing(agentName), avatar) : nothing}
      ${error ? this.#renderError(strings, canRetryTurn) : nothing}
      <div class="jump" ?hidden=${this.#scroll.pinned || !messages.length}>
        <button type="button" part="jump-button" class="button" @click=${this.#jumpToLatest}>↓ ${strings.jumpToLatest}</button>
      </div>
    </div>`;
  }

  #renderError(strings: BookbagStrings, canRetryTurn: boolean) {
    const error = (this.#state!.error ?? this.#state!.notice)!;
    const wait = this.#countdown.secondsLeft;
    return html`<div part="error" class="error" role="alert" data-code=${error.code}>
      <span>${this.#errorText(strings, error.code, error.status, canRetryTurn)}</span>
      ${wait > 0 ? html`<span class="countdown">${strings.retryIn(String(wait))}</span>` : nothing}
      ${canRetryTurn
        ? html`<button type="button" class="button" part="retry-button" @click=${() => void this.retry()}>${strings.retry}</button>`
        : nothing}
    </div>`;
  }

  /** A friendly, localized notice; the server's own text stays in the `bookbag-error` detail. */
  #errorText(strings: BookbagStrings, code: string, status: number | undefined, canRetryTurn: boolean): string {
    if (code === 'STREAM_INTERRUPTED' || (code === 'NETWORK_ERROR' && canRetryTurn)) return strings.interrupted;
    if (code.startsWith('CHAT_RETRY_')) return strings.cannotRetry;
    return strings.errors[errorKind(code, status)];
  }

  #renderComposer(strings: BookbagStrings) {
    const busy = this.#host.core?.busy ?? false;
    const waiting = this.#countdown.secondsLeft > 0;
    const draft = this.#drafts.text;
    const left = MAX_INPUT - draft.length;
    return html`<form part="composer" @submit=${this.#handleSubmit}>
        <textarea part="input" rows="1" dir="auto" aria-label=${strings.inputLabel} placeholder=${this.placeholder ?? strings.placeholder}
          maxlength=${MAX_INPUT} .value=${draft} @input=${this.#handleInput} @keydown=${this.#handleInputKeydown}></textarea>
        ${busy
          ? html`<button type="button" part="stop-button" class="send" aria-label=${strings.stop} title=${strings.stop} @click=${() => this.stop()}>${stopIcon}</button>`
          : html`<button type="submit" part="send-button" class="send" aria-label=${strings.send} title=${strings.send}
              ?disabled=${waiting || !draft.trim()}>${sendIcon}</button>`}
      </form>
      <div class="hint" role="status">${this.hint}</div>
      ${left <= 500 ? html`<div class="counter" aria-live="polite">${strings.charactersLeft(new Intl.NumberFormat(this.#lang).format(left))}</div>` : nothing}`;
  }

  /** A markdown part rendered only a slice of its backlog in the last render and wants another. */
  #catchingUp = false;
  #more = () => {
    this.#catchingUp = true;
    this.#host.schedule();
  };

  /** Assistant text as safe markdown, parsed incrementally while it streams. */
  #renderText = (text: string, complete: boolean): TemplateResult => {
    // Called for every text part on every streaming render: reuse the strings of this render.
    const strings = this.#language.strings;
    return html`<div class="markdown" ${markdown(text, { complete, imageOrigins: this.imageOrigins, strings: { copyCode: strings.copyCode, copied: strings.copied }, highlight: this.highlight, caret: !complete, more: this.#more })}></div>`;
  };

  // ---- handlers ---------------------------------------------------------------------------

  #handleLauncher = () => this.toggle();

  #handleNew = async () => {
    this.#host.core?.closeHistory();
    this.reset();
    await this.updateComplete;
    this.#q('textarea')?.focus();
  };

  #toggleHistory = async () => {
    const core = this.#core();
    if (!core || core.getState().history) return this.#closeHistory();
    await core.loadHistory(true);
    await this.updateComplete;
    // Into the list: the current conversation, else the first one (an empty list leaves focus on the toggle).
    if (core.getState().history) (this.#q('[aria-current]') ?? this.#q('li button'))?.focus();
  };

  /** Leaves the history panel (focus back on its button); with an id, that conversation becomes current. */
  #closeHistory = async (id?: string) => {
    this.#host.core?.closeHistory();
    this.#scroll.pin();
    if (id && id !== this.conversationId) void this.loadConversation(id);
    this.requestUpdate();
    await this.updateComplete;
    this.#q('[part=history-button]')?.focus();
  };

  #q = (selector: string) => this.renderRoot?.querySelector<HTMLElement>(selector);

  #handleSubmit = (e: Event) => {
    e.preventDefault();
    this.#sendDraft();
  };

  #handleInput = (e: Event) => this.#drafts.typed((e.target as HTMLTextAreaElement).value, this.conversationId);

  #handleInputKeydown = (e: KeyboardEvent) => {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (this.#host.core?.busy) this.#showHint(this.#language.strings.busyHint);
      else this.#sendDraft();
    }
  };

  /** Says `text` under the composer (and to screen readers, politely) for a few seconds. */
  #showHint(text: string): void {
    this.hint = text;
    clearTimeout(this.#hintTimer);
    this.#hintTimer = setTimeout(() => (this.hint = ''), 4000);
  }

  #copyMessage = async (message: Message, button: HTMLButtonElement) => {
    try {
      await navigator.clipboard.writeText(messageText(message));
    } catch {
      return; // no clipboard (permissions, insecure context): nothing to confirm
    }
    const label = this.#language.strings.copied;
    button.setAttribute('aria-label', label);
    button.title = label;
    button.dataset.copied = '';
    this.announcement = label;
  };

  /** "Clear chat data" asks first; focus goes to the question's Cancel, and back after. */
  #clear = async (step: 'ask' | 'yes' | 'no') => {
    if (step === 'yes') {
      this.forget();
      await this.#closeHistory();
      return;
    }
    this.confirmingClear = step === 'ask';
    await this.updateComplete;
    this.#q(step === 'ask' ? '.confirm-clear .cancel' : '[part=forget-button]')?.focus();
  };

  #handlePanelKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    if (this.#state?.history) {
      e.stopPropagation();
      void this.#closeHistory();
    } else if (this.mode !== 'inline' && this.open) {
      e.stopPropagation();
      this.#setOpen(false);
    }
  };

  #jumpToLatest = () => {
    this.#scroll.pin();
    this.#q('textarea')?.focus();
  };

  #handleScroll = () => {
    const state = this.#state;
    if (this.#scroll.scrolled(!!state?.olderCursor && !state.loadingHistory)) void this.#host.core?.loadOlder();
  };

  // ---- internals --------------------------------------------------------------------------

  get #lang(): string {
    return this.#language.lang(this.langAttribute);
  }

  get #state(): ChatState | undefined {
    return this.#host.core?.getState();
  }

  #sendDraft(): void {
    const text = this.#drafts.text;
    if (!text.trim() || this.#host.core?.busy) return;
    this.#drafts.set('', this.conversationId);
    void this.send(text);
  }

  #setOpen(open: boolean): void {
    if (this.mode === 'inline' || this.open === open) return;
    const hadFocus = this.matches(':focus-within');
    this.open = open;
    this.#emit(open ? 'bookbag-open' : 'bookbag-close', {});
    if (!open && hadFocus) void this.updateComplete.then(() => this.#q('.launcher')?.focus());
  }

  /** The core for the current settings, created on first use (none without an agent id). */
  #core(): ChatController | undefined {
    if (this.#host.core) return this.#host.core;
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
    this.#storage = storage;
    const core = new ChatController({ transport: client, store: storage, userId, stream: () => !this.noStream, tools: () => this.tools });
    core.addEventListener('return-text', (e) => this.#drafts.set((e as CustomEvent<{ text: string }>).detail.text, this.conversationId));
    // Every core notification becomes the element's own `bookbag-*` event (cancelling the
    // element's cancels the core's), after what the page does for it (NOTIFICATIONS).
    for (const name of BOOKBAG_EVENT_NAMES) {
      core.addEventListener(name, (e) => {
        if (this.#host.core !== core) return;
        const { detail, cancelable } = e as CustomEvent;
        (NOTIFICATIONS[name] as ((el: BookbagChat, d: unknown) => void) | undefined)?.(this, detail);
        if (!this.#emit(name, detail, cancelable)) e.preventDefault();
      });
    }
    this.#host.attach(core);
    this.#tabs.open(storage);
    this.#drafts.load(storage, core.getState().conversationId);
    return core;
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

  /** NOTIFICATIONS: a finished reply is announced, and counted while the panel is closed. */
  private noteReply(message: Message): void {
    // Plain words for screen readers, not the markdown source ("**markdown showcase**").
    const text = plainText(messageText(message));
    if (text) this.announce((s) => s.replyFinished(text.length > 300 ? `${text.slice(0, 300)}…` : text));
    this.#tabs.messagesChanged(this.conversationId);
    // One reply per turn: a message that hands over to a tool is followed by the continuation.
    if (message.parts.some(isToolCallPart)) return;
    if (this.mode !== 'inline' && !this.open) this.unread++;
    if (this.titleNotice) {
      const s = this.#language.strings;
      this.#titleNotice.reply((n) => s.titleNotice(new Intl.NumberFormat(this.#lang).format(n)));
    }
  }

  /** NOTIFICATIONS: the conversation changed here; other tabs follow. */
  private noteConversation(conversationId: string | null): void {
    this.#tabs.conversationChanged(conversationId);
  }

  /** NOTIFICATIONS: says `text` once in the polite live region. */
  private announce(text: (strings: BookbagStrings) => string): void {
    this.announcement = text(this.#language.resolve(this.langAttribute, this.strings));
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
