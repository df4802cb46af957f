import { createServer, silentLogger, type Clock, type OnseatServer } from '@onseat/server';
import { createRedisCluster, type RedisClusterOptions } from '../../src/cluster/createRedisCluster.js';
import { connectAs, type WsClient } from '../../../server/test/support/wsClient.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { TestRedis, uniquePrefix } from './redisServer.js';
import { TcpProxy } from './tcpProxy.js';

export const APP = { sdkAppId: 1400000001, secret: 'cluster-test-secret-0123456789abcdef' };

export interface TestNode {
  server: OnseatServer;
  url: string;
}

/** N servers in this process, each a node of one cluster on the test's Redis (own key prefix per call). */
export async function startNodes(
  redis: TestRedis,
  n: number,
  options: {
    leaseTtlMs?: number;
    prefix?: string;
    clock?: Clock;
    reconnectGraceMs?: number;
    /** The direct-link settings of node i (default: 127.0.0.1, a free port). */
    link?: (i: number) => RedisClusterOptions['link'];
    /** Where node i reaches Redis (default: the test's redis-server; a TcpProxy in front of it to stall one node). */
    redisUrl?: (i: number) => string;
    forwardTimeoutMs?: number;
  } = {},
): Promise<TestNode[]> {
  const prefix = options.prefix ?? uniquePrefix();
  const nodes: TestNode[] = [];
  for (let i = 0; i < n; i++) {
    const link = options.link?.(i);
    const cluster = await createRedisCluster({
      url: options.redisUrl?.(i) ?? redis.url,
      prefix,
      ...(options.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: options.forwardTimeoutMs } : {}),
      leaseTtlMs: options.leaseTtlMs ?? 1_500,
      nodeId: `node${i}`,
      ...(link !== undefined ? { link } : {}),
    });
    const server = createServer({
      port: 0,
      logger: silentLogger,
      apps: [APP],
      cluster,
      media: 'none',
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.reconnectGraceMs !== undefined ? { reconnectGraceMs: options.reconnectGraceMs } : {}),
    });
    const { url } = await server.listen();
    nodes.push({ server, url });
  }
  return nodes;
}

/**
 * Two nodes: A owns a live its host started there and reaches Redis through `proxy`, which the test can freeze (A's
 * commits wait, and A hears nothing from Redis); B gives up waiting for A after 150 ms and asks again. The guest is
 * on B, not in the live yet. Lease 30 s (a stall never costs A the live).
 */
export interface StallableOwner {
  a: TestNode;
  b: TestNode;
  host: WsClient;
  guest: WsClient;
  proxy: TcpProxy;
}

/** Clients connected to a node, closed by `closeAll`. */
export class Clients {
  readonly all: WsClient[] = [];
  async as(node: TestNode, userId: string): Promise<WsClient> {
    const c = await connectAs(node.url, APP, userId, { userName: `${userId}-name` });
    this.all.push(c);
    return c;
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.all.splice(0).map((c) => c.close()));
  }
}

/**
 * The hooks of a test file whose nodes run in this process: one private redis-server for the file; after each test
 * its clients are closed and the nodes it started are stopped (stopping twice is fine: a test may stop one itself).
 */
export function inProcessCluster(): {
  readonly redis: TestRedis;
  readonly clients: Clients;
  start: (n: number, options?: Parameters<typeof startNodes>[2]) => Promise<TestNode[]>;
  stallableOwner: (liveId: string) => Promise<StallableOwner>;
} {
  let redis: TestRedis | undefined;
  let nodes: TestNode[] = [];
  const proxies: TcpProxy[] = [];
  const clients = new Clients();
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(() => redis?.stop());
  afterEach(async () => {
    await clients.closeAll();
    await Promise.all(nodes.map((n) => n.server.close()));
    nodes = [];
    await Promise.all(proxies.splice(0).map((p) => p.cut().catch(() => undefined)));
  });
  const fixture = {
    get redis(): TestRedis {
      if (!redis) throw new Error('the redis-server starts in beforeAll');
      return redis;
    },
    clients,
    start: async (n: number, options?: Parameters<typeof startNodes>[2]): Promise<TestNode[]> => {
      const started = await startNodes(fixture.redis, n, options);
      nodes.push(...started);
      return started;
    },
    stallableOwner: async (liveId: string): Promise<StallableOwner> => {
      const proxy = await TcpProxy.start(fixture.redis.port);
      proxies.push(proxy);
      const [a, b] = (await fixture.start(2, {
        leaseTtlMs: 30_000,
        forwardTimeoutMs: 150,
        redisUrl: (i) => (i === 0 ? proxy.url : fixture.redis.url),
      })) as [TestNode, TestNode];
      const host = await clients.as(a, 'host');
      await host.call('live.start', { liveId, liveName: liveId, maxSeatCount: 3 });
      return { a, b, host, guest: await clients.as(b, 'guest'), proxy };
    },
  };
  return fixture;
}
