import { html, nothing, type TemplateResult } from 'lit';
import type { Confirmation } from '../model/chat-session.js';
import { type Message, type Part, isTextPart, isToolCallPart } from '../protocol/message.js';
import type { ToolEntry } from '../core/tool-runner.js';
import type { BookbagStrings } from '../internal/strings.js';
import { absoluteTime, relativeTime } from '../internal/relative-time.js';
import { renderToolCall } from './tool-call.js';
import { copyIcon, retryIcon, thumbDownIcon, thumbUpIcon } from './icons.js';

/** What a message row needs from the element beyond the message itself. */
export interface MessageViewContext {
  strings: BookbagStrings;
  lang: string;
  /** The message is the reply being streamed right now. */
  streaming: boolean;
  /** Show the retry button (the last finished assistant message). */
  canRetry: boolean;
  /**
   * Show the actions row: the last assistant message of its turn, once the turn has settled
   * (nothing streaming, no tool running or waiting for approval). One row per turn.
   */
  showActions: boolean;
  /** The visitor stopped this reply: show the `stopped` marker with continue / retry. */
  stopped: boolean;
  /** Show `timestamp`s. */
  timestamps: boolean;
  /** Who "Assistant:" is for screen readers (the `agent-name`, else the built-in label). */
  agentName: string;
  /** The agent's avatar for assistant rows (already vetted), or nothing. */
  avatar: TemplateResult | typeof nothing;
  tools: Record<string, ToolEntry>;
  confirmations: Confirmation[];
  renderText: (text: string, complete: boolean) => TemplateResult;
  onRetry: (message: Message) => void;
  onFeedback: (message: Message, value: 'positive' | 'negative') => void;
  onConfirm: (toolCallId: string, allowed: boolean) => void;
  onCopy: (message: Message, button: HTMLButtonElement) => void;
  onContinue: (message: Message) => void;
  onRetryStopped: (message: Message) => void;
}

/** Letters of the right-to-left scripts (Unicode bidi classes R and AL). */
const RTL_LETTER = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * An assistant bubble's direction from its first letter, as `dir="auto"` would resolve it.
 * Assistant bubbles don't use `dir="auto"` itself: WebKit re-resolves an auto direction over the
 * whole subtree for every child appended, so a long reply rendered in quadratic time there
 * (a 200 KB reply took 70 s instead of 5 s, a 2 MB one froze the page).
 */
function bubbleDirection(message: Message): 'ltr' | 'rtl' | 'auto' {
  for (const p of message.parts) {
    const letter = isTextPart(p) ? /\p{L}/u.exec(p.text)?.[0] : undefined;
    if (letter) return RTL_LETTER.test(letter) ? 'rtl' : 'ltr';
  }
  return 'auto';
}

/** One message: its bubble of text parts, its tool-call cards, and (assistant) its actions. */
export function renderMessage(message: Message, ctx: MessageViewContext) {
  const user = message.role === 'user';
  const { strings } = ctx;
  const finished = !user && !ctx.streaming && !message.id.startsWith('local_');
  const hasText = message.parts.some((p) => isTextPart(p) && p.text);
  return html`<div part="message ${user ? 'message-user' : 'message-assistant'}" class="message ${message.role}" data-id=${message.id}
    ?data-streaming=${ctx.streaming}>
    <span class="sr-only">${user ? strings.you : ctx.agentName}:</span>
    ${user ? nothing : ctx.avatar}
    ${hasText
      ? html`<div part="bubble" class="bubble" dir=${user ? 'auto' : bubbleDirection(message)}>${message.parts.map((p) => (isTextPart(p) ? renderTextPart(p.text, user, ctx) : nothing))}</div>`
      : nothing}
    ${message.parts.map((p: Part) =>
      isToolCallPart(p)
        ? renderToolCall(p, ctx.confirmations.find((c) => c.toolCallId === p.toolCallId), strings, ctx.onConfirm, ctx.tools[p.toolName])
        : nothing,
    )}
    ${ctx.stopped && !user
      ? html`<div part="stopped" class="stopped"><span>${strings.stopped}</span>
          <button type="button" class="action" @click=${() => ctx.onContinue(message)}>${strings.continue}</button>
          <button type="button" class="action" part="retry-button" @click=${() => ctx.onRetryStopped(message)}>${retryIcon}${strings.retry}</button>
        </div>`
      : nothing}
    ${ctx.timestamps && message.createdAt ? timestamp(message.createdAt, ctx) : nothing}
    ${finished && ctx.showActions
      ? html`<div part="actions" class="actions">
          ${ctx.canRetry
            ? html`<button type="button" class="action" part="retry-button" aria-label=${strings.retry} title=${strings.retry} @click=${() => ctx.onRetry(message)}>${retryIcon}</button>`
            : nothing}
          ${hasText
            ? html`<button type="button" class="action" part="copy-message-button" aria-label=${strings.copyMessage} title=${strings.copyMessage}
                @click=${(e: Event) => ctx.onCopy(message, e.currentTarget as HTMLButtonElement)}>${copyIcon}</button>`
            : nothing}
          ${feedbackButton(message, 'positive', strings.feedbackPositive, thumbUpIcon, ctx)}
          ${feedbackButton(message, 'negative', strings.feedbackNegative, thumbDownIcon, ctx)}
        </div>`
      : nothing}
  </div>`;
}

/** Relative and localized; the full date and time on hover (and in `datetime`). */
function timestamp(seconds: number, ctx: MessageViewContext) {
  return html`<time part="timestamp" class="timestamp" datetime=${new Date(seconds * 1000).toISOString()} title=${absoluteTime(seconds, ctx.lang)}>${relativeTime(
    seconds,
    ctx.lang,
    ctx.strings.justNow,
  )}</time>`;
}

function renderTextPart(text: string, user: boolean, ctx: MessageViewContext) {
  // User text is shown as typed; assistant text goes through the safe markdown renderer.
  return user ? html`<span class="plain">${text}</span>` : ctx.renderText(text, !ctx.streaming);
}

function feedbackButton(message: Message, value: 'positive' | 'negative', label: string, icon: TemplateResult, ctx: MessageViewContext) {
  const pressed = message.feedback === value;
  return html`<button type="button" class="action" part="feedback-button feedback-${value}" aria-label=${label} title=${label}
    aria-pressed=${pressed ? 'true' : 'false'} @click=${() => ctx.onFeedback(message, value)}>${icon}</button>`;
}

/**
 * The typing indicator, from send until the first token: three dots (still under reduced
 * motion) and the text for screen readers, which the element also announces once.
 */
export const renderTypingIndicator = (label: string, avatar: TemplateResult | typeof nothing) =>
  html`<div part="typing-indicator" class="message assistant typing-indicator">${avatar}<div class="bubble"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span><span class="sr-only">${label}</span></div></div>`;
