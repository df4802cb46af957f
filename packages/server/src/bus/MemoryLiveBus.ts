import type { Delivery, LiveBus, Unsubscribe } from './LiveBus.js';

/** The embedded default bus: hands each delivery to this process's subscribers synchronously. */
export class MemoryLiveBus implements LiveBus {
  readonly #subs = new Map<string, Set<(d: Delivery) => void>>();

  publish(delivery: Delivery): void {
    const set = this.#subs.get(delivery.liveKey);
    if (!set || delivery.elsewhere) return;
    for (const h of set) h(delivery);
  }

  subscribe(liveKey: string, handler: (d: Delivery) => void): Unsubscribe {
    let set = this.#subs.get(liveKey);
    if (!set) this.#subs.set(liveKey, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.#subs.get(liveKey) === set) this.#subs.delete(liveKey);
    };
  }
}
