import { EventHub, type EventCallback } from '../EventHub.js';
import type { OnseatContext } from '../context.js';
import { deepFreeze } from '../freeze.js';

/**
 * Base of every store: an immutable snapshot (`getSnapshot()` changes identity only when a field changed),
 * change listeners (`subscribe`), and AtomicX-style named events (`subscribeEvent`/`unsubscribeEvent`).
 */
export abstract class Store<S extends object, E extends object> {
  protected readonly ctx: OnseatContext;
  readonly #events: EventHub<E>;
  readonly #listeners = new Set<(snapshot: S) => void>();
  readonly #initial: S;
  #state: S;

  protected constructor(ctx: OnseatContext, initial: S) {
    this.ctx = ctx;
    this.#events = new EventHub<E>(ctx.logger);
    this.#initial = deepFreeze(initial);
    this.#state = this.#initial;
  }

  /** The current state (frozen). The same object is returned until something changes. */
  getSnapshot(): S {
    return this.#state;
  }

  /** Call `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: S) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Register an event callback (runs synchronously, in registration order). */
  subscribeEvent<K extends keyof E>(event: K, callback: EventCallback<E[K]>): void {
    this.#events.on(event, callback);
  }

  /** Remove an event callback (same function reference as given to `subscribeEvent`). */
  unsubscribeEvent<K extends keyof E>(event: K, callback: EventCallback<E[K]>): void {
    this.#events.off(event, callback);
  }

  /** Merge `patch` into the state; a new snapshot (and notification) only if a field changed identity. */
  protected setState(patch: Partial<S>): void {
    const current = this.#state;
    const next = { ...current };
    let changed = false;
    for (const key of Object.keys(patch) as (keyof S)[]) {
      const value = patch[key] as S[keyof S];
      const before = current[key];
      if (sameValue(before, value)) continue;
      next[key] = Array.isArray(before) && Array.isArray(value) ? (shareItems(before, value) as S[keyof S]) : value;
      changed = true;
    }
    if (!changed) return;
    this.#state = deepFreeze(next);
    for (const listener of [...this.#listeners]) {
      try {
        listener(this.#state);
      } catch (error) {
        this.ctx.logger.error?.('Error in store listener', error);
      }
    }
  }

  /** Back to the initial state. */
  protected resetState(): void {
    this.setState(this.#initial);
  }

  /** Emit a named event. */
  protected emit<K extends keyof E>(event: K, payload: E[K]): void {
    this.#events.emit(event, payload);
  }
}

/** Same identity, or equal plain data (arrays / plain objects compared by their JSON). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!isPlain(a) || !isPlain(b)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}

/** A copy of `next` that reuses the items of `prev` that are equal at the same position (stable identities). */
function shareItems(prev: readonly unknown[], next: readonly unknown[]): unknown[] {
  return next.map((item, i) => (i < prev.length && sameValue(prev[i], item) ? prev[i] : item));
}
