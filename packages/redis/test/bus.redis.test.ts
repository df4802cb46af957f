import { runLiveBusContract } from '@onseat/server/testing';
import type { LiveBus } from '@onseat/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLink } from '../src/RedisLink.js';
import { RedisLiveBus } from '../src/RedisLiveBus.js';
import { TestRedis, uniquePrefix } from './support/redisServer.js';

let redis: TestRedis;
const links = new Map<RedisLiveBus, RedisLink[]>();
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(() => redis.stop());

const twoNode = new Map<LiveBus, RedisLink[]>();
/**
 * Publish through one node, subscribe through another (two links, two node ids), so every delivery really crosses
 * Redis. Operations run in the test's order, each after Redis confirmed the publishes and subscription changes before
 * it (a subscription is in effect once confirmed, as with any Redis pub/sub).
 */
runLiveBusContract(
  'RedisLiveBus (publish on one node, subscribe on another)',
  async () => {
    const prefix = uniquePrefix();
    const a = new RedisLink({ url: redis.url, prefix });
    const b = new RedisLink({ url: redis.url, prefix });
    await Promise.all([a.connect(), b.connect()]);
    const pub = new RedisLiveBus(a);
    const sub = new RedisLiveBus(b);
    let queue: Promise<unknown> = Promise.resolve();
    const inOrder = (fn: () => unknown) => (queue = queue.then(() => Promise.all([a.publishesSettled(), b.subscriptionsSettled()])).then(fn));
    const bus: LiveBus = {
      publish: (d) => void inOrder(() => pub.publish(d)),
      subscribe: (key, h) => {
        let u: (() => void) | undefined;
        void inOrder(() => (u = sub.subscribe(key, h)));
        return () => void inOrder(() => u?.());
      },
    };
    twoNode.set(bus, [a, b]);
    return bus;
  },
  async (bus) => {
    for (const l of twoNode.get(bus) ?? []) await l.close();
  },
);

runLiveBusContract(
  'RedisLiveBus (one node: its own subscribers get deliveries in process)',
  async () => {
    const link = new RedisLink({ url: redis.url, prefix: uniquePrefix() });
    await link.connect();
    const bus = new RedisLiveBus(link);
    links.set(bus, [link]);
    return bus;
  },
  async (bus) => {
    for (const l of links.get(bus as RedisLiveBus) ?? []) await l.close();
  },
);

describe('RedisLiveBus: a delivery for the other nodes only', () => {
  it('is not handed to the publishing node’s own subscribers, and reaches the other node’s', async () => {
    const prefix = uniquePrefix();
    const a = new RedisLink({ url: redis.url, prefix });
    const b = new RedisLink({ url: redis.url, prefix });
    await Promise.all([a.connect(), b.connect()]);
    try {
      const here = new RedisLiveBus(a);
      const there = new RedisLiveBus(b);
      const gotHere: string[] = [];
      const gotThere: string[] = [];
      here.subscribe('1:l', (d) => gotHere.push(d.frame));
      there.subscribe('1:l', (d) => gotThere.push(d.frame));
      await Promise.all([here.ready('1:l'), there.ready('1:l')]);
      here.publish({ liveKey: '1:l', frame: 'chat', to: 'all', elsewhere: true });
      here.publish({ liveKey: '1:l', frame: 'event', to: 'all' });
      await a.publishesSettled();
      for (let i = 0; i < 100 && gotThere.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(gotHere).toEqual(['event']);
      expect(gotThere).toEqual(['chat', 'event']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
