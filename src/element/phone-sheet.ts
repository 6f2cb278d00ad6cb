import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { lockPageScroll, unlockPageScroll } from './scroll-lock.js';

type Host = ReactiveControllerHost & HTMLElement & { open: boolean; mode: string };

/**
 * The launcher panel as a modal full-screen sheet on phones: sized from `visualViewport` so
 * the on-screen keyboard never covers the composer, with the page behind locked (a counted
 * lock), and Tab kept inside the sheet, slotted header and footer controls included. Each
 * element has its own sizing stylesheet.
 */
export class PhoneSheet implements ReactiveController {
  #host: Host;
  #height: CSSStyleSheet | undefined;
  #locked = false;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  /** Whether the viewport is phone-sized (the styles switch at the same width). */
  get phone(): boolean {
    // (The same query as the styles' sheet rule: landscape phones are short, so they get it too.)
    return typeof matchMedia !== 'undefined' && matchMedia('(max-width: 639px), (max-height: 479px)').matches;
  }

  /** Whether the sheet is open as a modal. */
  get active(): boolean {
    const host = this.#host;
    return host.open && host.mode !== 'inline' && this.phone && host.isConnected;
  }

  hostConnected(): void {
    globalThis.visualViewport?.addEventListener('resize', this.sync);
  }

  hostDisconnected(): void {
    globalThis.visualViewport?.removeEventListener('resize', this.sync);
    this.sync();
  }

  hostUpdated(): void {
    this.sync();
  }

  /** Applies size and lock for the current state (idempotent). */
  sync = (): void => {
    const active = this.active;
    const root = this.#host.shadowRoot;
    if (root && typeof CSSStyleSheet !== 'undefined') {
      if (!this.#height) {
        this.#height = new CSSStyleSheet();
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.#height];
      }
      const height = globalThis.visualViewport?.height;
      this.#height.replaceSync(active && height ? `:host{--_sheet-height:${Math.round(height)}px}` : '');
    }
    if (active !== this.#locked) {
      this.#locked = active;
      if (active) lockPageScroll();
      else unlockPageScroll();
    }
  };

  /** Keeps Tab inside the open sheet: the panel's controls and the controls slotted into it. */
  trapTab(e: KeyboardEvent, panel: HTMLElement): void {
    if (!this.active) return;
    const focusables = focusableIn(panel);
    const active = activeElementIn(this.#host);
    const [first, last] = [focusables[0], focusables[focusables.length - 1]];
    if (e.shiftKey ? active === first : active === last) {
      e.preventDefault();
      (e.shiftKey ? last : first)?.focus();
    }
  }
}

const FOCUSABLE = 'button:not([disabled]), textarea, input:not([disabled]), select, a[href], [tabindex="0"]';

/** Focusable elements of `root` in flat-tree order, walking into slots (slotted light DOM). */
function focusableIn(root: Element): HTMLElement[] {
  const found: HTMLElement[] = [];
  const walk = (node: Element) => {
    if ((node as HTMLElement).hidden) return;
    if (node instanceof HTMLSlotElement) {
      for (const el of node.assignedElements({ flatten: true })) walk(el);
      return;
    }
    if (node.matches(FOCUSABLE)) found.push(node as HTMLElement);
    for (const child of node.children) walk(child);
  };
  walk(root);
  return found;
}

/** The focused element, looking through the host's shadow root to light DOM slotted content. */
function activeElementIn(host: HTMLElement): Element | null {
  return host.shadowRoot?.activeElement ?? (host.contains(document.activeElement) ? document.activeElement : null);
}
