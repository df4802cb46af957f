/** Login, live lifecycle, seats and audience through the stores against a real server. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  GuestEvent,
  LiveAudienceEvent,
  LiveListEvent,
  LiveSeatEvent,
  LoginStatus,
  MoveSeatPolicy,
  Role,
  SeatLayoutTemplate,
  TUISeatMode,
} from '../src/index.js';
import { cleanup, ids, loginAs, nextEvent, seatIds, startServer, waitFor } from './support/realServer.js';

afterEach(cleanup);

async function hostAndGuest(seatMode: 1 | 2 = TUISeatMode.kApplyToTake) {
  const ts = await startServer();
  const host = await loginAs(ts, 'host');
  await host.onseat.liveList.startLive({ liveId: 'L1', liveName: 'Show', seatMode, seatTemplate: SeatLayoutTemplate.VideoLandscape4Seats });
  const guest = await loginAs(ts, 'guest');
  await guest.onseat.liveList.joinLive({ liveId: 'L1' });
  return { ts, host, guest };
}

/** Seat `guest` through an invitation. */
async function seat(host: Awaited<ReturnType<typeof hostAndGuest>>['host'], guest: typeof host, seatIndex: number) {
  await host.onseat.coGuest.inviteToSeat({ userId: guest.userId, seatIndex, timeout: 0 });
  await waitFor(guest.onseat.coGuest, (s) => s.invitees.length === 1, 'invitation');
  await guest.onseat.coGuest.acceptInvitation({ inviterId: host.userId });
}

describe('login and live lifecycle', () => {
  it('logs in with the name from the userSig, changes it, logs out', async () => {
    const ts = await startServer();
    const host = await loginAs(ts, 'host');
    expect(host.onseat.login.getSnapshot()).toEqual({
      loginUserInfo: { userId: 'host', userName: 'host-name', avatarUrl: '' },
      loginStatus: LoginStatus.LOGINED,
    });
    await host.onseat.login.setSelfInfo({ userName: 'Hostess', avatarUrl: 'https://x/a.png' });
    expect(host.onseat.login.getSnapshot().loginUserInfo).toEqual({ userId: 'host', userName: 'Hostess', avatarUrl: 'https://x/a.png' });
    await host.onseat.liveList.startLive({ liveId: 'L1', maxSeatCount: 3 });
    expect(host.onseat.liveSeat.getSnapshot().seatList[0]?.userInfo).toMatchObject({ userId: 'host', userName: 'Hostess', role: 0, liveId: 'L1' });
    await host.onseat.login.logout();
    expect(host.onseat.login.getSnapshot().loginStatus).toBe(LoginStatus.UNKNOWN);
    const bad = await host.onseat.login.login({ sdkAppId: ts.sdkAppId, userId: 'host', userSig: 'forged' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 70003, name: 'USER_SIG_INVALID' });
  });

  it('startLive, list, info, update, metadata; errors pass through with their codes', async () => {
    const { host, guest } = await hostAndGuest();
    const live = host.onseat.liveList.getSnapshot().currentLive!;
    expect(live).toMatchObject({
      liveId: 'L1',
      liveName: 'Show',
      seatMode: 2,
      layoutTemplate: 200,
      seatTemplate: 200,
      liveOwner: { userId: 'host' },
    });
    expect(seatIds(host)).toEqual(['host', '', '', '']);
    await guest.onseat.liveList.fetchLiveList();
    expect(guest.onseat.liveList.getSnapshot().liveList.map((l) => l.liveId)).toEqual(['L1']);
    expect(await guest.onseat.liveList.fetchLiveInfo('L1')).toMatchObject({ liveId: 'L1', liveName: 'Show' });
    const renamed = waitFor(guest.onseat.liveList, (s) => s.currentLive?.liveName === 'Renamed', 'infoChanged');
    await host.onseat.liveList.updateLiveInfo({ liveName: 'Renamed', notice: 'hello' });
    expect(host.onseat.liveList.getSnapshot().currentLive).toMatchObject({ liveName: 'Renamed', notice: 'hello' });
    await renamed;
    await host.onseat.liveList.updateLiveMetaData({ metaData: JSON.stringify({ topic: 'music', n: 1 }) });
    expect(await guest.onseat.liveList.queryMetaData({ keys: ['topic', 'n'] })).toEqual({ topic: 'music', n: '1' });
    await expect(guest.onseat.liveList.updateLiveInfo({ liveName: 'x' })).rejects.toMatchObject({ code: -2301 });
    await expect(guest.onseat.liveSeat.lockSeat({ seatIndex: 1 })).rejects.toMatchObject({ code: -2301, name: 'NEED_ADMIN_PERMISSION' });
    await expect(guest.onseat.liveList.joinLive({ liveId: 'nope' })).rejects.toMatchObject({ code: 100004 });
    await expect(host.onseat.liveList.startLive({ liveId: 'L1' })).rejects.toMatchObject({ code: -1202, name: 'ALREADY_IN_ROOM' });
    await expect(host.onseat.liveList.startLive({ liveId: 'L2' })).rejects.toMatchObject({ code: -2108, name: 'ALREADY_IN_OTHER_LIVE' });
    expect(host.onseat.liveList.getSnapshot().currentLive?.liveId).toBe('L1');
  });

  it('leaveLive keeps the live; endLive ends it for everyone (onLiveEnded, currentLive null)', async () => {
    const { ts, host, guest } = await hostAndGuest();
    const other = await loginAs(ts, 'other');
    await other.onseat.liveList.joinLive({ liveId: 'L1' });
    await seat(host, guest, 1);
    const left = nextEvent(host.onseat.liveAudience, LiveAudienceEvent.onAudienceLeft);
    await other.onseat.liveList.leaveLive();
    expect(other.onseat.liveList.getSnapshot().currentLive).toMatchObject({ liveId: '' });
    expect(await left).toMatchObject({ audience: { userId: 'other', userName: 'other-name', userRole: 2 } });

    const ended = nextEvent(guest.onseat.liveList, LiveListEvent.onLiveEnded);
    const hostEvents: unknown[] = [];
    host.onseat.liveList.subscribeEvent(LiveListEvent.onLiveEnded, (p) => hostEvents.push(p));
    await host.onseat.liveList.endLive();
    expect(await ended).toEqual({ liveId: 'L1', reason: 1, message: '' });
    expect(guest.onseat.liveList.getSnapshot().currentLive).toBeNull();
    expect(guest.onseat.liveSeat.getSnapshot().seatList).toEqual([]);
    expect(guest.onseat.coGuest.getSnapshot()).toEqual({
      connected: [],
      applicants: [],
      invitees: [],
      candidates: [],
      applicationDeadlines: new Map(),
      invitationDeadlines: new Map(),
    });
    expect(guest.onseat.liveAudience.getSnapshot().audienceList).toEqual([]);
    const hostLive = host.onseat.liveList.getSnapshot().currentLive;
    expect(hostLive?.liveId).toBe('');
    expect(hostEvents).toEqual([]);
    await expect(guest.onseat.liveList.fetchLiveInfo('L1')).rejects.toMatchObject({ code: 100004 });
  });
});

describe('seats', () => {
  it('kick off seat, lock an occupied seat, unlock (both names), move', async () => {
    const { host, guest } = await hostAndGuest();
    const s = host.onseat.liveSeat;
    await seat(host, guest, 1);
    await s.moveUserToSeat({ userId: 'guest', targetIndex: 3, policy: MoveSeatPolicy.AbortWhenOccupied });
    await waitFor(guest.onseat.liveSeat, (x) => x.seatList[3]?.userInfo.userId === 'guest', 'moved');
    await s.moveUserToSeat({ userId: 'nobody', targetIndex: 2 }); // not seated: no-op
    const kicked = nextEvent(guest.onseat.coGuest, GuestEvent.onKickedOffSeat);
    await s.kickUserOutOfSeat({ userId: 'guest' });
    expect(await kicked).toEqual({ seatIndex: 3, hostUser: { userId: 'host', userName: 'host-name', avatarUrl: '' } });
    await s.kickUserOutOfSeat({ userId: 'guest' }); // no longer seated: no-op
    await seat(host, guest, 2);
    const lockedOut = nextEvent(guest.onseat.coGuest, GuestEvent.onKickedOffSeat);
    await s.lockSeat({ seatIndex: 2 });
    expect(await lockedOut).toMatchObject({ seatIndex: 2 });
    const seen = await waitFor(guest.onseat.liveSeat, (x) => x.seatList[2]?.isLocked === true, 'locked');
    expect(seen.seatList[2]?.userInfo.userId).toBe('');
    await s.unlockSeat({ seatIndex: 2 });
    await s.lockSeat({ seatIndex: 1 });
    await s.unLockSeat({ seatIndex: 1 });
    await waitFor(guest.onseat.liveSeat, (x) => x.seatList.every((y) => !y.isLocked), 'unlocked');
  });

  it('admin closes and reopens devices: the guest hears the LiveSeatEvents and sees allowOpen*', async () => {
    const { host, guest } = await hostAndGuest();
    await seat(host, guest, 1);
    await waitFor(guest.onseat.liveSeat, (x) => x.seatList[1]?.userInfo.userId === 'guest', 'seated');
    const events: [string, unknown][] = [];
    for (const name of Object.values(LiveSeatEvent)) guest.onseat.liveSeat.subscribeEvent(name, (p) => events.push([name, p]));
    const s = host.onseat.liveSeat;
    await s.closeRemoteMicrophone({ userId: 'guest' });
    const closed = await waitFor(guest.onseat.liveSeat, (x) => x.seatList[1]?.userInfo.allowOpenMicrophone === false, 'mic closed');
    expect(closed.seatList[1]?.isAudioLocked).toBe(true);
    await s.closeRemoteCamera({ userId: 'guest' });
    await s.openRemoteMicrophone({ userId: 'guest', policy: 1 });
    await s.openRemoteCamera({ userId: 'guest', policy: 1 });
    await waitFor(guest.onseat.liveSeat, (x) => x.seatList[1]?.userInfo.allowOpenCamera === true, 'camera reopened');
    expect(events).toEqual([
      ['onLocalMicrophoneClosedByAdmin', undefined],
      ['onLocalCameraClosedByAdmin', undefined],
      ['onLocalMicrophoneOpenedByAdmin', { policy: 1 }],
      ['onLocalCameraOpenedByAdmin', { policy: 1 }],
    ]);
  });

  it('free-to-take: audience take and leave seats directly; applyForSeat is granted at once', async () => {
    const { host, guest } = await hostAndGuest(TUISeatMode.kFreeToTake);
    await guest.onseat.liveSeat.takeSeat({ seatIndex: 2 });
    expect(seatIds(guest)).toEqual(['host', '', 'guest', '']);
    await guest.onseat.liveSeat.leaveSeat();
    expect(seatIds(guest)).toEqual(['host', '', '', '']);
    const responded = nextEvent(guest.onseat.coGuest, GuestEvent.onGuestApplicationResponded);
    await guest.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    expect(await responded).toEqual({ isAccept: true, hostUser: { userId: 'host', userName: 'host-name', avatarUrl: '' } });
    expect(guest.onseat.coGuest.getSnapshot().applicants).toEqual([]);
    expect(ids(guest.onseat.coGuest.getSnapshot().connected)).toEqual(['host', 'guest']);
    await waitFor(host.onseat.coGuest, (x) => x.connected.length === 2, 'host sees the guest');
  });
});

describe('audience', () => {
  it('lists the audience (not the owner), follows joins, roles, counts; kicks out of the live', async () => {
    const { ts, host, guest } = await hostAndGuest();
    const aud = host.onseat.liveAudience;
    await waitFor(aud, (s) => s.audienceList.length === 1, 'guest listed');
    expect(aud.getSnapshot().audienceList[0]).toMatchObject({
      userId: 'guest',
      userName: 'guest-name',
      userRole: 2,
      customInfo: {},
      isMessageDisabled: false,
    });
    const joined = nextEvent(aud, LiveAudienceEvent.onAudienceJoined);
    const late = await loginAs(ts, 'late');
    await late.onseat.liveList.joinLive({ liveId: 'L1' });
    expect(await joined).toMatchObject({ audience: { userId: 'late', userRole: 2 } });
    expect(await late.onseat.liveAudience.fetchAudienceList()).toHaveLength(2);
    ts.clock.advance(1_000); // the count is throttled on the engine clock
    await waitFor(aud, (s) => s.audienceCount === 2, 'count 2');
    await aud.setAdministrator({ userId: 'late' });
    await waitFor(guest.onseat.liveAudience, (s) => s.audienceList.find((a) => a.userId === 'late')?.userRole === Role.Administrator, 'admin role');
    await aud.revokeAdministrator({ userId: 'late' });
    await waitFor(aud, (s) => s.audienceList.find((a) => a.userId === 'late')?.userRole === Role.GeneralUser, 'role revoked');

    const kicked = nextEvent(late.onseat.liveList, LiveListEvent.onKickedOutOfLive);
    const left = nextEvent(aud, LiveAudienceEvent.onAudienceLeft);
    await aud.kickUserOutOfLive({ userId: 'late' });
    expect(await kicked).toEqual({ liveId: 'L1', reason: 0, message: '' });
    expect(late.onseat.liveList.getSnapshot().currentLive).toBeNull();
    expect(await left).toMatchObject({ audience: { userId: 'late' } });
    await aud.kickUserOutOfRoom({ userId: 'guest' });
    await waitFor(aud, (s) => s.audienceList.length === 0, 'everyone gone');
  });
});
