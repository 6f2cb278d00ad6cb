// Method buttons: each public method of the contract, called on the element exactly as a host
// page would. The call is logged, and for methods that return a promise, so is its settling,
// which shows what "resolves when that work ends" means for each one.
import { h, uid } from './dom.js';

/** Calls `element[name](...args)` and logs the call and its outcome. */
async function invoke(element, log, name, args) {
  const shown = args.map((a) => JSON.stringify(a)).join(', ');
  const label = `${name}(${shown})`;
  log.add('method', label);
  const started = performance.now();
  try {
    const result = element[name](...args);
    if (result && typeof result.then === 'function') {
      await result;
      log.add('method', `${label} resolved`, undefined, `${Math.round(performance.now() - started)} ms`);
    }
  } catch (error) {
    log.add('method', `${label} threw`, { message: error instanceof Error ? error.message : String(error) });
  }
}

function field(label, input, hint) {
  const id = input.id || (input.id = uid('method'));
  return h('span', { class: 'method-field' }, h('label', { for: id }, label), input, hint ? h('small', { class: 'help' }, hint) : null);
}

export function initMethods({ element, container, log }) {
  const sendText = h('input', { type: 'text', value: 'Hello!', autocomplete: 'off', 'data-method-input': 'send' });
  const retryId = h('input', { type: 'text', placeholder: 'last assistant message', autocomplete: 'off', size: 14 });
  const convId = h('input', { type: 'text', placeholder: 'e.g. 1001', autocomplete: 'off', inputmode: 'numeric', size: 10 });
  const feedbackId = h('input', { type: 'text', placeholder: 'last assistant message', autocomplete: 'off', size: 14 });
  const feedbackValue = h('select', {}, h('option', { value: 'positive' }, "'positive'"), h('option', { value: 'negative' }, "'negative'"), h('option', { value: 'null' }, 'null'));
  const toolCallId = h('input', { type: 'text', placeholder: 'from bookbag-tool-call', autocomplete: 'off', size: 14, 'data-method-input': 'toolCallId' });
  const toolOutput = h('input', { type: 'text', value: '{"ok":true}', autocomplete: 'off', spellcheck: 'false', size: 14 });

  const lastAssistantId = () => [...element.messages].reverse().find((m) => m.role === 'assistant')?.id;

  const m = (name, description, fields, collect) => ({ name, description, fields, collect });
  // One <form> per method (built below), so Enter in a method's fields calls it.
  const methods = [
    m('send', 'Sends as the visitor; resolves when the reply (and any tool loop) ends.', [field('text', sendText)], () => [sendText.value]),
    m('stop', 'Stops the reply being streamed; what arrived stays.', [], () => []),
    m('retry', 'Regenerates an assistant message, or repeats a failed turn.', [field('messageId (optional)', retryId)],
      () => (retryId.value.trim() ? [retryId.value.trim()] : [])),
    m('reset', 'Starts a new conversation; the old one stays on the server.', [], () => []),
    m('forget', 'Also drops the stored userId, draft and conversation from this browser.', [], () => []),
    m('show', 'Opens the launcher panel.', [], () => []),
    m('hide', 'Closes the launcher panel.', [], () => []),
    m('toggle', 'Opens or closes the launcher panel.', [], () => []),
    m('loadConversation', 'Makes a conversation current and loads its messages.', [field('id', convId)], () => [convId.value.trim()]),
    m('setFeedback', 'Thumbs up/down on an assistant message, or null to clear.', [field('messageId', feedbackId), field('feedback', feedbackValue)],
      () => [feedbackId.value.trim() || lastAssistantId() || '', feedbackValue.value === 'null' ? null : feedbackValue.value]),
    m('submitToolResult', 'Posts the result of a tool call with no handler (or one you cancelled).', [field('toolCallId', toolCallId), field('output (JSON)', toolOutput)],
      () => {
        let output;
        try {
          output = JSON.parse(toolOutput.value || 'null');
        } catch {
          output = toolOutput.value;
        }
        return [toolCallId.value.trim(), output];
      }),
  ];

  const forms = methods.map(({ name, description, fields, collect }) => {
    const form = h('form', { class: 'method', 'data-method': name },
      h('div', { class: 'method-main' },
        h('button', { type: 'submit', class: 'method-button' }, h('code', {}, `${name}()`)),
        h('span', { class: 'help' }, description)),
      fields.length ? h('div', { class: 'method-fields' }, fields) : null);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void invoke(element, log, name, collect());
    });
    return form;
  });
  container.replaceChildren(...forms);

  // The newest tool call's id goes into submitToolResult, ready for a call without a handler.
  element.addEventListener('bookbag-tool-call', (event) => { toolCallId.value = event.detail.toolCallId; });
  element.addEventListener('bookbag-conversation', (event) => { if (event.detail.conversationId) convId.placeholder = `e.g. ${event.detail.conversationId}`; });

  return { send: (text) => invoke(element, log, 'send', [text]) };
}
