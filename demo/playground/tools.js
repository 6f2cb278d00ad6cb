// Client tools: example handlers a person can register and unregister on `element.tools`, and
// prompt buttons that make the local agent call them. The demo agent (demo/server/agent.ts)
// calls `get_page_title`, `set_theme` and `add_to_cart` when a message mentions "title",
// "dark mode" / "light mode" or "cart"; it knows no other tools, so for those the prompt
// button first queues a scripted turn on this tab's test agent (see agent.js).
import { h, uid } from './dom.js';
import { queueReply } from './agent.js';

/** `script`: the turn to queue before sending, or null when the demo agent's keywords suffice. */
function examples(tokens) {
  return [
    {
      name: 'get_page_title',
      what: 'Returns document.title. A plain function; the agent quotes the result back.',
      prompt: 'What is the title of this page?',
      script: null,
      entry: () => ({ title: document.title }),
    },
    {
      name: 'get_time',
      what: 'Returns the browser’s clock and time zone.',
      prompt: 'What time is it where I am?',
      script: { text: 'Let me look at your clock.', toolCalls: [{ toolName: 'get_time', input: {} }] },
      entry: () => ({ iso: new Date().toISOString(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    },
    {
      name: 'set_accent',
      what: 'Sets --bookbag-accent-color on the element (watch the button colours and the Tokens panel).',
      prompt: 'Make the chat pink, please',
      script: { text: 'Changing the accent colour.', toolCalls: [{ toolName: 'set_accent', input: { color: '#c2185b' } }] },
      entry: ({ color } = {}) => {
        if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) throw new Error('color must look like #rrggbb');
        tokens.setToken('--bookbag-accent-color', color);
        tokens.setToken('--bookbag-user-bubble-color', color);
        return { accent: color };
      },
    },
    {
      name: 'set_theme',
      what: 'Needs approval (confirm): Allow / Deny appear in the transcript; Deny posts an error result.',
      prompt: 'Switch to dark mode',
      script: null,
      entry: {
        confirm: 'Let the agent change the chat’s colours?',
        handler: ({ theme } = {}) => {
          tokens.resetAll();
          if (theme === 'dark') tokens.applyPreset('dark');
          return { theme: theme === 'dark' ? 'dark' : 'light' };
        },
      },
    },
    {
      name: 'add_to_cart',
      what: 'Always throws: the widget posts { error } as the output and fires bookbag-error TOOL_FAILED.',
      prompt: 'Add 2 blue mugs to my cart',
      script: null,
      entry: () => {
        throw new Error('the playground has no cart (this example tool always fails)');
      },
    },
    {
      name: 'slow_lookup',
      what: 'Takes 5 s but has timeoutMs: 2000, so it times out (and its signal aborts).',
      prompt: 'Look something up slowly',
      script: { text: 'This lookup is slow.', toolCalls: [{ toolName: 'slow_lookup', input: { query: 'mugs' } }] },
      entry: {
        timeoutMs: 2000,
        handler: (_input, { signal }) => new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve({ found: 3 }), 5000);
          signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('aborted')); }, { once: true });
        }),
      },
    },
  ];
}

/** Wraps a tool entry so each run of its handler, and what it returned or threw, is logged. */
function logged(name, entry, log) {
  const handler = typeof entry === 'function' ? entry : entry.handler;
  const wrapped = async (input, ctx) => {
    log.add('tool', `${name} handler ran`, { input, toolCallId: ctx.toolCallId });
    try {
      const output = await handler(input, ctx);
      log.add('tool', `${name} handler returned`, output ?? null);
      return output;
    } catch (error) {
      log.add('tool', `${name} handler threw`, { message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };
  return typeof entry === 'function' ? wrapped : { ...entry, handler: wrapped };
}

export function initTools({ element, container, hint, log, tokens, send, scripted }) {
  const list = examples(tokens);
  const boxes = new Map();

  const apply = () => {
    const registered = list.filter((t) => boxes.get(t.name).checked);
    // A new object each time: the element reads `tools` when a call arrives.
    element.tools = Object.fromEntries(registered.map((t) => [t.name, logged(t.name, t.entry, log)]));
    log.add('tool', 'element.tools set', registered.map((t) => t.name));
  };

  const ask = async (tool) => {
    if (tool.script) {
      if (!scripted) {
        log.add('mock', 'No /__mock API on this server: the agent will not call this tool');
      } else {
        try {
          await queueReply(element.agentId, tool.script);
          log.add('mock', `Queued a scripted reply on agent ${element.agentId}`, tool.script);
        } catch (error) {
          log.add('mock', 'Could not queue the scripted reply', { message: String(error) });
          return;
        }
      }
    }
    await send(tool.prompt);
  };

  const rows = list.map((tool) => {
    const id = uid('tool');
    const box = h('input', { type: 'checkbox', id, checked: true, 'data-tool': tool.name, onchange: apply });
    boxes.set(tool.name, box);
    return h('li', { class: 'tool' },
      h('div', { class: 'tool-head' },
        box,
        h('label', { for: id }, 'Register ', h('code', {}, tool.name))),
      h('p', { class: 'help' }, tool.what),
      h('div', { class: 'tool-prompt' },
        h('button', { type: 'button', 'data-prompt': tool.name, onclick: () => void ask(tool) }, `Ask: “${tool.prompt}”`),
        h('small', { class: 'help' }, tool.script ? 'scripted through /__mock' : 'demo agent keyword')));
  });

  const handleMyself = h('input', { type: 'checkbox', id: uid('tool-cancel') });
  element.addEventListener('bookbag-tool-call', (event) => {
    if (handleMyself.checked) event.preventDefault();
  });

  hint.replaceChildren(
    'Ticked tools are in ', h('code', {}, 'element.tools'), '. An agent call to an unregistered tool waits for ',
    h('code', {}, 'submitToolResult()'), ' (Methods; the toolCallId is filled in). The “Ask” buttons send a prompt that makes the agent call the tool.');

  container.replaceChildren(
    h('fieldset', {}, h('legend', {}, 'Example tools'),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', onclick: () => { for (const b of boxes.values()) b.checked = true; apply(); } }, 'Register all'),
        h('button', { type: 'button', id: 'tools-unregister-all', onclick: () => { for (const b of boxes.values()) b.checked = false; apply(); } }, 'Unregister all')),
      h('ul', { class: 'tool-list' }, rows)),
    h('fieldset', {}, h('legend', {}, 'Tool-call listener'),
      h('label', { class: 'check' }, handleMyself, ' ', h('code', {}, 'preventDefault()'), ' on ', h('code', {}, 'bookbag-tool-call'),
        ': handle calls yourself and answer with submitToolResult()')));
  apply();
}
