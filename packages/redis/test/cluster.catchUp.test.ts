/**
 * Redis pub/sub keeps nothing: what the owner publishes while another node's subscription connection is down never
 * reaches that node, and a client cannot tell (it does not get every seq: events for hosts skip the audience). When
 * the connection is back, the node delivers its sockets what they missed from the live's log, in seq order, before
 * anything newer; a node whose log no longer reaches back that far makes its sockets reconnect and resume.
 */
import { describe, expect, it } from 'vitest';
import type { EvtFrame } from '../../server/test/support/wsClient.js';
import { killableCluster } from './support/killableCluster.js';
import type { KillableNode } from './support/killableNode.js';
import { scrapeMetric } from './support/nodeProcess.js';

const fixture = killableCluster();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seqs = (frames: EvtFrame[]) => frames.map((f) => f.seq);

/** Host on a (the owner), a viewer on b, both in the live. */
async function liveAcrossTwo(eventCapacity?: number) {
  const { nodes, as } = await fixture.start(['a', 'b'], { leaseTtlMs: 30_000, ...(eventCapacity !== undefined ? { eventCapacity } : {}) });
  const [a, b] = nodes as [KillableNode, KillableNode];
  const host = await as(a, 'host');
  await host.call('live.start', { liveId: 'cu', liveName: 'CU', maxSeatCount: 6 });
  const viewer = await as(b, 'viewer');
  await viewer.call('live.join', { liveId: 'cu' });
  return { a, b, host, viewer };
}

describe('catching up after the subscription dropped', () => {
  it('the viewer gets the seat changes published while its node was deaf, in order, once; then live ones; the owner re-sends nothing', async () => {
    const { a, b, host, viewer } = await liveAcrossTwo();
    await host.call('seat.lock', { seatIndex: 1 });
    await viewer.nextEvent('seat.listChanged', (p) => p.seats[1]?.isLocked === true);

    expect(b.proxy.mute('subscribe')).toBe(1); // b hears nothing from Redis, and does not know it
    await host.call('seat.lock', { seatIndex: 2 });
    await host.call('seat.lock', { seatIndex: 3 });
    await sleep(200);
    expect(viewer.events('seat.listChanged')).toHaveLength(1);

    b.proxy.reset('subscribe'); // the connection drops; ioredis reconnects and subscribes again
    const caught = await viewer.nextEvent('seat.listChanged', (p) => p.seats[3]?.isLocked === true, 5000);
    await host.call('seat.lock', { seatIndex: 4 });
    await viewer.nextEvent('seat.listChanged', (p) => p.seats[4]?.isLocked === true);
    expect(seqs(viewer.events('seat.listChanged'))).toEqual(seqs(host.events('seat.listChanged')).slice(-4));
    expect(caught.seq).toBe(host.events('seat.listChanged').at(-2)!.seq);
    expect(await scrapeMetric(b.url, 'onseat_cluster_resubscriptions_total')).toBe(1);
    expect(await scrapeMetric(b.url, 'onseat_cluster_events_caught_up_total')).toBe(2);

    // the owner's own subscription drops too: its members got their events in process, nothing is sent again
    const before = host.events().length;
    a.proxy.reset('subscribe');
    await sleep(500);
    expect(await scrapeMetric(a.url, 'onseat_cluster_resubscriptions_total')).toBe(1);
    expect(host.events().length).toBe(before);
    await host.call('seat.lock', { seatIndex: 5 });
    await viewer.nextEvent('seat.listChanged', (p) => p.seats[5]?.isLocked === true);
    const all = seqs(viewer.events());
    expect(new Set(all).size).toBe(all.length); // each once
  }, 20_000);

  it('more missed than the log keeps: the sockets are told to reconnect and resume (4006)', async () => {
    const { b, host, viewer } = await liveAcrossTwo(4);
    b.proxy.mute('subscribe');
    for (let i = 1; i <= 5; i++) await host.call(i % 2 ? 'seat.lock' : 'seat.unlock', { seatIndex: 1 });
    b.proxy.reset('subscribe');
    const closed = await viewer.waitClose(5000);
    expect(closed.code).toBe(4006);
    expect(await scrapeMetric(b.url, 'onseat_cluster_events_caught_up_total')).toBe(0);
  }, 20_000);
});
