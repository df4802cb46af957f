import { describe, expect, it } from 'vitest';
import { createHarness } from './support/engineHarness.js';

describe('resuming on a new connection', () => {
  it('a user who logged in again is not dropped when the grace period ends, even without live.sync', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    const a2 = h.connect('a'); // the old socket is replaced; a2 never syncs
    expect(a.closed?.code).toBe(4003);
    await h.advance(20_000);
    expect(h.live()!.members.has('a')).toBe(true);
    expect(h.live()!.applicationOf('a')).toBeDefined();
    // and events reach the new connection
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' });
    expect(a2.last('coGuest.applicationResponded')).toMatchObject({ isAccept: true });
  });

  it('a user whose connection is gone is removed when the grace period ends', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    h.engine.detach(a);
    await h.advance(19_999);
    expect(h.live()!.members.has('a')).toBe(true);
    await h.advance(1);
    expect(h.live()!.members.has('a')).toBe(false);
    expect(host.last('coGuest.applicationCancelled')).toMatchObject({ reason: 'userLeft' });
  });

  it('starting the live you are already in says so', async () => {
    const h = createHarness();
    const { host } = await h.liveWith([]);
    const e = await h.err(host, 'live.start', { liveId: 'live-1' }, 'ALREADY_IN_ROOM');
    expect(e.code).toBe(-1202);
    await h.err(host, 'live.start', { liveId: 'live-2' }, 'ALREADY_IN_OTHER_LIVE');
  });
});

describe('a client that was away when the live ended', () => {
  it('learns from live.sync that it ended and who ended it', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    h.engine.detach(a);
    await h.ok(host, 'live.end');
    const a2 = h.connect('a');
    const e = await h.err(a2, 'live.sync', { liveId: 'live-1', sinceSeq: 3 }, 'LIVE_NOT_EXIST');
    expect(e.details).toEqual({ endedReason: 1 });
    expect((await h.err(a2, 'live.join', { liveId: 'live-1' }, 'LIVE_NOT_EXIST')).details).toEqual({ endedReason: 1 });
    expect((await h.err(a2, 'live.join', { liveId: 'never' }, 'LIVE_NOT_EXIST')).details).toBeUndefined();
  });
});
