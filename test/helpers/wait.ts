import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

/**
 * `waitUntil` with a 5 s default instead of 1 s: most waits here span a request to the local
 * server, and on a busy machine one round trip can take longer than a second. A condition that
 * never comes true still fails, just later; one that comes true returns at once.
 */
export function waitUntil(predicate: () => unknown | Promise<unknown>, message?: string, options: { interval?: number; timeout?: number } = {}): Promise<void> {
  return openWcWaitUntil(predicate as () => boolean, message, { timeout: 5000, ...options });
}

/**
 * Resolves once an image requested now has loaded or failed. An injected `<img src=x onerror>`
 * (the way most XSS payloads run) fires its handler when its own request ends; a probe requested
 * after it, from the same server, ends later. Waiting on the probe replaces a fixed sleep before
 * checking that nothing ran.
 */
export function afterPendingImages(): Promise<void> {
  return new Promise((settled) => {
    const probe = new Image();
    probe.onload = probe.onerror = () => settled();
    probe.src = `x-probe-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  });
}
