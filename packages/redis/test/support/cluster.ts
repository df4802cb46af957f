import { createServer, silentLogger, type Clock, type OnseatServer } from '@onseat/server';
import { createRedisCluster } from '../../src/cluster/createRedisCluster.js';
import { connectAs, type WsClient } from '../../../server/test/support/wsClient.js';
import { uniquePrefix, type TestRedis } from './redisServer.js';

export const APP = { sdkAppId: 1400000001, secret: 'cluster-test-secret-0123456789abcdef' };

export interface TestNode {
  server: OnseatServer;
  url: string;
}

/** N servers in this process, each a node of one cluster on the test's Redis (own key prefix per call). */
export async function startNodes(
  redis: TestRedis,
  n: number,
  options: { leaseTtlMs?: number; prefix?: string; clock?: Clock; reconnectGraceMs?: number } = {},
): Promise<TestNode[]> {
  const prefix = options.prefix ?? uniquePrefix();
  const nodes: TestNode[] = [];
  for (let i = 0; i < n; i++) {
    const cluster = await createRedisCluster({ url: redis.url, prefix, leaseTtlMs: options.leaseTtlMs ?? 1_500, nodeId: `node${i}` });
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
