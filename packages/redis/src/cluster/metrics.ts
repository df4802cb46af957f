import { scrapedCounter, scrapedGauge } from '@onseat/server';
import type { Registry } from 'prom-client';
import type { RedisLink } from '../RedisLink.js';
import type { ClusterStats } from './ClusterNode.js';
import type { LinkStats } from './NodeLinks.js';

/** The node's cluster numbers on its /metrics (read at scrape time). */
export function registerClusterMetrics(
  registry: Registry,
  node: {
    stats: ClusterStats;
    ownedLives(): number;
    deliveriesReceived(): number;
    eventsCaughtUp(): number;
    links: LinkStats | undefined;
    linksUp(): number;
  },
  link: RedisLink,
): void {
  const counter = (name: string, help: string, read: () => number) => scrapedCounter(registry, name, help, read);
  const gauge = (name: string, help: string, read: () => number) => scrapedGauge(registry, name, help, read);
  gauge('onseat_cluster_lives_owned', 'Lives this node owns (holds the lease of)', () => node.ownedLives());
  counter('onseat_cluster_forwarded_commands_total', 'Commands this node forwarded to the owner of their live', () => node.stats.forwarded);
  counter(
    'onseat_cluster_forward_failures_total',
    'Forwarded commands with no answer in time (the owner was asked again)',
    () => node.stats.forwardFailures,
  );
  counter(
    'onseat_cluster_replies_with_commit_total',
    "Answers to forwarded commands this node sent inside their tick's commit (with its events, no publish of their own)",
    () => node.stats.repliesWithCommit,
  );
  counter(
    'onseat_cluster_link_messages_total',
    'Messages to owners (commands, attach, detach) this node sent on a direct node link instead of through Redis',
    () => node.stats.viaLink,
  );
  counter('onseat_cluster_link_received_total', 'Messages this node received on direct links from other nodes', () => node.links?.received ?? 0);
  counter('onseat_cluster_link_failures_total', 'Direct links this node could not open (it used Redis instead)', () => node.links?.failed ?? 0);
  counter(
    'onseat_cluster_link_refused_total',
    'Incoming direct links refused (wrong node, bad proof of the secret, bad frame, handshake too slow)',
    () => node.links?.refused ?? 0,
  );
  counter(
    'onseat_cluster_late_for_closed_total',
    'Commands or attach messages the owner refused because their socket had closed before they arrived',
    () => node.stats.lateForClosed,
  );
  counter(
    'onseat_cluster_repeated_commands_total',
    'Forwarded commands this owner got again (their forwarder timed out waiting): answered from the first run, not run twice',
    () => node.stats.repeated,
  );
  counter(
    'onseat_cluster_replies_from_store_total',
    "Commands asked again after their owner changed, answered from the answer the former owner's commit kept in Redis, not run twice",
    () => node.stats.repliesFromStore,
  );
  counter(
    'onseat_cluster_media_moved_total',
    "media.moved notices this node sent to sockets whose live's owner (and so its SFU) changed: their SDK publishes and subscribes again",
    () => node.stats.mediaMoved,
  );
  gauge('onseat_cluster_links_up', 'Direct links from this node to other nodes that are up', () => node.linksUp());
  counter('onseat_cluster_takeovers_total', 'Lives this node took over (loaded from Redis after their lease expired)', () => node.stats.takeovers);
  counter(
    'onseat_cluster_deliveries_received_total',
    'Event deliveries this node received from the owners of its lives (on a live channel, or sent to this node alone)',
    () => node.deliveriesReceived(),
  );
  counter(
    'onseat_cluster_resubscriptions_total',
    "Times this node's Redis subscription connection came back after a drop (what was published meanwhile is caught up from the log)",
    () => link.resubscriptions,
  );
  counter(
    'onseat_cluster_events_caught_up_total',
    'Logged events this node delivered to its sockets from the log after its subscription came back (they were published while it was down)',
    () => node.eventsCaughtUp(),
  );
  counter('onseat_cluster_step_downs_total', 'Lives this node let go of (lease lost, or a commit failed)', () => node.stats.stepDowns);
  gauge('onseat_cluster_redis_round_trip_seconds', 'Round-trip time of the last lease renewal with Redis', () => link.lastRoundTripMs / 1000);
  gauge('onseat_cluster_redis_connected', '1 while the connection to Redis is up', () => (link.connected ? 1 : 0));
}
