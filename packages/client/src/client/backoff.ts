/** Reconnect timing: exponential backoff with jitter, bounded in total time. */
export interface ReconnectOptions {
  /** First delay (ms). Default 250. */
  initialDelayMs?: number;
  /** Largest delay (ms). Default 5000. */
  maxDelayMs?: number;
  /**
   * For this long after the drop (ms) the delay stays at most `fastMaxDelayMs`, so clients find a restarted server
   * within about a second; later attempts back off up to `maxDelayMs`. Default 15000.
   */
  fastPhaseMs?: number;
  /** Largest delay during the fast phase (ms). Default 1000. */
  fastMaxDelayMs?: number;
  /** Give up once this long (ms) has passed since the connection dropped. Default 60000. */
  maxElapsedMs?: number;
}

/** Delays for successive reconnect attempts. */
export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #budget: number;
  readonly #fastPhase: number;
  readonly #fastMax: number;
  readonly #random: () => number;
  #attempt = 0;
  #startedAt = 0;

  constructor(options: ReconnectOptions = {}, random: () => number = Math.random) {
    this.#initial = Math.max(0, options.initialDelayMs ?? 250);
    this.#max = Math.max(this.#initial, options.maxDelayMs ?? 5000);
    this.#budget = Math.max(0, options.maxElapsedMs ?? 60_000);
    this.#fastPhase = Math.max(0, options.fastPhaseMs ?? 15_000);
    this.#fastMax = Math.min(this.#max, Math.max(this.#initial, options.fastMaxDelayMs ?? 1000));
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
    const cap = now - this.#startedAt < this.#fastPhase ? this.#fastMax : this.#max;
    const step = Math.min(cap, this.#initial * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    const delay = Math.round(step / 2 + (this.#random() * step) / 2);
    return Math.min(delay, left);
  }
}
