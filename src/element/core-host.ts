import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatController } from '../core/chat-controller.js';

/**
 * Connects the element to its {@link ChatController}: every state change asks for one render,
 * coalesced to at most one per animation frame (a stream changes state many times a frame).
 * Hidden tabs get no animation frames, so a timeout makes sure a reply still lands there.
 */
export class CoreHost implements ReactiveController {
  #host: ReactiveControllerHost;
  #core: ChatController | undefined;
  #unsubscribe: () => void = () => {};
  #pending: Promise<void> | undefined;
  #flush: () => void = () => {};

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get core(): ChatController | undefined {
    return this.#core;
  }

  /** Drives renders from `core` (and stops listening to the previous one, which is disposed). */
  attach(core: ChatController | undefined): void {
    this.#unsubscribe();
    this.#core?.dispose();
    this.#core = core;
    this.#unsubscribe = core ? core.subscribe(() => this.schedule()) : () => {};
  }

  /** Asks for a render in the next frame (once, however often it is called meanwhile). */
  schedule(): void {
    if (this.#pending) return;
    this.#pending = new Promise((resolve) => {
      const run = () => {
        cancelAnimationFrame(frame);
        clearTimeout(timer);
        if (this.#pending) {
          this.#pending = undefined;
          this.#host.requestUpdate();
        }
        resolve();
      };
      const frame = requestAnimationFrame(run);
      const timer = setTimeout(run, 100);
      this.#flush = run;
    });
  }

  /** A render scheduled for the next frame, or undefined. */
  get pending(): Promise<void> | undefined {
    return this.#pending;
  }

  hostDisconnected(): void {
    // Removed from the page: abort the request and any tool; a re-add starts from storage.
    this.attach(undefined);
    this.#flush();
  }
}
