// Fault switches for the local server (demo/server/switches.ts). Ticked switches are merged
// into one JSON object and sent as the `x-bookbag-mock` header on every request, through the
// element's `headers` property, the same hook a host uses for its proxy's auth header. The
// header is per request, so nothing is stored on the server and other tabs are unaffected.
import { h, uid } from './dom.js';

// The endpoints a forced status applies to: the ones that produce a reply. Leaving history
// reads alone keeps "429 on send" from also failing the restore after a reload.
const REPLY_ENDPOINTS = ['chat', 'retry', 'tool-result'];

/** `switches` use the exact names the server validates; `watch` says what to look for. */
export const FAULTS = [
  { id: 'slow', label: 'Slow stream', switches: { pace: 350 },
    watch: 'Words arrive every 350 ms: watch them build up, and try Stop — the partial reply stays.' },
  { id: 'stall', label: 'Stall mid-stream', switches: { stallAfter: 3, stallMs: 6000 },
    watch: 'After three words the stream goes silent for 6 s, then finishes normally.' },
  { id: 'error', label: 'Error frame', switches: { errorAfter: 4, errorText: 'The agent failed while writing this reply (playground switch).' },
    watch: 'An error frame after four words: STREAM_ERROR, the partial text stays and Retry is offered.' },
  { id: 'drop', label: 'Drop mid-stream', switches: { dropAfter: 3 },
    watch: 'The connection dies after three words: the interrupted reply keeps its partial text and offers Retry.' },
  { id: 'ratelimit', label: '429 rate limit', switches: { status: 429, retryAfter: 5, statusOn: REPLY_ENDPOINTS },
    watch: 'The send is refused with RATE_LIMIT_TOO_MANY_REQUESTS: the message goes back into the composer and a 5 s countdown keeps Send disabled.' },
  { id: 'server', label: '503 as an HTML page', switches: { status: 503, envelope: 'html', statusOn: REPLY_ENDPOINTS },
    watch: 'A proxy-style HTML error page: a short plain message instead of the HTML, and the message goes back into the composer.' },
  { id: 'notsse', label: 'Not an event stream', switches: { notSse: true },
    watch: 'A 200 HTML page where the stream should be: a clear error instead of garbage.' },
  { id: 'noise', label: 'Noisy stream', switches: { unknownFrames: true, splitBytes: true },
    watch: 'Comments, unknown frame types and one-byte chunks: the reply must look exactly normal.' },
];

export function initFaults({ element, container, log }) {
  const boxes = new Map();
  const oneShot = h('input', { type: 'checkbox', id: uid('fault-once'), checked: true });
  const headerOut = h('output', { class: 'header-out', 'aria-live': 'polite' });

  const active = () => FAULTS.filter((f) => boxes.get(f.id).checked);
  const merged = () => Object.assign({}, ...active().map((f) => f.switches));

  const render = () => {
    const list = active();
    headerOut.textContent = list.length ? `x-bookbag-mock: ${JSON.stringify(merged())}` : '(no x-bookbag-mock header: replies are normal)';
  };

  // Read at request time (the element calls a function-valued `headers` for each request), so
  // ticking a box affects the very next request without touching the element again.
  element.headers = () => (active().length ? { 'x-bookbag-mock': JSON.stringify(merged()) } : {});

  const clearAll = (why) => {
    if (!active().length) return;
    for (const box of boxes.values()) box.checked = false;
    render();
    log.add('mock', 'Fault switches cleared', undefined, why);
  };

  // "Only the next reply": once a reply finishes or fails, the switches go off, so Retry (or
  // the next message) shows the recovery instead of failing again.
  const settle = (event) => {
    if (oneShot.checked) clearAll(`after ${event.type}`);
  };
  element.addEventListener('bookbag-message', settle);
  element.addEventListener('bookbag-error', settle);

  const rows = FAULTS.map((fault) => {
    const id = uid(`fault-${fault.id}`);
    const box = h('input', { type: 'checkbox', id, 'data-fault': fault.id, 'aria-describedby': `${id}-watch`, onchange: render });
    boxes.set(fault.id, box);
    return h('li', { class: 'fault' },
      box,
      h('label', { for: id }, fault.label, ' ', h('code', { class: 'switch' }, JSON.stringify(fault.switches))),
      h('small', { id: `${id}-watch`, class: 'help' }, fault.watch));
  });

  container.replaceChildren(
    h('fieldset', {}, h('legend', {}, 'Switches (sent with the next request)'), h('ul', { class: 'fault-list' }, rows)),
    h('fieldset', {}, h('legend', {}, 'When'),
      h('label', { class: 'check', for: oneShot.id }, oneShot, ' Only the next reply (switch off after the next ', h('code', {}, 'bookbag-message'), ' or ', h('code', {}, 'bookbag-error'), ')'),
      h('div', { class: 'button-row' }, h('button', { type: 'button', onclick: () => clearAll('by hand') }, 'Clear switches'))),
    h('p', { class: 'header-line' }, 'Header: ', headerOut));
  render();
}
