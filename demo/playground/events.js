// The event log: every `bookbag-*` event the contract names, plus the playground's own notes
// (method calls, tool handlers, mock-server actions), newest first. Capped so a long session
// (or a chatty loop) cannot grow the page without bound.
import { h, pretty } from './dom.js';

/** The contract's events, in the order a turn usually produces them. */
export const EVENT_NAMES = [
  'bookbag-ready',
  'bookbag-open',
  'bookbag-close',
  'bookbag-send',
  'bookbag-stream-start',
  'bookbag-message',
  'bookbag-tool-call',
  'bookbag-tool-result',
  'bookbag-feedback',
  'bookbag-conversation',
  'bookbag-error',
];

export const LOG_CAP = 200;

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/**
 * `kind` is `event`, `method`, `tool` or `mock` (it picks the entry's colour); `detail` is
 * pretty-printed as JSON when given.
 */
export function createLog({ list, count, clear, cap = LOG_CAP }) {
  const update = () => {
    const n = list.childElementCount;
    count.textContent = `${n} ${n === 1 ? 'entry' : 'entries'}${n >= cap ? ` (newest ${cap} kept)` : ''}`;
  };
  clear.addEventListener('click', () => {
    list.replaceChildren();
    update();
  });
  const add = (kind, title, detail, note) => {
    const now = new Date();
    const stamp = `${clock.format(now)}.${String(now.getMilliseconds()).padStart(3, '0')}`;
    const entry = h('li', { class: `entry kind-${kind}`, 'data-kind': kind, 'data-name': title },
      h('div', { class: 'entry-head' },
        h('time', { datetime: now.toISOString() }, stamp),
        h('span', { class: 'entry-kind' }, kind),
        h('strong', { class: 'entry-title' }, title),
        note ? h('span', { class: 'entry-note' }, note) : null),
      detail === undefined ? null : h('pre', { class: 'entry-detail' }, pretty(detail)));
    list.prepend(entry);
    while (list.childElementCount > cap) list.lastElementChild.remove();
    update();
  };
  update();
  return { add };
}

/**
 * Logs every contract event with its `detail`. Listens on the document, not the element: the
 * events bubble and are composed, so they arrive here after every listener on the element has
 * run, and `defaultPrevented` is final (the playground's cancel switches listen on the element).
 */
export function watchEvents(target, log) {
  for (const name of EVENT_NAMES) {
    target.addEventListener(name, (event) => {
      const note = event.cancelable ? (event.defaultPrevented ? 'cancelable · cancelled' : 'cancelable') : '';
      log.add('event', name, event.detail, note);
    });
  }
}

/** The "cancel sends" listener switch: shows what a cancelled `bookbag-send` does. */
export function wireCancelSend(element, checkbox) {
  element.addEventListener('bookbag-send', (event) => {
    if (checkbox.checked) event.preventDefault();
  });
}
