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
