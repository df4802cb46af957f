import type { SeatInfo } from '@onseat/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, type TestConn } from './support/engineHarness.js';

type H = ReturnType<typeof createHarness>;
const seatsOf = (c: TestConn): SeatInfo[] => c.last<{ seats: SeatInfo[] }>('seat.listChanged')?.seats ?? [];
const hostInfo = (userId: string) => ({ userId, userName: `name-${userId}`, avatarUrl: '' });

/** Seats `guest` on `seatIndex` through an invitation the guest accepts. */
async function seat(h: H, host: TestConn, guest: TestConn, seatIndex: number): Promise<void> {
  await h.ok(host, 'coGuest.invite', { userId: guest.principal.userId, seatIndex, timeout: 0 });
  expect(await h.ok(guest, 'coGuest.acceptInvitation', { inviterId: host.principal.userId })).toEqual({ seatIndex });
}

describe('seat.take', () => {
  it('hosts take a seat directly: the owner (keepOwnerOnSeat false) and an admin', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a'], { keepOwnerOnSeat: false });
    expect(await h.ok(host, 'seat.take', { seatIndex: 3 })).toEqual({ seatIndex: 3 });
    expect(seatsOf(a)[3]?.userInfo).toMatchObject({ userId: 'host', role: 0 });
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    expect(await h.ok(adm, 'seat.take', { seatIndex: 0 })).toEqual({ seatIndex: 0 });
    expect(h.seatUserIds().slice(0, 4)).toEqual(['adm', null, null, 'host']);
    expect(seatsOf(a)[0]?.userInfo).toMatchObject({ userId: 'adm', role: 1 });
  });

  it('audience may not take a seat in applyToTake, but may in freeToTake', async () => {
    const h = createHarness();
    const { a } = await h.liveWith(['a']);
    const e = await h.err(a, 'seat.take', { seatIndex: 1 }, 'NEED_ADMIN_PERMISSION');
    expect(e.code).toBe(-2301);
    expect(h.seatUserIds()[1]).toBeNull();
    const h2 = createHarness();
    const free = await h2.liveWith(['a'], { seatMode: 1 });
    expect(await h2.ok(free.a, 'seat.take', { seatIndex: 1 })).toEqual({ seatIndex: 1 });
    expect(seatsOf(free.host)[1]?.userInfo).toMatchObject({ userId: 'a', role: 2 });
  });

  it('SEAT_LOCKED, SEAT_OCCUPIED, SEAT_INDEX_NOT_EXIST, ALREADY_IN_SEAT', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b'], { seatMode: 1 });
    await h.ok(host, 'seat.lock', { seatIndex: 2 });
    expect((await h.err(a, 'seat.take', { seatIndex: 2 }, 'SEAT_LOCKED')).code).toBe(100200);
    expect((await h.err(a, 'seat.take', { seatIndex: 0 }, 'SEAT_OCCUPIED')).code).toBe(100201);
    expect((await h.err(a, 'seat.take', { seatIndex: 9 }, 'SEAT_INDEX_NOT_EXIST')).code).toBe(-2344);
    await h.ok(a, 'seat.take', { seatIndex: 1 });
    expect((await h.err(a, 'seat.take', { seatIndex: 3 }, 'ALREADY_IN_SEAT')).code).toBe(100203);
    await h.err(b, 'seat.take', { seatIndex: 1 }, 'SEAT_OCCUPIED');
    expect(h.seatUserIds().slice(0, 4)).toEqual(['host', 'a', null, null]);
  });

  it("taking a seat supersedes the user's pending application and invitation", async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 60 });
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'a', seatIndex: 5, timeout: 60 });
    await h.ok(host, 'audience.setAdministrator', { userId: 'a' });
    await h.ok(a, 'seat.take', { seatIndex: 4 });
    for (const c of [a, host]) {
      expect(c.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'superseded' });
      expect(c.last('coGuest.invitationCancelled')).toEqual({ invitation, reason: 'superseded' });
    }
    expect((await h.ok(host, 'live.join', { liveId: 'live-1' })).snapshot).toMatchObject({ applications: [], invitations: [] });
    await h.advance(120_000);
    expect([...a.types(), ...host.types()].filter((t) => t.endsWith('TimedOut'))).toEqual([]);
  });
});

describe('seat.leave', () => {
  it('USER_NOT_IN_SEAT when not seated; a guest leaves and stays in the live; the owner keeps seat 0', async () => {
    const h = createHarness();
    const { host, g, a } = await h.liveWith(['g', 'a']);
    expect((await h.err(a, 'seat.leave', {}, 'USER_NOT_IN_SEAT')).code).toBe(100206);
    await seat(h, host, g, 1);
    await h.ok(g, 'seat.leave');
    expect(seatsOf(a)[1]?.userInfo).toBeNull();
    expect(g.events('seat.kickedOff')).toEqual([]);
    expect((await h.ok(g, 'live.join', { liveId: 'live-1' })).snapshot.self).toEqual({ userId: 'g', role: 2 });
    expect((await h.err(host, 'seat.leave', {}, 'INSUFFICIENT_OPERATION_PERMISSIONS')).code).toBe(100006);
    expect(h.seatUserIds()[0]).toBe('host');
    await seat(h, host, g, 2);
    await h.ok(g, 'coGuest.disconnect');
    expect(h.seatUserIds()[2]).toBeNull();
    await h.err(g, 'coGuest.disconnect', {}, 'USER_NOT_IN_SEAT');
  });
});

describe('seat.lock / seat.unlock', () => {
  it('needs a host; locking an occupied seat removes its user, who hears seat.kickedOff', async () => {
    const h = createHarness();
    const { host, g, a } = await h.liveWith(['g', 'a']);
    await h.err(a, 'seat.lock', { seatIndex: 3 }, 'NEED_ADMIN_PERMISSION');
    await seat(h, host, g, 3);
    await h.ok(host, 'seat.lock', { seatIndex: 3 });
    expect(g.events('seat.kickedOff')).toEqual([{ seatIndex: 3, hostUser: hostInfo('host') }]);
    expect(seatsOf(a)[3]).toMatchObject({ index: 3, isLocked: true, userInfo: null });
    await h.err(a, 'seat.unlock', { seatIndex: 3 }, 'NEED_ADMIN_PERMISSION');
    expect((await h.ok(g, 'live.join', { liveId: 'live-1' })).snapshot.self.role).toBe(2);
    await h.err(host, 'seat.lock', { seatIndex: 9 }, 'SEAT_INDEX_NOT_EXIST');
  });

  it("the owner's seat 0 cannot be locked; locking twice (or unlocking twice) is a no-op without an event", async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.err(host, 'seat.lock', { seatIndex: 0 }, 'INSUFFICIENT_OPERATION_PERMISSIONS');
    expect(seatsOf(a)).toEqual([]);
    await h.ok(host, 'seat.lock', { seatIndex: 1 });
    expect(a.events('seat.listChanged')).toHaveLength(1);
    await h.ok(host, 'seat.lock', { seatIndex: 1 });
    expect(a.events('seat.listChanged')).toHaveLength(1);
    await h.ok(host, 'seat.unlock', { seatIndex: 1 });
    expect(seatsOf(a)[1]?.isLocked).toBe(false);
    await h.ok(host, 'seat.unlock', { seatIndex: 1 });
    expect(a.events('seat.listChanged')).toHaveLength(2);
  });

  it('a locked seat cannot be taken, applied for or invited to; after unlock it can', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(host, 'seat.lock', { seatIndex: 1 });
    await h.err(a, 'coGuest.apply', { seatIndex: 1, timeout: 0 }, 'SEAT_LOCKED');
    await h.err(host, 'coGuest.invite', { userId: 'a', seatIndex: 1, timeout: 0 }, 'SEAT_LOCKED');
    await h.ok(host, 'audience.setAdministrator', { userId: 'a' });
    await h.err(a, 'seat.take', { seatIndex: 1 }, 'SEAT_LOCKED');
    // an application for any seat skips the locked one
    await h.ok(host, 'audience.revokeAdministrator', { userId: 'a' });
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    expect(await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' })).toEqual({ seatIndex: 2 });
    await h.ok(a, 'seat.leave');
    await h.ok(host, 'seat.unlock', { seatIndex: 1 });
    await h.ok(a, 'coGuest.apply', { seatIndex: 1, timeout: 0 });
    expect(await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' })).toEqual({ seatIndex: 1 });
  });
});

describe('seat.kick', () => {
  it('needs a host and a seated target; the owner cannot be kicked; the guest hears seat.kickedOff', async () => {
    const h = createHarness();
    const { host, adm, g, a } = await h.liveWith(['adm', 'g', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await seat(h, host, g, 2);
    await h.err(a, 'seat.kick', { userId: 'g' }, 'NEED_ADMIN_PERMISSION');
    await h.err(host, 'seat.kick', { userId: 'a' }, 'USER_NOT_IN_SEAT');
    await h.err(adm, 'seat.kick', { userId: 'host' }, 'NEED_OWNER_PERMISSION');
    await h.err(host, 'seat.kick', { userId: 'host' }, 'INSUFFICIENT_OPERATION_PERMISSIONS');
    expect(h.seatUserIds()[0]).toBe('host');
    await h.ok(adm, 'seat.kick', { userId: 'g' });
    expect(g.events('seat.kickedOff')).toEqual([{ seatIndex: 2, hostUser: hostInfo('adm') }]);
    expect(a.events('seat.kickedOff')).toEqual([]);
    expect(seatsOf(a)[2]?.userInfo).toBeNull();
    await h.err(host, 'seat.kick', { userId: 'g' }, 'USER_NOT_IN_SEAT');
  });
});

describe('seat.move', () => {
  async function twoGuests() {
    const h = createHarness();
    const m = await h.liveWith(['g1', 'g2', 'a', 'adm']);
    await h.ok(m.host, 'audience.setAdministrator', { userId: 'adm' });
    await seat(h, m.host, m.g1, 1);
    await seat(h, m.host, m.g2, 2);
    return { h, ...m };
  }

  it('AbortWhenOccupied (the default) refuses an occupied target; a free target moves the user with their devices', async () => {
    const { h, host, g1, a } = await twoGuests();
    expect((await h.err(host, 'seat.move', { userId: 'g1', targetIndex: 2 }, 'SEAT_OCCUPIED')).code).toBe(100201);
    await h.err(host, 'seat.move', { userId: 'g1', targetIndex: 2, policy: 0 }, 'SEAT_OCCUPIED');
    await h.ok(g1, 'seat.reportDevice', { microphone: 1 });
    await h.ok(host, 'seat.move', { userId: 'g1', targetIndex: 5, policy: 0 });
    expect(h.seatUserIds().slice(0, 6)).toEqual(['host', null, 'g2', null, null, 'g1']);
    expect(seatsOf(a)[5]?.userInfo).toMatchObject({ userId: 'g1', microphoneStatus: 1 });
    expect(g1.events('seat.kickedOff')).toEqual([]);
  });

  it('ForceReplace kicks the displaced user off; SwapPosition swaps', async () => {
    const { h, host, g1, g2, adm } = await twoGuests();
    await h.ok(adm, 'seat.move', { userId: 'g1', targetIndex: 2, policy: 2 });
    expect(h.seatUserIds().slice(0, 3)).toEqual(['host', 'g2', 'g1']);
    expect([...g1.events('seat.kickedOff'), ...g2.events('seat.kickedOff')]).toEqual([]);
    await h.ok(host, 'seat.move', { userId: 'g1', targetIndex: 1, policy: 1 });
    expect(h.seatUserIds().slice(0, 3)).toEqual(['host', 'g1', null]);
    expect(g2.events('seat.kickedOff')).toEqual([{ seatIndex: 1, hostUser: hostInfo('host') }]);
    expect((await h.ok(g2, 'live.join', { liveId: 'live-1' })).snapshot.self.userId).toBe('g2');
  });

  it('refuses a locked target, the owner (either way), audience, unseated users and unknown seats', async () => {
    const { h, host, a, adm } = await twoGuests();
    await h.ok(host, 'seat.lock', { seatIndex: 4 });
    for (const policy of [0, 1, 2]) await h.err(host, 'seat.move', { userId: 'g1', targetIndex: 4, policy }, 'SEAT_LOCKED');
    await h.err(host, 'seat.move', { userId: 'host', targetIndex: 3 }, 'INSUFFICIENT_OPERATION_PERMISSIONS');
    await h.err(adm, 'seat.move', { userId: 'host', targetIndex: 3 }, 'NEED_OWNER_PERMISSION');
    for (const policy of [1, 2]) await h.err(host, 'seat.move', { userId: 'g1', targetIndex: 0, policy }, 'INSUFFICIENT_OPERATION_PERMISSIONS');
    await h.err(a, 'seat.move', { userId: 'g1', targetIndex: 3 }, 'NEED_ADMIN_PERMISSION');
    await h.err(host, 'seat.move', { userId: 'a', targetIndex: 3 }, 'USER_NOT_IN_SEAT');
    await h.err(host, 'seat.move', { userId: 'g1', targetIndex: 20 }, 'SEAT_INDEX_NOT_EXIST');
    expect(h.seatUserIds().slice(0, 5)).toEqual(['host', 'g1', 'g2', null, null]);
  });
});

describe('remote devices', () => {
  it('closeRemoteDevice is sticky until openRemoteDevice; the seat list shows it', async () => {
    const h = createHarness();
    const { host, g, a } = await h.liveWith(['g', 'a']);
    await seat(h, host, g, 1);
    await h.err(a, 'seat.closeRemoteDevice', { userId: 'g', device: 'microphone' }, 'NEED_ADMIN_PERMISSION');
    await h.ok(g, 'seat.reportDevice', { microphone: 1, camera: 1 });
    expect(seatsOf(a)[1]).toMatchObject({ isAudioLocked: false, userInfo: { microphoneStatus: 1, cameraStatus: 1, allowOpenMicrophone: true } });
    await h.ok(host, 'seat.closeRemoteDevice', { userId: 'g', device: 'microphone' });
    expect(seatsOf(a)[1]).toMatchObject({
      isAudioLocked: true,
      isVideoLocked: false,
      userInfo: { microphoneStatus: 0, cameraStatus: 1, allowOpenMicrophone: false, allowOpenCamera: true },
    });
    const e = await h.err(g, 'seat.reportDevice', { microphone: 1 }, 'OPEN_MICROPHONE_NEED_SEAT_UNLOCK');
    expect(e.code).toBe(-2360);
    await h.ok(g, 'seat.reportDevice', { microphone: 0 });
    await h.ok(host, 'seat.closeRemoteDevice', { userId: 'g', device: 'camera' });
    expect(seatsOf(g)[1]).toMatchObject({ isVideoLocked: true, userInfo: { cameraStatus: 0, allowOpenCamera: false } });
    expect((await h.err(g, 'seat.reportDevice', { camera: 1 }, 'OPEN_CAMERA_NEED_SEAT_UNLOCK')).code).toBe(-2370);
    await h.err(a, 'seat.openRemoteDevice', { userId: 'g', device: 'microphone' }, 'NEED_ADMIN_PERMISSION');
    await h.ok(host, 'seat.openRemoteDevice', { userId: 'g', device: 'microphone', policy: 1 });
    // unlock only: the microphone stays off until the guest opens it
    expect(seatsOf(a)[1]).toMatchObject({ isAudioLocked: false, userInfo: { microphoneStatus: 0, allowOpenMicrophone: true } });
    await h.ok(g, 'seat.reportDevice', { microphone: 1 });
    expect(seatsOf(a)[1]?.userInfo).toMatchObject({ microphoneStatus: 1, cameraStatus: 0 });
    await h.err(g, 'seat.reportDevice', { camera: 1 }, 'OPEN_CAMERA_NEED_SEAT_UNLOCK');
    await h.ok(host, 'seat.openRemoteDevice', { userId: 'g', device: 'camera' });
    await h.ok(g, 'seat.reportDevice', { camera: 1 });
    expect(seatsOf(a)[1]).toMatchObject({ isVideoLocked: false, userInfo: { cameraStatus: 1, allowOpenCamera: true } });
  });

  it('remote device commands need a seated target', async () => {
    const h = createHarness();
    const { host } = await h.liveWith(['a']);
    await h.err(host, 'seat.closeRemoteDevice', { userId: 'a', device: 'camera' }, 'USER_NOT_IN_SEAT');
    await h.err(host, 'seat.openRemoteDevice', { userId: 'a', device: 'microphone' }, 'USER_NOT_IN_SEAT');
  });

  it('reportDevice when not seated: opening → -2361/-2371, closing is fine', async () => {
    const h = createHarness();
    const { a } = await h.liveWith(['a']);
    expect((await h.err(a, 'seat.reportDevice', { microphone: 1 }, 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN')).code).toBe(-2361);
    expect((await h.err(a, 'seat.reportDevice', { camera: 1 }, 'OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN')).code).toBe(-2371);
    expect(await h.ok(a, 'seat.reportDevice', { microphone: 0, camera: 0 })).toEqual({});
    expect(a.events('seat.listChanged')).toEqual([]);
  });
});
