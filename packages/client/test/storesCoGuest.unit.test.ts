import { describe, expect, it } from 'vitest';
import { GuestEvent, HostEvent, NoResponseReason } from '../src/index.js';
import { evt, fail, ok } from './support/fakeNetwork.js';
import { inLive, nextSeq, recorder } from './support/storeHarness.js';
import { application, invitation, seats, snapshot, user } from './support/wire.js';

const ALL = [...Object.values(HostEvent), ...Object.values(GuestEvent)];
const ids = (list: readonly { userId: string }[]) => list.map((u) => u.userId);

async function setup(me: string, role: 0 | 1 | 2) {
  const h = await inLive(me, role);
  const got = recorder(h.onseat.coGuest, ALL);
  const push = (type: string, payload: unknown) => h.net.last.push(evt(type, 'L1', nextSeq(), payload));
  return { ...h, got, push, co: h.onseat.coGuest };
}

describe('CoGuestStore, request deadlines (onseat extension)', () => {
  it('keeps the server deadline of each pending application and invitation (in local time), keyed like applicants/invitees', async () => {
    const { co, push, onseat } = await setup('host', 0);
    const local = (t: number) => onseat.client!.toLocalTime(t);
    push('coGuest.applicationReceived', { application: { ...application('r1', 'bob'), deadline: 1_000_000 } });
    push('coGuest.applicationReceived', { application: { ...application('r2', 'carol'), deadline: null } });
    push('coGuest.invitationReceived', { invitation: { ...invitation('r3', 'host', 'dave'), deadline: 2_000_000 } });
    expect(co.getSnapshot().applicationDeadlines).toEqual(
      new Map([
        ['bob', local(1_000_000)],
        ['carol', null],
      ]),
    );
    expect(co.getSnapshot().invitationDeadlines).toEqual(new Map([['dave', local(2_000_000)]]));
    push('coGuest.applicationTimedOut', { application: application('r1', 'bob') });
    expect([...co.getSnapshot().applicationDeadlines.keys()]).toEqual(['carol']);
  });
});

describe('CoGuestStore, host side', () => {
  it('applicationReceived / Cancelled / TimedOut update applicants with the HostEvents', async () => {
    const { co, got, push } = await setup('host', 0);
    push('coGuest.applicationReceived', { application: application('r1', 'bob') });
    push('coGuest.applicationReceived', { application: application('r2', 'carol') });
    expect(ids(co.getSnapshot().applicants)).toEqual(['bob', 'carol']);
    push('coGuest.applicationCancelled', { application: application('r1', 'bob'), reason: 'cancelled' });
    push('coGuest.applicationTimedOut', { application: application('r2', 'carol') });
    expect(co.getSnapshot().applicants).toEqual([]);
    expect(got).toEqual([
      ['onGuestApplicationReceived', { guestUser: user('bob') }],
      ['onGuestApplicationReceived', { guestUser: user('carol') }],
      ['onGuestApplicationCancelled', { guestUser: user('bob') }],
    ]);
  });

  it('applicationResponded/Failed by another host → onGuestApplicationProcessedByOtherHost; by me → nothing', async () => {
    const { co, got, push } = await setup('host', 0);
    for (const [r, u] of [
      ['r1', 'bob'],
      ['r2', 'carol'],
      ['r3', 'dave'],
      ['r4', 'erin'],
    ]) {
      push('coGuest.applicationReceived', { application: application(r!, u!) });
    }
    got.length = 0;
    push('coGuest.applicationResponded', { application: application('r1', 'bob'), isAccept: true, hostUser: user('host'), seatIndex: 1 });
    push('coGuest.applicationResponded', { application: application('r2', 'carol'), isAccept: false, hostUser: user('admin'), seatIndex: -1 });
    push('coGuest.applicationFailed', { application: application('r3', 'dave'), hostUser: user('admin'), code: 100205, message: 'full' });
    push('coGuest.applicationFailed', { application: application('r4', 'erin'), hostUser: user('host'), code: 100205, message: 'full' });
    expect(co.getSnapshot().applicants).toEqual([]);
    expect(got).toEqual([
      ['onGuestApplicationProcessedByOtherHost', { guestUser: user('carol'), hostUser: user('admin') }],
      ['onGuestApplicationProcessedByOtherHost', { guestUser: user('dave'), hostUser: user('admin') }],
    ]);
  });

  it('accept/reject: no-op when not an applicant; REQUEST_ID_INVALID is silent; other errors reject', async () => {
    const { net, co, push } = await setup('host', 0);
    await co.acceptApplication({ userId: 'ghost' });
    await co.rejectApplication({ userId: 'ghost' });
    expect(net.sentOf('coGuest.acceptApplication')).toHaveLength(0);
    push('coGuest.applicationReceived', { application: application('r1', 'bob') });
    push('coGuest.applicationReceived', { application: application('r2', 'carol') });
    push('coGuest.applicationReceived', { application: application('r3', 'dave') });
    net.responders.set('coGuest.acceptApplication', (p) => (p.userId === 'bob' ? ok({ seatIndex: 1 }) : fail(-2311, 'REQUEST_ID_INVALID')));
    net.responders.set('coGuest.rejectApplication', () => fail(100205, 'ALL_SEAT_OCCUPIED'));
    await co.acceptApplication({ userId: 'bob' });
    await co.acceptApplication({ userId: 'carol' });
    await expect(co.rejectApplication({ userId: 'dave' })).rejects.toMatchObject({ code: 100205 });
    expect(net.sentOf('coGuest.acceptApplication').map((f) => f.payload)).toEqual([{ userId: 'bob' }, { userId: 'carol' }]);
    expect(ids(co.getSnapshot().applicants)).toEqual(['dave']);
  });

  it('inviteToSeat → invitees; responses, timeouts, cancels and failures remove them', async () => {
    const { net, co, got, push } = await setup('host', 0);
    net.responders.set('coGuest.invite', (p) => ok({ invitation: invitation(`i-${String(p.userId)}`, 'host', String(p.userId)) }));
    net.responders.set('coGuest.cancelInvitation', () => ok({}));
    for (const u of ['bob', 'carol', 'dave', 'erin']) await co.inviteToSeat({ userId: u, seatIndex: -1, timeout: 30 });
    expect(net.sentOf('coGuest.invite')[0]!.payload).toEqual({ userId: 'bob', seatIndex: -1, timeout: 30 });
    push('coGuest.invitationReceived', { invitation: invitation('i-frank', 'admin', 'frank') }); // another host's
    expect(ids(co.getSnapshot().invitees)).toEqual(['bob', 'carol', 'dave', 'erin', 'frank']);
    push('coGuest.invitationResponded', { invitation: invitation('i-bob', 'host', 'bob'), isAccept: true, seatIndex: 2 });
    push('coGuest.invitationTimedOut', { invitation: invitation('i-carol', 'host', 'carol') });
    push('coGuest.invitationFailed', { invitation: invitation('i-dave', 'host', 'dave'), code: 100205, message: 'full' });
    push('coGuest.invitationResponded', { invitation: invitation('i-frank', 'admin', 'frank'), isAccept: false, seatIndex: -1 });
    await co.cancelInvitation({ inviteeId: 'nobody' });
    await co.cancelInvitation({ inviteeId: 'erin' });
    expect(net.sentOf('coGuest.cancelInvitation').map((f) => f.payload)).toEqual([{ inviteeId: 'erin' }]);
    expect(co.getSnapshot().invitees).toEqual([]);
    expect(got).toEqual([
      ['onHostInvitationResponded', { isAccept: true, guestUser: user('bob') }],
      ['onHostInvitationNoResponse', { guestUser: user('carol'), reason: NoResponseReason.timeout }],
    ]);
  });

  it('connected follows the seat list (owner included); a snapshot fills pending requests; exit clears', async () => {
    const snap = snapshot(
      'L1',
      'host',
      { userId: 'host', role: 0 },
      {
        seats: seats(4, 'host', { 2: 'bob' }),
        applications: [application('r1', 'carol')],
        invitations: [invitation('i1', 'host', 'dave')],
      },
    );
    const h = await inLive('host', 0, snap);
    const co = h.onseat.coGuest;
    expect(co.getSnapshot()).toMatchObject({ candidates: [] });
    expect(ids(co.getSnapshot().connected)).toEqual(['host', 'bob']);
    expect(co.getSnapshot().connected[1]).toMatchObject({ userId: 'bob', liveId: 'L1', role: 2 });
    expect(ids(co.getSnapshot().applicants)).toEqual(['carol']);
    expect(ids(co.getSnapshot().invitees)).toEqual(['dave']);
    h.net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: seats(4, 'host', { 3: 'erin' }) }));
    expect(ids(co.getSnapshot().connected)).toEqual(['host', 'erin']);
    h.net.last.push(evt('live.ended', 'L1', nextSeq(), { liveId: 'L1', reason: 1 }));
    expect(co.getSnapshot()).toEqual({
      connected: [],
      applicants: [],
      invitees: [],
      candidates: [],
      applicationDeadlines: new Map(),
      invitationDeadlines: new Map(),
    });
  });
});

describe('CoGuestStore, audience side', () => {
  it('applyForSeat puts yourself in applicants; accept arrives after the seat list', async () => {
    const { net, co, got, push, onseat } = await setup('alice', 2);
    net.responders.set('coGuest.apply', (p) => ok({ application: application('r1', 'alice', Number(p.seatIndex)) }));
    await co.applyForSeat({ seatIndex: -1, timeout: 30 });
    expect(net.sentOf('coGuest.apply')[0]!.payload).toEqual({ seatIndex: -1, timeout: 30 });
    expect(ids(co.getSnapshot().applicants)).toEqual(['alice']);
    let seatedAtEvent: string[] = [];
    co.subscribeEvent(GuestEvent.onGuestApplicationResponded, () => {
      seatedAtEvent = ids(onseat.liveSeat.getSnapshot().seatList.map((s) => s.userInfo));
    });
    push('seat.listChanged', { seats: seats(4, 'host', { 1: 'alice' }) });
    push('coGuest.applicationResponded', { application: application('r1', 'alice'), isAccept: true, hostUser: user('host'), seatIndex: 1 });
    expect(co.getSnapshot().applicants).toEqual([]);
    expect(seatedAtEvent).toEqual(['host', 'alice', '', '']);
    expect(ids(co.getSnapshot().connected)).toEqual(['host', 'alice']);
    expect(got).toEqual([['onGuestApplicationResponded', { isAccept: true, hostUser: user('host') }]]);
  });

  it('rejection, timeout, failure and cancellation of your application', async () => {
    const { net, co, got, push } = await setup('alice', 2);
    let n = 0;
    net.responders.set('coGuest.apply', () => ok({ application: application(`r${++n}`, 'alice') }));
    const apply = () => co.applyForSeat({ seatIndex: 1, timeout: 10 });
    await apply();
    push('coGuest.applicationResponded', { application: application('r1', 'alice'), isAccept: false, hostUser: user('host'), seatIndex: -1 });
    await apply();
    push('coGuest.applicationTimedOut', { application: application('r2', 'alice') });
    await apply();
    push('coGuest.applicationFailed', { application: application('r3', 'alice'), hostUser: user('host'), code: 100205, message: 'x' });
    await apply();
    push('coGuest.applicationFailed', { application: application('r4', 'alice'), hostUser: user('host'), code: 123, message: 'x' });
    await apply();
    push('coGuest.applicationCancelled', { application: application('r5', 'alice'), reason: 'superseded' });
    expect(co.getSnapshot().applicants).toEqual([]);
    expect(got).toEqual([
      ['onGuestApplicationResponded', { isAccept: false, hostUser: user('host') }],
      ['onGuestApplicationNoResponse', { reason: NoResponseReason.timeout }],
      ['onGuestApplicationError', { code: 100205, message: 'All seats are occupied' }],
      ['onGuestApplicationError', { code: 123, message: 'Failed to apply for seat' }],
    ]);
  });

  it('cancelApplication: no-op without an application, else cancels it', async () => {
    const { net, co } = await setup('alice', 2);
    net.responders.set('coGuest.apply', () => ok({ application: application('r1', 'alice') }));
    net.responders.set('coGuest.cancelApplication', () => ok({}));
    await co.cancelApplication();
    expect(net.sentOf('coGuest.cancelApplication')).toHaveLength(0);
    await co.applyForSeat({ seatIndex: -1, timeout: 0 });
    await co.cancelApplication();
    expect(net.sentOf('coGuest.cancelApplication')).toHaveLength(1);
    expect(co.getSnapshot().applicants).toEqual([]);
  });

  it('a late apply result for a request that already ended does not come back', async () => {
    const { net, co, push } = await setup('alice', 2);
    const p = co.applyForSeat({ seatIndex: -1, timeout: 30 });
    const [sock, frame] = await net.next('coGuest.apply');
    push('coGuest.applicationTimedOut', { application: application('r1', 'alice') });
    sock.reply(frame, ok({ application: application('r1', 'alice') }));
    await p;
    expect(co.getSnapshot().applicants).toEqual([]);
  });

  it('invitations are keyed by the inviter: received, cancelled, accepted, rejected', async () => {
    const { net, co, got, push } = await setup('alice', 2);
    net.responders.set('coGuest.acceptInvitation', () => ok({ seatIndex: 1 }));
    net.responders.set('coGuest.rejectInvitation', () => ok({}));
    push('coGuest.invitationReceived', { invitation: invitation('i1', 'host', 'alice') });
    push('coGuest.invitationReceived', { invitation: invitation('i2', 'admin', 'alice') });
    expect(ids(co.getSnapshot().invitees)).toEqual(['host', 'admin']);
    await co.acceptInvitation({ inviterId: 'nobody' });
    await co.rejectInvitation({ inviterId: 'nobody' });
    expect(net.sentOf('coGuest.acceptInvitation').length + net.sentOf('coGuest.rejectInvitation').length).toBe(0);
    await co.rejectInvitation({ inviterId: 'admin' });
    push('coGuest.invitationCancelled', { invitation: invitation('i1', 'host', 'alice'), reason: 'cancelled' });
    push('coGuest.invitationReceived', { invitation: invitation('i3', 'host', 'alice') });
    await co.acceptInvitation({ inviterId: 'host' });
    expect(net.sentOf('coGuest.rejectInvitation')[0]!.payload).toEqual({ inviterId: 'admin' });
    expect(net.sentOf('coGuest.acceptInvitation')[0]!.payload).toEqual({ inviterId: 'host' });
    push('coGuest.invitationResponded', { invitation: invitation('i3', 'host', 'alice'), isAccept: true, seatIndex: 1 });
    expect(co.getSnapshot().invitees).toEqual([]);
    expect(got).toEqual([
      ['onHostInvitationReceived', { hostUser: user('host') }],
      ['onHostInvitationReceived', { hostUser: user('admin') }],
      ['onHostInvitationCancelled', { hostUser: user('host') }],
      ['onHostInvitationReceived', { hostUser: user('host') }],
    ]);
  });

  it('seat.kickedOff → onKickedOffSeat; disConnect sends coGuest.disconnect', async () => {
    const { net, co, got, push } = await setup('alice', 2);
    net.responders.set('coGuest.disconnect', () => ok({}));
    push('seat.kickedOff', { seatIndex: 2, hostUser: user('host') });
    await co.disConnect();
    expect(net.sentOf('coGuest.disconnect')).toHaveLength(1);
    expect(got).toEqual([['onKickedOffSeat', { seatIndex: 2, hostUser: user('host') }]]);
  });
});
