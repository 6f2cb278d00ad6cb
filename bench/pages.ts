// The test pages. Each exposes the same `window.page` driver so the harness treats them alike:
// mount(opts), stream(scenario), turn(), history(h). Measurement helpers (long tasks, text
// search, paint timing) come from the harness's init script, not from the page. `ours` and
// `previous` are the same page over two builds of the widget: this checkout's dist/ and an
// earlier commit's (bench/previous.ts), each served with its sibling chunks beside it.
export type Impl = 'ours' | 'previous' | 'deep' | 'floor';
export type Variant = 'load' | 'blank';

const BOX = 'width:420px;height:640px';
const STYLE = `<style>html,body{margin:0;font:14px/1.4 system-ui,sans-serif}#host{padding:8px}
bookbag-chat{display:block;${BOX}}
#log{${BOX};overflow:auto;white-space:pre-wrap;border:1px solid #ccc}</style>`;

/** Shared page-side code for fetching all pages of the seeded history (floor and deep-chat). */
const FETCH_HISTORY = `
async function fetchHistory(h) {
  let all = [], cursor = null;
  do {
    const q = new URLSearchParams({ limit: '100' });
    if (cursor) q.set('cursor', cursor);
    const res = await fetch('/api/v2/agents/' + h.agentId + '/conversations/' + h.conversationId + '/messages?' + q,
      { headers: { Authorization: 'Bearer ' + h.apiKey, Accept: 'application/json' } });
    const body = await res.json();
    all = body.data.concat(all);
    cursor = body.pagination.hasMore ? body.pagination.cursor : null;
  } while (cursor);
  return all.map((m) => ({ role: m.role, text: m.parts.filter((p) => p.type === 'text').map((p) => p.text).join('') }));
}`;

/** Where the server serves each widget build (its sibling chunks load relative to it). */
export const WIDGET_DIRS = { ours: '/dist/', previous: '/previous/' } as const;

const widgetScript = (dir: string) => `
import '${dir}bookbag-chat.js';
let el;
function mount(o) {
  el = document.createElement('bookbag-chat');
  el.setAttribute('mode', 'inline');
  el.setAttribute('storage', 'none');
  el.setAttribute('agent-id', o.agentId);
  el.setAttribute('api-base', o.apiBase);
  if (o.apiKey) el.setAttribute('api-key', o.apiKey);
  document.getElementById('host').append(el);
  return el.updateComplete;
}
window.page = {
  async mount(scenario) { await mount({ agentId: scenario, apiBase: '/__bench/api/v2' }); },
  stream() { void el.send('go'); },
  async turn(i) { await el.send('turn ' + i); },
  async history(h) {
    await mount({ agentId: h.agentId, apiBase: '/api/v2', apiKey: h.apiKey });
    await el.loadConversation(h.conversationId);
    return el.messages.length;
  },
};`;
const OURS = widgetScript(WIDGET_DIRS.ours);
const PREVIOUS = widgetScript(WIDGET_DIRS.previous);

const DEEP = `
import '/deep/deepChat.bundle.js';
let el, waiting = null;
const STYLE = { width: '420px', height: '640px' };
function mount(scenario, history) {
  el = document.createElement('deep-chat');
  el.chatStyle = STYLE;
  el.connect = { url: '/__bench/deep/' + scenario, stream: true };
  if (history) el.history = history;
  el.addEventListener('message', (e) => {
    if (e.detail && e.detail.message && e.detail.message.role === 'ai' && !e.detail.isHistory && waiting) { const w = waiting; waiting = null; w(); }
  });
  document.getElementById('host').append(el);
}
${FETCH_HISTORY}
window.page = {
  async mount(scenario) { mount(scenario); await customElements.whenDefined('deep-chat'); await new Promise((r) => setTimeout(r, 50)); },
  stream() { el.submitUserMessage({ text: 'go' }); },
  turn(i) { return new Promise((resolve) => { waiting = resolve; el.submitUserMessage({ text: 'turn ' + i }); }); },
  async history(h) {
    const msgs = await fetchHistory(h);
    mount('short', msgs.map((m) => ({ role: m.role === 'assistant' ? 'ai' : 'user', text: m.text })));
    return msgs.length;
  },
};`;

const FLOOR = `
let log;
function mount() { log = document.createElement('div'); log.id = 'log'; document.getElementById('host').append(log); }
function line(text) { const d = document.createElement('div'); d.textContent = text; log.append(d); return d; }
async function run(scenario, text) {
  line(text);
  const node = line('').appendChild(document.createTextNode(''));
  const res = await fetch('/__bench/api/v2/agents/' + scenario + '/chat', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ message: text }),
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let i;
    while ((i = buf.indexOf('\\n\\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (!block.startsWith('data: ') || block === 'data: [DONE]') continue;
      const f = JSON.parse(block.slice(6));
      if (f.type === 'text-delta') node.appendData(f.text);
    }
  }
}
${FETCH_HISTORY}
window.page = {
  async mount() { mount(); },
  stream(scenario) { void run(scenario, 'go'); },
  turn(i) { return run('short', 'turn ' + i); },
  async history(h) {
    const msgs = await fetchHistory(h);
    mount();
    for (const m of msgs) line(m.text);
    return msgs.length;
  },
};
performance.mark('bench-defined');`;

const LOAD_MARKUP: Record<Impl, string> = {
  ours: '<bookbag-chat mode="inline" storage="none" agent-id="load" api-base="/__bench/api/v2"></bookbag-chat>',
  previous: '<bookbag-chat mode="inline" storage="none" agent-id="load" api-base="/__bench/api/v2"></bookbag-chat>',
  deep: `<deep-chat chatStyle='{"width":"420px","height":"640px"}' connect='{"url":"/__bench/deep/short","stream":true}'></deep-chat>`,
  floor: `<div id="log"><div>Ask me anything</div></div>`,
};

export function pageHtml(impl: Impl, variant: Variant): string {
  const script = { ours: OURS, previous: PREVIOUS, deep: DEEP, floor: FLOOR }[impl];
  const markup = variant === 'load' ? LOAD_MARKUP[impl] : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench ${impl}</title>${STYLE}</head>
<body><div id="host">${markup}</div><script type="module">${script}</script></body></html>`;
}
