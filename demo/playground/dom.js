// A tiny DOM builder for the playground. Every control, log entry and code sample is made
// with createElement and text nodes, never innerHTML: values typed into the playground (and
// whatever the server sends back) can never turn into markup on this page.

let counter = 0;

/** A unique element id, so every generated control can have a <label for>. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * `h('label', { for: 'x', class: 'row' }, 'Text', child)`. Keys starting with `on` add
 * listeners; `value` and `checked` are set as properties (they are live state, not markup);
 * anything else is an attribute. Strings become text nodes.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** Copies `text()` to the clipboard and says so in `status` (a role=status element). */
export function wireCopy(button, status, text) {
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      status.textContent = 'Copied.';
    } catch {
      // No clipboard permission (or an old browser): select the text so Ctrl+C works.
      const code = button.closest('.code-block')?.querySelector('code');
      if (code) getSelection()?.selectAllChildren(code);
      status.textContent = 'Selected — press Ctrl+C to copy.';
    }
    setTimeout(() => { status.textContent = ''; }, 2500);
  });
}

/** JSON for display: survives cycles, Errors and undefined instead of throwing. */
export function pretty(value) {
  if (value === undefined) return 'undefined';
  const seen = new WeakSet();
  try {
    return JSON.stringify(value, (_key, v) => {
      if (v instanceof Error) return { name: v.name, message: v.message };
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v === undefined ? null : v;
    }, 2);
  } catch (error) {
    return String(error);
  }
}
