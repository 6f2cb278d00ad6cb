import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Where the transcript is scrolled: pinned to the newest message while the visitor is at the
 * bottom (new text scrolls into view), left alone while they read further up, and anchored
 * when an older page is added above so the visible messages stay where they were.
 */
export class ScrollAnchor implements ReactiveController {
  #host: ReactiveControllerHost;
  #log: () => HTMLElement | null | undefined;
  #loadingOlder: () => boolean;
  #older: { height: number; top: number } | undefined;
  /** The transcript is scrolled to the bottom. */
  pinned = true;

  constructor(host: ReactiveControllerHost, log: () => HTMLElement | null | undefined, loadingOlder: () => boolean) {
    this.#host = host;
    this.#log = log;
    this.#loadingOlder = loadingOlder;
    host.addController(this);
  }

  /** Back to the newest message (a send, a jump, another conversation). */
  pin(): void {
    if (!this.pinned) {
      this.pinned = true;
      this.#host.requestUpdate();
    }
  }

  /**
   * The visitor scrolled. Returns true when they reached the top and an older page should load
   * (the anchor is kept until the page is in and applied).
   */
  scrolled(canLoadOlder: boolean): boolean {
    const log = this.#log();
    if (!log) return false;
    const pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    if (pinned !== this.pinned) {
      this.pinned = pinned;
      this.#host.requestUpdate();
    }
    // One load per arrival at the top: until the page is in and the anchor applied, another
    // scroll event at the top (the browser's own, after a script's) loads nothing more.
    if (log.scrollTop < 48 && canLoadOlder && !this.#older) {
      this.#older = { height: log.scrollHeight, top: log.scrollTop };
      return true;
    }
    return false;
  }

  /** Applies the scroll after a render; the anchor is kept until the older page is in. */
  hostUpdated(): void {
    const loadingOlder = this.#loadingOlder();
    const log = this.#log();
    if (!log) return;
    if (this.#older && !loadingOlder) {
      // Older messages were added above: keep the visible ones where they were.
      log.scrollTop = log.scrollHeight - this.#older.height + this.#older.top;
      this.#older = undefined;
    } else if (this.pinned && !this.#older) {
      log.scrollTop = log.scrollHeight;
    }
  }
}
