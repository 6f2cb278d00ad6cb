import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The optional tab-title notice (`title-notice`): while the page is hidden, each reply bumps a
 * count in front of the page's own title ("(2) New reply · Shop"); the title is put back as
 * soon as the visitor looks again, or the element leaves the page.
 */
export class TitleNotice implements ReactiveController {
  #title: string | undefined;
  #count = 0;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** A reply arrived: when the page is hidden, show `notice(count)` before the page's title. */
  reply(notice: (count: number) => string): void {
    if (document.visibilityState !== 'hidden') return;
    this.#title ??= document.title;
    const text = notice(++this.#count);
    document.title = this.#title ? `${text} · ${this.#title}` : text;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#restore();
  }

  #onVisibility = () => {
    if (document.visibilityState !== 'hidden') this.#restore();
  };

  #restore(): void {
    if (this.#title !== undefined) document.title = this.#title;
    this.#title = undefined;
    this.#count = 0;
  }
}
