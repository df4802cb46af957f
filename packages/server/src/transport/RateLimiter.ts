import type { Clock } from '../engine/Clock.js';
import type { RateLimitOptions } from '../config.js';

interface Bucket {
  tokens: number;
  at: number;
  rate: RateLimitOptions;
}

/**
 * Token buckets by key (e.g. `sdkAppId:userId:type`): `burst` tokens, refilled at `perSecond`. Each `take` may name
 * its own rate (the per-request-type budgets of ./budgets.ts); without one, the limiter's default applies.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #opts: RateLimitOptions;
  readonly #buckets = new Map<string, Bucket>();

  constructor(clock: Clock, opts: RateLimitOptions) {
    this.#clock = clock;
    this.#opts = opts;
  }

  #level(b: Bucket, now: number): number {
    return Math.min(b.rate.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * b.rate.perSecond);
  }

  /** Take one token; false when the bucket is empty. */
  take(key: string, rate: RateLimitOptions = this.#opts): boolean {
    const now = this.#clock.now();
    const b = this.#buckets.get(key);
    const tokens = b ? this.#level(b, now) : rate.burst;
    if (tokens < 1) {
      if (b) {
        b.tokens = tokens;
        b.at = now;
      }
      return false;
    }
    if (b) {
      b.tokens = tokens - 1;
      b.at = now;
    } else this.#buckets.set(key, { tokens: tokens - 1, at: now, rate });
    return true;
  }

  /** Drop buckets that have refilled completely (they equal a fresh one). */
  sweep(): void {
    const now = this.#clock.now();
    for (const [k, b] of this.#buckets) if (this.#level(b, now) >= b.rate.burst) this.#buckets.delete(k);
  }

  /** Number of buckets held. */
  get size(): number {
    return this.#buckets.size;
  }
}
