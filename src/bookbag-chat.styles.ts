import { css } from 'lit';

/**
 * Design tokens are `--bookbag-*` custom properties (documented on the element). Internally each
 * is read once into a private `--_x` variable whose default is `light-dark(light, dark)`: the
 * host's `color-scheme` (`auto` follows the system; `theme="light|dark"` forces one) picks the
 * side, and a token the host sets wins in both schemes.
 */
export const styles = css`
  :host {
    /* One declaration per token: light-dark() picks by color-scheme, which the theme attribute sets. */
    color-scheme: light dark;
    --_accent: var(--bookbag-accent-color, light-dark(#2557d6, #8fb0ff));
    --_on-accent: var(--bookbag-on-accent-color, light-dark(#fff, #0d1b3d));
    --_surface: var(--bookbag-surface-color, light-dark(#fff, #1b1d22));
    --_text: var(--bookbag-text-color, light-dark(#1d1f24, #e8eaef));
    --_muted: var(--bookbag-muted-color, light-dark(#5b6170, #a9afbc));
    --_border: var(--bookbag-border-color, light-dark(#d5d8df, #4a4f5c));
    --_user-bg: var(--bookbag-user-bubble-color, light-dark(#2557d6, #3b63c4));
    --_user-text: var(--bookbag-user-text-color, #fff);
    --_bot-bg: var(--bookbag-assistant-bubble-color, light-dark(#f0f2f6, #2a2d35));
    --_bot-text: var(--bookbag-assistant-text-color, light-dark(#1d1f24, #e8eaef));
    --_danger: var(--bookbag-danger-color, light-dark(#b3261e, #ffb4ab));
    /* Dark panels get a light hairline ring as well: a dark shadow vanishes on a dark page. */
    --_ring: light-dark(transparent, rgb(255 255 255 / 0.14));
    --_radius: var(--bookbag-radius, 12px);
    --_space: var(--bookbag-spacing, 12px);
    --_font: var(--bookbag-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--bookbag-font-size, 15px);
    --_shadow: var(--bookbag-shadow, 0 12px 40px rgb(0 0 0 / 0.18));
    --_focus: var(--bookbag-focus-color, var(--_accent));
    display: block;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
    color: var(--_text);
    box-sizing: border-box;
  }
  :host([theme='light']) { color-scheme: light; }
  :host([theme='dark']) { color-scheme: dark; }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  button { font: inherit; color: inherit; cursor: pointer; }
  button:focus-visible, textarea:focus-visible, [tabindex]:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }

  /* Launcher mode: a floating button and a panel above it. */
  :host([mode='launcher']) { position: fixed; inset: auto var(--bookbag-offset-x, 20px) var(--bookbag-offset-y, 20px) auto; z-index: var(--bookbag-z-index, 2147483000); }
  :host([mode='launcher']:state(rtl)) { inset: auto auto var(--bookbag-offset-y, 20px) var(--bookbag-offset-x, 20px); }
  .launcher {
    position: relative;
    display: grid; place-items: center;
    width: var(--bookbag-launcher-size, 56px); height: var(--bookbag-launcher-size, 56px);
    border: 0; border-radius: 50%;
    background: var(--_accent); color: var(--_on-accent);
    box-shadow: var(--_shadow);
  }
  .launcher svg { width: 26px; height: 26px; fill: currentColor; }
  .badge {
    position: absolute; inset-block-start: -4px; inset-inline-end: -4px;
    min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
    background: var(--_danger); color: var(--_surface); font-size: 12px; line-height: 20px; font-weight: 600;
  }
  .panel {
    display: flex; flex-direction: column;
    background: var(--_surface); color: var(--_text);
    border: 1px solid var(--_border); border-radius: var(--_radius);
    overflow: hidden;
  }
  /* Physical sides, from the host's side of the screen: the panel's own direction (lang="ar"
     on the element) must not swing it off the edge. */
  :host([mode='launcher']) .panel {
    position: absolute; inset-block-end: calc(100% + 12px); right: 0;
    width: min(var(--bookbag-panel-width, 380px), calc(100vw - 24px));
    height: min(var(--bookbag-panel-height, 600px), calc(100vh - 110px));
    box-shadow: 0 0 0 1px var(--_ring), var(--_shadow);
  }
  :host([mode='launcher']:state(rtl)) .panel { right: auto; left: 0; }
  :host([mode='inline']) { height: 100%; min-height: 320px; }
  :host([mode='inline']) .panel { height: 100%; }

  .header {
    display: flex; align-items: center; gap: 4px;
    padding: calc(var(--_space) * 0.75) var(--_space);
    border-bottom: 1px solid var(--_border);
  }
  .titles { flex: 1; min-width: 0; display: flex; flex-direction: column; }
  .heading { margin: 0; font-size: 1.05em; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .agent-name { color: var(--_muted); font-size: 0.85em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .avatar { width: 28px; height: 28px; border-radius: 50%; object-fit: cover; flex: none; }
  .header-avatar { margin-inline-end: 6px; }
  .message-avatar { width: 22px; height: 22px; margin-bottom: 2px; }
  ::slotted([slot='avatar']) { flex: none; margin-inline-end: 6px; }
  .icon-button {
    display: grid; place-items: center; width: 36px; height: 36px;
    border: 0; border-radius: 8px; background: transparent; color: var(--_muted);
  }
  .icon-button:hover { background: var(--_bot-bg); color: var(--_text); }
  .icon-button svg { width: 20px; height: 20px; fill: currentColor; }

  .messages {
    position: relative;
    flex: 1; overflow-y: auto; overscroll-behavior: contain;
    padding: var(--_space);
    display: flex; flex-direction: column; gap: calc(var(--_space) * 0.75);
  }
  .message { display: flex; flex-direction: column; max-width: 88%; }
  .message.user { align-self: flex-end; align-items: flex-end; }
  .message.assistant { align-self: flex-start; align-items: flex-start; }
  .bubble {
    padding: 8px 12px; border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  .user .bubble { background: var(--_user-bg); color: var(--_user-text); white-space: pre-wrap; border-end-end-radius: 4px; }
  .assistant .bubble { background: var(--_bot-bg); color: var(--_bot-text); border-end-start-radius: 4px; }
  .assistant .bubble:empty { display: none; }
  .plain { white-space: pre-wrap; }

  /* Typing indicator: three dots that pulse (they simply stay put under reduced motion). */
  .dots { display: inline-flex; gap: 4px; padding: 4px 0; }
  .dots i { width: 7px; height: 7px; border-radius: 50%; background: var(--_muted); opacity: 0.7; }
  /* The caret at the end of a reply that is still arriving: after its last block, which the
     markdown directive marks (its caret option; a class on one block restyles one element). */
  .markdown > .streaming-caret::after {
    content: ''; display: inline-block; width: 0.5em; height: 1em; margin-inline-start: 2px;
    vertical-align: text-bottom; background: currentColor; opacity: 0.6;
  }

  .tool-call {
    margin-top: 6px; padding: 8px 10px; border: 1px solid var(--_border); border-radius: 8px;
    background: var(--_surface); color: var(--_text); font-size: 0.9em;
    display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center;
  }
  .tool-name { font-weight: 600; }
  .tool-state { color: var(--_muted); }
  .tool-summary { flex-basis: 100%; }
  .tool-call[data-state='error'] .tool-state { color: var(--_danger); }
  /* The state icon: a spinner while running, a mark once settled (the text says it too). */
  .tool-icon { width: 14px; height: 14px; flex: none; display: grid; place-items: center; color: var(--_muted); font-size: 12px; line-height: 1; }
  [data-state='running'] .tool-icon, [data-state='pending'] .tool-icon { border: 2px solid var(--_border); border-top-color: var(--_accent); border-radius: 50%; }
  [data-state='done'] .tool-icon::before { content: '✓'; color: var(--_accent); }
  [data-state='error'] .tool-icon::before { content: '!'; color: var(--_danger); font-weight: 700; }
  [data-state='declined'] .tool-icon::before { content: '–'; }
  .tool-details { flex-basis: 100%; }
  .tool-details summary { color: var(--_muted); cursor: pointer; width: max-content; }
  .fields { margin: 4px 0 0; display: grid; gap: 2px; }
  .fields div { display: flex; gap: 6px; }
  .fields dt { color: var(--_muted); flex: none; }
  .fields dd { margin: 0; overflow-wrap: anywhere; white-space: normal; }
  .tool-output { border-top: 1px dashed var(--_border); padding-top: 4px; }
  .confirm { flex-basis: 100%; display: flex; flex-direction: column; gap: 6px; }
  .confirm-label { color: var(--_muted); font-size: 0.9em; }
  /* Every field in full: a long input scrolls rather than being cut. */
  .confirm-input { max-height: 14em; overflow: auto; padding: 6px 8px; border: 1px solid var(--_border); border-radius: 6px; }
  .confirm-actions { display: flex; gap: 8px; flex-wrap: wrap; }
  .stopped { display: flex; align-items: center; gap: 4px; color: var(--_muted); font-size: 0.85em; margin-top: 2px; }
  .stopped > span { padding-inline-end: 4px; }
  .timestamp { color: var(--_muted); font-size: 0.75em; margin-top: 2px; }
  .hint { font-size: 0.85em; color: var(--_muted); padding: 0 var(--_space); }
  .hint:empty { display: none; }

  .actions { display: flex; gap: 2px; margin-top: 2px; }
  .action {
    display: inline-flex; align-items: center; gap: 4px; min-height: 28px; padding: 2px 8px;
    border: 0; border-radius: 6px; background: transparent; color: var(--_muted); font-size: 0.85em;
  }
  .action:hover { background: var(--_bot-bg); color: var(--_text); }
  .action[aria-pressed='true'] { color: var(--_accent); }
  .action svg { width: 16px; height: 16px; fill: currentColor; }
  .button {
    min-height: 32px; padding: 4px 12px; border-radius: 8px;
    border: 1px solid var(--_border); background: var(--_surface);
  }
  .button.primary { background: var(--_accent); color: var(--_on-accent); border-color: transparent; }
  .button.danger { background: var(--_danger); color: var(--_surface); border-color: transparent; }

  /* Anchored at the top: the welcome reads like the first message, not a centred splash. */
  .empty { margin: 0 0 auto; text-align: center; color: var(--_muted); display: flex; flex-direction: column; gap: var(--_space); align-items: center; }
  .welcome { align-self: flex-start; text-align: start; color: var(--_bot-text); background: var(--_bot-bg); padding: 8px 12px; border-radius: var(--_radius); max-width: 88%; }
  .suggestions { display: flex; flex-wrap: wrap; gap: 6px; justify-content: center; }
  .suggestion { border: 1px solid var(--_border); background: var(--_surface); border-radius: 999px; padding: 6px 12px; font-size: 0.9em; }
  .suggestion:hover { border-color: var(--_accent); }

  .error {
    display: flex; flex-wrap: wrap; align-items: center; gap: 8px;
    padding: 8px 12px; border-radius: 8px;
    border: 1px solid var(--_danger); color: var(--_danger); background: var(--_surface);
  }
  /* Over the first message, not above it: showing it must not move what the visitor reads. */
  .older { position: absolute; inset-inline: 0; text-align: center; background: var(--_surface); color: var(--_muted); font-size: 0.85em; }

  .history-heading { margin: 4px 0; font-size: 1em; }
  .history ul { margin: 0; padding: 0; list-style: none; }
  .history-item small { color: var(--_muted); font-size: 0.85em; flex: none; }
  .confirm-clear { display: flex; flex-direction: column; gap: 8px; padding: 8px; border: 1px solid var(--_danger); border-radius: 8px; }
  .confirm-clear p { margin: 0; }
  .history-item { display: flex; justify-content: space-between; gap: 8px; width: 100%; margin-bottom: 4px; text-align: start; }
  [aria-current] { border-color: var(--_accent); }

  form {
    display: flex; align-items: flex-end; gap: 8px;
    padding: calc(var(--_space) * 0.75) var(--_space);
    border-top: 1px solid var(--_border);
  }
  textarea {
    flex: 1; resize: none; min-height: 40px; max-height: 160px; field-sizing: content;
    padding: 8px 10px; border: 1px solid var(--_border); border-radius: 10px;
    background: var(--_surface); color: var(--_text);
    font: inherit; font-size: max(16px, var(--_font-size));
  }
  textarea::placeholder { color: var(--_muted); opacity: 1; }
  .send {
    display: grid; place-items: center; width: 40px; height: 40px; flex: none;
    border: 0; border-radius: 10px; background: var(--_accent); color: var(--_on-accent);
  }
  .send svg { width: 20px; height: 20px; fill: currentColor; }
  .send:disabled { opacity: 0.55; cursor: not-allowed; }
  /* The panel's own dir (set from the language): :dir(rtl) would be compiled for the targets
     into a list of 19 :lang() tests that disagrees with the panel's direction for some languages. */
  [dir='rtl'] .send svg { transform: scaleX(-1); }
  .counter { font-size: 0.8em; color: var(--_muted); padding: 0 var(--_space) 4px; text-align: end; }

  /* Zero height (and no gap) so showing it never changes the scroll height or the anchor. */
  .jump { position: sticky; bottom: 0; height: 0; margin-top: calc(var(--_space) * -0.75); display: flex; justify-content: center; align-items: flex-end; }
  .jump button { box-shadow: var(--_shadow); }

  /* Phones: the open launcher panel becomes a full-screen sheet, sized from visualViewport
     (--_sheet-height, set by the element) so the on-screen keyboard never hides the input. */
  /* (The same query as PHONE in the element, which also traps focus in the sheet.) Landscape
     phones (and very short windows) are wide but short: they get the sheet too. Touch targets are at least 44px. */
  @media (max-width: 639px), (max-height: 479px) {
    .icon-button, .action, .send, .button, .suggestion { min-width: 44px; min-height: 44px; }
    :host([mode='launcher'][open]) .panel {
      position: fixed; inset: 0 0 auto; width: 100%; height: var(--_sheet-height, 100dvh);
      border: 0; border-radius: 0;
      padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
    }
    :host([mode='launcher'][open]) .launcher { display: none; }
  }

  @media (prefers-reduced-motion: no-preference) {
    /* Launcher only, and movement only: an inline chat paints at once, and text is never faded
       (a fade would also show reduced contrast while it runs). */
    :host([mode='launcher']) .panel { animation: pop 160ms ease-out; }
    @keyframes pop { from { transform: translateY(8px); } }
    .dots i { animation: pulse 1.2s infinite ease-in-out; }
    .dots i:nth-child(2) { animation-delay: 0.2s; }
    .dots i:nth-child(3) { animation-delay: 0.4s; }
    @keyframes pulse { 50% { transform: translateY(-3px); opacity: 1; } }
    [data-state='running'] .tool-icon { animation: spin 0.9s linear infinite; }
    @keyframes spin { to { transform: rotate(1turn); } }
    .markdown > .streaming-caret::after { animation: blink 1s steps(1) infinite; }
    @keyframes blink { 50% { opacity: 0; } }
  }
`;
