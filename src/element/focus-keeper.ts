import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps keyboard focus inside the panel after every action. A button that did its job often
 * leaves the DOM in the next render (Send becomes Stop, Retry, Allow/Deny, a suggestion), and a
 * removed element hands focus to `<body>`: Escape would no longer close the panel. When the
 * focused element is gone after a render, focus moves to the composer (or `fallback`).
 */
export class FocusKeeper implements ReactiveController {
  #host: ReactiveControllerHost & HTMLElement;
  #fallback: () => HTMLElement | null | undefined;
  #focused: Element | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, fallback: () => HTMLElement | null | undefined) {
    this.#host = host;
    this.#fallback = fallback;
    host.addController(this);
  }

  hostUpdate(): void {
    this.#focused = this.#host.shadowRoot?.activeElement ?? null;
  }

  hostUpdated(): void {
    const was = this.#focused;
    this.#focused = null;
    // Gone: removed, hidden or disabled (a hidden or disabled element loses focus too).
    if (!was || (was.isConnected && was.getClientRects().length > 0 && !(was as HTMLButtonElement).disabled)) return;
    const active = this.#host.shadowRoot?.activeElement;
    if (active && active !== was && active.isConnected) return;
    this.#fallback()?.focus();
  }
}
