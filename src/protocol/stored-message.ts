import type { Message, Part, ToolCallPart } from './message.js';

/**
 * Converts a message as the server stores it into the widget's model. Tool calls get their
 * state from the `tool-result` parts Bookbag may store beside them: answered calls are done
 * (or error, when the output carries `error`), the rest are still pending on the server.
 * Returns undefined for anything that is not a readable message.
 */
export function fromServerMessage(raw: unknown): Message | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  if (typeof m.id !== 'string' || (m.role !== 'user' && m.role !== 'assistant') || !Array.isArray(m.parts)) return undefined;
  const results = new Map<string, unknown>();
  for (const p of m.parts as Record<string, unknown>[]) {
    if (p?.type === 'tool-result' && typeof p.toolCallId === 'string') results.set(p.toolCallId, p.output);
  }
  const parts: Part[] = [];
  for (const p of m.parts as Record<string, unknown>[]) {
    if (!p || typeof p !== 'object' || typeof p.type !== 'string') continue;
    if (p.type === 'tool-call' && typeof p.toolCallId === 'string') {
      const answered = results.has(p.toolCallId);
      const output = results.get(p.toolCallId);
      const call: ToolCallPart = {
        type: 'tool-call',
        toolCallId: p.toolCallId,
        toolName: typeof p.toolName === 'string' ? p.toolName : 'tool',
        input: p.input ?? {},
        state: !answered ? 'pending' : isErrorOutput(output) ? 'error' : 'done',
      };
      if (answered) call.output = output;
      parts.push(call);
    } else if (p.type === 'text') {
      if (typeof p.text === 'string') parts.push({ type: 'text', text: p.text });
    } else if (p.type !== 'tool-result') {
      parts.push({ ...(p as Part) });
    }
  }
  const message: Message = { id: m.id, role: m.role, parts };
  if (typeof m.createdAt === 'number') message.createdAt = m.createdAt;
  if (m.role === 'assistant') message.feedback = m.feedback === 'positive' || m.feedback === 'negative' ? m.feedback : null;
  return message;
}

/** Tool outputs shaped `{ error: "…" }` are failures (what the widget itself posts on failure). */
export const isErrorOutput = (output: unknown): boolean =>
  !!output && typeof output === 'object' && typeof (output as { error?: unknown }).error === 'string';
