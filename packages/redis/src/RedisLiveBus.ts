import type { Delivery, LiveBus, LoggedEvent, Unsubscribe } from '@onseat/server';
import { channelMessages, decodeDeliveries, type NodesOf, type RemoteDelivery } from './deliveries.js';
import type { RedisLink } from './RedisLink.js';

/**
 * The LiveBus across nodes: a Redis channel per live (`ch:live:{key}`), subscribed by a node only while something on
 * it subscribes to that live (its members are connected there). A publish reaches this node's own subscribers at once
 * (in process) and the other nodes through Redis; a node ignores its own messages coming back. A delivery to some
 * users whose nodes the cluster knows (`nodesOf`) goes to those nodes' channels instead (`ch:node:{id}`), so nodes
 * without a recipient are not woken; both channels of a node are read on one connection, in publish order.
 * Message format: `deliveries.ts`.
 *
 * In a cluster the store publishes the events of a tick to the other nodes inside its commit script
 * (`publishedByStore`): then a publish here only reaches this node's subscribers.
 */
export class RedisLiveBus implements LiveBus {
  readonly #link: RedisLink;
  readonly #subs = new Map<string, Set<(d: Delivery) => void>>();
  /** Set by the cluster node (it knows where each member's socket is). */
  nodesOf: NodesOf | null = null;
  /** The store's commit already published every delivery to the other nodes. */
  publishedByStore = false;
  /** Deliveries received from other nodes (metrics). */
  received = 0;
  /** Events delivered from the log after the subscription came back (metrics). */
  caughtUp = 0;
  /**
   * The live's logged events after `seq` (the store's `eventsAfter`), to catch up after the subscription dropped:
   * null when the live is gone or the log no longer reaches back that far.
   */
  eventsAfter: ((liveKey: string, seq: number) => Promise<LoggedEvent[] | null>) | null = null;
  /** The log no longer holds what this node missed of a live (set by the cluster node: its sockets must resume). */
  onLost: ((liveKey: string) => void) | null = null;
  /** The highest seq delivered here from another node, per live subscribed. */
  readonly #lastSeq = new Map<string, number>();
  /** Lives catching up: what arrives meanwhile waits, so that nothing overtakes the older events from the log. */
  readonly #held = new Map<string, RemoteDelivery[]>();

  constructor(link: RedisLink) {
    this.#link = link;
    link.onResubscribed(() => void this.catchUp());
  }

  /**
   * After the subscription connection came back: every live subscribed here gets, from the log, the events it
   * missed while the connection was down (pub/sub keeps nothing), in seq order before anything newer. A live whose log
   * no longer reaches back that far is handed to `onLost`.
   */
  async catchUp(): Promise<void> {
    const keys = [...this.#subs.keys()].filter((k) => !this.#held.has(k));
    for (const k of keys) this.#held.set(k, []);
    await Promise.all(
      keys.map(async (key) => {
        try {
          const events = await this.eventsAfter?.(key, this.#lastSeq.get(key) ?? 0);
          if (events === null) this.onLost?.(key);
          for (const e of events ?? [])
            if (this.#fromAnotherNode({ seq: e.seq, delivery: { liveKey: key, to: e.to, frame: e.frame } }, true)) this.caughtUp++;
        } catch {
          // Redis away again: its next return catches up
        } finally {
          const held = this.#held.get(key) ?? [];
          this.#held.delete(key);
          for (const d of held) this.#fromAnotherNode(d, true);
        }
      }),
    );
  }

  publish(delivery: Delivery): void {
    if (!delivery.elsewhere) this.#local(delivery);
    // The engine's events went out with their commit (publishedByStore); a delivery for the other nodes only (a chat
    // round, `elsewhere`) never goes through the store, so it is always published here.
    if (this.publishedByStore && !delivery.elsewhere) return;
    const { keys, nodeId } = this.#link;
    const event = { seq: 0, to: delivery.to, frame: delivery.frame };
    for (const [channel, message] of channelMessages(delivery.liveKey, [event], nodeId, keys, this.nodesOf)) this.#link.publish(channel, message);
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
      this.#lastSeq.delete(liveKey);
      this.#link.unlisten(this.#link.keys.liveChannel(liveKey));
    };
  }

  /** Resolves when Redis confirmed this node's subscription to the live (deliveries from other nodes arrive). */
  ready(liveKey: string): Promise<unknown> {
    if (!this.#subs.has(liveKey)) return Promise.resolve();
    return this.#link.listen(this.#link.keys.liveChannel(liveKey), (m) => this.#remote(liveKey, m));
  }

  /** Deliveries sent to this node's channel (`D liveKey \n …`): to this node's subscribers of the live. */
  receiveDirect(message: string): void {
    const head = message.indexOf('\n');
    if (head < 0) return;
    this.#received(decodeDeliveries(message, message.slice(1, head), head + 1));
  }

  #remote(liveKey: string, message: string): void {
    const head = message.indexOf('\n');
    if (head < 0 || message.slice(0, head) === this.#link.nodeId) return;
    this.#received(decodeDeliveries(message, liveKey, head + 1));
  }

  #received(deliveries: RemoteDelivery[]): void {
    this.received += deliveries.length;
    for (const d of deliveries) {
      const held = this.#held.get(d.delivery.liveKey);
      if (held) held.push(d);
      else this.#fromAnotherNode(d, false);
    }
  }

  /**
   * Delivers an event of another node and remembers its seq. `once` (caught up from the log, or held back meanwhile):
   * a logged event at or below the last seq delivered is skipped. (Deliveries as they come are never skipped: they
   * arrive in seq order, and a live started again under the same id starts its seq again.) Says whether it delivered.
   */
  #fromAnotherNode({ seq, delivery: d }: RemoteDelivery, once: boolean): boolean {
    if (seq > 0) {
      if (once && seq <= (this.#lastSeq.get(d.liveKey) ?? 0)) return false;
      if (this.#subs.has(d.liveKey)) this.#lastSeq.set(d.liveKey, seq);
    }
    this.#local(d);
    return true;
  }

  #local(d: Delivery): void {
    const set = this.#subs.get(d.liveKey);
    if (set) for (const h of [...set]) h(d);
  }
}
