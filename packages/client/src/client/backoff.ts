/** Reconnect timing: exponential backoff with jitter, bounded in total time. */
export interface ReconnectOptions {
  /** First delay (ms). Default 250. */
  initialDelayMs?: number;
  /** Largest delay (ms). Default 5000. */
  maxDelayMs?: number;
  /** Give up once this long (ms) has passed since the connection dropped. Default 60000. */
  maxElapsedMs?: number;
}

/** Delays for successive reconnect attempts. */
export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #budget: number;
  readonly #random: () => number;
  #attempt = 0;
  #startedAt = 0;

  constructor(options: ReconnectOptions = {}, random: () => number = Math.random) {
    this.#initial = Math.max(0, options.initialDelayMs ?? 250);
    this.#max = Math.max(this.#initial, options.maxDelayMs ?? 5000);
    this.#budget = Math.max(0, options.maxElapsedMs ?? 60_000);
    this.#random = random;
  }

  /** Start a new outage (the connection just dropped). */
  start(now: number): void {
    this.#attempt = 0;
    this.#startedAt = now;
  }

  /** Delay before the next attempt, or null when the time budget is spent. Jitter: 50–100 % of the step. */
  next(now: number): number | null {
    const left = this.#startedAt + this.#budget - now;
    if (left <= 0) return null;
    const step = Math.min(this.#max, this.#initial * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    const delay = Math.round(step / 2 + (this.#random() * step) / 2);
    return Math.min(delay, left);
  }
}
