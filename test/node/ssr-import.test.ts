// Importing the side-effect-free entry in Node (server-side rendering) must not touch window,
// document or storage, and must not register the element.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('the side-effect-free entry imports in Node without a DOM', async () => {
  assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  const mod = await import('../../src/index.ts');
  assert.equal(typeof mod.BookbagChat, 'function');
  assert.equal(typeof mod.ChatController, 'function');
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
  assert.equal(typeof (globalThis as { localStorage?: unknown }).localStorage, 'undefined');
  // Nothing was registered: Lit's Node shim provides a registry only if something defines.
  const registry = (globalThis as { customElements?: { get(n: string): unknown } }).customElements;
  assert.equal(registry?.get('bookbag-chat'), undefined);
});
