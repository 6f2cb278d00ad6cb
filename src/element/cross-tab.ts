import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatController } from '../core/chat-controller.js';
import { ChatStorage } from '../persistence/chat-storage.js';

type Note = { type: 'conversation'; conversationId: string | null } | { type: 'messages'; conversationId: string };

/**
 * Keeps the open tabs of one chat in step: a new conversation or new messages in one tab reach
 * the others at once through a `BroadcastChannel` (the `storage` event is the fallback for
 * conversation changes). A tab that follows another only reads: it never writes storage nor
 * answers, so two tabs cannot set each other off.
 */
export class CrossTab implements ReactiveController {
  #core: () => ChatController | undefined;
  #storage: () => ChatStorage | undefined;
  #channel: BroadcastChannel | undefined;
  #following = false;

  constructor(host: ReactiveControllerHost, core: () => ChatController | undefined, storage: () => ChatStorage | undefined) {
    this.#core = core;
    this.#storage = storage;
    host.addController(this);
  }

  hostConnected(): void {
    globalThis.addEventListener?.('storage', this.#onStorage);
  }

  hostDisconnected(): void {
    globalThis.removeEventListener?.('storage', this.#onStorage);
    this.#channel?.close();
    this.#channel = undefined;
  }

  /** Starts listening for `storage` (the chat whose tabs talk to each other). */
  open(storage: ChatStorage): void {
    this.#channel?.close();
    this.#channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(storage.key);
    if (this.#channel) this.#channel.onmessage = (e: MessageEvent<Note>) => void this.#receive(e.data);
  }

  /** This tab's conversation changed (by the visitor, not by following another tab). */
  conversationChanged(conversationId: string | null): void {
    if (!this.#following) this.#post({ type: 'conversation', conversationId });
  }

  /** This tab finished a reply: the others read the newest messages once. */
  messagesChanged(conversationId: string | null): void {
    if (conversationId && !this.#following) this.#post({ type: 'messages', conversationId });
  }

  #post(note: Note): void {
    try {
      this.#channel?.postMessage(note);
    } catch {
      // A closed channel (the element is leaving): nothing to tell.
    }
  }

  async #receive(note: Note): Promise<void> {
    const core = this.#core();
    if (!core || !note || typeof note !== 'object') return;
    if (note.type === 'conversation') await this.#follow(core, note.conversationId);
    else if (note.type === 'messages' && note.conversationId === core.getState().conversationId) await core.refresh();
  }

  async #follow(core: ChatController, conversationId: string | null): Promise<void> {
    this.#following = true;
    try {
      // followConversation announces the change synchronously; that must not echo back.
      const done = core.followConversation(typeof conversationId === 'string' ? conversationId : null);
      this.#following = false;
      await done;
    } finally {
      this.#following = false;
    }
  }

  #onStorage = (e: StorageEvent) => {
    const storage = this.#storage();
    const core = this.#core();
    // Also with a channel: another copy of the widget (an older version, say) may not post.
    if (!storage || !core || e.key !== storage.key) return;
    void this.#follow(core, ChatStorage.parse(e.newValue).conversationId ?? null);
  };
}
