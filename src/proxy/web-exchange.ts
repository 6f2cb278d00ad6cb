// The proxy's exchange (exchange.ts) on web platform objects: a `Request` in, a `Response`
// out, `fetch` toward Bookbag. This is what `createBookbagProxy`'s fetch handler runs on.
import { EMPTY_BODY, type BodySource, type Departure, type ProxyAnswer, type ProxyCall, type UpstreamCall } from './exchange.js';

/** A web stream as a body source; the reader is taken on the first read, so an unread body stays unlocked. */
export function streamSource(stream: ReadableStream<Uint8Array> | null): BodySource {
  if (!stream) return EMPTY_BODY;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return {
    async read() {
      reader ??= stream.getReader();
      const step = await reader.read();
      return step.done ? null : step.value;
    },
    cancel() {
      (reader ? reader.cancel() : stream.cancel()).catch(() => {});
    },
  };
}

function departureOf(signal: AbortSignal): Departure {
  return {
    get aborted() { return signal.aborted; },
    onAbort(listener) {
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}

export function callFromRequest(request: Request, clientAddress?: string): ProxyCall {
  return {
    method: request.method,
    url: new URL(request.url),
    header: (name) => request.headers.get(name),
    body: request.body ? streamSource(request.body) : null,
    departure: departureOf(request.signal),
    clientAddress,
    toRequest: () => request,
  };
}

/** A body source as a pull-driven web stream (no read-ahead: backpressure stays the upstream's). */
function streamOf(source: BodySource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await source.read();
      if (chunk === null) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() { source.cancel(); },
  }, { highWaterMark: 0 });
}

export function responseOf(answer: ProxyAnswer): Response {
  const headers = new Headers();
  for (const [name, value] of answer.headers) headers.set(name, value);
  if (answer.setCookie) headers.append('Set-Cookie', answer.setCookie);
  const body = answer.body === null || typeof answer.body === 'string' ? answer.body : streamOf(answer.body);
  return new Response(body, { status: answer.status, headers });
}

/** Bookbag through a `fetch` function (the portable default). */
export function fetchUpstream(doFetch: typeof fetch): UpstreamCall {
  return (url, init) => {
    const controller = new AbortController();
    let reply: Promise<Response>;
    try {
      reply = doFetch(url, { method: init.method, headers: init.headers, body: init.body, signal: controller.signal, redirect: 'manual' });
    } catch (error) {
      reply = Promise.reject(error);
    }
    return {
      reply: reply.then((res) => ({ status: res.status, header: (name: string) => res.headers.get(name), body: streamSource(res.body) })),
      abort: () => controller.abort(),
    };
  };
}
