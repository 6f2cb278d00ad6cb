/**
 * The one error type of the Bookbag v2 contract, used by the widget (what it reports), the local
 * server and the proxy (what they answer with the `{ error: { code, message } }` envelope).
 */

/** The codes Bookbag documents (bookbag-api-v2.md §15). Servers emit only these. */
export type ApiErrorCode =
  | 'VALIDATION_INVALID_BODY'
  | 'AUTH_MISSING_API_KEY'
  | 'AUTH_INVALID_API_KEY'
  | 'AUTH_INSUFFICIENT_PERMISSIONS'
  | 'RESOURCE_NOT_FOUND'
  | 'RESOURCE_MESSAGE_NOT_FOUND'
  | 'RESOURCE_TOOL_CALL_NOT_FOUND'
  | 'RESOURCE_MESSAGE_NOT_ASSISTANT'
  | 'CHAT_RETRY_NO_USER_MESSAGE'
  | 'CHAT_RETRY_MESSAGE_NOT_FOUND'
  | 'RATE_LIMIT_TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

/**
 * The widget's own codes, for failures no server named: `NETWORK_ERROR` (no connection, or it
 * was reset), `STREAM_INTERRUPTED` (the stream ended without `[DONE]`), `STREAM_ERROR` (an
 * `error` frame arrived), `TOOL_FAILED`, `STORAGE_UNAVAILABLE`, `INVALID_RESPONSE` (a reply
 * the widget cannot read, including an id that is not safe to put into a URL).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'STREAM_INTERRUPTED' | 'STREAM_ERROR' | 'TOOL_FAILED' | 'STORAGE_UNAVAILABLE' | 'INVALID_RESPONSE';

/** `{ error: { code, message } }`: every v2 error body. */
export interface ErrorEnvelope {
  error: { code: string; message: string };
}

/**
 * A failure with the API's error code (or one of {@link ClientErrorCode}), the HTTP status when
 * there is one, and whether trying the same thing again may work.
 */
export class BookbagError extends Error {
  override name = 'BookbagError';
  /** The API's `error.code`, or one of the widget's own codes. Unknown server codes are kept as sent. */
  readonly code: string;
  /** HTTP status, when a server answered (or, on a server, the status to answer with). */
  readonly status?: number;
  /** Whether trying the same thing again may work. */
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (`Retry-After`), for 429s. */
  readonly retryAfter?: number;

  constructor(code: ApiErrorCode | ClientErrorCode | (string & {}), message: string, init: { status?: number; retryable?: boolean; retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.retryAfter = init.retryAfter;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
  }

  /** The error body a server sends for this error. */
  toEnvelope(): ErrorEnvelope {
    return { error: { code: this.code, message: this.message } };
  }
}

/** 408, 429 and 5xx may succeed later; other 4xx will not without a change. No status: network. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * The documented code for a bare HTTP status: what a client reads from a reply without the
 * envelope (an HTML error page from a CDN, say), and what a server sends when only a status is
 * known. Only documented codes come out, so every side switches on the same names.
 */
export function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'AUTH_INVALID_API_KEY';
  if (status === 403) return 'AUTH_INSUFFICIENT_PERMISSIONS';
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  if (status === 429) return 'RATE_LIMIT_TOO_MANY_REQUESTS';
  if (status >= 500) return 'INTERNAL_SERVER_ERROR';
  return 'VALIDATION_INVALID_BODY';
}

/** Reads `{ error: { code, message } }`; undefined for any other shape. */
export function readErrorEnvelope(body: unknown): { code?: string; message?: string } | undefined {
  const error = (body as Partial<ErrorEnvelope> | null)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return {
    code: typeof error.code === 'string' && error.code ? error.code : undefined,
    message: typeof error.message === 'string' && error.message ? error.message : undefined,
  };
}

/** An abort is someone's choice (stop, reset, element removed), never an error to report. */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return (signal?.aborted ?? false) || (typeof DOMException !== 'undefined' && error instanceof DOMException && error.name === 'AbortError');
}

/** `Retry-After` in seconds or as an HTTP date, as whole seconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
