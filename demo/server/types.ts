// Shapes shared by the server modules. Wire shapes follow bookbag-api-v2.md §7 (message,
// conversation) and §8 (tool calls); everything else is internal bookkeeping.

// The wire shapes come from the contract (src/protocol/wire.ts).
import type { EndpointName, WireFeedback, WireMessage, WirePart, WireTextPart, WireToolCallPart, WireToolResultPart } from '../../src/protocol/index.ts';

export type Role = WireMessage['role'];
export type Feedback = WireFeedback;
export type TextPart = WireTextPart;
export type ToolCallPart = WireToolCallPart;
export type ToolResultPart = WireToolResultPart;
// Seeded history may carry part types the server does not know; they are stored as given.
export type Part = WirePart;

export interface StoredMessage {
  id: string;
  role: Role;
  parts: Part[];
  createdAt: number;
  feedback: Feedback;
  metadata?: Record<string, unknown>;
}

export interface PendingCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The assistant message that carries the tool-call part. */
  messageId: string;
  /** The user message whose turn is waiting; the continuation answers it. */
  userMessageId: string;
  /** Scripted continuation text, when the turn came from a reply queue. */
  after: string | null;
}

export interface Conversation {
  id: string;
  agentId: string;
  title: string | null;
  createdAt: number;
  updatedAt: number;
  userId: string | null;
  status: 'ongoing';
  messages: StoredMessage[];
  pending: PendingCall[];
}

export interface ScriptedToolCall { toolName: string; input: unknown }
export interface ScriptedTurn { text?: string; toolCalls?: ScriptedToolCall[]; after?: string }

export type { EndpointName };

export interface Switches {
  pace?: number;
  chunk?: 'word' | 'char' | number;
  status?: number;
  envelope?: 'json' | 'none' | 'html' | 'text';
  retryAfter?: number;
  statusTimes?: number;
  statusOn?: EndpointName[];
  stallAfter?: number;
  stallMs?: number;
  errorAfter?: number;
  errorText?: string;
  finishAfterError?: boolean;
  dropAfter?: number;
  omitDone?: boolean;
  malformedAt?: number;
  notSse?: boolean;
  splitBytes?: boolean;
  replyBytes?: number;
  unknownFrames?: boolean;
  toolFrame?: 'tool-call' | 'tool-input-available' | 'none';
  toolResultMode?: 'stream' | 'json' | 'ack';
}

export interface Agent {
  id: string;
  workspaceId: string;
  archived: boolean;
  config: Switches;
  replies: ScriptedTurn[];
  /** How many more matching requests get `config.status`; null = no limit. */
  statusLeft: number | null;
}

export interface ApiKey {
  key: string;
  workspaceId: string;
  /** Set for an agent-scoped key. */
  agentId: string | null;
}

export interface ServerOptions {
  /** Milliseconds between stream frames (default 35). */
  pace?: number;
  /** JSON file that keeps conversations across restarts. */
  dataFile?: string;
  /** Requests per key per window (default 100). */
  rateLimit?: number;
  /** Sliding window length (default 10000 ms). */
  rateWindowMs?: number;
  /** Serve `/__mock` and honour switches (default true). */
  testApi?: boolean;
}
