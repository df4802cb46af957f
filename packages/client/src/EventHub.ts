import type { Logger } from './logger.js';

/** Callback of an event whose payload is `P`. */
export type EventCallback<P> = (payload: P) => void;

/**
 * Named events with AtomicX semantics: callbacks run synchronously in registration order, each in its own
 * try/catch (an exception is logged as `Error in event callback for <event>` and does not stop the others);
 * unsubscribing needs the same function reference (anything else is silently ignored).
 */
export class EventHub<M extends object> {
  readonly #callbacks = new Map<keyof M, EventCallback<never>[]>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Register `callback` for `event`. Registering the same function twice calls it twice (as AtomicX does). */
  on<K extends keyof M>(event: K, callback: EventCallback<M[K]>): void {
    const list = this.#callbacks.get(event) ?? [];
    list.push(callback);
    this.#callbacks.set(event, list);
  }

  /** Remove every registration of this exact function for `event`. */
  off<K extends keyof M>(event: K, callback: EventCallback<M[K]>): void {
    const list = this.#callbacks.get(event);
    if (!list) return;
    const rest = list.filter((cb) => cb !== (callback as EventCallback<never>));
    if (rest.length === 0) this.#callbacks.delete(event);
    else this.#callbacks.set(event, rest);
  }

  /** Call every callback of `event` with `payload`. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const list = this.#callbacks.get(event);
    if (!list) return;
    for (const cb of [...list]) {
      try {
        (cb as EventCallback<M[K]>)(payload);
      } catch (err) {
        this.#logger.error?.(`Error in event callback for ${String(event)}`, err);
      }
    }
  }

  /** Number of callbacks registered for `event`. */
  count(event: keyof M): number {
    return this.#callbacks.get(event)?.length ?? 0;
  }
}
