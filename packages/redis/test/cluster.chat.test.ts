/**
 * Chat in a live spread over three nodes on one real redis-server: every member gets every message once, in order,
 * wherever it is connected, and a delivery round crosses Redis once on the live's channel (each node writes it to its
 * own members), not once per remote member on the nodes' channels.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Keys } from '../src/keys.js';
import { APP, inProcessCluster, type TestNode } from './support/cluster.js';
import { uniquePrefix } from './support/redisServer.js';

const fx = inProcessCluster();
const { clients, start } = fx;
let spy: Redis | undefined;
afterEach(() => {
  spy?.disconnect();
  spy = undefined;
});

describe('chat across nodes', () => {
  it('members on three nodes get every message once and in order; a round crosses Redis once, on the live channel', async () => {
    const prefix = uniquePrefix();
    const nodes = await start(3, { prefix });
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const keys = new Keys(prefix);
    // What crosses Redis: chat frames on the live's channel and on each node's own channel.
    spy = new Redis(fx.redis.url, { lazyConnect: true });
    await spy.connect();
    const liveChannel = keys.liveChannel(`${APP.sdkAppId}:talk`);
    const crossed = { live: 0, node: 0 };
    spy.on('message', (channel: string, message: string) => {
      if (!message.includes('chat.batch')) return;
      if (channel === liveChannel) crossed.live++;
      else crossed.node++;
    });
    await spy.subscribe(liveChannel, ...['node0', 'node1', 'node2'].map((id) => keys.nodeChannel(id)));

    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'talk' });
    const viewers = [
      await clients.as(a, 'va'),
      await clients.as(b, 'vb1'),
      await clients.as(b, 'vb2'),
      await clients.as(b, 'vb3'),
      await clients.as(c, 'vc'),
    ];
    for (const v of viewers) await v.call('live.join', { liveId: 'talk' });
    const talker = viewers[4]!;
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) sent.push((await talker.call('barrage.sendText', { text: `hello ${i}` })).message.sequence);

    const sequencesOf = (cl: (typeof viewers)[number]) =>
      cl.events('chat.batch').flatMap((f) => ((f.payload as { messages?: { sequence: number }[] }).messages ?? []).map((m) => m.sequence));
    for (const cl of [host, ...viewers]) {
      await cl.nextEvent('chat.batch', (p) => p.messages?.some((m) => m.sequence === sent.at(-1)) ?? false);
    }
    await new Promise((r) => setTimeout(r, 100));
    for (const cl of [host, ...viewers]) expect(sequencesOf(cl)).toEqual(sent);
    // One publish per round (at most one per message here), however many members each other node holds.
    expect(crossed.node).toBe(0);
    expect(crossed.live).toBeGreaterThan(0);
    expect(crossed.live).toBeLessThanOrEqual(sent.length);
  });
});
