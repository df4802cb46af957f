/**
 * After a takeover, every other node tells the new owner which of its sockets are in the live (`attach`), once per
 * owner, as soon as its round sees the new lease. That can be before the new owner has loaded the live from Redis: the
 * attach must then wait for the load, not be dropped (the member would stay "disconnected" on the owner until its
 * grace period ended and then be removed from the live). Found by the cluster model test.
 */
import { liveKeyOf } from '@onseat/server';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { APP } from './support/cluster.js';
import { killableCluster } from './support/killableCluster.js';
import type { KillableNode } from './support/killableNode.js';

const fixture = killableCluster();

const TTL = 1500;
const KEY = liveKeyOf(APP.sdkAppId, 'att');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('attach during a takeover', () => {
  it("a node's socket announced while the new owner is still loading the live is connected there once it is loaded", async () => {
    const { prefix, nodes, as } = await fixture.start(['a', 'b', 'c'], { leaseTtlMs: TTL });
    const [a, b, c] = nodes as [KillableNode, KillableNode, KillableNode];
    const host = await as(a, 'host');
    await host.call('live.start', { liveId: 'att', liveName: 'Att', maxSeatCount: 3 });
    for (const [node, user] of [
      [b, 'vb'],
      [c, 'vc'],
    ] as const)
      await (await as(node, user)).call('live.join', { liveId: 'att' });
    await sleep(TTL / 2); // b and c have seen a's lease

    // whichever of b and c takes the live over gets no answer to its load (HVALS of the members) for a while
    for (const n of [b, c]) n.proxy.holdAnswersAfter('hvals');
    const peek = new Redis(fixture.redis.url);
    try {
      await a.kill();
      let lease: string | null = null;
      for (let i = 0; i < 300 && !(lease = await peek.get(`${prefix}lease:${KEY}`))?.match(/^[bc]-/); i++) await sleep(10);
      const taker = lease?.startsWith(`${b.nodeId}/`) ? b : c;
      const other = taker === b ? c : b;
      const otherUser = other === b ? 'vb' : 'vc';
      // the other node's round (every TTL / 3) sees the new lease and announces its socket meanwhile
      await sleep(TTL / 3 + 300);
      expect(taker.server.engine.lives.has(KEY)).toBe(false); // still loading
      for (const n of [b, c]) n.proxy.release();

      for (let i = 0; i < 300 && !taker.server.engine.lives.get(KEY)?.members.get(otherUser)?.conn; i++) await sleep(10);
      const live = taker.server.engine.lives.get(KEY);
      expect(live?.members.get(otherUser)?.conn ?? null).not.toBeNull();
      expect(live?.members.get(other === b ? 'vc' : 'vb')?.conn ?? null).not.toBeNull();
    } finally {
      peek.disconnect();
    }
  }, 20_000);
});
