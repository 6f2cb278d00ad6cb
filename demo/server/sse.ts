// The v2 stream writer (§6.3): one `data: <JSON>\n\n` block per frame, `data: [DONE]` last.
// Every stream switch that distorts the byte stream (pace, stalls, drops, malformed frames,
// byte splitting, unknown frames) lives here so the turn logic only deals in frames.
import type { ServerResponse } from 'node:http';
import { DONE, sseBlock } from '../../src/protocol/index.ts';
import type { Switches } from './types.ts';

export class Aborted extends Error {
  constructor() { super('stream aborted'); }
}

/** Resolves after `ms` (next event-loop turn for 0); rejects with Aborted, clearing its timer. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const done = () => { signal.removeEventListener('abort', stop); resolve(); };
    const handle = ms > 0 ? setTimeout(done, ms) : setImmediate(done);
    const stop = () => {
      if (ms > 0) clearTimeout(handle as NodeJS.Timeout); else clearImmediate(handle as NodeJS.Immediate);
      reject(new Aborted());
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** Word chunks keep their trailing whitespace so the pieces concatenate to the exact text. */
export function splitText(text: string, chunk: Switches['chunk'] = 'word'): string[] {
  if (!text) return [];
  if (chunk === 'word') return text.match(/\s*\S+\s*/g) ?? [text];
  const chars = Array.from(text);
  const size = chunk === 'char' ? 1 : chunk;
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

// Things a client must skip (§6.7 step 2, §17 #15): comments, event/id lines, unknown types.
const EXTRAS = [
  (n: number) => `: keep-alive ${n}\n\n`,
  (n: number) => `event: progress\nid: ${n}\n\n`,
  (n: number) => `data: {"type":"x-bookbag-unknown","seq":${n}}\n\n`,
  (n: number) => `id: ${n}\nevent: reasoning\ndata: {"type":"reasoning-delta","text":"thinking…"}\n\n`,
  () => 'retry: 3000\n\n',
];

export interface SseOptions { pace: number; switches: Switches; signal: AbortSignal; messageId: string }

export class SseStream {
  /** Data frames written so far (frame switches count these). */
  written = 0;
  private extras = 0;

  constructor(private readonly res: ServerResponse, private readonly opts: SseOptions) {}

  async start(): Promise<void> {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    this.res.flushHeaders();
    const s = this.opts.switches;
    if (s.unknownFrames) {
      await this.put(': ping\n\n');
      await this.put(`data: ${JSON.stringify({ type: 'start', messageId: this.opts.messageId })}\n\n`);
    }
    await this.maybeDrop();
  }

  /** `onSent` runs once the frame's bytes are out, even if a switch then drops the socket. */
  async frame(payload: object, onSent?: () => void): Promise<void> {
    const s = this.opts.switches;
    if (this.written > 0) await sleep(this.opts.pace, this.opts.signal);
    let json = JSON.stringify(payload);
    // Cut the JSON in half: always unparseable, yet still a well-formed SSE block.
    if (s.malformedAt === this.written) json = json.slice(0, Math.floor(json.length / 2));
    await this.put(`data: ${json}\n\n`);
    this.written++;
    onSent?.();
    if (s.unknownFrames) await this.put(EXTRAS[this.extras % EXTRAS.length](++this.extras));
    if (s.stallAfter === this.written) await sleep(s.stallMs ?? 10000, this.opts.signal);
    await this.maybeDrop();
  }

  async done(): Promise<void> {
    if (!this.opts.switches.omitDone) await this.put(sseBlock(DONE));
    this.res.end();
  }

  private async maybeDrop(): Promise<void> {
    if (this.opts.switches.dropAfter !== this.written) return;
    // Let the bytes already written leave before the socket goes, like a proxy dying mid-reply.
    await sleep(5, this.opts.signal);
    this.res.destroy();
    throw new Aborted();
  }

  private async put(text: string): Promise<void> {
    if (this.opts.signal.aborted || this.res.destroyed) throw new Aborted();
    if (!this.opts.switches.splitBytes) {
      if (!this.res.write(text)) await this.drain();
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i++) {
      if (!this.res.write(bytes.subarray(i, i + 1))) await this.drain();
      await sleep(0, this.opts.signal);
    }
  }

  private drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.opts.signal;
      const cleanup = () => { this.res.off('drain', ok); signal.removeEventListener('abort', fail); };
      const ok = () => { cleanup(); resolve(); };
      const fail = () => { cleanup(); reject(new Aborted()); };
      if (signal.aborted) return reject(new Aborted());
      this.res.once('drain', ok);
      signal.addEventListener('abort', fail, { once: true });
    });
  }
}
