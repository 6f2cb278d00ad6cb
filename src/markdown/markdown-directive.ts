/**
 * `markdown()` — a Lit element directive that renders a streaming chat reply as safe DOM.
 *
 * Usage: `<div class="markdown" ${markdown(text, { complete, imageOrigins })}></div>`.
 *
 * The host re-renders with the *whole* reply so far on every chunk. Re-parsing that each time
 * would make a long reply quadratic, so the directive remembers what it already fed to the
 * streaming parser and only writes the new suffix. The element's children belong to the
 * directive (the template must give the element no children of its own).
 */
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { noChange } from 'lit';
import { parser, parser_end, parser_write, type Parser } from 'streaming-markdown';
import { createDomRenderer, type DomRendererOptions, type MarkdownStrings } from './dom-renderer.js';

export type { MarkdownStrings } from './dom-renderer.js';

/** Options for {@link markdown}. */
export interface MarkdownOptions {
  /** True once the reply has fully arrived: flushes the parser so unterminated markdown settles. */
  complete?: boolean;
  /** Origins whose images may load as `<img>`; images elsewhere render as links. Default: none. */
  imageOrigins?: readonly string[];
  /** Label overrides (English defaults). */
  strings?: Partial<MarkdownStrings>;
  /** Base for relative link URLs; defaults to `document.baseURI`. */
  baseUrl?: string;
  /**
   * Called when the directive rendered only part of a large backlog: render again soon (next
   * frame) to continue. Without it the whole text is rendered at once.
   */
  more?: () => void;
}

/**
 * Most new text rendered in one update. A burst (a reply that arrived while the page was busy)
 * would otherwise be parsed, built and laid out in one long task; slices keep frames short.
 * A very large backlog still catches up in a handful of frames (a quarter of it per update).
 */
const SLICE = 16384;

/**
 * End of the next slice of `full` after `from`. A cut may fall inside a surrogate pair or a
 * markdown token: the streaming parser holds incomplete input back until the next write.
 */
function sliceEnd(full: string, from: number): number {
  const backlog = full.length - from;
  // A hidden page paints nothing, so there is no frame to keep short.
  if (backlog <= SLICE || document.visibilityState === 'hidden') return full.length;
  return from + Math.max(SLICE, Math.ceil(backlog / 4));
}

/**
 * Normalises input text per chunk. Removing `\r` turns CRLF into LF (the parser treats `\r` as a
 * visible character); NUL becomes U+FFFD as CommonMark requires. Both are per-character, so the
 * result doesn't depend on how the text was split into chunks.
 */
function normalize(chunk: string): string {
  // eslint-disable-next-line no-control-regex
  return chunk.replace(/\r/g, '').replace(/\u0000/g, '\ufffd');
}

class MarkdownDirective extends Directive {
  /** Raw text already written to the parser. */
  private fed = '';
  private parser: Parser | undefined;
  /** Whether `parser_end` has run. */
  private ended = false;
  /** Serialised render options; a change means the existing DOM was built with other rules. */
  private config = '';
  /** Set if the parser ever throws: the rest of the reply is shown as plain text. */
  private fallback: Text | undefined;

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
    const complete = options.complete === true;
    const config = JSON.stringify([options.imageOrigins ?? [], options.strings ?? {}, options.baseUrl ?? '']);

    const restart =
      (!this.parser && !this.ended) ||
      config !== this.config ||
      !full.startsWith(this.fed) ||
      // Once ended the parser has flushed its state; more text (or un-completing) needs a fresh one.
      (this.ended && (full.length !== this.fed.length || !complete));

    if (restart) this.reset(root, config, options);
    if (full.length > this.fed.length) {
      const next = options.more ? full.slice(0, sliceEnd(full, this.fed.length)) : full;
      this.write(next.slice(this.fed.length));
      this.fed = next;
    }
    if (this.fed.length < full.length) {
      options.more!();
    } else if (complete && !this.ended) {
      this.ended = true;
      if (!this.fallback) {
        try {
          parser_end(this.parser!);
        } catch (err) {
          this.fail(root, '', err);
        }
      }
      // A finished reply needs no parser: drop it (and its renderer state) so a long
      // conversation keeps only the DOM of each message.
      this.parser = undefined;
    }
    return noChange;
  }

  /** Drops the previous render (e.g. a retried reply) and starts a fresh parser. */
  private reset(root: Element, config: string, options: DomRendererOptions): void {
    root.replaceChildren();
    const renderer = createDomRenderer(root, options);
    this.parser = parser(renderer);
    renderer.data.parser = this.parser;
    this.fed = '';
    this.ended = false;
    this.config = config;
    this.fallback = undefined;
  }

  /** Feeds only the new part of the reply: work per update is proportional to the new text. */
  private write(chunk: string): void {
    const root = this.parser!.renderer.data.stack[0].el as Element;
    if (this.fallback) {
      this.fallback.appendData(chunk);
      return;
    }
    try {
      parser_write(this.parser!, normalize(chunk));
    } catch (err) {
      this.fail(root, chunk, err);
    }
  }

  /**
   * A parser bug must not break the host's render or drop the reply: keep what was rendered and
   * show the remainder as plain text (still safe — it is a Text node).
   */
  private fail(root: Element, chunk: string, err: unknown): void {
    console.error('bookbag-chat: markdown rendering failed; showing plain text', err);
    const p = document.createElement('p');
    this.fallback = document.createTextNode(chunk);
    p.appendChild(this.fallback);
    root.appendChild(p);
  }
}

/**
 * Renders `text` (the whole reply so far) as markdown into the element it is bound to,
 * incrementally: when `text` extends the previous value only the suffix is parsed; when it was
 * replaced the element is cleared and re-rendered. Pass `complete: true` once the reply is done.
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
