/**
 * Redis goes away mid-live (killed) and comes back (same port, append-only file with fsync always): while it is down
 * commands fail fast with STORE_UNAVAILABLE; afterwards everything works again and nothing acknowledged was lost.
 */
import type { SeatInfo } from '@onseat/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Clients, startNodes, type TestNode } from './support/cluster.js';
import { TestRedis } from './support/redisServer.js';

let redis: TestRedis;
let nodes: TestNode[] = [];
const clients = new Clients();
beforeAll(async () => {
  redis = await TestRedis.start({ persistent: true });
});
afterAll(async () => {
  await clients.closeAll();
  await Promise.all(nodes.map((n) => n.server.close()));
  await redis.stop();
});

const seated = (seats: SeatInfo[]) => seats.map((s) => s.userInfo?.userId ?? null);

async function retry<T>(fn: () => Promise<{ ok: boolean } & T>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await fn();
    if (r.ok || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

it('Redis killed and restarted: clear fast errors while it is down, full recovery after, nothing acknowledged lost', async () => {
  nodes = await startNodes(redis, 2, { leaseTtlMs: 1500, prefix: 'onseat:' });
  const [a, b] = nodes as [TestNode, TestNode];
  const host = await clients.as(a, 'host');
  await host.call('live.start', { liveId: 'rf', liveName: 'RF', maxSeatCount: 3 });
  const guest = await clients.as(b, 'guest');
  await guest.call('live.join', { liveId: 'rf' });
  await guest.call('coGuest.apply', { seatIndex: -1, timeout: 60 });
  await host.nextEvent('coGuest.applicationReceived');
  expect(await host.call('coGuest.acceptApplication', { userId: 'guest' })).toEqual({ seatIndex: 1 }); // acknowledged

  await redis.stopProcess();
  // commands on the owner and forwarded ones fail fast with a clear code, not a hang
  for (const [who, type, payload] of [
    [host, 'seat.lock', { seatIndex: 2 }],
    [guest, 'seat.lock', { seatIndex: 2 }],
    [guest, 'live.join', { liveId: 'rf' }],
  ] as const) {
    const t0 = Date.now();
    const r = await who.request(type, payload, { timeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(40020);
  }

  await redis.startProcess();
  // back: the owner's next command goes through (after the nodes reconnect and the live is taken back)
  const locked = await retry(() => host.request('seat.lock', { seatIndex: 2 }, { timeoutMs: 5000 }), 8000);
  expect(locked.ok).toBe(true);
  const viaB = await retry(() => guest.request('seat.unlock', { seatIndex: 2 }, { timeoutMs: 5000 }), 8000);
  expect(viaB.ok).toBe(false); // a guest may not unlock: the owner answered (NEED_ADMIN_PERMISSION), not a store error
  if (!viaB.ok) expect(viaB.error.code).not.toBe(40020);
  const snap = await guest.call('live.sync', { liveId: 'rf', sinceSeq: 0 });
  if (snap.mode !== 'snapshot') throw new Error('expected a snapshot');
  expect(seated(snap.snapshot.seats)).toEqual(['host', 'guest', null]); // the acknowledged accept survived
  expect(snap.snapshot.seats[2]?.isLocked).toBe(true);
  // both clients hear the lock (events flow through the live's channel again)
  await guest.nextEvent('seat.listChanged', (p) => p.seats[2]?.isLocked === true, 5000);
});
