// HTTP plumbing: the §15 error envelope, CORS, request ids, body reading and the per-key
// sliding-window rate limiter of §14.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BookbagError, type ApiErrorCode } from '../../src/protocol/index.ts';

// Errors are the contract's BookbagError (src/protocol), with only the codes Bookbag documents
// (§15): the mock must never invent others.

/** An error the API answers with `status` and the `{ error: { code, message } }` envelope. */
export const apiError = (status: number, code: ApiErrorCode, message: string) => new BookbagError(code, message, { status });
export const invalid = (message: string) => apiError(400, 'VALIDATION_INVALID_BODY', message);
export const notFound = (message = 'Resource not found') => apiError(404, 'RESOURCE_NOT_FOUND', message);

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string): void {
  sendJson(res, status, new BookbagError(code, message).toEnvelope());
}

export function newRequestId(): string {
  return `req_${randomBytes(12).toString('hex')}`;
}

const EXPOSED = 'x-request-id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After';

/** CORS for local browser testing (§16.4): reflect the origin so credentialed requests work. */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
  const asked = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', asked || 'Authorization, Content-Type, x-bookbag-mock');
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204);
  res.end();
}

// Large enough for a tool output or a seeded history, small enough to stop a runaway client.
const MAX_BODY = 8 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(invalid('Request body is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; raw: string };

/** An empty body parses to `undefined`, so handlers can tell "no body" from bad JSON. */
export function parseJson(raw: string): ParsedBody {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, raw };
  }
}

export interface RateState { limit: number; remaining: number; reset: number; retryAfter?: number; allowed: boolean }

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** Counts one request for `key` unless that would exceed the window's budget. */
  hit(key: string, now = Date.now()): RateState {
    const list = this.prune(key, now);
    if (list.length >= this.limit) {
      const frees = list[0] + this.windowMs;
      return {
        allowed: false,
        limit: this.limit,
        remaining: 0,
        reset: Math.ceil(frees / 1000),
        retryAfter: Math.max(1, Math.ceil((frees - now) / 1000)),
      };
    }
    list.push(now);
    this.hits.set(key, list);
    return { allowed: true, limit: this.limit, remaining: this.limit - list.length, reset: Math.ceil((list[0] + this.windowMs) / 1000) };
  }

  /** Headers for a request that has no key to charge (health, 401s, unknown routes). */
  idle(now = Date.now()): RateState {
    return { allowed: true, limit: this.limit, remaining: this.limit, reset: Math.ceil((now + this.windowMs) / 1000) };
  }

  private prune(key: string, now: number): number[] {
    const list = this.hits.get(key) ?? [];
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop] <= from) drop++;
    return drop ? list.slice(drop) : list;
  }
}

export function applyRateHeaders(res: ServerResponse, state: RateState): void {
  res.setHeader('X-RateLimit-Limit', String(state.limit));
  res.setHeader('X-RateLimit-Remaining', String(state.remaining));
  res.setHeader('X-RateLimit-Reset', String(state.reset));
  if (state.retryAfter !== undefined) res.setHeader('Retry-After', String(state.retryAfter));
}
