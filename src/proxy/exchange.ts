// What the proxy's logic sees of a request, of Bookbag's reply and of its own answer — small
// plain interfaces instead of web `Request`/`Response`. The fetch handler (web-exchange.ts)
// and the Node server (demo/proxy/) each bind them to their platform, so the Node server
// does not pay for building web objects and piping web streams on every call (measured:
// most of the proxy's CPU per request), and both run exactly the same checks.

/** A body read chunk by chunk: `null` at its end. `cancel()` stops it and frees what carries it. */
export interface BodySource {
  read(): Promise<Uint8Array | null>;
  cancel(): void;
}

/** The client going away (a closed tab, an aborted stream). */
export interface Departure {
  readonly aborted: boolean;
  /** Calls `listener` once when the client goes away; returns its remover. */
  onAbort(listener: () => void): () => void;
}

/** An incoming request, whichever server received it. */
export interface ProxyCall {
  method: string;
  url: URL;
  /** A request header (lower-case name), or null. */
  header(name: string): string | null;
  /** Null for GET and HEAD. */
  body: BodySource | null;
  departure: Departure;
  /** The peer's IP address. */
  clientAddress?: string;
  /** The request as a web `Request` for the host's `identify()`, built only when asked for. */
  toRequest(): Request;
}

/** Bookbag's reply, as soon as its head arrived. */
export interface UpstreamReply {
  status: number;
  header(name: string): string | null;
  body: BodySource;
}

export interface UpstreamInit { method: string; headers: Record<string, string>; body?: string }

/** An upstream call in flight: its reply, and how to end it at once (client gone, timeout). */
export interface UpstreamPending { reply: Promise<UpstreamReply>; abort(): void }

/** How the proxy calls Bookbag: `fetch` by default, node:http with a keep-alive agent in the CLI. */
export type UpstreamCall = (url: string, init: UpstreamInit) => UpstreamPending;

/** What the proxy answers: status, headers (lower-case names, one value each), cookie, body. */
export class ProxyAnswer {
  setCookie: string | null = null;

  constructor(
    readonly status: number,
    readonly headers: Map<string, string> = new Map(),
    /** Text, a stream passed through chunk by chunk, or nothing. */
    readonly body: string | BodySource | null = null,
  ) {}

  /** Adds a value to a list header (Vary), as `Headers.append` does. */
  append(name: string, value: string): void {
    const had = this.headers.get(name);
    this.headers.set(name, had === undefined ? value : `${had}, ${value}`);
  }

  /** A JSON body. */
  static json(status: number, data: unknown, headers?: Map<string, string>): ProxyAnswer {
    const h = headers ?? new Map<string, string>();
    h.set('content-type', 'application/json');
    return new ProxyAnswer(status, h, JSON.stringify(data));
  }
}

export const EMPTY_BODY: BodySource = { read: () => Promise.resolve(null), cancel: () => {} };
