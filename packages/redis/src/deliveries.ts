import type { Delivery, LoggedEvent } from '@onseat/server';
import type { Keys } from './keys.js';

/**
 * For a delivery to some users: the nodes holding their sockets (this node included or not), or null when that is not
 * known for every one of them (then the delivery goes on the live's channel, to every node that has members of it).
 */
export type NodesOf = (liveKey: string, userIds: string[]) => ReadonlySet<string> | null;

/** A delivery from another node, with the seq of its event in the live's log (0: not logged, e.g. a chat round). */
export interface RemoteDelivery {
  seq: number;
  delivery: Delivery;
}

/**
 * Deliveries of one live as one channel message: a head line, then per delivery `seq \n recipients \n length \n frame`
 * (recipients `all` or a JSON array of user ids; length of the frame in UTF-16 units, so a frame is passed through as
 * it is and may contain anything). Head: the publishing node's id on a live's channel (`ch:live:{key}`: a node
 * ignores its own), `D liveKey` on a node's channel (`ch:node:{id}`).
 */
export function encodeDeliveries(head: string, deliveries: readonly { seq: number; to: 'all' | string[]; frame: string }[]): string {
  let m = `${head}\n`;
  for (const d of deliveries) m += `${d.seq}\n${d.to === 'all' ? 'all' : JSON.stringify(d.to)}\n${d.frame.length}\n${d.frame}`;
  return m;
}

/** The deliveries of a message after its head line (ends at the first malformed part). */
export function decodeDeliveries(message: string, liveKey: string, from: number): RemoteDelivery[] {
  const out: RemoteDelivery[] = [];
  let i = from;
  while (i < message.length) {
    const s = message.indexOf('\n', i);
    const a = message.indexOf('\n', s + 1);
    const b = message.indexOf('\n', a + 1);
    const seq = Number(message.slice(i, s));
    const length = Number(message.slice(a + 1, b));
    if (s < 0 || a < 0 || b < 0 || !Number.isInteger(seq) || !Number.isInteger(length) || length < 0) break;
    const to = message.slice(s + 1, a);
    out.push({ seq, delivery: { liveKey, to: to === 'all' ? 'all' : (JSON.parse(to) as string[]), frame: message.slice(b + 1, b + 1 + length) } });
    i = b + 1 + length;
  }
  return out;
}

/**
 * The channel messages that carry one tick's events of a live to the other nodes: events for everyone (or for users
 * whose nodes are not all known) on the live's channel, events for some users to the channels of the nodes holding
 * their sockets; at most one message per channel, the events in seq order within it. Nothing for this node itself.
 * Once one event of the tick has gone to the live's channel, every later one goes there too: a node hears both kinds
 * of channel, in the order they are published (node channels first, as their events come first), so an event for
 * its own channel after one on the live's channel would reach a socket before that earlier event.
 */
export function channelMessages(
  liveKey: string,
  events: readonly LoggedEvent[],
  nodeId: string,
  keys: Keys,
  nodesOf: NodesOf | null,
): [string, string][] {
  const byChannel = new Map<string, LoggedEvent[]>();
  const add = (channel: string, e: LoggedEvent) => {
    const list = byChannel.get(channel);
    if (list) list.push(e);
    else byChannel.set(channel, [e]);
  };
  let broadcasting = false;
  for (const e of events) {
    const nodes = e.to === 'all' ? null : (nodesOf?.(liveKey, e.to) ?? null);
    if (nodes && (nodes.size === 0 || (nodes.size === 1 && nodes.has(nodeId)))) continue; // for this node's sockets only
    if (!nodes || broadcasting) {
      add(keys.liveChannel(liveKey), e);
      broadcasting = true;
    } else for (const n of nodes) if (n !== nodeId) add(keys.nodeChannel(n), e);
  }
  const live = keys.liveChannel(liveKey);
  return [...byChannel].map(([channel, list]) => [channel, encodeDeliveries(channel === live ? nodeId : `D${liveKey}`, list)]);
}
