/**
 * What the widget remembers in this browser, per API base + agent: the current conversation,
 * the anonymous user id, and unsent drafts. Storage can be missing, blocked (privacy modes,
 * sandboxed iframes), full, or hold another version's data; none of that may break the widget,
 * so every read validates and every write swallows errors and reports them once.
 */
import { MAX_MESSAGE_LENGTH, isConversationId, isUserId } from '../protocol/limits.js';

export type StorageKind = 'local' | 'session' | 'none';

export interface StoredState {
  conversationId?: string;
  userId?: string;
  /** Unsent composer text, keyed by conversation id ('' for a new conversation). */
  drafts?: Record<string, string>;
}

const VERSION = 1;

/** Gets the Web Storage object for a kind, or null when there is none or it throws. */
export type StorageResolver = (kind: StorageKind) => Storage | null;

export class ChatStorage {
  /** The key in Web Storage; also what a `storage` event from another tab names. */
  readonly key: string;
  #kind: StorageKind;
  #resolve: StorageResolver;
  /** Called once when storage fails, so the host hears about it (STORAGE_UNAVAILABLE). */
  #onFailure: (error: unknown) => void;
  #failed = false;

  constructor(init: { apiBase: string; agentId: string; kind: StorageKind; resolve: StorageResolver; onFailure?: (error: unknown) => void }) {
    this.key = `bookbag-chat:${init.apiBase.replace(/\/+$/, '')}|${init.agentId}`;
    this.#kind = init.kind;
    this.#resolve = init.resolve;
    this.#onFailure = init.onFailure ?? (() => {});
  }

  /** The stored state, validated; anything unreadable comes back empty. */
  load(): StoredState {
    const raw = this.#try(() => this.#storage()?.getItem(this.key) ?? null);
    return raw ? parseState(raw) : {};
  }

  /** Merges `patch` into the stored state. Never throws. */
  update(patch: Partial<StoredState>): void {
    if (this.#kind === 'none') return;
    const next = { ...this.load(), ...patch };
    for (const k of Object.keys(next) as (keyof StoredState)[]) if (next[k] === undefined) delete next[k];
    this.#try(() => this.#storage()?.setItem(this.key, JSON.stringify({ v: VERSION, ...next })));
  }

  /** Drops everything this widget stored for this agent. */
  clear(): void {
    this.#try(() => this.#storage()?.removeItem(this.key));
  }

  /** Reads the state out of a raw value (e.g. a `storage` event's `newValue`). */
  static parse(raw: string | null): StoredState {
    return raw ? parseState(raw) : {};
  }

  #storage(): Storage | null {
    return this.#kind === 'none' ? null : this.#resolve(this.#kind);
  }

  #try<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!this.#failed) {
        this.#failed = true;
        this.#onFailure(error);
      }
      return undefined;
    }
  }
}

function parseState(raw: string): StoredState {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object' || (value as { v?: unknown }).v !== VERSION) return {};
  const v = value as Record<string, unknown>;
  const state: StoredState = {};
  if (isConversationId(v.conversationId)) state.conversationId = v.conversationId;
  if (isUserId(v.userId)) state.userId = v.userId;
  if (v.drafts && typeof v.drafts === 'object' && !Array.isArray(v.drafts)) {
    const drafts: Record<string, string> = {};
    for (const [k, d] of Object.entries(v.drafts)) if (typeof d === 'string') drafts[k] = d.slice(0, MAX_MESSAGE_LENGTH);
    state.drafts = drafts;
  }
  return state;
}

/** Whether a user id passes Bookbag's pattern. */
export const isValidUserId = (id: string): boolean => isUserId(id);

/** A fresh anonymous user id: `anon_` + 20 random base-36 characters. */
export function anonymousUserId(random: () => number = Math.random): string {
  let id = 'anon_';
  const bytes = globalThis.crypto?.getRandomValues?.(new Uint8Array(20));
  for (let i = 0; i < 20; i++) id += ((bytes ? bytes[i] : Math.floor(random() * 256)) % 36).toString(36);
  return id;
}
