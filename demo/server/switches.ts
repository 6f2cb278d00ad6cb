// Test switches: per-agent fault injection set through /__mock, overridable per request by the
// `x-bookbag-mock` JSON header. Unknown names are rejected so a typo in a test fails loudly
// instead of silently testing the happy path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BookbagError, codeForStatus, type EndpointName } from '../../src/protocol/index.ts';
import { invalid } from './http.ts';
import type { Agent, Switches } from './types.ts';

export const ENDPOINTS: EndpointName[] = [
  'chat', 'retry', 'tool-result', 'feedback', 'conversation', 'messages', 'conversations', 'user-conversations', 'export',
];

type Check = (v: unknown) => boolean;
const count: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const bool: Check = (v) => typeof v === 'boolean';
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);

const CHECKS: Record<keyof Switches, Check> = {
  pace: count,
  chunk: (v) => v === 'word' || v === 'char' || (Number.isInteger(v) && (v as number) >= 1),
  status: (v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599,
  envelope: oneOf('json', 'none', 'html', 'text'),
  retryAfter: count,
  statusTimes: count,
  statusOn: (v) => Array.isArray(v) && v.every((e) => ENDPOINTS.includes(e as EndpointName)),
  stallAfter: count,
  stallMs: count,
  errorAfter: count,
  errorText: (v) => typeof v === 'string',
  finishAfterError: bool,
  dropAfter: count,
  omitDone: bool,
  malformedAt: count,
  notSse: bool,
  splitBytes: bool,
  replyBytes: count,
  unknownFrames: bool,
  toolFrame: oneOf('tool-call', 'tool-input-available', 'none'),
  toolResultMode: oneOf('stream', 'json', 'ack'),
};

export function validateSwitches(value: unknown, where: string): Switches {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${where} must be an object`);
  for (const [name, v] of Object.entries(value)) {
    const check = CHECKS[name as keyof Switches];
    if (!check) throw invalid(`${where}: unknown switch "${name}"`);
    if (v !== undefined && !check(v)) throw invalid(`${where}: bad value for "${name}"`);
  }
  return value as Switches;
}

/** Per-request header values win over the agent's config. */
export function headerSwitches(req: IncomingMessage): Switches {
  const raw = req.headers['x-bookbag-mock'];
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Array.isArray(raw) ? raw[0] : raw);
  } catch {
    throw invalid('x-bookbag-mock header must be a JSON object');
  }
  return validateSwitches(parsed, 'x-bookbag-mock');
}

/**
 * Decides whether this request gets the forced status. A header status always applies (it
 * is per request already); a config status applies `statusTimes` times, then expires.
 */
export function forcedStatus(agent: Agent, header: Switches, endpoint: EndpointName): Switches | null {
  const fromHeader = header.status !== undefined;
  const source: Switches = fromHeader ? { ...agent.config, ...header } : agent.config;
  if (source.status === undefined) return null;
  if (source.statusOn && !source.statusOn.includes(endpoint)) return null;
  if (!fromHeader) {
    if (agent.statusLeft !== null) {
      if (agent.statusLeft <= 0) return null;
      agent.statusLeft--;
    }
  }
  return source;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function sendForcedStatus(res: ServerResponse, s: Switches): void {
  const status = s.status ?? 500;
  const reason = STATUS_TEXT[status] ?? 'Error';
  if (s.retryAfter !== undefined) res.setHeader('Retry-After', String(s.retryAfter));
  let type: string | null = 'application/json';
  let body = '';
  switch (s.envelope ?? 'json') {
    case 'json':
      body = JSON.stringify(new BookbagError(codeForStatus(status), `Forced ${status} ${reason} (mock switch)`).toEnvelope());
      break;
    case 'html':
      type = 'text/html; charset=utf-8';
      body = `<!doctype html>\n<html><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1><hr><p>nginx</p></body></html>\n`;
      break;
    case 'text':
      type = 'text/plain; charset=utf-8';
      body = `${status} ${reason}`;
      break;
    case 'none':
      type = null;
      break;
  }
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body) };
  if (type) headers['Content-Type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}
