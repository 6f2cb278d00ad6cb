// <bookbag-chat> inside Vue 3.5, through render functions (h()) and a single-file component.
// Vue sets a prop on an element as a property when the element has it (`name in element`) and
// as an attribute otherwise; `.name` forces a property, `^name` an attribute. A listener prop is
// `on` + an upper-case letter, and Vue hyphenates the rest: `onBookbagMessage` listens to
// `bookbag-message`. In templates that is `@bookbag-message` and `.tools` (or `:tools.prop`), and
// the build's `isCustomElement` option tells the template compiler not to look for a Vue
// component called bookbag-chat.
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import { BookbagChat } from '../../src/bookbag-chat.js';
import { bubbleTexts, typeAndSend } from '../helpers/chat.js';
import { createAgent, serverMessages } from '../helpers/local-server.js';
import type { Message } from '../../src/model/types.js';
import { createApp, h, nextTick, ref, shallowRef, VueChat, VueChatWithoutIsCustomElement, type App } from './vendor/vue.js';
import { captureConsole, cartTurn, expectMountedAndFirstTurn, expectSecondTurnWithNewProps, mountPoint, removeMountPoints, requestsBeforeMarker, settled, slotted, textOf, traffic } from './helpers.js';

type Tools = BookbagChat['tools'];
type Listener = (event: CustomEvent) => void;

describe('frameworks: Vue 3.5 (h() and a single-file component)', () => {
  let app: App | undefined;
  let console_: ReturnType<typeof captureConsole>;

  beforeEach(() => {
    console_ = captureConsole();
  });

  afterEach(() => {
    app?.unmount();
    app = undefined;
    console_.restore();
    removeMountPoints();
  });

  /** Mounts `root` into a fresh mount point and waits for the element's first update. */
  async function mount(root: Parameters<typeof createApp>[0], configure?: (app: App) => void): Promise<{ el: BookbagChat; container: HTMLElement }> {
    const container = mountPoint();
    app = createApp(root);
    configure?.(app);
    app.mount(container);
    const el = container.querySelector('bookbag-chat') as BookbagChat;
    await el.updateComplete;
    return { el, container };
  }

  it('h(): attributes, .tools, slots and onBookbag* listeners work through a tool turn; reactive changes update the element', async () => {
    const agent = await createAgent({ replies: [cartTurn('Blue mug', 'Adding the mug.', 'The mug is in your cart.'), cartTurn('Red mug', 'Second.', 'Second done.')] });
    const first: string[] = [];
    const second: string[] = [];
    const results: any[] = [];
    const inputs: unknown[] = [];
    const v1: Tools = { add_to_cart: (input: { item: string }) => { inputs.push(input); return { added: input.item, by: 'vue' }; } };
    const v2: Tools = { add_to_cart: () => 'handled by v2' };
    const heading = ref('Shop help');
    const tools = shallowRef(v1);
    const onMessage = shallowRef<Listener>((e) => first.push(textOf(e.detail.message)));

    // The component under test: what an app would write to embed the widget.
    const { el } = await mount({
      setup: () => () => h('bookbag-chat', {
        'agent-id': agent.agentId,
        'api-base': agent.apiBase,
        'api-key': agent.workspaceKey,
        'user-id': 'vue-user',
        mode: 'inline',
        storage: 'none',
        heading: heading.value,
        '.tools': tools.value,
        onBookbagMessage: onMessage.value,
        onBookbagToolResult: (e: CustomEvent) => results.push(e.detail),
      }, [
        h('span', { slot: 'header' }, `${heading.value} (Vue)`),
        h('p', { slot: 'empty' }, 'Ask about mugs.'),
      ]),
    });

    expect(el).to.be.instanceOf(BookbagChat);
    expect(slotted(el, 'empty').map((n) => n.textContent)).to.deep.equal(['Ask about mugs.']);
    await expectMountedAndFirstTurn(el, agent, { first, inputs, results, tools: v1, userId: 'vue-user', by: 'vue', header: 'Shop help (Vue)' });

    // Reactive state changes: Vue patches the same element.
    heading.value = 'After';
    tools.value = v2;
    onMessage.value = (e) => second.push(textOf(e.detail.message));
    await nextTick();
    await el.updateComplete;
    expect(document.querySelector('bookbag-chat')).to.equal(el);
    expect(el.heading).to.equal('After');
    expect(el.tools).to.equal(v2);
    expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal(['After (Vue)']);

    await expectSecondTurnWithNewProps(el, agent, { first, second, results, userId: 'vue-user', by: 'vue' });
    expect(console_.problems).to.deep.equal([]);
  });

  it('listener naming: onBookbagSend and onBookbag-send both listen to bookbag-send (and can cancel); onbookbag-send does not', async () => {
    const agent = await createAgent({ replies: [{ text: 'never sent' }] });
    const seen: string[] = [];
    const { el } = await mount({
      setup: () => () => h('bookbag-chat', {
        'agent-id': agent.agentId, 'api-base': agent.apiBase, 'api-key': agent.workspaceKey, mode: 'inline', storage: 'none',
        onBookbagSend: (e: CustomEvent<{ text: string }>) => { seen.push(`onBookbagSend ${e.detail.text}`); e.preventDefault(); },
        'onBookbag-send': () => seen.push('onBookbag-send'),
        'onbookbag-send': () => seen.push('onbookbag-send'),
      }),
    });
    await typeAndSend(el, 'hello');
    await el.updateComplete;
    expect(seen).to.deep.equal(['onBookbagSend hello', 'onBookbag-send']);
    expect(el.status).to.equal('idle');
    // Nothing reached the server before a later request of the test's own.
    expect(await requestsBeforeMarker(agent)).to.deep.equal([]);
  });

  it('SFC compiled with isCustomElement: :attr, .tools, @bookbag-* and a slot child work through a tool turn, with no Vue warnings', async () => {
    const agent = await createAgent({ replies: [cartTurn('Green mug', 'Adding it.', 'Done.'), { text: 'Plain reply.' }] });
    const messages: string[] = [];
    const results: any[] = [];
    const tools: Tools = { add_to_cart: ({ item }: { item: string }) => ({ added: item, by: 'vue-sfc' }) };
    const heading = ref('Templated');
    const { el } = await mount({
      setup: () => () => h(VueChat, {
        agent, heading: heading.value, tools,
        onMessage: (message: Message) => messages.push(textOf(message)),
        onToolResult: (detail: unknown) => results.push(detail),
      }),
    });
    expect(el.getAttribute('agent-id')).to.equal(agent.agentId);
    expect(el.userId).to.equal('vue-sfc-user');
    expect(el.tools).to.equal(tools);
    expect(el.hasAttribute('tools')).to.equal(false);
    expect(el.heading).to.equal('Templated');
    expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal(['Templated (Vue SFC)']);
    await typeAndSend(el, 'Add a green mug');
    await waitUntil(() => messages.length === 2, `${messages.length} bookbag-message events`, { timeout: 8000 });
    await settled(el);
    expect(messages).to.deep.equal(['Adding it.', 'Done.']);
    expect((await traffic(agent)).toolResults.map((r) => r.body)).to.deep.equal([
      { toolCallId: results[0].toolCallId, output: { added: 'Green mug', by: 'vue-sfc' } },
    ]);

    heading.value = 'Renamed';
    await nextTick();
    await el.updateComplete;
    expect(el.heading).to.equal('Renamed');
    expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal(['Renamed (Vue SFC)']);
    await typeAndSend(el, 'thanks');
    await waitUntil(() => messages.length === 3, 'third message', { timeout: 8000 });
    expect(messages[2]).to.equal('Plain reply.');
    expect(console_.problems).to.deep.equal([]);
  });

  it('SFC compiled without isCustomElement: Vue warns that it cannot resolve a component named bookbag-chat', async () => {
    const agent = await createAgent();
    await mount({ setup: () => () => h(VueChatWithoutIsCustomElement, { agent, heading: 'x', tools: {} }) });
    expect(console_.problems.join('\n')).to.contain('Failed to resolve component: bookbag-chat');
  });

  it('unmounting mid-reply removes the element and aborts its request quietly', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 3000 }, replies: [{ text: 'kept words and the rest' }] });
    const messages: unknown[] = [];
    const errors: unknown[] = [];
    const { el, container } = await mount({
      setup: () => () => h('bookbag-chat', {
        'agent-id': agent.agentId, 'api-base': agent.apiBase, 'api-key': agent.workspaceKey, mode: 'inline', storage: 'none',
        onBookbagMessage: (e: CustomEvent) => messages.push(e.detail),
      }),
    });
    el.addEventListener('bookbag-error', (e) => errors.push((e as CustomEvent).detail));
    await typeAndSend(el, 'hello');
    await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial reply', { timeout: 4000 });
    app!.unmount();
    app = undefined;
    expect(container.childElementCount).to.equal(0);
    expect(el.isConnected).to.equal(false);
    const list = await fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations`, { headers: { Authorization: `Bearer ${agent.workspaceKey}` } });
    const conversationId = (await list.json()).data[0].id;
    let stored: any[] = [];
    await waitUntil(async () => (stored = await serverMessages(agent, conversationId)).length === 2, 'the server did not record the abort', { timeout: 10000 });
    expect(stored[1].parts[0].text.trim()).to.equal('kept words');
    // The server saw the socket close after the widget aborted, so anything the widget did on
    // the abort has happened by now.
    expect(messages).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(console_.problems).to.deep.equal([]);
  });
});
