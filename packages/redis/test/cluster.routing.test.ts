/**
 * Where the owner of a live sends a delivery: an event for some users goes only to the nodes holding their sockets
 * (nodes without a recipient are not woken), an event for everyone to every node with members; when the owner does
 * not know where a recipient's socket is (after a takeover, before that node told it), the event still reaches them.
 */
import { describe, expect, it } from 'vitest';
import { inProcessCluster, type TestNode } from './support/cluster.js';
import { scrapeMetric } from './support/nodeProcess.js';

const { clients, start } = inProcessCluster();

const received = (n: TestNode) => scrapeMetric(n.url, 'onseat_cluster_deliveries_received_total');

describe('deliveries across nodes', () => {
  it('an application reaches the admin on B and wakes no other node; a seat change reaches every node', async () => {
    const nodes = await start(3);
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'r', liveName: 'R', maxSeatCount: 3 });
    const admin = await clients.as(b, 'admin');
    const guest = await clients.as(c, 'guest');
    const viewer = await clients.as(b, 'viewer');
    for (const cl of [admin, guest, viewer]) await cl.call('live.join', { liveId: 'r' });
    await host.call('audience.setAdministrator', { userId: 'admin' });
    await admin.nextEvent('audience.roleChanged', (p) => p.user.userId === 'admin');
    // the throttled count (an event for everyone) has gone out before counting
    await guest.nextEvent('audience.countChanged', (p) => p.count === 3, 5000);
    const before = await Promise.all(nodes.map(received));

    const { application } = await guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
    expect((await admin.nextEvent('coGuest.applicationReceived')).payload.application.requestId).toBe(application.requestId);
    expect((await host.nextEvent('coGuest.applicationReceived')).payload.application.requestId).toBe(application.requestId);
    const afterApply = await Promise.all(nodes.map(received));
    // A owns the live (host there: no delivery through Redis); B holds the admin: one delivery; C only the applicant
    expect(afterApply.map((x, i) => x - before[i]!)).toEqual([0, 1, 0]);
    expect(viewer.events('coGuest.applicationReceived')).toHaveLength(0);

    await admin.call('coGuest.acceptApplication', { userId: 'guest' });
    for (const cl of [host, admin, guest, viewer]) await cl.nextEvent('seat.listChanged', (p) => p.seats.some((s) => s.userInfo?.userId === 'guest'));
    const afterAccept = await Promise.all(nodes.map(received));
    expect(afterAccept[1]! - afterApply[1]!).toBeGreaterThan(0);
    expect(afterAccept[2]! - afterApply[2]!).toBeGreaterThan(0);
  });

  it('after a takeover the new owner does not know the sockets on other nodes yet: an answer to the applicant still reaches them', async () => {
    // rounds every 10 s: within this test no node tells the new owner about its sockets
    const nodes = await start(3, { leaseTtlMs: 30_000 });
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 't', liveName: 'T', maxSeatCount: 3 });
    const admin = await clients.as(b, 'admin');
    const guest = await clients.as(c, 'guest');
    for (const cl of [admin, guest]) await cl.call('live.join', { liveId: 't' });
    await host.call('audience.setAdministrator', { userId: 'admin' });
    await guest.call('coGuest.apply', { seatIndex: -1, timeout: 60 });
    await admin.nextEvent('coGuest.applicationReceived');

    // A shuts down and hands its lease back; the admin's next command makes B take the live over at once
    await a.server.close();
    await admin.call('coGuest.rejectApplication', { userId: 'guest' });
    const answer = await guest.nextEvent('coGuest.applicationResponded');
    expect(answer.payload).toMatchObject({ isAccept: false });
  });
});
