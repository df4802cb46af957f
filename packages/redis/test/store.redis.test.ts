import { runLiveStoreContract } from '@onseat/server/testing';
import { afterAll, beforeAll } from 'vitest';
import { RedisLink } from '../src/RedisLink.js';
import { RedisLiveStore } from '../src/RedisLiveStore.js';
import { TestRedis, uniquePrefix } from './support/redisServer.js';

let redis: TestRedis;
const links = new Map<RedisLiveStore, RedisLink>();
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(() => redis.stop());

runLiveStoreContract(
  'RedisLiveStore',
  async ({ eventCapacity }) => {
    const link = new RedisLink({ url: redis.url, prefix: uniquePrefix() });
    await link.connect();
    const store = new RedisLiveStore(link, { eventCapacity });
    links.set(store, link);
    return store;
  },
  async (store) => {
    await store.close();
    await links.get(store as RedisLiveStore)?.close();
  },
);
