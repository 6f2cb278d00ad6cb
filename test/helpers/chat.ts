import { fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import type { BookbagEventDetails } from '../../src/events.js';
import type { TestAgent } from './local-server.js';

export interface ChatOptions {
  mode?: 'inline' | 'launcher';
  storage?: 'local' | 'session' | 'none';
  noStream?: boolean;
  userId?: string;
  headers?: Record<string, string>;
}

/** A `<bookbag-chat>` wired to a test agent (inline, no storage unless asked). */
export async function chatFor(agent: TestAgent, opts: ChatOptions = {}): Promise<BookbagChat> {
  const el = await fixture<BookbagChat>(html`<bookbag-chat
    agent-id=${agent.agentId}
    api-base=${agent.apiBase}
    api-key=${agent.workspaceKey}
    mode=${opts.mode ?? 'inline'}
    storage=${opts.storage ?? 'none'}
    user-id=${opts.userId ?? ''}
    ?no-stream=${opts.noStream ?? false}
    .headers=${opts.headers}
  ></bookbag-chat>`);
  return el;
}

/** An element in the widget's shadow root. */
export const $ = <T extends Element = HTMLElement>(el: BookbagChat, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
export const $$ = <T extends Element = HTMLElement>(el: BookbagChat, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];

/** The visible text of every message bubble, in order. */
export const bubbleTexts = (el: BookbagChat): string[] => $$(el, '[part~="bubble"]').map((b) => b.textContent!.trim());

/** Types into the composer and presses Enter, as a visitor would. */
export async function typeAndSend(el: BookbagChat, text: string): Promise<void> {
  const input = $<HTMLTextAreaElement>(el, '[part="input"]')!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}

/** Records every `bookbag-*` event the element fires. */
export function recordEvents(el: BookbagChat): { type: string; detail: any }[] {
  const log: { type: string; detail: any }[] = [];
  const names: (keyof BookbagEventDetails)[] = ['bookbag-ready', 'bookbag-open', 'bookbag-close', 'bookbag-send', 'bookbag-stream-start',
    'bookbag-message', 'bookbag-tool-call', 'bookbag-tool-result', 'bookbag-feedback', 'bookbag-conversation', 'bookbag-error'];
  for (const name of names) el.addEventListener(name, (e) => log.push({ type: name, detail: (e as CustomEvent).detail }));
  return log;
}
