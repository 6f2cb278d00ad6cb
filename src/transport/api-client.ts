import type { ChatFrame } from '../model/types.js';
import { BookbagError, codeForStatus, isAbort } from './errors.js';
import { framesFromJson } from './frames.js';
import { readEventStream } from './sse.js';

/** Extra request headers: an object, or a function returning one (sync or async). */
export type HeadersInit = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

export interface ApiClientInit {
  /** Base URL of Bookbag API v2, or of a proxy serving the same paths. */
  apiBase: string;
  agentId: string;
  /** Sent as `Authorization: Bearer …`. Kept private to this object. */
  apiKey?: string;
  headers?: HeadersInit;
  /** Send cookies on cross-origin requests (a proxy on another origin). */
  withCredentials?: boolean;
  /** Test seam and host hook; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** One page of a cursor-paginated list. */
export interface Page<T> {
  data: T[];
  pagination: { cursor: string | null; hasMore: boolean; total?: number };
}

/** A reply to chat, retry or tool-result: frames as they arrive, whatever the wire shape. */
export type Reply = AsyncIterable<ChatFrame> | Iterable<ChatFrame>;

/** Bookbag types conversation ids as integers in requests but returns strings: send digits as numbers. */
const idForBody = (id: string): string | number => (/^\d{1,15}$/.test(id) ? Number(id) : id);

/**
 * The widget's only door to the network: builds Bookbag v2 requests, adds auth and host
 * headers, maps every failure to a {@link BookbagError}, and turns replies into frames.
 */
export class ApiClient {
  readonly #apiKey: string | undefined;
  readonly #init: ApiClientInit;

  constructor(init: ApiClientInit) {
    this.#apiKey = init.apiKey || undefined;
    this.#init = { ...init, apiKey: undefined, apiBase: init.apiBase.replace(/\/+$/, '') };
  }

  get apiBase(): string {
    return this.#init.apiBase;
  }

  /** `POST …/chat`. Streams unless `stream` is false. */
  chat(body: { message: string; userId?: string; conversationId?: string; stream?: boolean }, signal?: AbortSignal): Promise<Reply> {
    const payload: Record<string, unknown> = { message: body.message };
    if (body.userId) payload.userId = body.userId;
    if (body.conversationId) payload.conversationId = idForBody(body.conversationId);
    if (body.stream === false) payload.stream = false;
    return this.#reply('POST', '/chat', payload, signal);
  }

  /** `POST …/conversations/:id/retry` for an assistant message. */
  retry(conversationId: string, messageId: string, stream: boolean, signal?: AbortSignal): Promise<Reply> {
    const payload: Record<string, unknown> = { messageId };
    if (!stream) payload.stream = false;
    return this.#reply('POST', `/conversations/${enc(conversationId)}/retry`, payload, signal);
  }

  /** `POST …/conversations/:id/tool-result` with exactly `{ toolCallId, output }`. */
  toolResult(conversationId: string, toolCallId: string, output: unknown, signal?: AbortSignal): Promise<Reply> {
    return this.#reply('POST', `/conversations/${enc(conversationId)}/tool-result`, { toolCallId, output }, signal);
  }

  /** `PATCH …/messages/:id/feedback`. */
  async feedback(conversationId: string, messageId: string, feedback: 'positive' | 'negative' | null, signal?: AbortSignal): Promise<unknown> {
    const res = await this.#request('PATCH', `/conversations/${enc(conversationId)}/messages/${enc(messageId)}/feedback`, { feedback }, signal);
    return ((await readJson(res)) as { data?: unknown })?.data;
  }

  /** `GET …/conversations/:id/messages`: the newest page first, `cursor` walks to older ones. */
  messages(conversationId: string, opts: { limit?: number; cursor?: string } = {}, signal?: AbortSignal): Promise<Page<unknown>> {
    return this.#page(`/conversations/${enc(conversationId)}/messages`, opts, signal);
  }

  /** `GET …/users/:userId/conversations`, newest activity first. */
  userConversations(userId: string, opts: { limit?: number; cursor?: string } = {}, signal?: AbortSignal): Promise<Page<unknown>> {
    return this.#page(`/users/${enc(userId)}/conversations`, opts, signal);
  }

  async #page(path: string, opts: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<Page<unknown>> {
    const query = new URLSearchParams();
    if (opts.limit) query.set('limit', String(opts.limit));
    if (opts.cursor) query.set('cursor', opts.cursor);
    const qs = query.toString();
    const res = await this.#withOneRetry(() => this.#request('GET', qs ? `${path}?${qs}` : path, undefined, signal), signal);
    const body = (await readJson(res)) as Partial<Page<unknown>> | undefined;
    if (!body || !Array.isArray(body.data)) {
      throw new BookbagError('INVALID_RESPONSE', 'The server sent a list the widget cannot read.', { status: res.status, retryable: true });
    }
    return { data: body.data, pagination: { cursor: null, hasMore: false, ...body.pagination } };
  }

  /**
   * Reads are safe to repeat: one automatic retry after a network error, a 5xx or a short 429,
   * with a pause (the server's `Retry-After`, else 600 ms). Never more, so a failing server
   * does not get a storm of requests; writes (chat, retry, tool-result, feedback) never retry.
   */
  async #withOneRetry(run: () => Promise<Response>, signal?: AbortSignal): Promise<Response> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof BookbagError) || !error.retryable || (error.retryAfter ?? 0) > 5 || signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, error.retryAfter ? error.retryAfter * 1000 : 600));
      if (signal?.aborted) throw error;
      return run();
    }
  }

  async #reply(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Reply> {
    const res = await this.#request(method, path, body, signal);
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && res.body) return readEventStream(res.body, signal);
    if (type.includes('json')) return framesFromJson(await readJson(res));
    // A 200 that is neither a stream nor JSON (an HTML page from a misconfigured proxy, say).
    await res.body?.cancel().catch(() => {});
    throw new BookbagError('INVALID_RESPONSE', 'The server answered with something that is not a chat reply.', { status: res.status, retryable: true });
  }

  async #request(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: body === undefined ? 'application/json' : 'text/event-stream, application/json' };
    const extra = this.#init.headers;
    Object.assign(headers, typeof extra === 'function' ? await extra() : extra);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#apiKey) headers.Authorization = `Bearer ${this.#apiKey}`;
    const url = `${this.#init.apiBase}/agents/${enc(this.#init.agentId)}${path}`;
    let res: Response;
    // An absolute http(s) URL or a path (a same-origin proxy); anything else is a setup mistake
    // that would otherwise surface as a confusing 404 from the host page's own server.
    if (!/^(https?:\/\/[^\s/?#]+|\.{0,2}\/)[^\s]*$/i.test(this.#init.apiBase)) {
      throw new BookbagError('NETWORK_ERROR', `api-base "${this.#init.apiBase.slice(0, 80)}" is not a valid URL.`, { retryable: false });
    }
    try {
      res = await (this.#init.fetch ?? fetch)(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: this.#init.withCredentials ? 'include' : 'same-origin',
      });
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      throw new BookbagError('NETWORK_ERROR', 'Could not reach the chat service. Check your connection and try again.', { cause: error });
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }
}

const enc = encodeURIComponent;

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch (error) {
    throw new BookbagError('INVALID_RESPONSE', 'The server sent a reply the widget cannot read.', { status: res.status, retryable: true, cause: error });
  }
}

/** Reads the `{error:{code,message}}` envelope; falls back to the status for anything else. */
async function errorFromResponse(res: Response): Promise<BookbagError> {
  let code = codeForStatus(res.status);
  let message = defaultMessage(res.status);
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
    if (typeof body?.error?.message === 'string' && body.error.message) message = body.error.message;
  } catch {
    // No JSON envelope (an HTML error page, an empty body): the status decides.
  }
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  return new BookbagError(code, message, { status: res.status, retryAfter });
}

function defaultMessage(status: number): string {
  if (status === 401 || status === 403) return 'The chat service refused the request (not authorised).';
  if (status === 404) return 'The chat or conversation was not found.';
  if (status === 429) return 'Too many messages at once. Please wait a moment.';
  if (status >= 500) return 'The chat service had a problem. Please try again.';
  return `The request failed (HTTP ${status}).`;
}

/** `Retry-After` in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
