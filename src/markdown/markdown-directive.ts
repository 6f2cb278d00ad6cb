/**
 * `markdown()` — a Lit element directive that renders a streaming chat reply as safe DOM.
 *
 * Usage: `<div class="markdown" ${markdown(text, { complete, imageOrigins, highlight })}></div>`.
 *
 * The host re-renders with the *whole* reply so far on every chunk. The directive remembers what
 * it already handed to its {@link MarkdownStream} and passes on only the new suffix; the stream
 * re-parses only the open tail. The element's children belong to the directive (the template
 * must give the element no children of its own).
 */
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { noChange } from 'lit';
import { MarkdownStream } from './markdown-stream.js';
import type { Highlighter, MarkdownStrings } from './render-tokens.js';

export type { Highlighter, MarkdownStrings } from './render-tokens.js';
export { PLAIN_TEXT_LIMIT } from './markdown-stream.js';

/** Options for {@link markdown}. */
export interface MarkdownOptions {
  /** True once the reply has fully arrived: the open tail is settled into its final form. */
  complete?: boolean;
  /** Origins whose images may load as `<img>`; images elsewhere render as links. Default: none. */
  imageOrigins?: readonly string[];
  /** Label overrides (English defaults). */
  strings?: Partial<MarkdownStrings>;
  /** Base for relative link URLs; defaults to `document.baseURI`. */
  baseUrl?: string;
  /**
   * Highlighter for fenced code: `(code, language) => Node | null`. `null` or a throw keeps the
   * block plain. It receives untrusted text and must not turn it into markup unescaped.
   */
  highlight?: Highlighter | undefined;
  /**
   * Called when the directive rendered only part of a large backlog: render again soon (next
   * frame) to continue. Without it the whole text is rendered at once.
   */
  more?: () => void;
}

/**
 * Most new text rendered in one update. A burst (a reply that arrived while the page was busy,
 * or a long message restored from history) would otherwise be parsed, built and laid out in one
 * long task; a fixed slice keeps the work per frame constant, whatever the backlog.
 */
const SLICE = 16384;

class MarkdownDirective extends Directive {
  /** Raw text already handed to the stream. */
  private fed = '';
  private stream: MarkdownStream | undefined;
  /** Serialised render options; a change means the existing DOM was built with other rules. */
  private config = '';
  private highlight: Highlighter | undefined;

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) {
      throw new Error('markdown() must be used as an element directive: <div ${markdown(text)}></div>');
    }
  }

  /** Not used for output: all DOM work happens in `update`, which has the element. */
  render(_text: string, _options?: MarkdownOptions): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [text, options = {}]: Parameters<this['render']>): typeof noChange {
    const root = part.element;
    const full = typeof text === 'string' ? text : String(text ?? '');
    const config = JSON.stringify([options.imageOrigins ?? [], options.strings ?? {}, options.baseUrl ?? '']);
    if (!this.stream || config !== this.config || options.highlight !== this.highlight || !full.startsWith(this.fed)) {
      this.stream = new MarkdownStream(root, options);
      this.config = config;
      this.highlight = options.highlight;
      this.fed = '';
    }
    if (full.length > this.fed.length) {
      this.stream.append(full.slice(this.fed.length));
      this.fed = full;
    }
    // A hidden page paints nothing, so there is no frame to keep short.
    const sliced = options.more && document.visibilityState !== 'hidden';
    try {
      if (this.stream.render(options.complete === true, sliced ? SLICE : Infinity)) options.more!();
    } catch (err) {
      this.fail(root, full, err);
    }
    return noChange;
  }

  /**
   * A renderer bug must not break the host's render or drop the reply: show it as plain text
   * (still safe — it is a Text node).
   */
  private fail(root: Element, full: string, err: unknown): void {
    console.error(err);
    const p = document.createElement('p');
    p.textContent = full;
    root.replaceChildren(p);
  }
}

/**
 * Renders `text` (the whole reply so far) as markdown into the element it is bound to,
 * incrementally: when `text` extends the previous value only the open tail is re-parsed; when it
 * was replaced the element is cleared and re-rendered. Pass `complete: true` once the reply is done.
 *
 * All output is built with DOM APIs from an allow-list of elements and attributes; raw HTML in
 * the markdown is shown as text and links/images are restricted to http(s)/mailto.
 *
 * @param text    The full markdown text so far.
 * @param options See {@link MarkdownOptions}.
 */
export const markdown = directive(MarkdownDirective);

/** The directive class, exported for typing (`DirectiveResult<typeof MarkdownDirective>`). */
export type { MarkdownDirective };
