/** Co-guest flows through the stores against a real server: one host and two audience members. */
import { afterEach, describe, expect, it } from 'vitest';
import { GuestEvent, HostEvent, SeatLayoutTemplate, TUISeatMode, type LiveUserInfo } from '../src/index.js';
import { barrier, cleanup, ids, loginAs, nextEvent, seatIds, startServer, waitFor, type TestServer } from './support/realServer.js';

afterEach(cleanup);

const u = (userId: string): LiveUserInfo => ({ userId, userName: `${userId}-name`, avatarUrl: '' });

async function liveWithAudience(ts?: TestServer, seatTemplate: number = SeatLayoutTemplate.VideoLandscape4Seats) {
  const server = ts ?? (await startServer());
  const host = await loginAs(server, 'host');
  await host.onseat.liveList.startLive({ liveId: 'L1', liveName: 'Show', seatMode: TUISeatMode.kApplyToTake, seatTemplate });
  const a = await loginAs(server, 'aud1');
  const b = await loginAs(server, 'aud2');
  await a.onseat.liveList.joinLive({ liveId: 'L1' });
  await b.onseat.liveList.joinLive({ liveId: 'L1' });
  return { ts: server, host, a, b };
}

describe('co-guest with a real server', () => {
  it('apply → accept → seated (seat already in the list when told) → disConnect', async () => {
    const { host, a, b } = await liveWithAudience();
    expect(seatIds(host)).toEqual(['host', '', '', '']);
    const received = nextEvent(host.onseat.coGuest, HostEvent.onGuestApplicationReceived);
    await a.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    expect(ids(a.onseat.coGuest.getSnapshot().applicants)).toEqual(['aud1']);
    expect(await received).toEqual({ guestUser: u('aud1') });
    expect(ids(host.onseat.coGuest.getSnapshot().applicants)).toEqual(['aud1']);

    let seatsWhenTold: string[] = [];
    a.onseat.coGuest.subscribeEvent(GuestEvent.onGuestApplicationResponded, () => (seatsWhenTold = seatIds(a)));
    const responded = nextEvent(a.onseat.coGuest, GuestEvent.onGuestApplicationResponded);
    await host.onseat.coGuest.acceptApplication({ userId: 'aud1' });
    expect(await responded).toEqual({ isAccept: true, hostUser: u('host') });
    expect(seatsWhenTold).toEqual(['host', 'aud1', '', '']);
    expect(a.onseat.coGuest.getSnapshot().applicants).toEqual([]);
    expect(host.onseat.coGuest.getSnapshot().applicants).toEqual([]);
    expect(ids(host.onseat.coGuest.getSnapshot().connected)).toEqual(['host', 'aud1']);
    await waitFor(b.onseat.coGuest, (s) => s.connected.length === 2, 'aud2 sees aud1 seated');
    expect(b.onseat.coGuest.getSnapshot().applicants).toEqual([]); // not a host: never saw the application

    await a.onseat.coGuest.disConnect();
    for (const x of [host, a, b]) await waitFor(x.onseat.liveSeat, (s) => s.seatList[1]?.userInfo.userId === '', 'seat 1 empty');
    expect(ids(a.onseat.coGuest.getSnapshot().connected)).toEqual(['host']);
  });

  it('reject, cancel and timeout of applications', async () => {
    const { ts, host, a, b } = await liveWithAudience();
    const hostEvents: [string, unknown][] = [];
    for (const name of Object.values(HostEvent)) host.onseat.coGuest.subscribeEvent(name, (p) => hostEvents.push([name, p]));

    await a.onseat.coGuest.applyForSeat({ seatIndex: 2, timeout: 0 });
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 1, 'applicant');
    const rejected = nextEvent(a.onseat.coGuest, GuestEvent.onGuestApplicationResponded);
    await host.onseat.coGuest.rejectApplication({ userId: 'aud1' });
    expect(await rejected).toEqual({ isAccept: false, hostUser: u('host') });

    await b.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    await waitFor(host.onseat.coGuest, (s) => ids(s.applicants).includes('aud2'), 'aud2 applies');
    await b.onseat.coGuest.cancelApplication();
    expect(b.onseat.coGuest.getSnapshot().applicants).toEqual([]);
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 0, 'cancel seen');

    const noResponse = nextEvent(a.onseat.coGuest, GuestEvent.onGuestApplicationNoResponse);
    await a.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 5 });
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 1, 'second application');
    ts.clock.advance(5_000);
    expect(await noResponse).toEqual({ reason: 0 });
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 0, 'timed out on the host');
    expect(a.onseat.coGuest.getSnapshot().applicants).toEqual([]);
    await host.onseat.coGuest.acceptApplication({ userId: 'aud1' }); // already gone: silent no-op
    expect(hostEvents).toEqual([
      ['onGuestApplicationReceived', { guestUser: u('aud1') }],
      ['onGuestApplicationReceived', { guestUser: u('aud2') }],
      ['onGuestApplicationCancelled', { guestUser: u('aud2') }],
      ['onGuestApplicationReceived', { guestUser: u('aud1') }],
    ]);
  });

  it('invite → accept, invite → reject, invite → timeout, invite → cancel', async () => {
    const { ts, host, a, b } = await liveWithAudience();
    const co = host.onseat.coGuest;
    const invited = nextEvent(a.onseat.coGuest, GuestEvent.onHostInvitationReceived);
    await co.inviteToSeat({ userId: 'aud1', seatIndex: -1, timeout: 30 });
    expect(ids(co.getSnapshot().invitees)).toEqual(['aud1']);
    expect(await invited).toEqual({ hostUser: u('host') });
    expect(ids(a.onseat.coGuest.getSnapshot().invitees)).toEqual(['host']); // keyed by the inviter
    const accepted = nextEvent(co, HostEvent.onHostInvitationResponded);
    await a.onseat.coGuest.acceptInvitation({ inviterId: 'host' });
    expect(await accepted).toEqual({ isAccept: true, guestUser: u('aud1') });
    expect(seatIds(a)).toContain('aud1');
    expect(co.getSnapshot().invitees).toEqual([]);
    expect(a.onseat.coGuest.getSnapshot().invitees).toEqual([]);

    await co.inviteToSeat({ userId: 'aud2', seatIndex: 3, timeout: 30 });
    await waitFor(b.onseat.coGuest, (s) => s.invitees.length === 1, 'aud2 invited');
    const rejected = nextEvent(co, HostEvent.onHostInvitationResponded);
    await b.onseat.coGuest.rejectInvitation({ inviterId: 'host' });
    expect(await rejected).toEqual({ isAccept: false, guestUser: u('aud2') });

    await co.inviteToSeat({ userId: 'aud2', seatIndex: -1, timeout: 10 });
    await waitFor(b.onseat.coGuest, (s) => s.invitees.length === 1, 'aud2 invited again');
    const noResponse = nextEvent(co, HostEvent.onHostInvitationNoResponse);
    ts.clock.advance(10_000);
    expect(await noResponse).toEqual({ guestUser: u('aud2'), reason: 0 });
    await waitFor(b.onseat.coGuest, (s) => s.invitees.length === 0, 'invitation gone for aud2');
    expect(co.getSnapshot().invitees).toEqual([]);

    await co.inviteToSeat({ userId: 'aud2', seatIndex: -1, timeout: 0 });
    await waitFor(b.onseat.coGuest, (s) => s.invitees.length === 1, 'third invitation');
    const cancelled = nextEvent(b.onseat.coGuest, GuestEvent.onHostInvitationCancelled);
    await co.cancelInvitation({ inviteeId: 'aud2' });
    expect(await cancelled).toEqual({ hostUser: u('host') });
    expect(b.onseat.coGuest.getSnapshot().invitees).toEqual([]);
    await b.onseat.coGuest.acceptInvitation({ inviterId: 'host' }); // nothing pending: no-op
    expect(seatIds(b)).not.toContain('aud2');
  });

  it('accepting when every seat is taken: the host gets ALL_SEAT_OCCUPIED, the applicant onGuestApplicationError', async () => {
    const { host, a, b } = await liveWithAudience();
    await host.onseat.liveSeat.lockSeat({ seatIndex: 2 });
    await host.onseat.liveSeat.lockSeat({ seatIndex: 3 });
    await a.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    await b.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 2, 'two applicants');
    await host.onseat.coGuest.acceptApplication({ userId: 'aud1' });
    const error = nextEvent(b.onseat.coGuest, GuestEvent.onGuestApplicationError);
    await expect(host.onseat.coGuest.acceptApplication({ userId: 'aud2' })).rejects.toMatchObject({ code: 100205 });
    expect(await error).toEqual({ code: 100205, message: 'All seats are occupied' });
    expect(b.onseat.coGuest.getSnapshot().applicants).toEqual([]);
  });

  it('two hosts race to accept: one wins, the other resolves silently and hears processedByOtherHost', async () => {
    const { ts, host, a } = await liveWithAudience();
    const admin = await loginAs(ts, 'admin');
    await admin.onseat.liveList.joinLive({ liveId: 'L1' });
    await host.onseat.liveAudience.setAdministrator({ userId: 'admin' });
    await a.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    for (const h of [host, admin]) await waitFor(h.onseat.coGuest, (s) => s.applicants.length === 1, `${h.userId} sees the applicant`);
    const heard: Record<string, unknown[]> = { host: [], admin: [] };
    for (const h of [host, admin]) {
      h.onseat.coGuest.subscribeEvent(HostEvent.onGuestApplicationProcessedByOtherHost, (p) => heard[h.userId]!.push(p));
    }
    const outcomes = await Promise.allSettled([
      host.onseat.coGuest.acceptApplication({ userId: 'aud1' }),
      admin.onseat.coGuest.acceptApplication({ userId: 'aud1' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    await Promise.all([barrier(host), barrier(admin)]);
    const losers = Object.entries(heard).filter(([, list]) => list.length > 0);
    expect(losers).toHaveLength(1);
    const [loser, [payload]] = losers[0]!;
    const winner = loser === 'host' ? 'admin' : 'host';
    expect(payload).toEqual({ guestUser: u('aud1'), hostUser: u(winner) });
    expect(seatIds(a).filter((id) => id === 'aud1')).toHaveLength(1);
    for (const h of [host, admin]) expect(h.onseat.coGuest.getSnapshot().applicants).toEqual([]);
  });
});
