// Attribute controls: one control per attribute in the contract, kept in step with the element
// both ways (a control sets the attribute; a MutationObserver brings back changes the element
// makes itself, like `open` when the visitor clicks the launcher), plus the element's markup
// as copyable HTML.
import { h, uid } from './dom.js';

/**
 * `session: true` marks the attributes that identify a chat: the element starts a new session
 * when one changes, so those apply on `change` (leaving the field), not on every keystroke.
 */
export const ATTRIBUTES = [
  { name: 'agent-id', type: 'text', session: true, help: 'The Bookbag agent id (required).' },
  { name: 'api-base', type: 'text', session: true, placeholder: 'https://app.bookbag.ai/api/v2', help: 'API v2 base URL, or your proxy’s.' },
  { name: 'api-key', type: 'text', session: true, help: 'Development or agent-scoped keys only: anything in a page is public, so production uses a proxy.' },
  { name: 'user-id', type: 'text', session: true, placeholder: '(generated)', pattern: '[a-zA-Z0-9._\\-]{1,128}', help: 'Empty: an anonymous id made once and kept.' },
  { name: 'with-credentials', type: 'boolean', help: 'Send cookies to a proxy on another origin.' },
  { name: 'mode', type: 'select', options: ['launcher', 'inline'], fallback: 'launcher', help: 'inline fills the box on the left; launcher floats a button.' },
  { name: 'open', type: 'boolean', help: 'The launcher panel is open (reflected).' },
  { name: 'heading', type: 'text', placeholder: 'Chat', help: 'Header text.' },
  { name: 'placeholder', type: 'text', placeholder: 'Type a message…', help: 'Composer placeholder.' },
  { name: 'welcome', type: 'text', help: 'Greeting in an empty conversation (never sent).' },
  { name: 'storage', type: 'select', options: ['local', 'session', 'none'], fallback: 'local', help: 'Where conversationId and userId persist.' },
  { name: 'no-stream', type: 'boolean', help: 'Ask for the JSON reply instead of the stream.' },
  {
    name: 'lang', type: 'select', fallback: '',
    options: [['', 'the document’s'], ['en', 'en — English'], ['de', 'de — Deutsch'], ['ar', 'ar — right to left'], ['he', 'he — right to left']],
    help: 'Built-in labels and text direction.',
  },
  { name: 'image-origins', type: 'text', extra: true, placeholder: 'https://images.example.com', help: 'Not in the contract: origins whose images show inline (space-separated).' },
];

/** Quotes an attribute value for HTML: `&` and `"` are the only characters that matter there. */
const quote = (value) => `"${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;

/** The element as HTML, attributes in contract order. `style` is left out: tokens have their own CSS block. */
export function markupOf(element) {
  const known = ATTRIBUTES.map((a) => a.name);
  const names = [...known.filter((n) => element.hasAttribute(n)),
    ...element.getAttributeNames().filter((n) => !known.includes(n) && n !== 'style')];
  const lines = names.map((n) => {
    const value = element.getAttribute(n);
    const spec = ATTRIBUTES.find((a) => a.name === n);
    return spec?.type === 'boolean' && value === '' ? `  ${n}` : `  ${n}=${quote(value ?? '')}`;
  });
  return `<bookbag-chat${lines.length ? `\n${lines.join('\n')}\n` : ''}></bookbag-chat>`;
}

function controlFor(spec, element) {
  const id = uid(`attr-${spec.name}`);
  const helpId = `${id}-help`;
  const current = element.getAttribute(spec.name);
  let input;
  if (spec.type === 'boolean') {
    input = h('input', { type: 'checkbox', id, checked: current !== null, 'aria-describedby': helpId });
    input.addEventListener('change', () => element.toggleAttribute(spec.name, input.checked));
  } else if (spec.type === 'select') {
    input = h('select', { id, 'aria-describedby': helpId },
      spec.options.map((o) => {
        const [value, label] = Array.isArray(o) ? o : [o, o];
        return h('option', { value }, label);
      }));
    input.value = current ?? spec.fallback;
    input.addEventListener('change', () => {
      // An empty choice means "attribute absent" (lang: follow the document).
      if (input.value === '') element.removeAttribute(spec.name);
      else element.setAttribute(spec.name, input.value);
    });
  } else {
    input = h('input', {
      type: 'text', id, value: current ?? '', placeholder: spec.placeholder, pattern: spec.pattern,
      autocomplete: 'off', spellcheck: 'false', 'aria-describedby': helpId,
    });
    input.addEventListener(spec.session ? 'change' : 'input', () => {
      // An empty field removes the attribute so the element's default applies.
      if (input.value === '') element.removeAttribute(spec.name);
      else element.setAttribute(spec.name, input.value);
    });
  }
  input.dataset.attribute = spec.name;
  const label = h('label', { for: id }, h('code', {}, spec.name), spec.extra ? h('span', { class: 'tag' }, 'extra') : null);
  return h('div', { class: `field field-${spec.type}` }, label, input, h('small', { id: helpId, class: 'help' }, spec.help));
}

/** Writes an attribute's current value back into its control (the element may change it). */
function syncControl(input, element) {
  const name = input.dataset.attribute;
  const spec = ATTRIBUTES.find((a) => a.name === name);
  const value = element.getAttribute(name);
  if (spec.type === 'boolean') input.checked = value !== null;
  else if (spec.type === 'select') input.value = value ?? spec.fallback;
  // Never rewrite the field someone is typing in; the element does not change text attributes.
  else if (document.activeElement !== input && input.value !== (value ?? '')) input.value = value ?? '';
}

export function initAttributes({ element, container, markup, onChange }) {
  const controls = ATTRIBUTES.map((spec) => controlFor(spec, element));
  container.replaceChildren(...controls);
  const render = () => {
    for (const input of container.querySelectorAll('[data-attribute]')) syncControl(input, element);
    markup.textContent = markupOf(element);
    onChange?.();
  };
  new MutationObserver(render).observe(element, { attributes: true });
  render();
}
