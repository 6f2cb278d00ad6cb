// Shared by the framework embedding tests: a mount point outside any Lit fixture (fixture()
// waits on animation frames, which stall in background tabs), console capture, and the scripted
// turns the local server plays.
import { waitUntil } from '@open-wc/testing';
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
