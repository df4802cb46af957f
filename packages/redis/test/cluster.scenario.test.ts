/**
 * Three nodes in this process on one real redis-server, clients spread over them: the live is owned by the node its
 * host started it on; commands of clients on the other nodes are forwarded there and every event reaches every node
 * that has members.
 */
import type { SeatInfo } from '@onseat/protocol';
import { describe, expect, it } from 'vitest';
import { inProcessCluster, type TestNode } from './support/cluster.js';

const { clients, start } = inProcessCluster();

const seatOf = (seats: SeatInfo[], userId: string) => seats.find((s) => s.userInfo?.userId === userId)?.index;

describe('a live across three nodes', () => {
  it('host on A, audience on B and C: joins, counts and lists are cluster-wide; apply on B reaches the host on A; accept seats the guest everywhere', async () => {
    const nodes = await start(3);
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'x', liveName: 'X', maxSeatCount: 3 });
    const g1 = await clients.as(b, 'g1');
    const g2 = await clients.as(c, 'g2');
    const joined = await g1.call('live.join', { liveId: 'x' });
    expect(joined.snapshot.live.liveOwner.userId).toBe('host');
    await g2.call('live.join', { liveId: 'x' });
    await host.nextEvent('audience.joined', (p) => p.user.userId === 'g2');
    await g1.nextEvent('audience.joined', (p) => p.user.userId === 'g2'); // from C's join, through A, to B
    expect((await g2.call('live.info', { liveId: 'x' })).live.currentViewerCount).toBe(2);
    const list = await g1.call('audience.list', {});
    expect(list.audience.map((u) => u.userId).sort()).toEqual(['g1', 'g2']);

    const { application } = await g1.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
    const received = await host.nextEvent('coGuest.applicationReceived');
    expect(received.payload.application.requestId).toBe(application.requestId);
    expect(await host.call('coGuest.acceptApplication', { userId: 'g1' })).toEqual({ seatIndex: 1 });
    for (const cl of [host, g1, g2]) {
      const ev = await cl.nextEvent('seat.listChanged', (p) => seatOf(p.seats, 'g1') === 1);
      expect(ev.seq).toBeGreaterThan(0);
    }
    // one history: every client saw the same seq for the same change
    const seqs = [host, g1, g2].map((cl) => cl.events('seat.listChanged').at(-1)?.seq);
    expect(new Set(seqs).size).toBe(1);
  });

  it('two admins on two nodes accept the same application at the same instant: exactly one wins', async () => {
    const nodes = await start(3);
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'race', liveName: 'R', maxSeatCount: 3 });
    const adm1 = await clients.as(b, 'adm1');
    const adm2 = await clients.as(c, 'adm2');
    const guest = await clients.as(a, 'guest');
    for (const cl of [adm1, adm2, guest]) await cl.call('live.join', { liveId: 'race' });
    await host.call('audience.setAdministrator', { userId: 'adm1' });
    await host.call('audience.setAdministrator', { userId: 'adm2' });
    await guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
    await adm1.nextEvent('coGuest.applicationReceived');
    await adm2.nextEvent('coGuest.applicationReceived');
    const [r1, r2] = await Promise.all([
      adm1.request('coGuest.acceptApplication', { userId: 'guest' }),
      adm2.request('coGuest.acceptApplication', { userId: 'guest' }),
    ]);
    expect([r1.ok, r2.ok].filter(Boolean)).toHaveLength(1);
    const loser = r1.ok ? r2 : r1;
    expect(loser.ok).toBe(false);
    const seated = await guest.nextEvent('seat.listChanged', (p) => seatOf(p.seats, 'guest') !== undefined);
    expect(seated.payload.seats.filter((s) => s.userInfo?.userId === 'guest')).toHaveLength(1);
    expect(guest.events('coGuest.applicationResponded')).toHaveLength(1);
  });

  it('live.list is cluster-wide: lives owned by A and by B are listed on C with their audience counts, newest first, paged; an ended or private live is not', async () => {
    const nodes = await start(3);
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const hostA = await clients.as(a, 'hostA');
    await hostA.call('live.start', { liveId: 'on-a', liveName: 'On A' });
    await new Promise((r) => setTimeout(r, 5)); // a later createTime: B's live is the newer one
    const hostB = await clients.as(b, 'hostB');
    await hostB.call('live.start', { liveId: 'on-b', liveName: 'On B' });
    const hostHidden = await clients.as(b, 'hostHidden');
    await hostHidden.call('live.start', { liveId: 'hidden', liveName: 'Hidden', isPublicVisible: false });
    // audience: two in A's live (one of them through C), one in B's (through A)
    for (const [node, user, live] of [
      [a, 'v1', 'on-a'],
      [c, 'v2', 'on-a'],
      [a, 'v3', 'on-b'],
    ] as const) {
      const v = await clients.as(node, user);
      await v.call('live.join', { liveId: live });
    }
    const viewer = await clients.as(c, 'lister');
    const all = await viewer.call('live.list', {});
    expect(all.lives.map((l) => [l.liveId, l.currentViewerCount, l.liveOwner.userId])).toEqual([
      ['on-b', 1, 'hostB'],
      ['on-a', 2, 'hostA'],
    ]);
    expect(all.cursor).toBe('');
    const page1 = await viewer.call('live.list', { count: 1 });
    expect(page1.lives.map((l) => l.liveId)).toEqual(['on-b']);
    const page2 = await viewer.call('live.list', { count: 1, cursor: page1.cursor });
    expect(page2.lives.map((l) => l.liveId)).toEqual(['on-a']);
    expect(page2.cursor).toBe('');
    expect(await viewer.request('live.list', { cursor: 'nonsense' })).toMatchObject({ ok: false, error: { name: 'INVALID_PARAMETER' } });

    // made private on B: gone from the list on A; ended on A: gone from the list on B
    await hostB.call('live.update', { isPublicVisible: false });
    const fromA = await clients.as(a, 'lister2');
    expect((await fromA.call('live.list', {})).lives.map((l) => l.liveId)).toEqual(['on-a']);
    await hostA.call('live.end', {});
    const fromB = await clients.as(b, 'lister3');
    expect((await fromB.call('live.list', {})).lives).toEqual([]);
    await hostB.call('live.update', { isPublicVisible: true });
    expect((await viewer.call('live.list', {})).lives.map((l) => [l.liveId, l.currentViewerCount])).toEqual([['on-b', 1]]);
  });
});
