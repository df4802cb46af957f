/** One event on its way to the members of a live: serialised once, sent to 'all' or to the listed users. */
export interface Delivery {
  liveKey: string;
  frame: string;
  to: 'all' | string[];
  /**
   * Only for the other nodes: the publisher wrote to its own members itself (chat rounds, which it writes in
   * slices). A bus does not hand it to the publishing process's subscribers.
   */
  elsewhere?: boolean;
}

export type Unsubscribe = () => void;

/**
 * Carries deliveries from the node that executed a command to every node holding members of that live.
 * In-memory: a synchronous call to the local subscribers. A Redis bus publishes on a channel per live.
 */
export interface LiveBus {
  publish(delivery: Delivery): void;
  subscribe(liveKey: string, handler: (delivery: Delivery) => void): Unsubscribe;
}
