/**
 * Which engine this browser test runs in (`BOOKBAG_ENGINE`, see test/engines.mjs), and the few
 * harness capabilities that differ between engines. A test that cannot run in one engine is
 * skipped there with the platform gap in its title (printed as `skipped in <engine>: …`).
 */
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';

export type Engine = 'chromium' | 'firefox' | 'webkit';

const config = (window as unknown as { BOOKBAG_TEST: { engine?: Engine; slowdown?: number } }).BOOKBAG_TEST;

export const engine: Engine = config.engine ?? 'chromium';

/**
 * How many times longer than Chromium this engine takes (test/engines.mjs SLOWDOWN): a test that
 * sets its own timeout (a hang guard, never a speed assertion) multiplies it by this.
 */
export const slowdown: number = config.slowdown ?? 1;

/** `it`, or `it.skip` in the engines listed, with the reason (a platform gap) in the title. */
export function itExcept(gaps: Partial<Record<Engine, string>>, title: string, body: Mocha.Func | Mocha.AsyncFunc): Mocha.Test {
  const gap = gaps[engine];
  return gap ? it.skip(`${title} [not in ${engine}: ${gap}]`, body) : it(title, body);
}

/**
 * Media emulation is a Chrome DevTools Protocol feature: WebDriver BiDi (Firefox) and WebDriver
 * classic (WebKit) have no command that overrides a media feature such as `prefers-color-scheme`.
 */
export const NO_MEDIA_EMULATION = 'no media-feature override (prefers-color-scheme, prefers-reduced-motion) over WebDriver BiDi/classic (CDP only)';

/** A phone-sized viewport: wtr's setViewport has no WebDriver implementation, and a WebDriver window is not a viewport. */
export const NO_PHONE_VIEWPORT = 'WebDriver sets the window, not the viewport, and MiniBrowser windows are at least 447 px wide';

/** Emulates `prefers-color-scheme`; only where NO_MEDIA_EMULATION does not apply (Chromium). */
export async function setColorScheme(colorScheme: 'light' | 'dark'): Promise<void> {
  if (engine === 'chromium') await emulateMedia({ colorScheme });
}

/** Emulates `prefers-reduced-motion`; only where NO_MEDIA_EMULATION does not apply (Chromium). */
export async function setReducedMotion(reducedMotion: 'reduce' | 'no-preference'): Promise<void> {
  if (engine === 'chromium') await emulateMedia({ reducedMotion });
}

/** Presses `key` with `modifiers` held, as trusted keyboard input, in every engine (`press-chord`). */
export async function pressChord(modifiers: string[], key: string): Promise<void> {
  await executeServerCommand('press-chord', { modifiers, key });
}

/** Types `text` as trusted keyboard input, every character intact in every engine (`type-text`). */
export async function typeText(text: string): Promise<void> {
  await executeServerCommand('type-text', { text });
}
