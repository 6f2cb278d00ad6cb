// State one server instance shares between its API and test-API handlers. Kept per instance
// (not module-level) so several servers can run side by side in one test process.
import type { RateLimiter } from './http.ts';
import type { Store } from './store.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Unix milliseconds: requests in one test often share a second. */
  at: number;
}

export interface AppState {
  store: Store;
  limiter: RateLimiter;
  pace: number;
  testApi: boolean;
  requests: Map<string, RecordedRequest[]>;
  /** Aborted by close() so open streams end and their timers are cleared. */
  shutdown: AbortController;
}

// Seed agents see traffic for the whole life of a demo server; keep only the recent part.
const MAX_RECORDED = 2000;

export function record(state: AppState, agentId: string, entry: RecordedRequest): void {
  const list = state.requests.get(agentId) ?? [];
  list.push(entry);
  if (list.length > MAX_RECORDED) list.splice(0, list.length - MAX_RECORDED);
  state.requests.set(agentId, list);
}
