import type { Reply } from '../engine/api.js';
import type { Clock } from '../engine/Clock.js';

/**
 * One remembered request: its type and its reply, a promise while the request runs, the reply itself once it settled
 * (the owner swaps it in: every request of a busy server is remembered for minutes, so each entry must stay small).
 */
export interface IdempotencyEntry {
  readonly type: string;
  reply: Promise<Reply> | Reply;
  readonly expiresAt: number;
}

export interface IdempotencyCacheOptions {
  /** Requests remembered per user (least recently used are dropped). Default 256. */
  maxPerUser?: number;
  /** How long a request id is remembered (ms). Default 10 minutes. */
  ttlMs?: number;
}

/**
 * Request ids as idempotency keys, scoped per user (`sdkAppId:userId`) so they survive reconnects.
 * Per user an LRU of `id → {type, reply}` with a TTL on the injected clock.
 */
export class IdempotencyCache {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #ttl: number;
  readonly #users = new Map<string, Map<string, IdempotencyEntry>>();

  constructor(clock: Clock, opts: IdempotencyCacheOptions = {}) {
    this.#clock = clock;
    this.#max = opts.maxPerUser ?? 256;
    this.#ttl = opts.ttlMs ?? 10 * 60_000;
  }

  /** The live entry for this user's request id (marks it recently used), or undefined. */
  get(userKey: string, id: string): IdempotencyEntry | undefined {
    const m = this.#users.get(userKey);
    const e = m?.get(id);
    if (!m || !e) return undefined;
    m.delete(id);
    if (e.expiresAt <= this.#clock.now()) {
      if (m.size === 0) this.#users.delete(userKey);
      return undefined;
    }
    m.set(id, e);
    return e;
  }

  /** Remember a request; drops the user's least recently used entry beyond the limit. */
  set(userKey: string, id: string, type: string, reply: Promise<Reply>): IdempotencyEntry {
    let m = this.#users.get(userKey);
    if (!m) this.#users.set(userKey, (m = new Map<string, IdempotencyEntry>()));
    const e: IdempotencyEntry = { type, reply, expiresAt: this.#clock.now() + this.#ttl };
    m.delete(id);
    m.set(id, e);
    while (m.size > this.#max) {
      const oldest = m.keys().next();
      if (oldest.done) break;
      m.delete(oldest.value);
    }
    return e;
  }

  /** Forget an entry, only if it is still `entry` (a newer one with the same id stays). */
  delete(userKey: string, id: string, entry: IdempotencyEntry): void {
    const m = this.#users.get(userKey);
    if (m?.get(id) !== entry) return;
    m.delete(id);
    if (m.size === 0) this.#users.delete(userKey);
  }

  /** Drop expired entries and users without entries. */
  sweep(): void {
    const now = this.#clock.now();
    for (const [user, m] of this.#users) {
      for (const [id, e] of m) if (e.expiresAt <= now) m.delete(id);
      if (m.size === 0) this.#users.delete(user);
    }
  }

  /** Number of users with remembered requests. */
  get userCount(): number {
    return this.#users.size;
  }
}
