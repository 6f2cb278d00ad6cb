// Where rate-limit counts live. The proxy asks one question — "may `key` have one more hit
// within `limit` per `windowMs`?" — and a store answers it atomically, so several proxy
// processes sharing a store (Redis) enforce one limit between them. The in-memory store is
// the default: exact within one process, no timers (idle keys are swept lazily), so the
// handler stays portable to hosts that forbid background work.

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the oldest counted hit leaves the window (a slot frees). */
  resetMs: number;
}

export interface LimiterStore {
  /** Counts one hit on `key` unless `limit` hits already fall within the last `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
}

/**
 * One key's hit times, oldest first, from `head` on. Expired hits are skipped by moving `head`
 * and compacted now and then, so a hit costs O(1) even when a limit allows thousands per window.
 */
interface HitLog { times: number[]; head: number }

/** Sliding-window log per key, in this process. */
export class MemoryLimiterStore implements LimiterStore {
  private readonly hits = new Map<string, HitLog>();
  private lastSweep = 0;
  private longestWindow = 0;

  constructor(private readonly clock: () => number = Date.now, private readonly maxKeys = 100_000) {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    return this.hitNow(key, limit, windowMs);
  }

  /** The synchronous core (the fallback store and tests use it directly). */
  hitNow(key: string, limit: number, windowMs: number): RateDecision {
    const now = this.clock();
    if (windowMs > this.longestWindow) this.longestWindow = windowMs;
    this.sweep(now);
    const from = now - windowMs;
    let log = this.hits.get(key);
    if (log) {
      const { times } = log;
      while (log.head < times.length && times[log.head] <= from) log.head++;
      if (log.head > 64 && log.head * 2 > times.length) {
        log.times = times.slice(log.head);
        log.head = 0;
      }
    } else {
      log = { times: [], head: 0 };
    }
    const count = log.times.length - log.head;
    if (count >= limit) {
      return { allowed: false, limit, remaining: 0, resetMs: Math.max(1, log.times[log.head] + windowMs - now) };
    }
    log.times.push(now);
    // Re-insert so Map order approximates least-recently-used for the size cap.
    this.hits.delete(key);
    this.hits.set(key, log);
    if (this.hits.size > this.maxKeys) this.evictOldest();
    return { allowed: true, limit, remaining: limit - count - 1, resetMs: Math.max(1, log.times[log.head] + windowMs - now) };
  }

  /**
   * Drops the least recently hit 1/16 of the cap at once. Every hit re-inserts its key, so the
   * front of the Map's table is mostly deleted slots that reaching the oldest key walks over:
   * evicting one key per new one (a client minting identities at the cap) cost that walk on every
   * request (17-74 µs a hit measured); in batches it is paid once per maxKeys/16 new keys.
   */
  private evictOldest(): void {
    let n = Math.max(1, this.maxKeys >> 4);
    for (const key of this.hits.keys()) {
      this.hits.delete(key);
      if (--n === 0) break;
    }
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.longestWindow) return;
    this.lastSweep = now;
    const from = now - this.longestWindow;
    for (const [key, log] of this.hits) if (log.head >= log.times.length || log.times[log.times.length - 1] <= from) this.hits.delete(key);
  }
}
