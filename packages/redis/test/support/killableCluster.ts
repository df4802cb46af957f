import { FakeClock } from '@onseat/server';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectAs, type WsClient } from '../../../server/test/support/wsClient.js';
import { APP } from './cluster.js';
import { KillableNode, type KillableNodeOptions } from './killableNode.js';
import { TestRedis, uniquePrefix } from './redisServer.js';

/**
 * The hooks of a test file whose nodes can die abruptly (`KillableNode`): one private redis-server for the file;
 * after each test its clients are closed and its nodes stopped.
 */
export function killableCluster(): {
  readonly redis: TestRedis;
  start: (
    names: string[],
    options: Omit<KillableNodeOptions, 'name' | 'prefix' | 'clock'>,
  ) => Promise<{ prefix: string; nodes: KillableNode[]; as: (node: KillableNode, userId: string) => Promise<WsClient> }>;
} {
  let redis: TestRedis | undefined;
  const nodes: KillableNode[] = [];
  const clients: WsClient[] = [];
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(() => redis?.stop());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
  });
  const fixture = {
    get redis(): TestRedis {
      if (!redis) throw new Error('the redis-server starts in beforeAll');
      return redis;
    },
    /** Nodes named `names` on one fake clock and one key prefix; `as` logs a user in on one of them. */
    async start(names: string[], options: Omit<KillableNodeOptions, 'name' | 'prefix' | 'clock'>) {
      const clock = new FakeClock();
      const prefix = uniquePrefix();
      const started = await Promise.all(names.map((name) => KillableNode.start(fixture.redis, { name, prefix, clock, ...options })));
      nodes.push(...started);
      const as = async (node: KillableNode, userId: string): Promise<WsClient> => {
        const c = await connectAs(node.url, APP, userId, { userName: `${userId}-name`, now: new Date(clock.now()) });
        clients.push(c);
        return c;
      };
      return { prefix, nodes: started, as };
    },
  };
  return fixture;
}
