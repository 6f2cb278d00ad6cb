/**
 * What the effects (turn, tools, history) get from the controller: the state and the one way
 * to change it, the transport, the cancellation scope and the outward notifications.
 */
import type { BookbagEventDetails } from '../protocol/events.js';
import type { ToolEntry } from './tool-runner.js';
import type { Action } from './reducer.js';
import type { CancelScope } from './cancel-scope.js';
import type { ChatState } from './state.js';
import type { ChatTransport } from './transport.js';
import type { SerialJobExecutor } from './serial-jobs.js';

export interface CoreContext {
  readonly state: ChatState;
  dispatch(action: Action): void;
  readonly transport: ChatTransport;
  readonly scope: CancelScope;
  /** Tool results are posted one at a time. */
  readonly posts: SerialJobExecutor;
  readonly userId: string;
  readonly stream: boolean;
  readonly tools: Record<string, ToolEntry> | undefined;
  readonly pageSize: number;
  /** Fires a `bookbag-*` notification; false when a listener cancelled it. */
  emit<K extends keyof BookbagEventDetails>(type: K, detail: BookbagEventDetails[K], cancelable?: boolean): boolean;
  /** Makes `id` current (stored, announced). */
  adoptConversation(id: string): void;
  /** Reports a failure: `turn` errors offer retry and make `status` `error`; notices change nothing else. */
  report(error: unknown, kind: 'turn' | 'notice'): import('./state.js').ChatError;
  /** The server no longer has the current conversation: start a new one, keep `text` for the visitor. */
  conversationLost(text: string | undefined): void;
  /** Gives text that could not be sent back to the composer. */
  returnText(text: string): void;
}

let localIds = 0;
/** An id for a message the server has not named yet. */
export const localId = (): string => `local_${Date.now().toString(36)}_${++localIds}`;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** 404 `RESOURCE_NOT_FOUND` for a request that named a conversation: the server lost it. */
export const isLostConversation = (error: unknown): boolean =>
  !!error && typeof error === 'object' && (error as { status?: number }).status === 404 && (error as { code?: string }).code === 'RESOURCE_NOT_FOUND';
