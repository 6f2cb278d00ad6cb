import type { ChatTransport, Reply } from '../core/transport.js';
import { BookbagError, codeForStatus, isAbort, parseRetryAfter, readErrorEnvelope } from '../protocol/errors.js';
import { framesFromJson } from '../protocol/frames.js';
import { conversationIdForBody } from '../protocol/limits.js';
import { paths } from '../protocol/paths.js';
import type { ChatRequestBody, Page } from '../protocol/wire.js';
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

export type { Page };

export type { Reply };


/**
 * The widget's only door to the network: builds Bookbag v2 requests, adds auth and host
 * headers, maps every failure to a {@link BookbagError}, and turns replies into frames.
 */
export class ApiClient implements ChatTransport {
  readonly #apiKey: string | undefined;
  readonly #init: ApiClientInit;

  constructor(init: ApiClientInit) {
    this.#apiKey = init.apiKey || undefined;
    this.#init = { ...init, apiKey: undefined, apiBase: init.apiBase.replace(/\/+$/, '') };
  }

  get #agentId(): string {
    return this.#init.agentId;
  }

  get apiBase(): string {
    return this.#init.apiBase;
  }

  /** `POST …/chat`. Streams unless `stream` is false. */
  async chat(body: { message: string; userId?: string; conversationId?: string; stream?: boolean }, signal?: AbortSignal): Promise<Reply> {
    const payload: ChatRequestBody = { message: body.message };
    if (body.userId) payload.userId = body.userId;
    if (body.conversationId) payload.conversationId = conversationIdForBody(body.conversationId);
    if (body.stream === false) payload.stream = false;
    return this.#reply('POST', paths.chat(this.#agentId), payload, signal);
  }

  /** `POST …/conversations/:id/retry` for an assistant message. */
  async retry(conversationId: string, messageId: string, stream: boolean, signal?: AbortSignal): Promise<Reply> {
    const payload: Record<string, unknown> = { messageId };
    if (!stream) payload.stream = false;
    return this.#reply('POST', paths.retry(this.#agentId, conversationId), payload, signal);
  }

  /** `POST …/conversations/:id/tool-result` with exactly `{ toolCallId, output }`. */
  async toolResult(conversationId: string, toolCallId: string, output: unknown, signal?: AbortSignal): Promise<Reply> {
    return this.#reply('POST', paths.toolResult(this.#agentId, conversationId), { toolCallId, output }, signal);
  }

  /** `PATCH …/messages/:id/feedback`. */
  async feedback(conversationId: string, messageId: string, feedback: 'positive' | 'negative' | null, signal?: AbortSignal): Promise<unknown> {
    const res = await this.#request('PATCH', paths.feedback(this.#agentId, conversationId, messageId), { feedback }, signal);
    return ((await readJson(res)) as { data?: unknown })?.data;
  }

  /** `GET …/conversations/:id/messages`: the newest page first, `cursor` walks to older ones. */
  async messages(conversationId: string, opts: { limit?: number; cursor?: string } = {}, signal?: AbortSignal): Promise<Page<unknown>> {
    return this.#page(() => paths.messages(this.#agentId, conversationId), opts, signal);
  }

  /** `GET …/users/:userId/conversations`, newest activity first. */
  async userConversations(userId: string, opts: { limit?: number; cursor?: string } = {}, signal?: AbortSignal): Promise<Page<unknown>> {
    return this.#page(() => paths.userConversations(this.#agentId, userId), opts, signal);
  }

  async #page(path: () => string, opts: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<Page<unknown>> {
    const query = new URLSearchParams();
    if (opts.limit) query.set('limit', String(opts.limit));
    if (opts.cursor) query.set('cursor', opts.cursor);
    const qs = query.toString();
    const res = await this.#withOneRetry(() => this.#request('GET', qs ? `${path()}?${qs}` : path(), undefined, signal), signal);
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
    const url = `${this.#init.apiBase}${path}`;
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

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch (error) {
    throw new BookbagError('INVALID_RESPONSE', 'The server sent a reply the widget cannot read.', { status: res.status, retryable: true, cause: error });
  }
}

/** Reads the `{error:{code,message}}` envelope; falls back to the status for anything else. */
async function errorFromResponse(res: Response): Promise<BookbagError> {
  let envelope: ReturnType<typeof readErrorEnvelope>;
  try {
    envelope = readErrorEnvelope(await res.json());
  } catch {
    // No JSON envelope (an HTML error page, an empty body): the status decides.
  }
  const code = envelope?.code ?? codeForStatus(res.status);
  // The host reads the meaning from `code` (codeForStatus); the message only says what arrived.
  const message = envelope?.message ?? `The chat service answered HTTP ${res.status} without an error body.`;
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  return new BookbagError(code, message, { status: res.status, retryAfter });
}
