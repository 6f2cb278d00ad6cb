import type { ChatFrame } from './message.js';
import type { FinishMetadata } from './wire.js';

/**
 * Turns one decoded `data:` payload into a frame, or `undefined` for frames the widget does not
 * use (unknown types, `tool-input-start`/`-delta`): Bookbag may add frame types, and a client
 * that ignores them keeps working.
 */
export function toFrame(json: unknown): ChatFrame | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const f = json as Record<string, unknown>;
  switch (f.type) {
    case 'text-delta': {
      // Bookbag sends `text`; the AI SDK UI stream (and Chatbase) send `delta`.
      const text = typeof f.text === 'string' ? f.text : typeof f.delta === 'string' ? f.delta : '';
      return text ? { type: 'text-delta', text } : undefined;
    }
    case 'tool-call':
    case 'tool-input-available':
      if (typeof f.toolCallId !== 'string' || typeof f.toolName !== 'string') return undefined;
      return { type: 'tool-call', toolCallId: f.toolCallId, toolName: f.toolName, input: f.input ?? {} };
    case 'error':
      return { type: 'error', errorText: typeof f.errorText === 'string' ? f.errorText : 'The reply failed.' };
    case 'finish': {
      const metadata = f.metadata && typeof f.metadata === 'object' ? (f.metadata as FinishMetadata) : {};
      return { type: 'finish', finishReason: typeof f.finishReason === 'string' ? f.finishReason : 'stop', metadata };
    }
    default:
      return undefined;
  }
}

/**
 * The frames a non-streaming reply stands for: the JSON body `{data: message}` of chat, retry or
 * tool-result (`stream: false`), or a bare acknowledgement `{data: {success: true}}`.
 */
export function framesFromJson(body: unknown): ChatFrame[] {
  const data = (body as { data?: unknown } | null)?.data as Record<string, unknown> | undefined;
  if (!data || !Array.isArray(data.parts)) return [{ type: 'ack' }, { type: 'done' }];
  const frames: ChatFrame[] = [];
  for (const part of data.parts as Record<string, unknown>[]) {
    const frame = part?.type === 'text' ? toFrame({ ...part, type: 'text-delta' }) : part?.type === 'tool-call' ? toFrame(part) : undefined;
    if (frame) frames.push(frame);
  }
  const meta = (data.metadata && typeof data.metadata === 'object' ? data.metadata : {}) as FinishMetadata & { finishReason?: string };
  const messageId = typeof data.id === 'string' ? data.id : meta.messageId;
  frames.push({ type: 'finish', finishReason: meta.finishReason ?? 'stop', metadata: { ...meta, messageId } });
  frames.push({ type: 'done' });
  return frames;
}
