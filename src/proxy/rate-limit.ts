// Per-visitor sliding-window limiter, in memory. Idle visitors are swept lazily (no timers,
// so the handler stays portable to hosts that forbid background work).

export interface RateDecision { allowed: boolean; limit: number; remaining: number; reset: number; retryAfter?: number }

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(readonly limit: number, readonly windowMs: number, private readonly maxKeys = 100_000) {}

  hit(key: string, now = Date.now()): RateDecision {
    this.sweep(now);
    const from = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > from);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      const frees = list[0] + this.windowMs;
      return {
        allowed: false, limit: this.limit, remaining: 0,
        reset: Math.ceil(frees / 1000), retryAfter: Math.max(1, Math.ceil((frees - now) / 1000)),
      };
    }
    list.push(now);
    // Re-insert so Map order approximates least-recently-used for the size cap.
    this.hits.delete(key);
    this.hits.set(key, list);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value as string);
    return { allowed: true, limit: this.limit, remaining: this.limit - list.length, reset: Math.ceil((list[0] + this.windowMs) / 1000) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const from = now - this.windowMs;
    for (const [key, list] of this.hits) if (list[list.length - 1] <= from) this.hits.delete(key);
  }
}

/** A bounded set with least-recently-used eviction (conversation ownership cache). */
export class LruSet {
  private readonly items = new Set<string>();
  constructor(private readonly max: number) {}

  has(key: string): boolean {
    if (!this.items.has(key)) return false;
    this.items.delete(key);
    this.items.add(key);
    return true;
  }

  add(key: string): void {
    this.items.delete(key);
    this.items.add(key);
    if (this.items.size > this.max) this.items.delete(this.items.values().next().value as string);
  }
}
