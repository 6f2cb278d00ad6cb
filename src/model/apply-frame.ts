import type { ChatFrame, Message, Part, ToolCallPart } from '../protocol/message.js';

/**
 * Folds one reply frame into the assistant message it builds, returning a new message object
 * (so views can tell what changed by identity). Frames that carry no content (`finish`,
 * `done`, `ack`, `error`) leave the message as it is; the session handles those.
 */
export function applyFrame(message: Message, frame: ChatFrame): Message {
  if (frame.type === 'text-delta') {
    const parts = message.parts.slice();
    const last = parts[parts.length - 1];
    if (last?.type === 'text') parts[parts.length - 1] = { type: 'text', text: (last as { text: string }).text + frame.text };
    else parts.push({ type: 'text', text: frame.text });
    return { ...message, parts };
  }
  if (frame.type === 'tool-call') {
    // The same call can arrive twice (a tool-call frame and a later messages read).
    if (message.parts.some((p) => p.type === 'tool-call' && (p as ToolCallPart).toolCallId === frame.toolCallId)) return message;
    const call: ToolCallPart = { type: 'tool-call', toolCallId: frame.toolCallId, toolName: frame.toolName, input: frame.input, state: 'pending' };
    return { ...message, parts: [...message.parts, call] };
  }
  return message;
}

/** Returns a copy of `message` with one tool call changed. */
export function updateToolCall(message: Message, toolCallId: string, patch: Partial<ToolCallPart>): Message {
  let changed = false;
  const parts = message.parts.map((p): Part => {
    if (p.type !== 'tool-call' || (p as ToolCallPart).toolCallId !== toolCallId) return p;
    changed = true;
    return { ...(p as ToolCallPart), ...patch };
  });
  return changed ? { ...message, parts } : message;
}
