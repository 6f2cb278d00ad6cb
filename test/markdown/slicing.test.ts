// A large backlog (a burst that arrived while the page was busy) is rendered a slice per update
// when the host offers `more`, so no single frame parses and lays out the whole reply.
import { expect, waitUntil } from '@open-wc/testing';
import { mount, serialize } from './helpers.js';
import { $, chatFor } from '../helpers/chat.js';
import { createAgent } from '../helpers/local-server.js';

/** wtr may run this tab in the background, where slicing is off; pretend the page is visible. */
function forceVisibility(state: DocumentVisibilityState): () => void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  return () => delete (document as { visibilityState?: unknown }).visibilityState;
}

const paragraph = (i: number) => `## Section ${i}\n\nSome **bold** text, a [link](https://example.com/${i}) and \`code\` 😀.\n\n- one\n- two\n\n`;
const bigReply = Array.from({ length: 600 }, (_, i) => paragraph(i)).join(''); // ≈ 60 KB

describe('markdown: slicing a large backlog', () => {
  let restore: () => void = () => {};
  afterEach(() => restore());

  it('renders a slice per update while visible, asks for more, and ends identical to one pass', async () => {
    restore = forceVisibility('visible');
    // Each update renders slices while it stays within its time budget: a clock that moves 5 ms
    // per reading makes that two slices an update, whatever this machine's speed.
    let clock = 0;
    const now = performance.now;
    performance.now = () => (clock += 5);
    const restoreVisibility = restore;
    restore = () => {
      performance.now = now;
      restoreVisibility();
    };
    const whole = await mount();
    whole.update(bigReply, { complete: true });
    const expected = serialize(whole.host.firstElementChild!);

    const { host, update } = await mount();
    let asked = 0;
    const more = () => asked++;
    update(bigReply, { complete: true, more });
    const first = (host.firstElementChild as HTMLElement).textContent!.length;
    expect(asked, 'more() after the first slice').to.equal(1);
    expect(first).to.be.greaterThan(0);
    expect(first).to.be.lessThan(bigReply.length / 2);

    let updates = 1;
    while (asked === updates) {
      update(bigReply, { complete: true, more });
      updates++;
      // Two 4 KB slices an update: about 60 KB / 8 KB updates.
      expect(updates, 'catches up in a handful of updates').to.be.lessThan(12);
    }
    expect(updates).to.be.greaterThan(4);
    expect(serialize(host.firstElementChild!)).to.equal(expected);
  });

  it('renders everything at once when the page is hidden or the host offers no `more`', async () => {
    restore = forceVisibility('hidden');
    const hidden = await mount();
    let asked = 0;
    hidden.update(bigReply, { complete: true, more: () => asked++ });
    expect(asked).to.equal(0);
    restore();

    restore = forceVisibility('visible');
    const plain = await mount();
    plain.update(bigReply, { complete: true });
    expect(serialize(plain.host.firstElementChild!)).to.equal(serialize(hidden.host.firstElementChild!));
    expect(plain.host.textContent).to.contain('Section 599');
  });

  it('a small chunk is never sliced', async () => {
    restore = forceVisibility('visible');
    const { host, update } = await mount();
    let asked = 0;
    update(paragraph(1), { more: () => asked++ });
    expect(asked).to.equal(0);
    expect(host.textContent).to.contain('Section 1');
  });
});

describe('<bookbag-chat>: a reply that arrives in one burst', () => {
  let restore: () => void = () => {};
  afterEach(() => restore());

  it('is rendered in slices, and updateComplete waits for the last one', async function () {
    this.timeout(30000);
    restore = forceVisibility('visible');
    const agent = await createAgent({ config: { replyBytes: 200_000, chunk: 200_000 } });
    const el = await chatFor(agent);
    const sizes: number[] = [];
    const observer = new MutationObserver(() => sizes.push($(el, '[part~="message-assistant"] .markdown')?.textContent?.length ?? 0));
    observer.observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
    await el.send('a long answer please');
    await waitUntil(() => el.status === 'idle', `still ${el.status}`, { timeout: 15000 });
    await el.updateComplete;
    observer.disconnect();
    const text = (el.messages[1].parts[0] as { text: string }).text;
    const rendered = $(el, '[part~="message-assistant"] .markdown')!.textContent!.replace(/\s+/g, '');
    expect(rendered.length).to.be.greaterThan(text.replace(/[\s#*`>|_-]+/g, '').length * 0.95);
    // More than one distinct size was shown on the way: it was not built in a single update.
    const distinct = new Set(sizes.filter((n) => n > 0));
    expect(distinct.size, `sizes seen: ${[...distinct].slice(0, 5).join(', ')}`).to.be.greaterThan(2);
  });
});
