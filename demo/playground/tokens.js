// Design-token controls: the documented `--bookbag-*` custom properties, set on the element's
// own `style` (the host page's choice; the widget itself never writes inline styles). A token
// counts as set only once its control changes, so the CSS block lists exactly what a page
// would need to copy.
import { h, uid } from './dom.js';

// Defaults are the light-scheme values documented on the element (README "Styling").
export const TOKENS = [
  { name: '--bookbag-accent-color', kind: 'color', def: '#2557d6', help: 'Buttons, links, launcher' },
  { name: '--bookbag-on-accent-color', kind: 'color', def: '#ffffff', help: 'Text on the accent' },
  { name: '--bookbag-surface-color', kind: 'color', def: '#ffffff', help: 'Panel background' },
  { name: '--bookbag-text-color', kind: 'color', def: '#1d1f24', help: 'Main text' },
  { name: '--bookbag-muted-color', kind: 'color', def: '#5b6170', help: 'Secondary text, icons' },
  { name: '--bookbag-border-color', kind: 'color', def: '#d5d8df', help: 'Borders' },
  { name: '--bookbag-user-bubble-color', kind: 'color', def: '#2557d6', help: 'User bubble' },
  { name: '--bookbag-user-text-color', kind: 'color', def: '#ffffff', help: 'User bubble text' },
  { name: '--bookbag-assistant-bubble-color', kind: 'color', def: '#f0f2f6', help: 'Assistant bubble' },
  { name: '--bookbag-assistant-text-color', kind: 'color', def: '#1d1f24', help: 'Assistant bubble text' },
  { name: '--bookbag-danger-color', kind: 'color', def: '#b3261e', help: 'Errors, unread badge' },
  { name: '--bookbag-focus-color', kind: 'color', def: '#2557d6', help: 'Focus ring' },
  { name: '--bookbag-link-color', kind: 'color', def: '#0b57d0', help: 'Links in replies' },
  { name: '--bookbag-code-background', kind: 'color', def: '#f4f5f7', help: 'Code blocks' },
  { name: '--bookbag-code-text', kind: 'color', def: '#1f2328', help: 'Code text' },
  { name: '--bookbag-font-family', kind: 'text', def: 'system-ui, sans-serif', help: 'Font' },
  { name: '--bookbag-font-family-mono', kind: 'text', def: 'ui-monospace, monospace', help: 'Code font' },
  { name: '--bookbag-font-size', kind: 'px', def: 15, help: 'Base size (the input stays ≥ 16px)' },
  { name: '--bookbag-radius', kind: 'px', def: 12, help: 'Corner radius' },
  { name: '--bookbag-spacing', kind: 'px', def: 12, help: 'Base spacing' },
  { name: '--bookbag-panel-width', kind: 'px', def: 380, help: 'Launcher panel width' },
  { name: '--bookbag-panel-height', kind: 'px', def: 600, help: 'Launcher panel height' },
  { name: '--bookbag-launcher-size', kind: 'px', def: 56, help: 'Launcher button' },
  { name: '--bookbag-offset-x', kind: 'px', def: 20, help: 'Launcher from the side' },
  { name: '--bookbag-offset-y', kind: 'px', def: 20, help: 'Launcher from the bottom' },
  { name: '--bookbag-z-index', kind: 'number', def: 2147483000, help: 'Stacking (launcher mode)' },
  { name: '--bookbag-shadow', kind: 'text', def: '0 12px 40px rgb(0 0 0 / 0.18)', help: 'Panel and launcher shadow' },
];

/** Token sets the `set_theme` tool (and the preset buttons) apply in one go. */
export const PRESETS = {
  dark: {
    '--bookbag-accent-color': '#8fb0ff', '--bookbag-on-accent-color': '#0d1b3d', '--bookbag-surface-color': '#1b1d22',
    '--bookbag-text-color': '#e8eaef', '--bookbag-muted-color': '#a9afbc', '--bookbag-border-color': '#3a3e48',
    '--bookbag-user-bubble-color': '#3b63c4', '--bookbag-assistant-bubble-color': '#2a2d35',
    '--bookbag-assistant-text-color': '#e8eaef', '--bookbag-danger-color': '#ffb4ab',
  },
  warm: {
    '--bookbag-accent-color': '#b4441a', '--bookbag-user-bubble-color': '#b4441a', '--bookbag-surface-color': '#fffaf3',
    '--bookbag-assistant-bubble-color': '#f6e9d9', '--bookbag-border-color': '#e3cfb6', '--bookbag-radius': '20px',
  },
  compact: { '--bookbag-font-size': '13px', '--bookbag-spacing': '6px', '--bookbag-radius': '4px' },
};

const valueOf = (token, input) => (token.kind === 'px' ? `${input.value}px` : input.value);
const inputValue = (token, value) => (token.kind === 'px' ? String(Number.parseFloat(value)) : value);

export function initTokens({ element, container, css }) {
  const rows = new Map();

  const render = () => {
    const set = TOKENS.filter((t) => element.style.getPropertyValue(t.name) !== '');
    css.textContent = set.length
      ? `bookbag-chat {\n${set.map((t) => `  ${t.name}: ${element.style.getPropertyValue(t.name).trim()};`).join('\n')}\n}`
      : '/* No tokens set: the element uses its defaults (and follows prefers-color-scheme). */';
    for (const [name, { row }] of rows) row.classList.toggle('is-set', element.style.getPropertyValue(name) !== '');
  };

  /** Sets (or, with an empty value, removes) one token and updates its control. */
  const setToken = (name, value) => {
    const row = rows.get(name);
    if (value === '' || value === null || value === undefined) {
      element.style.removeProperty(name);
      if (row) row.input.value = inputValue(row.token, String(row.token.def));
    } else {
      element.style.setProperty(name, value);
      if (row) row.input.value = inputValue(row.token, value);
    }
    render();
  };

  const resetAll = () => {
    for (const t of TOKENS) element.style.removeProperty(t.name);
    for (const { token, input } of rows.values()) input.value = inputValue(token, String(token.def));
    render();
  };

  const applyPreset = (name) => {
    for (const [token, value] of Object.entries(PRESETS[name] ?? {})) setToken(token, value);
  };

  const table = h('div', { class: 'token-list' });
  for (const token of TOKENS) {
    const id = uid('token');
    const attrs = { id, 'data-token': token.name, 'aria-describedby': `${id}-help` };
    const input = token.kind === 'color'
      ? h('input', { ...attrs, type: 'color', value: token.def })
      : token.kind === 'px' || token.kind === 'number'
        ? h('input', { ...attrs, type: 'number', min: token.kind === 'px' ? 0 : undefined, step: 1, value: String(token.def), inputmode: 'numeric' })
        : h('input', { ...attrs, type: 'text', value: token.def, spellcheck: 'false' });
    input.addEventListener('input', () => {
      if (input.value === '') return;
      element.style.setProperty(token.name, valueOf(token, input));
      render();
    });
    const reset = h('button', { type: 'button', class: 'icon', 'aria-label': `Reset ${token.name}`, title: 'Reset to default',
      onclick: () => setToken(token.name, '') }, '↺');
    const row = h('div', { class: `token token-${token.kind}` },
      h('label', { for: id }, h('code', {}, token.name)),
      h('span', { class: 'token-input' }, input, token.kind === 'px' ? h('span', { class: 'unit', 'aria-hidden': 'true' }, 'px') : null),
      reset,
      h('small', { id: `${id}-help`, class: 'help' }, token.help));
    rows.set(token.name, { token, input, row });
    table.append(row);
  }

  const presets = h('div', { class: 'button-row', role: 'group', 'aria-label': 'Token presets' },
    ...Object.keys(PRESETS).map((name) => h('button', { type: 'button', onclick: () => applyPreset(name) }, `${name[0].toUpperCase()}${name.slice(1)} preset`)),
    h('button', { type: 'button', id: 'tokens-reset', onclick: resetAll }, 'Reset all tokens'));

  container.replaceChildren(h('fieldset', {}, h('legend', {}, 'Presets'), presets), h('fieldset', {}, h('legend', {}, 'Tokens'), table));
  render();
  return { setToken, applyPreset, resetAll };
}
