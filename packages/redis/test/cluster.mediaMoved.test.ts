/**
 * When a live's owner dies, the media of everyone in it was going to the dead node's SFU. Every node with sockets in
 * the live tells them `media.moved` once it knows of the new owner — the node that took the live over, and the other
 * nodes when their round sees the new lease — so that their SDK publishes and subscribes again at once instead of
 * waiting for ICE to notice (seconds in Chrome: `e2e/cluster.media.e2e.test.ts`). Never otherwise.
 */
import { describe, expect, it } from 'vitest';
import { killableCluster } from './support/killableCluster.js';
import type { KillableNode } from './support/killableNode.js';
import { scrapeMetric } from './support/nodeProcess.js';

const fixture = killableCluster();

const TTL = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nodes a, b, c; the host starts the live on a (its owner), a viewer joins through b and one through c. */
async function liveOnThreeNodes(media: 'werift' | 'none') {
  const { nodes, as } = await fixture.start(['a', 'b', 'c'], { leaseTtlMs: TTL, media });
  const [a, b, c] = nodes as [KillableNode, KillableNode, KillableNode];
  const host = await as(a, 'host');
  await host.call('live.start', { liveId: 'm', liveName: 'M', maxSeatCount: 3 });
  const viewers = [await as(b, 'vb'), await as(c, 'vc')] as const;
  for (const v of viewers) await v.call('live.join', { liveId: 'm' });
  // a few rounds: b and c have seen a's lease; nothing moved
  await sleep(TTL);
  for (const v of viewers) expect(v.events('media.moved')).toEqual([]);
  return { a, b, c, viewers };
}

describe('media.moved', () => {
  it("after the owner dies, every viewer on the other nodes hears it once (from the node that took the live over, or from its own node's round)", async () => {
    const { a, b, c, viewers } = await liveOnThreeNodes('werift');
    await a.kill();
    for (const v of viewers) {
      const moved = await v.nextEvent('media.moved', undefined, 5000);
      expect(moved).toMatchObject({ liveId: 'm', seq: 0, payload: {} });
    }
    await sleep(TTL); // more rounds: said once
    for (const v of viewers) expect(v.events('media.moved')).toHaveLength(1);
    const said = (await scrapeMetric(b.url, 'onseat_cluster_media_moved_total')) + (await scrapeMetric(c.url, 'onseat_cluster_media_moved_total'));
    expect(said).toBe(2);
    expect((await scrapeMetric(b.url, 'onseat_cluster_takeovers_total')) + (await scrapeMetric(c.url, 'onseat_cluster_takeovers_total'))).toBe(1);
  }, 20_000);

  it('nodes without an SFU say nothing', async () => {
    const { a, b, c, viewers } = await liveOnThreeNodes('none');
    await a.kill();
    await viewers[0].call('live.info', { liveId: 'm' }); // served again: taken over
    await sleep(TTL);
    for (const v of viewers) expect(v.events('media.moved')).toEqual([]);
    expect((await scrapeMetric(b.url, 'onseat_cluster_takeovers_total')) + (await scrapeMetric(c.url, 'onseat_cluster_takeovers_total'))).toBe(1);
  }, 20_000);
});
