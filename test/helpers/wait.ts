import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

/**
 * `waitUntil` with a 5 s default instead of 1 s: most waits here span a request to the local
 * server, and on a busy machine one round trip can take longer than a second. A condition that
 * never comes true still fails, just later; one that comes true returns at once.
 */
export function waitUntil(predicate: () => unknown | Promise<unknown>, message?: string, options: { interval?: number; timeout?: number } = {}): Promise<void> {
  return openWcWaitUntil(predicate as () => boolean, message, { timeout: 5000, ...options });
}
