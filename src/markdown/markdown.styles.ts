/**
 * Styles for rendered markdown. Delivered as a Lit `css` constructable stylesheet because the
 * widget must work under `style-src 'self'` CSP: the renderer never sets inline styles.
 *
 * Every colour and font is a `--bookbag-*` custom property with a fallback, so embedders can theme
 * the widget through the shadow boundary; `::part()` names on the elements allow finer overrides.
 */
import { css } from 'lit';

/** Stylesheet for `.markdown` containers filled by the `markdown()` directive. */
export const markdownStyles = css`
  /* light-dark() follows the host's color-scheme, which the element's theme attribute sets. */
  .markdown {
    --_md-code-bg: var(--bookbag-code-background, light-dark(#f4f5f7, #1e2228));
    --_md-code-fg: var(--bookbag-code-text, light-dark(#1f2328, #e6edf3));
    --_md-link: var(--bookbag-link-color, light-dark(#0b57d0, #7cacf8));
    --_md-border: var(--bookbag-border-color, light-dark(#d0d7de, #3d444d));
    --_md-mono: var(--bookbag-font-family-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace);
    overflow-wrap: anywhere;
    line-height: 1.5;
  }

  .markdown > :first-child { margin-top: 0; }
  .markdown > :last-child { margin-bottom: 0; }

  .markdown :is(p, ul, ol, blockquote, .table-wrapper, .code-block, .math-block) { margin: 0.5em 0; }

  .markdown :is(h1, h2, h3, h4, h5, h6) { margin: 0.8em 0 0.4em; line-height: 1.25; font-size: 1em; }
  .markdown h1 { font-size: 1.4em; }
  .markdown h2 { font-size: 1.25em; }
  .markdown h3 { font-size: 1.1em; }

  .markdown ul, .markdown ol { padding-inline-start: 1.5em; }
  .markdown li > ul, .markdown li > ol { margin: 0.2em 0; }
  .markdown li.task-list-item { list-style: none; }
  .markdown li.task-list-item > input { margin: 0 0.4em 0 -1.3em; vertical-align: middle; }

  .markdown a { color: var(--_md-link); text-decoration: underline; text-underline-offset: 0.15em; }
  /* Where a link really goes, beside text that reads as an address (link-display.ts). */
  .markdown .link-host { color: var(--bookbag-muted-color, #5f6368); font-size: 0.85em; margin-inline-start: 0.25em; unicode-bidi: isolate; }
  .markdown .link-host::before { content: '('; }
  .markdown .link-host::after { content: ')'; }

  .markdown blockquote {
    padding: 0 0 0 0.8em;
    border-inline-start: 3px solid var(--_md-border);
    color: var(--_muted);
    margin-inline: 0;
  }

  .markdown hr { border: 0; border-top: 1px solid var(--_md-border); margin: 1em 0; }

  .markdown code,
  .markdown .math { font-family: var(--_md-mono); font-size: 0.9em; }
  .markdown .inline-code {
    background: var(--_md-code-bg);
    color: var(--_md-code-fg);
    padding: 0.1em 0.3em;
    border-radius: 4px;
  }

  .markdown .code-block {
    background: var(--_md-code-bg);
    color: var(--_md-code-fg);
    border: 1px solid var(--_md-border);
    border-radius: 6px;
    overflow: hidden;
  }
  .markdown .code-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
    padding: 0.2em 0.3em 0.2em 0.7em;
    border-bottom: 1px solid var(--_md-border);
    font-size: 0.8em;
    color: var(--_muted);
  }
  .markdown .code-language { font-family: var(--_md-mono); }
  .markdown .copy-button {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid transparent;
    border-radius: 4px;
    padding: 0.15em 0.5em;
    cursor: pointer;
  }
  .markdown .copy-button:hover { border-color: var(--_md-border); }
  .markdown .copy-button[data-copied] { color: var(--_md-code-fg); }
  .markdown pre {
    margin: 0;
    padding: 0.7em;
    overflow-x: auto;
    tab-size: 4;
  }
  .markdown pre code { white-space: pre; font-size: 0.85em; }

  .markdown .math-block { font-family: var(--_md-mono); white-space: pre-wrap; }
  .markdown .footnotes { border-top: 1px solid var(--_md-border); font-size: 0.9em; }
  .markdown .plain-reply { white-space: pre-wrap; }
  /* An oversized reply is many 8 KB blocks: off-screen ones skip layout and paint. */
  .markdown .plain-reply > div { content-visibility: auto; contain-intrinsic-size: auto 40em; }

  .markdown .table-wrapper { overflow-x: auto; max-width: 100%; }
  .markdown table { border-collapse: collapse; font-size: 0.95em; }
  .markdown th,
  .markdown td { border: 1px solid var(--_md-border); padding: 0.3em 0.6em; vertical-align: top; }
  /* Column alignment comes as the cell's align attribute (no inline styles under the CSP). */
  .markdown th:not([align]) { text-align: start; }
  .markdown th { background: var(--_md-code-bg); font-weight: 600; }

  .markdown img { max-width: 100%; height: auto; }

  @media (forced-colors: active) {
    .markdown .code-block, .markdown th, .markdown td { border-color: CanvasText; }
  }
`;
