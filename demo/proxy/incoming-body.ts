// A node:http message body (the client's request, or Bookbag's reply) as the proxy's
// BodySource: chunks are handed over as they are asked for, the message is paused while one
// waits (backpressure), and an end, a reset or a cancel never throws into the event loop.
import type { IncomingMessage } from 'node:http';
import type { BodySource } from '../../src/proxy/index.ts';

/**
 * `onCancel` says what a cancel does to the message: for a request, discard the rest (the
 * answer may still be sent); for an upstream reply, destroy it (its socket closes at once).
 */
export function incomingBody(message: IncomingMessage, onCancel: (message: IncomingMessage) => void): BodySource {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | null = null;
  let cancelled = false;
  let waiting: { resolve: (chunk: Uint8Array | null) => void; reject: (error: Error) => void } | null = null;

  const settle = () => {
    if (!waiting) return;
    const w = waiting;
    if (queue.length) { waiting = null; w.resolve(queue.shift()!); } else if (failure) { waiting = null; w.reject(failure); } else if (ended) { waiting = null; w.resolve(null); }
  };
  const fail = (error: Error) => {
    if (ended || failure) return;
    failure = error;
    settle();
  };
  message.on('data', (chunk: Buffer) => {
    if (cancelled) return;
    queue.push(chunk);
    if (!waiting) message.pause();
    settle();
  });
  // `on`, not `once`: each fires at most once anyway, and `once` allocates a wrapper per listener.
  message.on('end', () => { ended = true; settle(); });
  message.on('error', fail);
  message.on('aborted', () => fail(new Error('connection reset')));
  message.on('close', () => { if (!message.complete) fail(new Error('connection closed early')); });

  return {
    read() {
      if (cancelled) return Promise.resolve(null);
      const next = queue.shift();
      if (next) return Promise.resolve(next);
      if (failure) return Promise.reject(failure);
      if (ended) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        message.resume();
      });
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      queue.length = 0;
      const w = waiting;
      waiting = null;
      w?.resolve(null);
      onCancel(message);
    },
  };
}
