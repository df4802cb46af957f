/** Network cuts, resume by seq, and being logged in twice, against a real server. */
import { afterEach, describe, expect, it } from 'vitest';
import { GuestEvent, LiveAudienceEvent, LiveListEvent, LiveSeatEvent, LoginEvent, LoginStatus, TUISeatMode } from '../src/index.js';
import {
  cleanup,
  connectionIs,
  eventually,
  ids,
  loginAs,
  nextEvent,
  seatIds,
  startServer,
  waitFor,
  type TestServer,
  type TestUser,
} from './support/realServer.js';

afterEach(cleanup);

async function live(): Promise<{ ts: TestServer; host: TestUser; a: TestUser }> {
  const ts = await startServer();
  const host = await loginAs(ts, 'host');
  await host.onseat.liveList.startLive({ liveId: 'L1', seatMode: TUISeatMode.kApplyToTake, maxSeatCount: 4 });
  const a = await loginAs(ts, 'aud1');
  await a.onseat.liveList.joinLive({ liveId: 'L1' });
  return { ts, host, a };
}

/** Cut `user`'s socket and keep it from reconnecting until `block(false)`; resolves once the server noticed. */
async function goAway(ts: TestServer, user: TestUser): Promise<void> {
  const before = ts.server.engine.stats.connections;
  user.block(true);
  user.cut();
  await connectionIs(user, 'reconnecting');
  await eventually(() => ts.server.engine.stats.connections < before, 'the server to see the socket close');
}

const strictlyIncreasing = (seqs: number[]) => seqs.every((s, i) => i === 0 || s > seqs[i - 1]!);

describe('reconnect and resume', () => {
  it('a pending application survives a cut; the answer given meanwhile arrives after the seat, in order', async () => {
    const { ts, host, a } = await live();
    await a.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 1, 'applicant');

    a.cut(); // reconnects at once
    await connectionIs(a, 'reconnecting');
    await connectionIs(a, 'connected');
    expect(ids(a.onseat.coGuest.getSnapshot().applicants)).toEqual(['aud1']);
    expect(ids(host.onseat.coGuest.getSnapshot().applicants)).toEqual(['aud1']);

    await goAway(ts, a);
    const mark = a.applied.length;
    await host.onseat.coGuest.acceptApplication({ userId: 'aud1' });
    await host.onseat.liveList.updateLiveInfo({ liveName: 'while away' });
    let seatsWhenTold: string[] = [];
    a.onseat.coGuest.subscribeEvent(GuestEvent.onGuestApplicationResponded, () => (seatsWhenTold = seatIds(a)));
    const responded = nextEvent(a.onseat.coGuest, GuestEvent.onGuestApplicationResponded);
    a.block(false);
    expect(await responded).toEqual({ isAccept: true, hostUser: { userId: 'host', userName: 'host-name', avatarUrl: '' } });
    expect(seatsWhenTold).toEqual(['host', 'aud1', '', '']);
    await waitFor(a.onseat.liveList, (s) => s.currentLive?.liveName === 'while away', 'info change replayed');
    const missed = a.applied.slice(mark);
    expect(missed.map((e) => e.type)).toEqual(['seat.listChanged', 'coGuest.applicationResponded', 'live.infoChanged']);
    expect(strictlyIncreasing(a.applied.map((e) => e.seq))).toBe(true);
    expect(a.onseat.coGuest.getSnapshot().applicants).toEqual([]);
  });

  it('a seat survives a cut; admin actions taken meanwhile arrive in order after reconnect', async () => {
    const { ts, host, a } = await live();
    await host.onseat.coGuest.inviteToSeat({ userId: 'aud1', seatIndex: 2, timeout: 0 });
    await waitFor(a.onseat.coGuest, (s) => s.invitees.length === 1, 'invited');
    await a.onseat.coGuest.acceptInvitation({ inviterId: 'host' });
    await goAway(ts, a);
    const mark = a.applied.length;
    await host.onseat.liveSeat.closeRemoteMicrophone({ userId: 'aud1' });
    await host.onseat.liveSeat.lockSeat({ seatIndex: 3 });
    await host.onseat.liveList.updateLiveInfo({ notice: 'n' });
    expect(seatIds(host)).toEqual(['host', '', 'aud1', '']); // still seated on the server (grace period)
    const micClosed = nextEvent(a.onseat.liveSeat, LiveSeatEvent.onLocalMicrophoneClosedByAdmin);
    a.block(false);
    await micClosed;
    await waitFor(a.onseat.liveList, (s) => s.currentLive?.notice === 'n', 'notice');
    expect(a.applied.slice(mark).map((e) => e.type)).toEqual(['seat.listChanged', 'seat.listChanged', 'live.infoChanged']);
    expect(strictlyIncreasing(a.applied.map((e) => e.seq))).toBe(true);
    const mine = a.onseat.liveSeat.getSnapshot().seatList[2]!;
    expect(mine.userInfo).toMatchObject({ userId: 'aud1', allowOpenMicrophone: false });
    expect(a.onseat.liveSeat.getSnapshot().seatList[3]?.isLocked).toBe(true);
    expect(ids(a.onseat.coGuest.getSnapshot().connected)).toEqual(['host', 'aud1']);
  });

  it('a request in flight during a cut is re-sent with the same id and takes effect once', async () => {
    const { host, a } = await live();
    const applying = a.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    a.cut();
    await applying;
    const frames = a.sent.filter((f) => f.type === 'coGuest.apply');
    expect(frames).toHaveLength(2);
    expect(frames[1]!.id).toBe(frames[0]!.id);
    expect(frames[1]!.socket).toBeGreaterThan(frames[0]!.socket);
    expect(ids(a.onseat.coGuest.getSnapshot().applicants)).toEqual(['aud1']);
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 1, 'one application on the host');
  });

  it('when the grace period ran out while away: onKickedOutOfLive (forNetworkDisconnected)', async () => {
    const { ts, host, a } = await live();
    await goAway(ts, a);
    const left = nextEvent(host.onseat.liveAudience, LiveAudienceEvent.onAudienceLeft);
    ts.clock.advance(20_000);
    await left;
    const kicked = nextEvent(a.onseat.liveList, LiveListEvent.onKickedOutOfLive);
    a.block(false);
    expect(await kicked).toEqual({ liveId: 'L1', reason: 3, message: '' });
    expect(a.onseat.liveList.getSnapshot().currentLive).toBeNull();
    await connectionIs(a, 'connected');
    expect(a.onseat.login.getSnapshot().loginStatus).toBe(LoginStatus.LOGINED);
  });

  it('when the host ended the live while away: onLiveEnded (endedByHost) after reconnect', async () => {
    const { ts, host, a } = await live();
    await goAway(ts, a);
    await host.onseat.liveList.endLive();
    const ended = nextEvent(a.onseat.liveList, LiveListEvent.onLiveEnded);
    a.block(false);
    expect(await ended).toEqual({ liveId: 'L1', reason: 1, message: '' });
    expect(a.onseat.liveList.getSnapshot().currentLive).toBeNull();
  });
});

describe('logged in twice', () => {
  it('the older session gets onKickedOffline and onKickedOutOfLive(byLoggedOnOtherDevice) and does not reconnect', async () => {
    const { ts, a } = await live();
    const offline = nextEvent(a.onseat.login, LoginEvent.onKickedOffline);
    const outOfLive = nextEvent(a.onseat.liveList, LiveListEvent.onKickedOutOfLive);
    const again = await loginAs(ts, 'aud1');
    expect(await offline).toEqual({ reason: 'loggedInElsewhere' });
    expect(await outOfLive).toEqual({ liveId: 'L1', reason: 1, message: '' });
    expect(a.onseat.login.getSnapshot()).toEqual({ loginUserInfo: null, loginStatus: LoginStatus.UNKNOWN });
    expect(a.onseat.client?.state).toBe('disconnected');
    expect(a.socketCount()).toBe(1);
    await again.onseat.liveList.joinLive({ liveId: 'L1' }); // the user is still a member: the new session resumes it
    expect(again.onseat.liveList.getSnapshot().currentLive?.liveId).toBe('L1');
  });
});
