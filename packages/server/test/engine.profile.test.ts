import { describe, expect, it } from 'vitest';
import { createHarness } from './support/engineHarness.js';

describe('a member renames themself while in a live', () => {
  it('hosts see the new name in the audience (audience.memberChanged) and in the seat list', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' });
    host.clear();
    await h.ok(a, 'user.setSelfInfo', { userName: 'Ari' });
    expect(host.last('audience.memberChanged')).toMatchObject({ user: { userId: 'a', userName: 'Ari', role: 2 } });
    const seats = host.last<{ seats: { userInfo: { userId: string; userName: string } | null }[] }>('seat.listChanged');
    expect(seats?.seats.find((s) => s.userInfo?.userId === 'a')?.userInfo?.userName).toBe('Ari');
    expect((await h.ok(host, 'audience.list', {})).audience[0]).toMatchObject({ userId: 'a', userName: 'Ari' });
  });
});

describe('a full live', () => {
  it('refuses one member more than maxMembersPerLive with LIVE_USER_FULL (100008)', async () => {
    const h = createHarness({ maxMembersPerLive: 2 });
    await h.liveWith(['a']);
    const e = await h.err(h.connect('b'), 'live.join', { liveId: 'live-1' }, 'LIVE_USER_FULL');
    expect(e.code).toBe(100008);
  });
});

describe('a live whose owner is gone', () => {
  it('ends (endedByServer) when the owner stays away for abandonedLiveMs', async () => {
    const h = createHarness({ abandonedLiveMs: 60_000 });
    const { host, a } = await h.liveWith(['a']);
    await h.ok(host, 'live.leave');
    await h.advance(59_999);
    expect(h.live()).toBeDefined();
    await h.advance(1);
    expect(h.live()).toBeUndefined();
    expect(a.last('live.ended')).toEqual({ liveId: 'live-1', reason: 2 });
  });

  it('goes on when the owner comes back in time, and counts from the end of the grace period after a drop', async () => {
    const h = createHarness({ abandonedLiveMs: 60_000 });
    const { host } = await h.liveWith(['a']);
    await h.ok(host, 'live.leave');
    await h.advance(30_000);
    await h.ok(host, 'live.join', { liveId: 'live-1' });
    await h.advance(120_000);
    expect(h.live()).toBeDefined();
    h.engine.detach(host);
    await h.advance(20_000 + 59_999); // grace, then almost the whole abandon time
    expect(h.live()).toBeDefined();
    await h.advance(1);
    expect(h.live()).toBeUndefined();
  });
});
