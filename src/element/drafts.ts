import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatStorage } from '../persistence/chat-storage.js';

/**
 * The composer's text, kept per conversation so a reload or a tab switch loses nothing. Typing
 * saves after a pause; the pending save remembers the conversation it was typed for, and runs
 * (never later than) when the element leaves the page.
 */
export class Drafts implements ReactiveController {
  #host: ReactiveControllerHost;
  #storage: ChatStorage | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #save: (() => void) | undefined;
  /** The composer's text. */
  text = '';

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Reads the draft of `conversationId` from `storage` (which then keeps the drafts). */
  load(storage: ChatStorage | undefined, conversationId: string | null): void {
    this.flush();
    this.#storage = storage;
    this.text = storage?.load().drafts?.[conversationId ?? ''] ?? '';
    this.#host.requestUpdate();
  }

  /** The visitor typed: save for `conversationId` after a pause. */
  typed(text: string, conversationId: string | null): void {
    this.text = text;
    clearTimeout(this.#timer);
    this.#save = () => this.#write(conversationId, text);
    this.#timer = setTimeout(() => this.flush(), 300);
    this.#host.requestUpdate();
  }

  /** Sets the text and saves it now (sent, or given back after a failed send). */
  set(text: string, conversationId: string | null): void {
    this.text = text;
    clearTimeout(this.#timer);
    this.#save = undefined;
    this.#write(conversationId, text);
    this.#host.requestUpdate();
  }

  /** Runs a pending save now. */
  flush(): void {
    clearTimeout(this.#timer);
    const save = this.#save;
    this.#save = undefined;
    save?.();
  }

  hostDisconnected(): void {
    this.flush();
  }

  #write(conversationId: string | null, text: string): void {
    const storage = this.#storage;
    if (!storage) return;
    const key = conversationId ?? '';
    const drafts = { ...storage.load().drafts };
    if (text) drafts[key] = text;
    else delete drafts[key];
    storage.update({ drafts });
  }
}
