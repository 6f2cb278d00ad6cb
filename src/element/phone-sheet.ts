import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { lockPageScroll, unlockPageScroll } from './scroll-lock.js';

type Host = ReactiveControllerHost & HTMLElement & { open: boolean; mode: string };

/**
 * The launcher panel as a modal full-screen sheet on phones: sized from `visualViewport` so
 * the on-screen keyboard never covers the composer, with the page behind locked (a counted
 * lock). Each element has its own sizing stylesheet and its own modality.
 *
 * Modality: while the sheet is open, everything this element renders outside the panel is
 * `inert`. That is the launcher button (under the sheet, and it would toggle the panel shut);
 * the live region stays as it is, since inert would silence its announcements and it holds no
 * control. Inside the panel the browser's own Tab order rules, so controls slotted into the
 * header and footer are reached like any other, whatever kind of control they are.
 *
 * The host page is not made inert: that would mean writing `inert` onto elements the widget
 * does not own (every sibling up to `<body>`), which fights the page's own dialogs and inert
 * state, is reverted or flagged by frameworks that own those attributes, and with two widgets
 * needs a shared owner to restore it exactly. The page is covered by the sheet instead, and the
 * panel's two ends hold a focus guard each (an empty focusable span, only while the sheet is
 * open): Tab past the last control lands on the end guard, which hands focus to the first
 * control, and Shift+Tab the other way round. So focus never reaches the covered page, nor the
 * browser's toolbar past the page's end, and no key is intercepted.
 */
export class PhoneSheet implements ReactiveController {
  #host: Host;
  #height: CSSStyleSheet | undefined;
  #locked = false;
  /** The focus guards at the panel's start and end, made on first use. */
  #guards: [HTMLElement, HTMLElement] | undefined;

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

  /** Applies size, lock and modality for the current state (idempotent). */
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
    const launcher = root?.querySelector<HTMLElement>('.launcher');
    if (launcher) launcher.inert = active;
    this.#guard(active ? root?.querySelector<HTMLElement>('.panel') : null);
    if (active !== this.#locked) {
      this.#locked = active;
      if (active) lockPageScroll();
      else unlockPageScroll();
    }
  };

  /** Puts the focus guards at both ends of `panel`, or takes them out (null). */
  #guard(panel: HTMLElement | null | undefined): void {
    if (!panel) {
      for (const guard of this.#guards ?? []) guard.remove();
      return;
    }
    const guards = (this.#guards ??= [this.#makeGuard(true), this.#makeGuard(false)]);
    // Outside every part Lit renders into the panel, so a render never moves or drops them.
    if (panel.firstChild !== guards[0]) panel.prepend(guards[0]);
    if (panel.lastChild !== guards[1]) panel.append(guards[1]);
  }

  #makeGuard(start: boolean): HTMLElement {
    const guard = document.createElement('span');
    guard.tabIndex = 0;
    // Out of the panel's flex flow, so it takes no room and no gap (CSSOM, which CSP allows).
    guard.style.position = 'absolute';
    guard.addEventListener('focus', () => {
      const controls = focusableIn(guard.parentElement!).filter((el) => !this.#guards?.includes(el));
      (start ? controls[controls.length - 1] : controls[0])?.focus();
    });
    return guard;
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

