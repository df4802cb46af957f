import type { Delivery, LiveBus, Unsubscribe } from '@onseat/server';
import type { RedisLink } from './RedisLink.js';

/**
 * The LiveBus across nodes: a Redis channel per live (`ch:live:{key}`), subscribed by a node only while something on
 * it subscribes to that live (its members are connected there). A publish reaches this node's own subscribers at once
 * (in process) and the other nodes through Redis; a node ignores its own messages coming back.
 *
 * Message: `nodeId \n recipients-JSON \n frame` (the frame is passed through as it is, never parsed).
 */
export class RedisLiveBus implements LiveBus {
  readonly #link: RedisLink;
  readonly #subs = new Map<string, Set<(d: Delivery) => void>>();
  /** Deliveries received from other nodes (metrics). */
  received = 0;

  constructor(link: RedisLink) {
    this.#link = link;
  }

  publish(delivery: Delivery): void {
    if (!delivery.elsewhere) this.#local(delivery);
    const to = delivery.to === 'all' ? 'all' : JSON.stringify(delivery.to);
    this.#link.publish(this.#link.keys.liveChannel(delivery.liveKey), `${this.#link.nodeId}\n${to}\n${delivery.frame}`);
  }

  subscribe(liveKey: string, handler: (d: Delivery) => void): Unsubscribe {
    let set = this.#subs.get(liveKey);
    if (!set) {
      set = new Set();
      this.#subs.set(liveKey, set);
      void this.#link.listen(this.#link.keys.liveChannel(liveKey), (m) => this.#remote(liveKey, m));
    }
    set.add(handler);
    const mine = set;
    return () => {
      if (!mine.delete(handler) || mine.size > 0 || this.#subs.get(liveKey) !== mine) return;
      this.#subs.delete(liveKey);
      this.#link.unlisten(this.#link.keys.liveChannel(liveKey));
    };
  }

  /** Resolves when Redis confirmed this node's subscription to the live (deliveries from other nodes arrive). */
  ready(liveKey: string): Promise<unknown> {
    if (!this.#subs.has(liveKey)) return Promise.resolve();
    return this.#link.listen(this.#link.keys.liveChannel(liveKey), (m) => this.#remote(liveKey, m));
  }

  #remote(liveKey: string, message: string): void {
    const a = message.indexOf('\n');
    const b = message.indexOf('\n', a + 1);
    if (a < 0 || b < 0 || message.slice(0, a) === this.#link.nodeId) return;
    const toText = message.slice(a + 1, b);
    this.received++;
    this.#local({ liveKey, frame: message.slice(b + 1), to: toText === 'all' ? 'all' : (JSON.parse(toText) as string[]) });
  }

  #local(d: Delivery): void {
    const set = this.#subs.get(d.liveKey);
    if (set) for (const h of [...set]) h(d);
  }
}
