import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/engine/Clock.js';
import { MemoryLiveStore } from '../src/store/MemoryLiveStore.js';
import { createHarness, type TestConn } from './support/engineHarness.js';

const lastSeq = (c: TestConn) => c.frames.filter((f) => f.seq > 0).at(-1)?.seq ?? 0;

/** A first engine with a live, then a second engine (own FakeClock, `laterMs` ahead) on the same store. */
async function restartScenario(laterMs: number, applyTimeout: number) {
  const store = new MemoryLiveStore();
  const h1 = createHarness({ store });
  const { host, a, g, b } = await h1.liveWith(['a', 'g', 'b']);
  const t0 = h1.clock.now();
  const { application } = await h1.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: applyTimeout });
  await h1.ok(host, 'coGuest.invite', { userId: 'g', seatIndex: 3, timeout: 0 });
  await h1.ok(g, 'coGuest.acceptInvitation', { inviterId: 'host' });
  await h1.ok(host, 'live.setMetadata', { metadata: { topic: 'cats' } });
  const seqs = { host: lastSeq(host), a: lastSeq(a), g: lastSeq(g), b: lastSeq(b) };
  await h1.engine.close();
  let k = 0;
  const h2 = createHarness({ store, clock: new FakeClock(t0 + laterMs), newId: () => `second-${++k}` });
  expect(await h2.engine.restore()).toBe(1);
  h2.checkInvariants();
  return { h1, h2, application, seqs, t0, old: { host, a, g, b } };
}

describe('restoring lives on a second engine', () => {
  it('restores the live as it was; members are back in grace and resume with live.sync', async () => {
    const { h2, application, seqs, old } = await restartScenario(5_000, 0);
    const live = h2.live();
    expect([...(live?.members.keys() ?? [])].sort()).toEqual(['a', 'b', 'g', 'host']);
    expect([...(live?.members.values() ?? [])].every((m) => m.conn === null)).toBe(true);
    expect(h2.seatUserIds().slice(0, 4)).toEqual(['host', null, null, 'g']);

    const host = h2.connect('host');
    const r = await h2.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: seqs.host });
    expect(r).toEqual({ mode: 'events', events: [] });
    const snap = await h2.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: 0 });
    if (snap.mode !== 'snapshot') throw new Error('expected a snapshot');
    expect(snap.snapshot).toMatchObject({ applications: [application], metadata: { topic: 'cats' }, self: { role: 0 }, audienceCount: 3 });
    expect(snap.snapshot.seq).toBe(seqs.host);
    // the event log written by the first engine is still there for the resume
    const fromOne = await h2.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: 1 });
    expect(fromOne).toEqual({ mode: 'events', events: old.host.frames.filter((f) => f.seq > 1) });

    const a = h2.connect('a');
    await h2.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: seqs.a });
    expect(await h2.ok(host, 'coGuest.acceptApplication', { userId: 'a' })).toEqual({ seatIndex: 1 });
    expect(a.types()).toEqual(['seat.listChanged', 'coGuest.applicationResponded']);
    expect(a.frames[0]!.seq).toBe(seqs.host + 1);

    // g and b never came back: after the grace period they are gone, g's seat is free
    await h2.advance(19_999);
    expect(h2.seatUserIds()[3]).toBe('g');
    await h2.advance(1);
    expect(h2.seatUserIds()[3]).toBeNull();
    expect(
      host
        .events<{ user: { userId: string } }>('audience.left')
        .map((e) => e.user.userId)
        .sort(),
    ).toEqual(['b', 'g']);
    await h2.err(h2.connect('b'), 'live.sync', { liveId: 'live-1', sinceSeq: seqs.b }, 'USER_NOT_IN_LIVE');
    // a resumed, so a stays
    expect(h2.live()?.members.has('a')).toBe(true);
  });

  it('a stored application deadline fires on the new engine at the stored time', async () => {
    const { h2, application, t0 } = await restartScenario(20_000, 60);
    expect(application.deadline).toBe(t0 + 60_000);
    const host = h2.connect('host');
    const a = h2.connect('a');
    await h2.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: 0 });
    await h2.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: 0 });
    await h2.advance(39_999);
    expect(host.events('coGuest.applicationTimedOut')).toEqual([]);
    await h2.advance(1);
    expect(h2.clock.now()).toBe(t0 + 60_000);
    for (const c of [host, a]) expect(c.events('coGuest.applicationTimedOut')).toEqual([{ application }]);
    await h2.err(host, 'coGuest.acceptApplication', { userId: 'a' }, 'REQUEST_ID_INVALID');
  });

  it('a deadline already past when the live is restored fires at once', async () => {
    const { h2, application } = await restartScenario(90_000, 30);
    const host = h2.connect('host');
    await h2.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: 0 });
    await h2.advance(0);
    expect(host.events('coGuest.applicationTimedOut')).toEqual([{ application }]);
    const snap = await h2.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: 0 });
    expect(snap.mode === 'snapshot' && snap.snapshot.applications).toEqual([]);
  });

  it('restoring twice does not duplicate a live; the first engine keeps no timers after close', async () => {
    const { h1, h2 } = await restartScenario(1_000, 30);
    expect(await h2.engine.restore()).toBe(0);
    expect(h1.clock.pendingTimers).toBe(0);
    expect(h2.engine.stats).toEqual({ lives: 1, connections: 0, members: 4 });
  });
});
