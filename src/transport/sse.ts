import { createParser } from 'eventsource-parser';
import type { ChatFrame } from '../protocol/message.js';
import { BookbagError, isAbort } from '../protocol/errors.js';
import { toFrame } from '../protocol/frames.js';
import { DONE } from '../protocol/wire.js';

/** Longest stretch of frame handling before the reader lets other tasks (input, paint) run. */
const YIELD_EVERY_MS = 8;
/** Stream text handed to the SSE parser at once (about 200 frames of a typical reply). */
const FEED_SLICE = 16 * 1024;

/** A fresh task: `scheduler.yield()` where the browser has it (keeps priority), else a timer. */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Consecutive text deltas read from one network chunk, as one frame. They would be drawn in the
 * same animation frame anyway, and each frame is a trip through the core (a new state and a
 * notification): a 50 KB reply that arrives at once is 5,000 frames otherwise.
 */
function joinTextDeltas(frames: ChatFrame[]): ChatFrame[] {
  const out: ChatFrame[] = [];
  let texts: string[] = [];
  const flush = () => {
    if (texts.length) out.push({ type: 'text-delta', text: texts.join('') });
    texts = [];
  };
  for (const frame of frames) {
    if (frame.type === 'text-delta') texts.push(frame.text);
    else {
      flush();
      out.push(frame);
    }
  }
  flush();
  return out;
}

/**
 * Reads a Bookbag v2 event stream into frames as they arrive. eventsource-parser does the SSE
 * line work (partial lines, CRLF, comments, `event:`/`id:` fields); a streaming TextDecoder keeps
 * multi-byte characters that are split across chunks intact.
 *
 * Ends after `data: [DONE]`. Throws `STREAM_INTERRUPTED` when the body ends without it and
 * `NETWORK_ERROR` when the connection breaks; an abort through `signal` rethrows the abort.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ChatFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let queue: ChatFrame[] = [];
  let done = false;
  let lastYield = performance.now();
  const parser = createParser({
    onEvent(event) {
      if (done) return;
      const data = event.data.trim();
      if (data === DONE) {
        done = true;
        queue.push({ type: 'done' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        // A broken frame loses part of the reply: say so instead of silently dropping text.
        queue.push({ type: 'error', errorText: 'Part of the reply could not be read.' });
        return;
      }
      const frame = toFrame(json);
      if (frame) queue.push(frame);
    },
  });

  try {
    while (!done) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (isAbort(error, signal)) throw error;
        throw new BookbagError('NETWORK_ERROR', 'The connection was lost while the reply was arriving.', { cause: error });
      }
      const text = chunk.done ? decoder.decode() + '\n\n' : decoder.decode(chunk.value, { stream: true });
      // A burst (a reply that arrived while the tab was busy, or a fast network) can be one chunk
      // of hundreds of KB: parse it a slice at a time, and give the page a turn now and then,
      // rather than in one unbroken task.
      for (let at = 0; at < text.length && !done; at += FEED_SLICE) {
        parser.feed(text.slice(at, at + FEED_SLICE));
        const frames = joinTextDeltas(queue);
        queue = [];
        for (const frame of frames) {
          yield frame;
          if (performance.now() - lastYield > YIELD_EVERY_MS) {
            await yieldToPage();
            lastYield = performance.now();
          }
        }
      }
      if (chunk.done && !done) {
        throw new BookbagError('STREAM_INTERRUPTED', 'The reply stopped before it was complete.', { retryable: true });
      }
    }
  } finally {
    // After [DONE] (or on abort/error) stop reading; the server closes its end anyway.
    reader.cancel().catch(() => {});
  }
}
