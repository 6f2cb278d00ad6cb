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
import type { MarkdownStream } from './markdown-stream.js';
import type { Highlighter, MarkdownStrings } from './render-tokens.js';

export type { Highlighter, MarkdownStrings } from './render-tokens.js';

/**
 * The parser and renderer (marked's lexer and ours, about 18 KB gzip) are a sibling chunk of the
 * bundle, fetched the first time a reply must be shown or the element expects one soon (the panel
 * opens, the launcher is hovered or focused, an inline chat connects): a page whose visitor never
 * opens the chat never downloads them. Until the chunk is there a reply's box stays empty rather
 * than showing its markup as text; if the chunk cannot be fetched, replies show as plain text.
 */
let streamModule: typeof import('./markdown-stream.js') | undefined;
let loading: Promise<void> | undefined;
let loadFailed = false;
const waiting = new Set<() => void>();

/** Starts fetching the markdown renderer (once); resolves when it can be used or has failed. */
export function loadMarkdown(): Promise<void> {
  loading ??= import('./markdown-stream.js').then(
    (m) => {
      streamModule = m;
      // Nothing to show yet (the usual case: the chunk is fetched ahead of a reply): compile
      // the lexer now, in short tasks, instead of in the first reply's first frame.
      if (!waiting.size) void m.warmUp();
    },
    (err: unknown) => {
      console.error(err);
      loadFailed = true;
    },
  ).then(() => {
    for (const render of [...waiting]) render();
    waiting.clear();
  });
  return loading;
}

/** A fetch of the renderer that replies are waiting for, if one is in flight. */
export function markdownPending(): Promise<void> | undefined {
  return waiting.size ? loading : undefined;
}

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
   * Mark the last block with the class `streaming-caret` while the reply streams (the host's
   * stylesheet draws the caret after it). A class on that one block, rather than a rule keyed on
   * an ancestor's state: a rule like `[data-streaming] .markdown > :last-child::after` has no
   * feature Chromium can narrow its invalidation to, so ending the stream restyled every element
   * of the reply at once (35 ms of style for 50 KB in the bench).
   */
  caret?: boolean;
  /**
   * Called when the directive rendered only part of a large backlog: render again soon (next
   * frame) to continue. Without it the whole text is rendered at once.
   */
  more?: () => void;
}

/**
 * A burst (a reply that arrived while the page was busy, or a long message restored from history)
 * would otherwise be parsed, built and laid out in one long task. Each update renders slices of
 * this many new characters while it stays within {@link FRAME_BUDGET_MS}, then leaves the rest
 * for the next frame: the work per frame is bounded by time, whatever the backlog or its markup.
 */
const SLICE = 4096;
/**
 * Rendering time one update may take before the rest waits for the next frame. The style, layout
 * and paint of the DOM it built follow in the same frame and cost about three times as much, so
 * 6 ms keeps a frame near 30 ms (at 8 ms, bench burst frames reached 50-55 ms of CPU).
 */
const FRAME_BUDGET_MS = 6;
/** Class of the block the streaming caret follows (see {@link MarkdownOptions.caret}). */
const CARET = 'streaming-caret';

class MarkdownDirective extends Directive {
  /** Raw text already handed to the stream. */
  #fed = '';
  #stream: MarkdownStream | undefined;
  /** Serialised render options; a change means the existing DOM was built with other rules. */
  #config = '';
  #highlight: Highlighter | undefined;
  /** This reply's render once the renderer chunk has arrived. */
  #later = () => {};

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
    this.#draw(part.element, typeof text === 'string' ? text : String(text ?? ''), options);
    return noChange;
  }

  #draw(root: Element, full: string, options: MarkdownOptions): void {
    if (!streamModule) {
      if (loadFailed) this.#fail(root, full, undefined);
      else {
        // Rendered when the chunk arrives, with the newest text and options.
        waiting.delete(this.#later);
        this.#later = () => this.#draw(root, full, options);
        waiting.add(this.#later);
        void loadMarkdown();
      }
      return;
    }
    const config = JSON.stringify([options.imageOrigins ?? [], options.strings ?? {}, options.baseUrl ?? '']);
    if (!this.#stream || config !== this.#config || options.highlight !== this.#highlight || !full.startsWith(this.#fed)) {
      this.#stream = new streamModule.MarkdownStream(root, options);
      this.#config = config;
      this.#highlight = options.highlight;
      this.#fed = '';
    }
    if (full.length > this.#fed.length) {
      this.#stream.append(full.slice(this.#fed.length));
      this.#fed = full;
    }
    // A hidden page paints nothing, so there is no frame to keep short.
    const sliced = options.more && document.visibilityState !== 'hidden';
    try {
      if (!sliced) this.#stream.render(options.complete === true);
      else {
        const start = performance.now();
        let left: boolean;
        do left = this.#stream.render(options.complete === true, SLICE);
        while (left && performance.now() - start < FRAME_BUDGET_MS);
        if (left) options.more!();
      }
    } catch (err) {
      this.#fail(root, full, err);
    }
    this.#markCaret(root, options.caret === true);
  }

  /** The block that has the caret class. */
  #caretOn: Element | undefined;

  #markCaret(root: Element, on: boolean): void {
    const last = (on && root.lastElementChild) || undefined;
    if (last === this.#caretOn) return;
    const before = this.#caretOn;
    if (before) {
      before.classList.remove(CARET);
      // The final DOM is the same as a reply rendered at once: no empty class attribute left.
      if (!before.classList.length) before.removeAttribute('class');
    }
    last?.classList.add(CARET);
    this.#caretOn = last;
  }

  /**
   * A renderer bug must not break the host's render or drop the reply: show it as plain text
   * (still safe — it is a Text node).
   */
  #fail(root: Element, full: string, err: unknown): void {
    if (err !== undefined) console.error(err);
    const div = document.createElement('div');
    div.className = 'plain-reply';
    div.textContent = full;
    root.replaceChildren(div);
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
