import { html, nothing, type TemplateResult } from 'lit';
import { type ConversationList, relativeTime } from '../model/conversation-list.js';
import type { BookbagStrings } from '../internal/strings.js';
import { backIcon } from './icons.js';

export interface HistoryViewContext {
  strings: BookbagStrings;
  lang: string;
  /** The conversation shown in the chat (marked `aria-current`). */
  current: string | null;
  /** The error notice, when there is one. */
  error: TemplateResult | typeof nothing;
  /** Back to the chat: with an id, after making that conversation current. */
  close: (id?: string) => void;
  /** Loads the next page. */
  more: () => void;
  /** Clears this device's chat data (`forget()`). */
  forget: () => void;
}

// Template whitespace is kept compact on purpose: Lit templates ship as written.
// No `type="button"`: nothing here is inside a form.
/** The history panel: a labelled list of this user's conversations, each a button. */
export const renderHistory = (list: ConversationList, { strings, lang, current, error, close, more, forget }: HistoryViewContext) =>
  html`<div part="history" class="messages history">
<button part="back-button" class="action" @click=${() => close()}>${backIcon}${strings.back}</button>
<ul role="list" aria-label=${strings.history}>${list.items.map(
    (c) => html`<li><button part="history-item" class="button history-item" aria-current=${c.id === current || nothing} @click=${() => close(c.id)}>${
      c.title ?? strings.newConversation}${c.at ? html`<small>${relativeTime(c.at, lang)}</small>` : nothing}</button></li>`,
  )}</ul>
${list.cursor === null && !list.items.length ? html`<p class="empty">${strings.historyEmpty}</p>` : nothing}${error}
${list.cursor !== null && !list.loading ? html`<button class="button" @click=${more}>${strings.loadMore}</button>` : nothing}
<button part="forget-button" class="action" @click=${forget}>${strings.clearData}</button>
</div>`;
