/**
 * Sessions: a second login of the same user takes over. The older instance hears onKickedOffline (LoginState) and
 * onKickedOffLine (the room engine subset) and stays signed out; the new one is not blocked: an owner who comes back
 * (another tab, another device) finds the live they still own, resumes it with joinLive — seat 0, the pending
 * applications, the owner's rights — and can end it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuestEvent, LiveEndedReason, LiveListEvent, LoginEvent, LoginStatus, TUISeatMode, type Onseat } from '../src/index.js';
import { roomEngineOf } from '../src/kit/roomEngine.js';
import { loggedIn, logoutAll, nextEvent, startServer, until, type TestServer } from './support/harness.js';

let ts: TestServer;
let users: Onseat[] = [];
beforeEach(async () => {
  ts = await startServer();
});
afterEach(async () => {
  await logoutAll(users);
  users = [];
  await ts.close();
});

async function user(id: string): Promise<Onseat> {
  const o = await loggedIn(ts, id);
  users.push(o);
  return o;
}

describe('a second login of the same user takes over', () => {
  it('the owner comes back in a new session: the old one is signed out, the new one resumes the live, accepts and ends it', async () => {
    const tab1 = await user('owner');
    await tab1.useLiveListState().startLive({ liveId: 'mine', liveName: 'Mine', seatMode: TUISeatMode.kApplyToTake });
    const viewer = await user('viewer');
    await viewer.useLiveListState().joinLive({ liveId: 'mine' });
    await viewer.useCoGuestState().applyForSeat({ seatIndex: -1, timeout: 0 });

    const kicked = nextEvent<{ reason: string }>(
      (cb) => tab1.useLoginState().subscribeEvent(LoginEvent.onKickedOffline, cb),
      (cb) => tab1.useLoginState().unsubscribeEvent(LoginEvent.onKickedOffline, cb),
      'onKickedOffline in the old session',
    );
    const engineKicked = nextEvent<{ message: string }>(
      (cb) => roomEngineOf(tab1, tab1.logger).on('onKickedOffLine', cb),
      (cb) => roomEngineOf(tab1, tab1.logger).off('onKickedOffLine', cb),
      'onKickedOffLine from the room engine',
    );
    const tab2 = await user('owner');
    expect((await kicked).reason).toBe('loggedInElsewhere');
    expect((await engineKicked).message).toBe('loggedInElsewhere');
    expect(tab1.useLoginState().loginStatus.value).toBe(LoginStatus.UNKNOWN);

    // The new session finds the live it owns and resumes it.
    const info = await tab2.useLiveListState().fetchLiveInfo('mine');
    expect(info.liveOwner.userId).toBe('owner');
    await tab2.useLiveListState().joinLive({ liveId: 'mine' });
    expect(tab2.useLiveListState().currentLive.value?.liveId).toBe('mine');
    expect(tab2.useLiveSeatState().seatList.value[0]?.userInfo.userId).toBe('owner');
    await until(
      () => tab2.useCoGuestState().applicants.value.map((a) => a.userId),
      (ids) => ids.includes('viewer'),
      'the pending application',
    );

    const answered = nextEvent<{ isAccept: boolean }>(
      (cb) => viewer.useCoGuestState().subscribeEvent(GuestEvent.onGuestApplicationResponded, cb),
      (cb) => viewer.useCoGuestState().unsubscribeEvent(GuestEvent.onGuestApplicationResponded, cb),
      'the viewer hears the answer',
    );
    await tab2.useCoGuestState().acceptApplication({ userId: 'viewer' });
    expect((await answered).isAccept).toBe(true);

    const ended = nextEvent<{ reason: LiveEndedReason }>(
      (cb) => viewer.useLiveListState().subscribeEvent(LiveListEvent.onLiveEnded, cb),
      (cb) => viewer.useLiveListState().unsubscribeEvent(LiveListEvent.onLiveEnded, cb),
      'onLiveEnded for the viewer',
    );
    await tab2.useLiveListState().endLive();
    expect((await ended).reason).toBe(LiveEndedReason.endedByHost);
  });

  it('a viewer who closed the tab and signs in again is not blocked: they rejoin the live', async () => {
    const host = await user('host');
    await host.useLiveListState().startLive({ liveId: 'show' });
    const first = await user('fan');
    await first.useLiveListState().joinLive({ liveId: 'show' });
    // The tab is closed without logging out: its socket just goes away (the server keeps the membership for its
    // reconnect grace period).
    first.stores.client?.disconnect();
    const second = await user('fan');
    await second.useLiveListState().joinLive({ liveId: 'show' });
    expect(second.useLiveListState().currentLive.value?.liveId).toBe('show');
    await until(
      () => host.useLiveAudienceState().audienceList.value.map((a) => a.userId),
      (ids) => ids.filter((id) => id === 'fan').length === 1,
      'one fan in the audience',
    );
  });
});
