import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationList } from '../core/conversation-list.js';
import type { BookbagStrings } from '../internal/strings.js';
import { absoluteTime, relativeTime } from '../internal/relative-time.js';
import { backIcon } from './icons.js';

export interface HistoryViewContext {
  strings: BookbagStrings;
  lang: string;
  /** The conversation shown in the chat (marked `aria-current`). */
  current: string | null;
  /** The error notice, when there is one. */
  error: TemplateResult | typeof nothing;
  /** The visitor asked to clear this device's data and has not answered yet. */
  confirmingClear: boolean;
  /** Back to the chat: with an id, after making that conversation current. */
  close: (id?: string) => void;
  /** Loads the next page. */
  more: () => void;
  /** Asks first (`true`), or answers: clear (`forget()`) or cancel. */
  clear: (step: 'ask' | 'yes' | 'no') => void;
}

/**
 * Arrow keys move between the conversations (one Tab stop for the whole list): Up/Down step,
 * Home/End jump. Tab leaves the list.
 */
function rove(e: KeyboardEvent): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(e.key)) return;
  const items = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('.history-item')];
  const at = items.indexOf(e.target as HTMLButtonElement);
  if (at < 0) return;
  e.preventDefault();
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : Math.min(items.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
  for (const [i, item] of items.entries()) item.tabIndex = i === next ? 0 : -1;
  items[next].focus();
}

// Template whitespace is kept compact on purpose: Lit templates ship as written.
// No `type="button"`: nothing here is inside a form.
/** The history panel: a headed list of this user's conversations, each a button, one time style. */
export function renderHistory(list: ConversationList, { strings, lang, current, error, confirmingClear, close, more, clear }: HistoryViewContext) {
  // The one Tab stop: the current conversation, else the first.
  const stop = list.items.some((c) => c.id === current) ? current : list.items[0]?.id;
  return html`<div part="history" class="messages history">
<button part="back-button" class="action" @click=${() => close()}>${backIcon}${strings.back}</button>
<h3 id="history-heading" class="history-heading">${strings.history}</h3>
<ul role="list" aria-labelledby="history-heading" @keydown=${rove}>${list.items.map(
    (c) => html`<li><button part="history-item" class="button history-item" tabindex=${c.id === stop ? '0' : '-1'} aria-current=${c.id === current || nothing} @click=${() => close(c.id)}><span dir="auto">${
      c.title ?? strings.newConversation}</span>${c.at ? html`<small><time datetime=${new Date(c.at * 1000).toISOString()} title=${absoluteTime(c.at, lang)}>${relativeTime(c.at, lang, strings.justNow)}</time></small>` : nothing}</button></li>`,
  )}</ul>
${list.cursor === null && !list.items.length ? html`<p class="empty">${strings.historyEmpty}</p>` : nothing}${error}
${list.cursor !== null && !list.loading ? html`<button class="button" @click=${more}>${strings.loadMore}</button>` : nothing}
${confirmingClear
    ? html`<div class="confirm-clear" role="group" aria-labelledby="clear-question"><p id="clear-question">${strings.clearDataConfirm}</p>
<span class="confirm-actions"><button part="forget-confirm-button" class="button danger" @click=${() => clear('yes')}>${strings.clearDataYes}</button>
<button class="button cancel" @click=${() => clear('no')}>${strings.cancel}</button></span></div>`
    : html`<button part="forget-button" class="action" @click=${() => clear('ask')}>${strings.clearData}</button>`}
</div>`;
}
