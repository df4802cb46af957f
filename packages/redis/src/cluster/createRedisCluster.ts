import { randomBytes } from 'node:crypto';
import type { ClusterMembership, ClusterNodeLike, Connection, Engine } from '@onseat/server';
import type { Registry } from 'prom-client';
import { RedisLink, viaRedis } from '../RedisLink.js';
import { RedisLiveBus } from '../RedisLiveBus.js';
import { RedisLiveStore } from '../RedisLiveStore.js';
import { ClusterNode } from './ClusterNode.js';
import { NodeLinks } from './NodeLinks.js';
import { registerClusterMetrics } from './metrics.js';

export interface RedisClusterOptions {
  /** `redis://host:port`. */
  url: string;
  /** Lease TTL (ms): how soon another node takes over the lives of a dead one. Default 2 000. */
  leaseTtlMs?: number;
  /** Key prefix (several deployments on one Redis). Default `onseat:`. */
  prefix?: string;
  /** Events kept per live for resume. Default 512. */
  eventCapacity?: number;
  /** A Redis command with no answer in this time fails (ms). Default 1 000. */
  commandTimeoutMs?: number;
  /** How long a forwarded command waits for the owner (ms). Default 1 000. */
  forwardTimeoutMs?: number;
  /** A name for this node; a random suffix makes its id unique to this start. Default: a random UUID. */
  nodeId?: string;
  /**
   * Where this node listens for direct links from the other nodes (what they send to the owners of lives: commands,
   * attach, detach), announced in its heartbeat: `host` must be the address the other nodes reach it at. Default
   * 127.0.0.1 and a free port (nodes on one machine); `false`: no links, everything goes through Redis.
   */
  link?: { host?: string; port?: number; /** `host port` to announce instead (a proxy, a NAT). */ announce?: string } | false;
}

/**
 * Connects to Redis and returns what `createServer({ cluster })` needs to make the server a node of the cluster.
 * Rejects when Redis cannot be reached.
 */
export async function createRedisCluster(options: RedisClusterOptions): Promise<ClusterMembership> {
  const link = new RedisLink({
    url: options.url,
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(options.nodeId !== undefined ? { nodeId: options.nodeId } : {}),
    ...(options.commandTimeoutMs !== undefined ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
  });
  try {
    await link.connect();
  } catch (e) {
    await link.close();
    throw new Error(`cannot connect to Redis at ${options.url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let node: ClusterNode | undefined;
  let links: NodeLinks | undefined;
  if (options.link !== false) {
    let secret: Buffer;
    try {
      secret = await linkSecret(link);
    } catch (e) {
      await link.close();
      throw new Error(`cannot read the node link secret from Redis: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      links = new NodeLinks({
        nodeId: link.nodeId,
        secret,
        addressOf: (n) => link.cmd.get(link.keys.node(n)),
        onMessage: (from, raw) => node?.onLinkMessage(from, raw),
        onLost: (to, replay) => node?.onLinkLost(to, replay),
        log: (obj, msg) => node?.log.warn(obj, msg),
      });
      await links.listen(options.link?.host ?? '127.0.0.1', options.link?.port ?? 0, options.link?.announce);
    } catch (e) {
      await links?.close();
      await link.close();
      const where = `${options.link?.host ?? '127.0.0.1'}:${options.link?.port ?? 0}`;
      throw new Error(
        `cannot open the node link listener on ${where} (--cluster-link-host/--cluster-link-port): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  const fences = new Map<string, string>();
  const bus = new RedisLiveBus(link);
  // the commit script publishes each tick's events to the other nodes; the bus delivers on this node only
  bus.publishedByStore = true;
  const store = new RedisLiveStore(link, {
    fenceOf: (k) => fences.get(k),
    publishEvents: { nodesOf: (key, to) => bus.nodesOf?.(key, to) ?? null },
    ...(options.eventCapacity ? { eventCapacity: options.eventCapacity } : {}),
  });
  return {
    nodeId: link.nodeId,
    store,
    bus,
    onCommitFailed: (e) => node?.commitFailed(e) ?? false,
    join(engine: Engine): ClusterNodeLike {
      if (node) throw new Error('this cluster membership is already used by an engine');
      const n = new ClusterNode(link, bus, engine, fences, {
        store,
        ...(options.leaseTtlMs !== undefined ? { leaseTtlMs: options.leaseTtlMs } : {}),
        ...(options.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: options.forwardTimeoutMs } : {}),
        ...(links ? { links } : {}),
      });
      node = n;
      return {
        attach: (c) => n.attach(c),
        detach: (c) => n.detach(c),
        execute: (c, t, p) => n.execute(c, t, p),
        get stats() {
          return n.engineStats;
        },
        get restoring() {
          return engine.restoring;
        },
        get deliveryRounds() {
          return engine.deliveryRounds;
        },
        // Members of lives this node owns; a member of a live owned elsewhere is pinged at the stage's rate.
        isAudienceOnly: (c: Connection) => engine.isAudienceOnly(c),
        drain: () => engine.drain(),
        close: () => n.close(),
        start: () => n.start(),
        registerMetrics: (registry: Registry) =>
          registerClusterMetrics(
            registry,
            {
              stats: n.stats,
              ownedLives: () => fences.size,
              deliveriesReceived: () => bus.received,
              eventsCaughtUp: () => bus.caughtUp,
              links: links?.stats,
              linksUp: () => links?.up ?? 0,
            },
            link,
          ),
      };
    },
  };
}

/** The cluster's link secret: made by the first node that needs it, read by every other. */
async function linkSecret(link: RedisLink): Promise<Buffer> {
  await viaRedis(link.cmd.set(link.keys.linkSecret, randomBytes(32).toString('base64'), 'NX'));
  const secret = await viaRedis(link.cmd.get(link.keys.linkSecret));
  if (!secret) throw new Error('it is not there');
  return Buffer.from(secret, 'base64');
}
