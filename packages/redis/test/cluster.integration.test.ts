/**
 * The scenario suite of packages/server (test/support/scenarioSuite.ts), unchanged, on three nodes in this process on
 * one real redis-server: the clients are spread over the nodes in turn (the host on the first, so the live is owned
 * there; the audience on the others), and a client that reconnects lands on another node than before.
 */
import { afterAll, beforeAll } from 'vitest';
import { runScenarioSuite } from '../../server/test/support/scenarioSuite.js';
import { APP, startNodes } from './support/cluster.js';
import { TestRedis } from './support/redisServer.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(() => redis.stop());

runScenarioSuite('three nodes', async (clock) => {
  const nodes = await startNodes(redis, 3, { clock, reconnectGraceMs: 20_000 });
  return {
    urls: nodes.map((n) => n.url),
    app: APP,
    engines: nodes.map((n) => n.server.engine),
    close: async () => {
      await Promise.all(nodes.map((n) => n.server.close()));
    },
  };
});
