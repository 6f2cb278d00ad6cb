import { html, nothing } from 'lit';
import type { Confirmation } from '../model/chat-session.js';
import type { ToolCallPart } from '../model/types.js';
import type { BookbagStrings } from '../internal/strings.js';
import { summarizeInput } from '../tools/tool-runner.js';

/**
 * A tool call as a compact card: the tool's name and state, and, while the visitor's approval
 * is needed, the question with Allow / Deny.
 */
export function renderToolCall(
  part: ToolCallPart,
  confirmation: Confirmation | undefined,
  strings: BookbagStrings,
  answer: (toolCallId: string, allowed: boolean) => void,
) {
  return html`<div part="tool-call" class="tool-call" data-state=${part.state} role="group" aria-label=${strings.toolLabel(part.toolName)}>
    <span class="tool-name">${part.toolName}</span>
    <span class="tool-state">${strings.toolStates[part.state] ?? part.state}</span>
    ${confirmation
      ? html`<div class="confirm" part="tool-confirm" dir="auto">
          <span class="confirm-question">${confirmation.question}</span>
          <span class="confirm-input">${summarizeInput(confirmation.input)}</span>
          <span class="confirm-actions">
            <button type="button" class="button primary" part="tool-allow-button" @click=${() => answer(part.toolCallId, true)}>${strings.toolAllow}</button>
            <button type="button" class="button" part="tool-deny-button" @click=${() => answer(part.toolCallId, false)}>${strings.toolDeny}</button>
          </span>
        </div>`
      : nothing}
  </div>`;
}
