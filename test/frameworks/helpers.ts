// Shared by the framework embedding tests: a mount point outside any Lit fixture (fixture()
// waits on animation frames, which stall in background tabs), console capture, and the scripted
// turns the local server plays.
import { expect, waitUntil } from '@open-wc/testing';
import { bubbleTexts, typeAndSend } from '../helpers/chat.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { requestsOf, type RecordedRequest, type ScriptedTurn, type TestAgent } from '../helpers/local-server.js';

const mounted: HTMLElement[] = [];

/** An empty `<div>` in the document, removed after the test. */
export function mountPoint(): HTMLDivElement {
  const div = document.createElement('div');
  div.style.height = '480px';
  document.body.append(div);
  mounted.push(div);
  return div;
}

export function removeMountPoints(): void {
  for (const div of mounted.splice(0)) div.remove();
}

/** Everything logged through console.error / console.warn until `restore()` (Lit's dev-mode notice aside). */
export function captureConsole(): { problems: string[]; restore: () => void } {
  const problems: string[] = [];
  const { error, warn } = console;
  const keep = (level: string) => (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (!text.startsWith('Lit is in dev mode')) problems.push(`${level}: ${text}`);
  };
  console.error = keep('error');
  console.warn = keep('warn');
  return { problems, restore: () => Object.assign(console, { error, warn }) };
}

/** A turn in which the agent calls the client tool `add_to_cart`, then continues with `after`. */
export const cartTurn = (item: string, text: string, after: string): ScriptedTurn => ({
  text, toolCalls: [{ toolName: 'add_to_cart', input: { item } }], after,
});

export interface Traffic {
  chats: RecordedRequest[];
  toolResults: RecordedRequest[];
}

export async function traffic(agent: TestAgent): Promise<Traffic> {
  const all = await requestsOf(agent.agentId);
  return {
    chats: all.filter((r) => r.method === 'POST' && r.path.endsWith('/chat')),
    toolResults: all.filter((r) => r.method === 'POST' && r.path.endsWith('/tool-result')),
  };
}

/**
 * The API requests the agent received up to a marker request of the test's own, sent now: the
 * server sees the marker after anything the widget sent before this call.
 */
export async function requestsBeforeMarker(agent: TestAgent): Promise<string[]> {
  await fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations?limit=1`, { headers: { Authorization: `Bearer ${agent.workspaceKey}` } });
  const all = await requestsOf(agent.agentId);
  const marker = all.findIndex((r) => r.method === 'GET' && r.path.endsWith('/conversations') && r.query.limit === '1');
  if (marker < 0) throw new Error('the server did not record the marker request');
  return all.slice(0, marker).map((r) => `${r.method} ${r.path}`);
}

/** Resolves once the element has finished the turn in flight (idle again, or failed). */
export async function settled(el: BookbagChat): Promise<void> {
  await waitUntil(() => el.status === 'idle' || el.status === 'error', `still ${el.status}`, { timeout: 8000 });
  await el.updateComplete;
}

/** The nodes assigned to one of the element's slots. */
export const slotted = (el: Element, name: string): Element[] =>
  el.shadowRoot!.querySelector<HTMLSlotElement>(`slot[name="${name}"]`)!.assignedElements();

/** The text of an assistant message from a `bookbag-message` detail. */
export const textOf = (message: { parts: { type: string; text?: string }[] }): string =>
  message.parts.filter((p) => p.type === 'text').map((p) => p.text).join('');

/**
 * The second half of the "update the props, then talk again" tests (Vue, Svelte): the turn must
 * use the new listener and the new tool handler, and the server must have seen both turns.
 */
export async function expectSecondTurnWithNewProps(el: BookbagChat, agent: TestAgent, seen: {
  first: string[]; second: string[]; results: { toolCallId: string }[]; userId: string; by: string;
}): Promise<void> {
  await typeAndSend(el, 'Add a red mug');
  await waitUntil(() => seen.second.length === 2, 'second turn', { timeout: 8000 });
  await settled(el);
  expect(seen.first).to.have.length(2);
  expect(seen.second).to.deep.equal(['Second.', 'Second done.']);
  expect(bubbleTexts(el)).to.deep.equal(['Add a blue mug', 'Adding the mug.', 'The mug is in your cart.', 'Add a red mug', 'Second.', 'Second done.']);

  const t = await traffic(agent);
  expect(t.chats.map((r) => [r.body.message, r.body.userId])).to.deep.equal([['Add a blue mug', seen.userId], ['Add a red mug', seen.userId]]);
  expect(t.chats[0].headers.authorization).to.equal(`Bearer ${agent.workspaceKey}`);
  expect(t.toolResults.map((r) => r.body)).to.deep.equal([
    { toolCallId: seen.results[0].toolCallId, output: { added: 'Blue mug', by: seen.by } },
    { toolCallId: seen.results[1].toolCallId, output: 'handled by v2' },
  ]);
}

/**
 * The first half of the "mount, then talk" tests (Vue, Svelte): attributes and properties landed
 * where they belong, the slot is filled, and a tool turn reaches the framework's listeners.
 */
export async function expectMountedAndFirstTurn(el: BookbagChat, agent: TestAgent, seen: {
  first: string[]; inputs: unknown[]; results: { toolName: string; output: unknown; isError: boolean }[];
  tools: unknown; userId: string; by: string; header: string;
}): Promise<void> {
  expect(el.getAttribute('agent-id')).to.equal(agent.agentId);
  expect(el.agentId).to.equal(agent.agentId);
  expect(el.userId).to.equal(seen.userId);
  expect(el.tools).to.equal(seen.tools);
  expect(el.hasAttribute('tools')).to.equal(false);
  expect(el.heading).to.equal('Shop help');
  expect(el.getAttribute('mode')).to.equal('inline');
  expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal([seen.header]);

  await typeAndSend(el, 'Add a blue mug');
  await waitUntil(() => seen.first.length === 2, `${seen.first.length} bookbag-message events`, { timeout: 8000 });
  await settled(el);
  expect(seen.inputs).to.deep.equal([{ item: 'Blue mug' }]);
  expect(seen.first).to.deep.equal(['Adding the mug.', 'The mug is in your cart.']);
  expect(seen.results.map((r) => [r.toolName, r.output, r.isError])).to.deep.equal([['add_to_cart', { added: 'Blue mug', by: seen.by }, false]]);
}
