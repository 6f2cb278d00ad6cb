/**
 * The widget's message model (the public parts model of widget-contract.md): the parts Bookbag
 * v2 stores, with the tool-call lifecycle added so a transcript can show what a call is doing.
 */
import type { FinishMetadata } from './wire.js';

/** A finished or streaming piece of assistant (or user) text. */
export interface TextPart {
  type: 'text';
  text: string;
}

/** Where a client-side tool call stands. */
export type ToolCallState = 'pending' | 'running' | 'done' | 'error';

/** A call the agent made to a client-side tool. */
export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  input: unknown;
  state: ToolCallState;
  output?: unknown;
}

/** A part type this widget does not know. Kept in `messages`, never rendered. */
export interface UnknownPart {
  type: string;
  [key: string]: unknown;
}

export type Part = TextPart | ToolCallPart | UnknownPart;

export type Feedback = 'positive' | 'negative' | null;

export interface Message {
  /** Server id (`msg_…`) once known; a local `local_…` id before the server names it. */
  id: string;
  role: 'user' | 'assistant';
  parts: Part[];
  /** Unix seconds. */
  createdAt?: number;
  feedback?: Feedback;
}

/** What the chat is doing: the public status (derived from activity and the turn's error). */
export type ChatStatus = 'idle' | 'submitted' | 'streaming' | 'awaiting-tool' | 'error';

/**
 * One unit of an assistant reply, whatever wire shape it came in (SSE frames, a JSON reply,
 * or a tool-result acknowledgement). Transports produce these; the core reduces them.
 */
export type ChatFrame =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'error'; errorText: string }
  | { type: 'finish'; finishReason: string; metadata: FinishMetadata }
  /** `data: [DONE]`: the turn is over. */
  | { type: 'done' }
  /** A tool result was accepted without a continuation (`{data:{success:true}}`). */
  | { type: 'ack' };

export const isTextPart = (part: Part): part is TextPart => part.type === 'text' && typeof (part as TextPart).text === 'string';
export const isToolCallPart = (part: Part): part is ToolCallPart =>
  part.type === 'tool-call' && typeof (part as ToolCallPart).toolCallId === 'string';

/** The text of a message: its text parts joined. */
export const messageText = (message: Message): string =>
  message.parts.filter(isTextPart).map((p) => p.text).join('');
