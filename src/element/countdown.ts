import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders once a second while a "retry in N s" wait (429 `Retry-After`) runs, and stops
 * the moment it is over or the element leaves the page.
 */
export class Countdown implements ReactiveController {
  #host: ReactiveControllerHost;
  #until: () => number | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, until: () => number | undefined) {
    this.#host = host;
    this.#until = until;
    host.addController(this);
  }

  /** Whole seconds left, 0 when there is no wait. */
  get secondsLeft(): number {
    const until = this.#until();
    return until ? Math.max(0, Math.ceil((until - Date.now()) / 1000)) : 0;
  }

  hostUpdated(): void {
    if (this.secondsLeft > 0) this.#ticker ??= setInterval(() => this.#host.requestUpdate(), 1000);
    else this.hostDisconnected();
  }

  hostDisconnected(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }
}
