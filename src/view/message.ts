import { html, nothing, type TemplateResult } from 'lit';
import type { Confirmation } from '../model/chat-session.js';
import { type Message, type Part, isTextPart, isToolCallPart } from '../model/types.js';
import type { BookbagStrings } from '../internal/strings.js';
import { renderToolCall } from './tool-call.js';
import { retryIcon, thumbDownIcon, thumbUpIcon } from './icons.js';

/** What a message row needs from the element beyond the message itself. */
export interface MessageViewContext {
  strings: BookbagStrings;
  /** The message is the reply being streamed right now. */
  streaming: boolean;
  /** Show the retry button (the last finished assistant message). */
  canRetry: boolean;
  confirmations: Confirmation[];
  renderText: (text: string, complete: boolean) => TemplateResult;
  onRetry: (message: Message) => void;
  onFeedback: (message: Message, value: 'positive' | 'negative') => void;
  onConfirm: (toolCallId: string, allowed: boolean) => void;
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
  return html`<div part="message ${user ? 'message-user' : 'message-assistant'}" class="message ${message.role}" data-id=${message.id}>
    <span class="sr-only">${user ? strings.you : strings.assistant}:</span>
    ${hasText || (ctx.streaming && message.parts.length === 0)
      ? html`<div part="bubble" class="bubble" dir=${user ? 'auto' : bubbleDirection(message)}>${ctx.streaming && message.parts.length === 0
          ? html`<span class="typing">${strings.thinking}</span>`
          : message.parts.map((p) => (isTextPart(p) ? renderTextPart(p.text, user, ctx) : nothing))}</div>`
      : nothing}
    ${message.parts.map((p: Part) =>
      isToolCallPart(p) ? renderToolCall(p, ctx.confirmations.find((c) => c.toolCallId === p.toolCallId), strings, ctx.onConfirm) : nothing,
    )}
    ${finished
      ? html`<div part="actions" class="actions">
          ${ctx.canRetry
            ? html`<button type="button" class="action" part="retry-button" aria-label=${strings.retry} title=${strings.retry} @click=${() => ctx.onRetry(message)}>${retryIcon}</button>`
            : nothing}
          ${feedbackButton(message, 'positive', strings.feedbackPositive, thumbUpIcon, ctx)}
          ${feedbackButton(message, 'negative', strings.feedbackNegative, thumbDownIcon, ctx)}
        </div>`
      : nothing}
  </div>`;
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
