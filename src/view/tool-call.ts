import { html, nothing } from 'lit';
import type { Confirmation } from '../model/chat-session.js';
import type { ToolCallPart } from '../protocol/message.js';
import type { ToolEntry } from '../core/tool-runner.js';
import type { BookbagStrings } from '../internal/strings.js';
import { BIDI_CONTROLS } from '../markdown/bidi-controls.js';

/** What the visitor sees a call as: `declined` is a deliberate Deny, not a failure. */
export type ToolCardState = 'pending' | 'running' | 'done' | 'error' | 'declined';

/** The output the session records for a call the visitor denied. */
const DENIED = 'denied by the user';

/** The card's state, telling a denial apart from a failure. */
export function toolCardState(part: ToolCallPart): ToolCardState {
  if (part.state !== 'error') return part.state;
  return errorText(part.output) === DENIED ? 'declined' : 'error';
}

const errorText = (output: unknown): string | undefined => {
  const error = (output as { error?: unknown } | null | undefined)?.error;
  return typeof error === 'string' ? error : undefined;
};

/**
 * A value as an approval card shows it: runs of whitespace (newlines, tabs, padding that could
 * push a field out of view) collapsed to one space, and every bidi control written out as
 * `[U+202E]`, so a right-to-left override cannot reorder what the visitor reads.
 */
export function visibleValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Every field of a tool's input, in full: `[name, value]`, or one unnamed row for a non-object. */
export function inputFields(input: unknown): [string, string][] {
  if (input === null || input === undefined) return [];
  if (typeof input === 'object' && !Array.isArray(input)) return Object.entries(input as Record<string, unknown>).map(([k, v]) => [visibleValue(k), visibleValue(v)]);
  return [['', visibleValue(input)]];
}

/** The host's `label` and `describe(input)` for a tool, if it gave them; `describe` may not break the card. */
function presentation(entry: ToolEntry | undefined, input: unknown): { label?: string; summary?: string } {
  if (!entry || typeof entry === 'function') return {};
  let summary: string | undefined;
  try {
    const s = entry.describe?.(input);
    if (typeof s === 'string' && s.trim()) summary = visibleValue(s);
  } catch {
    // A throwing describe() only loses the summary.
  }
  return { label: typeof entry.label === 'string' && entry.label.trim() ? entry.label : undefined, summary };
}

// The approval list scrolls when long, so it takes focus (keyboard users can scroll it too).
const fieldList = (fields: [string, string][], cls: string, scrolls = false) =>
  html`<dl class=${cls} tabindex=${scrolls ? '0' : nothing}>${fields.map(([k, v]) => html`<div>${k ? html`<dt><bdi>${k}</bdi>:</dt>` : nothing}<dd><bdi>${v}</bdi></dd></div>`)}</dl>`;

/**
 * A tool call as a card: the visitor-facing name (`label`, else the tool's name), its state
 * (a spinner while running), the host's one-line summary, and expandable details (input and
 * result). While the visitor's approval is needed, the question, every input field in full,
 * and Allow / Deny.
 */
export function renderToolCall(
  part: ToolCallPart,
  confirmation: Confirmation | undefined,
  strings: BookbagStrings,
  answer: (toolCallId: string, allowed: boolean) => void,
  entry: ToolEntry | undefined,
) {
  const state = toolCardState(part);
  const { label, summary } = presentation(entry, part.input);
  const name = label ?? part.toolName;
  const reason = state === 'error' ? errorText(part.output) : undefined;
  const question = typeof entry === 'object' && typeof entry.confirm === 'string' && entry.confirm ? entry.confirm : strings.toolConfirm(name);
  const fields = inputFields(part.input);
  return html`<div part="tool-call" class="tool-call" data-state=${state} role="group" aria-label=${strings.toolLabel(name)}>
    <span class="tool-icon" aria-hidden="true"></span>
    <span class="tool-name" dir="auto">${name}</span>
    <span class="tool-state">${strings.toolStates[state]}${reason ? html`<span class="tool-reason">: ${visibleValue(reason).slice(0, 120)}</span>` : nothing}</span>
    ${summary ? html`<span class="tool-summary" dir="auto"><bdi>${summary}</bdi></span>` : nothing}
    ${confirmation
      ? html`<div class="confirm" part="tool-confirm" dir="auto">
          <span class="confirm-question">${question}</span>
          ${fields.length ? html`<span class="confirm-label">${strings.toolInput}</span>${fieldList(fields, 'fields confirm-input', true)}` : nothing}
          <span class="confirm-actions">
            <button type="button" class="button primary" part="tool-allow-button" @click=${() => answer(part.toolCallId, true)}>${strings.toolAllow}</button>
            <button type="button" class="button" part="tool-deny-button" @click=${() => answer(part.toolCallId, false)}>${strings.toolDeny}</button>
          </span>
        </div>`
      : fields.length || part.output !== undefined
        ? html`<details class="tool-details" part="tool-details"><summary>${strings.toolDetails}</summary>
            ${fields.length ? fieldList(fields, 'fields') : nothing}
            ${part.output !== undefined && state !== 'declined' ? fieldList(inputFields(part.output), 'fields tool-output') : nothing}
          </details>`
        : nothing}
  </div>`;
}
