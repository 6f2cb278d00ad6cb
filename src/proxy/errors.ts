// The API's error envelope (§3, §15) for everything the proxy answers itself, built on the
// shared contract's BookbagError and status→code mapping, so the widget's error handling
// needs nothing proxy-specific.
import { BookbagError, type ApiErrorCode } from '../protocol/index.js';
import { ProxyAnswer } from './exchange.js';


/** A BookbagError the proxy answers with: a status, a documented code, and extra headers (Retry-After). */
export class ProxyError extends BookbagError {
  override readonly status: number;

  constructor(status: number, code: ApiErrorCode | (string & {}), message: string, readonly headers: Record<string, string> = {}) {
    super(code, message, { status });
    this.status = status;
  }
}

/**
 * The visitor went away (closed the tab, aborted the stream). Nobody reads the reply and
 * nothing failed, so it is neither answered nor reported.
 */
export class ClientGone extends ProxyError {
  constructor() { super(499, 'CLIENT_CLOSED_REQUEST', 'The client closed the request'); }
}

export const notFound = (message = 'Resource not found') => new ProxyError(404, 'RESOURCE_NOT_FOUND', message);
export const forbidden = (message: string) => new ProxyError(403, 'AUTH_INSUFFICIENT_PERMISSIONS', message);
export const invalidBody = (message: string) => new ProxyError(400, 'VALIDATION_INVALID_BODY', message);

/** An error envelope; `headers` are set first, so they never replace its type or caching. */
export function errorAnswer(status: number, code: string, message: string, headers?: Record<string, string> | Map<string, string>): ProxyAnswer {
  const h = new Map<string, string>();
  if (headers) for (const [name, value] of headers instanceof Map ? headers : Object.entries(headers)) h.set(name.toLowerCase(), value);
  h.set('cache-control', 'no-store');
  return ProxyAnswer.json(status, new BookbagError(code, message).toEnvelope(), h);
}
