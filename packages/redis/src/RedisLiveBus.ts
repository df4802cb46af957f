import type { Delivery, LiveBus, Unsubscribe } from '@onseat/server';
import type { RedisLink } from './RedisLink.js';

/**
 * For a delivery to some users: the nodes holding their sockets (this node included or not), or null when that is not
 * known for every one of them (then the delivery goes on the live's channel, to every node that has members of it).
 */
export type NodesOf = (liveKey: string, userIds: string[]) => ReadonlySet<string> | null;

/**
 * The LiveBus across nodes: a Redis channel per live (`ch:live:{key}`), subscribed by a node only while something on
 * it subscribes to that live (its members are connected there). A publish reaches this node's own subscribers at once
 * (in process) and the other nodes through Redis; a node ignores its own messages coming back. A delivery to some
 * users whose nodes the cluster knows (`nodesOf`) goes to those nodes' channels instead (`ch:node:{id}`), so nodes
 * without a recipient are not woken; both channels of a node are read on one connection, in publish order.
 *
 * Messages: live channel `nodeId \n recipients \n frame`; node channel `D liveKey \n recipients \n frame`
 * (recipients `all` or a JSON array of user ids; the frame is passed through as it is, never parsed).
 */
export class RedisLiveBus implements LiveBus {
  readonly #link: RedisLink;
  readonly #subs = new Map<string, Set<(d: Delivery) => void>>();
  /** Set by the cluster node (it knows where each member's socket is). */
  nodesOf: NodesOf | null = null;
  /** Deliveries received from other nodes (metrics). */
  received = 0;

  constructor(link: RedisLink) {
    this.#link = link;
  }

  publish(delivery: Delivery): void {
    this.#local(delivery);
    const { keys, nodeId } = this.#link;
    if (delivery.to !== 'all') {
      const nodes = this.nodesOf?.(delivery.liveKey, delivery.to);
      if (nodes) {
        if (nodes.size === 0 || (nodes.size === 1 && nodes.has(nodeId))) return;
        const message = `D${delivery.liveKey}\n${JSON.stringify(delivery.to)}\n${delivery.frame}`;
        for (const n of nodes) if (n !== nodeId) this.#link.publish(keys.nodeChannel(n), message);
        return;
      }
    }
    const to = delivery.to === 'all' ? 'all' : JSON.stringify(delivery.to);
    this.#link.publish(keys.liveChannel(delivery.liveKey), `${nodeId}\n${to}\n${delivery.frame}`);
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

  /** A delivery sent to this node's channel (`D liveKey \n recipients \n frame`): to this node's subscribers of the live. */
  receiveDirect(message: string): void {
    const a = message.indexOf('\n');
    const b = message.indexOf('\n', a + 1);
    if (a < 0 || b < 0) return;
    const toText = message.slice(a + 1, b);
    this.received++;
    this.#local({ liveKey: message.slice(1, a), frame: message.slice(b + 1), to: toText === 'all' ? 'all' : (JSON.parse(toText) as string[]) });
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
