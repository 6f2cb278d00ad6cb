// A shared store (Redis) with a local safety net: when the shared store fails or is slow, the
// proxy keeps serving and limits in this process instead (each process then enforces the
// whole limit, which is still far better than none), and says so once — not per request.

import { MemoryLimiterStore, type LimiterStore, type RateDecision } from './limiter-store.js';

export interface FallbackOptions {
  /** How long one shared-store answer may take before the local one is used. Default 250 ms. */
  timeoutMs?: number;
  /** Told once when the shared store stops answering, and once when it is back. */
  log?: (message: string) => void;
  clock?: () => number;
}

export class FallbackLimiterStore implements LimiterStore {
  private readonly local: MemoryLimiterStore;
  private down = false;
  private readonly timeoutMs: number;
  private readonly log: (message: string) => void;

  constructor(private readonly shared: LimiterStore, options: FallbackOptions = {}) {
    this.local = new MemoryLimiterStore(options.clock);
    this.timeoutMs = options.timeoutMs ?? 250;
    this.log = options.log ?? (() => {});
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const decision = await Promise.race([
        this.shared.hit(key, limit, windowMs),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs); }),
      ]);
      if (this.down) {
        this.down = false;
        this.log('limiter store is back; limits are shared again');
      }
      return decision;
    } catch (error) {
      if (!this.down) {
        this.down = true;
        this.log(`limiter store unavailable (${error instanceof Error ? error.message : String(error)}); limiting in this process until it is back`);
      }
      return this.local.hitNow(key, limit, windowMs);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}
