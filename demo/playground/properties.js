// JavaScript-only properties that take plain data: `suggestions` (starter prompts in an empty
// conversation) and `strings` (label overrides). `tools` and `headers` have their own panels;
// `messages`, `status` and `conversationId` are read-only and shown above the element.
import { h, uid } from './dom.js';

export const DEFAULT_SUGGESTIONS = ['Show me some markdown', 'What is the title of this page?', 'Tell me something long'];

export function initProperties({ element, container }) {
  const sugId = uid('prop-suggestions');
  const suggestions = h('textarea', { id: sugId, rows: 3, spellcheck: 'false', 'aria-describedby': `${sugId}-help` });
  suggestions.value = DEFAULT_SUGGESTIONS.join('\n');
  const applySuggestions = () => {
    element.suggestions = suggestions.value.split('\n').map((s) => s.trim()).filter(Boolean);
  };
  suggestions.addEventListener('input', applySuggestions);
  applySuggestions();

  const strId = uid('prop-strings');
  const strings = h('textarea', { id: strId, rows: 3, spellcheck: 'false', 'aria-describedby': `${strId}-help ${strId}-status` });
  strings.value = '{ "send": "Send it", "retry": "Try again" }';
  const status = h('small', { id: `${strId}-status`, class: 'help', role: 'status' });
  const applyStrings = () => {
    const text = strings.value.trim();
    if (!text) {
      element.strings = undefined;
      status.textContent = 'Cleared: built-in labels.';
      return;
    }
    try {
      const value = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
      element.strings = value;
      status.textContent = `Applied ${Object.keys(value).length} label(s).`;
    } catch (error) {
      status.textContent = `Not applied: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  container.replaceChildren(
    h('fieldset', {}, h('legend', {}, h('code', {}, 'suggestions')),
      h('label', { for: sugId }, 'Starter prompts, one per line'),
      suggestions,
      h('small', { id: `${sugId}-help`, class: 'help' }, 'Shown as buttons while the conversation is empty (try the reset() method).')),
    h('fieldset', {}, h('legend', {}, h('code', {}, 'strings')),
      h('label', { for: strId }, 'Label overrides as JSON (text labels only)'),
      strings,
      h('small', { id: `${strId}-help`, class: 'help' }, 'Keys such as heading, placeholder, send, stop, retry, close, open, newConversation, interrupted.'),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', onclick: applyStrings }, 'Apply strings'),
        h('button', { type: 'button', onclick: () => { strings.value = ''; applyStrings(); } }, 'Clear')),
      status));
}
