import { Requests, type SeatInfo } from '@onseat/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, type TestConn } from './support/engineHarness.js';

const seatsOf = (c: TestConn): SeatInfo[] => c.last<{ seats: SeatInfo[] }>('seat.listChanged')?.seats ?? [];
const user = (userId: string) => ({ userId, userName: `name-${userId}`, avatarUrl: '' });
const lastSeq = (c: TestConn) => c.frames.at(-1)?.seq ?? 0;

describe('coGuest.apply', () => {
  it('refuses with the right code and leaves nothing pending', async () => {
    const h = createHarness();
    const { host, a, g } = await h.liveWith(['a', 'g'], { seatTemplate: 200 });
    await h.ok(host, 'seat.lock', { seatIndex: 3 });
    expect((await h.err(a, 'coGuest.apply', { seatIndex: 3, timeout: 0 }, 'SEAT_LOCKED')).code).toBe(100200);
    expect((await h.err(a, 'coGuest.apply', { seatIndex: 0, timeout: 0 }, 'SEAT_OCCUPIED')).code).toBe(100201);
    expect((await h.err(a, 'coGuest.apply', { seatIndex: 4, timeout: 0 }, 'SEAT_INDEX_NOT_EXIST')).code).toBe(-2344);
    await h.ok(a, 'coGuest.apply', { seatIndex: 1, timeout: 0 });
    expect((await h.err(a, 'coGuest.apply', { seatIndex: 2, timeout: 0 }, 'ALREADY_ON_THE_SEAT_QUEUE')).code).toBe(100202);
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' });
    expect((await h.err(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 }, 'ALREADY_IN_SEAT')).code).toBe(100203);
    await h.ok(host, 'coGuest.invite', { userId: 'g', seatIndex: 2, timeout: 0 });
    await h.ok(g, 'coGuest.acceptInvitation', { inviterId: 'host' });
    const late = h.connect('late');
    await h.ok(late, 'live.join', { liveId: 'live-1' });
    expect((await h.err(late, 'coGuest.apply', { seatIndex: -1, timeout: 0 }, 'ALL_SEAT_OCCUPIED')).code).toBe(100205);
    expect(host.events('coGuest.applicationReceived')).toHaveLength(1);
    expect((await h.ok(host, 'live.join', { liveId: 'live-1' })).snapshot.applications).toEqual([]);
  });

  it('SEAT_NOT_SUPPORT_LINK_MIC in a live without seats', async () => {
    const h = createHarness();
    const { a } = await h.liveWith(['a'], { isSeatEnabled: false });
    expect((await h.err(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 }, 'SEAT_NOT_SUPPORT_LINK_MIC')).code).toBe(100211);
  });

  it('timeouts are seconds: values above 1800 (milliseconds by mistake) are refused by the schema', () => {
    expect(Requests['coGuest.apply'].payload.safeParse({ seatIndex: -1, timeout: 1800 }).success).toBe(true);
    expect(Requests['coGuest.apply'].payload.safeParse({ seatIndex: -1, timeout: 30000 }).success).toBe(false);
    expect(Requests['coGuest.invite'].payload.safeParse({ userId: 'a', seatIndex: -1, timeout: 1801 }).success).toBe(false);
  });

  it('tells the hosts (not other audience) with the application and its deadline', async () => {
    const h = createHarness();
    const { host, adm, a, b } = await h.liveWith(['adm', 'a', 'b']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    const now = h.clock.now();
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: 4, timeout: 30 });
    expect(application).toEqual({ requestId: application.requestId, user: user('a'), seatIndex: 4, createdAt: now, deadline: now + 30_000 });
    for (const c of [host, adm]) expect(c.events('coGuest.applicationReceived')).toEqual([{ application }]);
    expect(b.events('coGuest.applicationReceived')).toEqual([]);
  });

  it('freeToTake: the applicant is seated at once and only they hear applicationResponded', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b'], { seatMode: 1 });
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    expect(h.seatUserIds()[1]).toBe('a');
    expect(a.types().slice(-2)).toEqual(['seat.listChanged', 'coGuest.applicationResponded']);
    expect(a.last('coGuest.applicationResponded')).toEqual({ application, isAccept: true, hostUser: user('host'), seatIndex: 1 });
    for (const c of [host, b]) expect(c.types().filter((t) => t.startsWith('coGuest.'))).toEqual([]);
    expect(seatsOf(b)[1]?.userInfo?.userId).toBe('a');
    await h.advance(60_000);
    expect(a.events('coGuest.applicationTimedOut')).toEqual([]);
  });
});

describe('cancel, accept, reject', () => {
  it('cancelApplication: NOT_ON_THE_SEAT_QUEUE when none; hosts hear applicationCancelled (cancelled)', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    expect((await h.err(a, 'coGuest.cancelApplication', {}, 'NOT_ON_THE_SEAT_QUEUE')).code).toBe(100204);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    await h.ok(a, 'coGuest.cancelApplication');
    for (const c of [host, a]) expect(c.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'cancelled' });
    await h.err(host, 'coGuest.acceptApplication', { userId: 'a' }, 'REQUEST_ID_INVALID');
    await h.advance(30_000);
    expect(a.events('coGuest.applicationTimedOut')).toEqual([]);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
  });

  it("accept: hosts only; REQUEST_ID_INVALID when none; the seat is the guest's before they hear it", async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    expect((await h.err(host, 'coGuest.acceptApplication', { userId: 'a' }, 'REQUEST_ID_INVALID')).code).toBe(-2311);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: 3, timeout: 30 });
    await h.err(b, 'coGuest.acceptApplication', { userId: 'a' }, 'NEED_ADMIN_PERMISSION');
    a.clear();
    host.clear();
    expect(await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' })).toEqual({ seatIndex: 3 });
    for (const c of [a, host]) {
      expect(c.types()).toEqual(['seat.listChanged', 'coGuest.applicationResponded']);
      expect(seatsOf(c)[3]?.userInfo?.userId).toBe('a');
      expect(c.last('coGuest.applicationResponded')).toEqual({ application, isAccept: true, hostUser: user('host'), seatIndex: 3 });
    }
    expect(b.events('coGuest.applicationResponded')).toEqual([]);
    await h.advance(30_000);
    expect(a.events('coGuest.applicationTimedOut')).toEqual([]);
  });

  it('a second host deciding the same application hears who processed it', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.ok(adm, 'coGuest.acceptApplication', { userId: 'a' });
    const e = await h.err(host, 'coGuest.rejectApplication', { userId: 'a' }, 'REQUEST_ID_INVALID');
    expect(e.details).toMatchObject({ processedBy: 'adm', outcome: 'accepted' });
    expect(h.seatUserIds()[1]).toBe('a');
  });

  it('accepting for a requested seat taken meanwhile → SEAT_OCCUPIED and applicationFailed to applicant and hosts', async () => {
    const h = createHarness();
    const { host, b, c } = await h.liveWith(['b', 'c']);
    await h.ok(b, 'coGuest.apply', { seatIndex: 2, timeout: 0 });
    const { application } = await h.ok(c, 'coGuest.apply', { seatIndex: 2, timeout: 0 });
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'b' });
    expect((await h.err(host, 'coGuest.acceptApplication', { userId: 'c' }, 'SEAT_OCCUPIED')).code).toBe(100201);
    for (const x of [c, host]) {
      expect(x.last('coGuest.applicationFailed')).toMatchObject({ application, hostUser: user('host'), code: 100201 });
    }
    expect(b.events('coGuest.applicationFailed')).toEqual([]);
    expect((await h.ok(host, 'live.join', { liveId: 'live-1' })).snapshot.applications).toEqual([]);
    expect(h.seatUserIds().slice(0, 3)).toEqual(['host', null, 'b']);
    await h.ok(c, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
  });

  it('accepting when no seat is free → ALL_SEAT_OCCUPIED with applicationFailed', async () => {
    const h = createHarness();
    const m = await h.liveWith(['a', 'b', 'c', 'd'], { seatTemplate: 200 });
    for (const id of ['a', 'b', 'c', 'd'] as const) await h.ok(m[id], 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    for (const [id, i] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      expect(await h.ok(m.host, 'coGuest.acceptApplication', { userId: id })).toEqual({ seatIndex: i });
    expect((await h.err(m.host, 'coGuest.acceptApplication', { userId: 'd' }, 'ALL_SEAT_OCCUPIED')).code).toBe(100205);
    expect(m.d.last('coGuest.applicationFailed')).toMatchObject({ code: 100205, application: { user: user('d') } });
    expect(m.d.events('coGuest.applicationResponded')).toEqual([]);
  });

  it('reject: applicant and hosts hear isAccept false; nobody is seated', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    await h.err(b, 'coGuest.rejectApplication', { userId: 'a' }, 'NEED_ADMIN_PERMISSION');
    await h.ok(host, 'coGuest.rejectApplication', { userId: 'a' });
    for (const c of [a, host])
      expect(c.last('coGuest.applicationResponded')).toEqual({ application, isAccept: false, hostUser: user('host'), seatIndex: -1 });
    expect(h.seatUserIds().filter((x) => x !== null)).toEqual(['host']);
    await h.err(host, 'coGuest.rejectApplication', { userId: 'a' }, 'REQUEST_ID_INVALID');
  });
});

describe('invitations', () => {
  it('invite: hosts only; USER_NOT_IN_LIVE, ALREADY_IN_SEAT, REQUEST_CONFLICT, self → INVALID_PARAMETER', async () => {
    const h = createHarness();
    const { host, adm, a, b } = await h.liveWith(['adm', 'a', 'b']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await h.err(a, 'coGuest.invite', { userId: 'b', seatIndex: -1, timeout: 0 }, 'NEED_ADMIN_PERMISSION');
    expect((await h.err(host, 'coGuest.invite', { userId: 'ghost', seatIndex: -1, timeout: 0 }, 'USER_NOT_IN_LIVE')).code).toBe(100005);
    expect((await h.err(host, 'coGuest.invite', { userId: 'host', seatIndex: -1, timeout: 0 }, 'INVALID_PARAMETER')).code).toBe(-1001);
    const { invitation } = await h.ok(adm, 'coGuest.invite', { userId: 'a', seatIndex: 2, timeout: 20 });
    expect(invitation).toMatchObject({ host: user('adm'), guest: user('a'), seatIndex: 2, deadline: h.clock.now() + 20_000 });
    for (const c of [a, host, adm]) expect(c.events('coGuest.invitationReceived')).toEqual([{ invitation }]);
    expect(b.events('coGuest.invitationReceived')).toEqual([]);
    expect((await h.err(host, 'coGuest.invite', { userId: 'a', seatIndex: 3, timeout: 0 }, 'REQUEST_CONFLICT')).code).toBe(100102);
    await h.ok(a, 'coGuest.acceptInvitation', { inviterId: 'adm' });
    await h.err(host, 'coGuest.invite', { userId: 'a', seatIndex: 3, timeout: 0 }, 'ALREADY_IN_SEAT');
  });

  it('cancelInvitation: REQUEST_ID_INVALID when none; the invitee hears invitationCancelled', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.err(host, 'coGuest.cancelInvitation', { inviteeId: 'a' }, 'REQUEST_ID_INVALID');
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'a', seatIndex: -1, timeout: 30 });
    await h.err(a, 'coGuest.cancelInvitation', { inviteeId: 'a' }, 'NEED_ADMIN_PERMISSION');
    await h.ok(host, 'coGuest.cancelInvitation', { inviteeId: 'a' });
    for (const c of [a, host]) expect(c.last('coGuest.invitationCancelled')).toEqual({ invitation, reason: 'cancelled' });
    await h.err(a, 'coGuest.acceptInvitation', { inviterId: 'host' }, 'REQUEST_ID_INVALID');
  });

  it('acceptInvitation seats the invitee and supersedes their application; wrong inviter → REQUEST_ID_INVALID', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'a', seatIndex: 5, timeout: 30 });
    await h.err(a, 'coGuest.acceptInvitation', { inviterId: 'someone' }, 'REQUEST_ID_INVALID');
    await h.err(a, 'coGuest.rejectInvitation', { inviterId: 'someone' }, 'REQUEST_ID_INVALID');
    a.clear();
    expect(await h.ok(a, 'coGuest.acceptInvitation', { inviterId: 'host' })).toEqual({ seatIndex: 5 });
    expect(a.types()[0]).toBe('seat.listChanged');
    expect([...a.types()].sort()).toEqual(['coGuest.applicationCancelled', 'coGuest.invitationResponded', 'seat.listChanged']);
    expect(seatsOf(a)[5]?.userInfo?.userId).toBe('a');
    for (const c of [a, host]) {
      expect(c.last('coGuest.invitationResponded')).toEqual({ invitation, isAccept: true, seatIndex: 5 });
      expect(c.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'superseded' });
    }
  });

  it('rejectInvitation: inviter and hosts hear isAccept false', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    const { invitation } = await h.ok(adm, 'coGuest.invite', { userId: 'a', seatIndex: -1, timeout: 0 });
    await h.ok(a, 'coGuest.rejectInvitation', { inviterId: 'adm' });
    for (const c of [a, host, adm]) expect(c.last('coGuest.invitationResponded')).toEqual({ invitation, isAccept: false, seatIndex: -1 });
    expect(h.seatUserIds().filter((x) => x !== null)).toEqual(['host']);
    await h.err(a, 'coGuest.acceptInvitation', { inviterId: 'adm' }, 'REQUEST_ID_INVALID');
  });
});

describe('timeouts on the clock', () => {
  it('an application times out after exactly `timeout` seconds; accepting afterwards → REQUEST_ID_INVALID', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    await h.advance(29_999);
    expect(a.events('coGuest.applicationTimedOut')).toEqual([]);
    await h.advance(1);
    for (const c of [a, host]) expect(c.events('coGuest.applicationTimedOut')).toEqual([{ application }]);
    expect(b.events('coGuest.applicationTimedOut')).toEqual([]);
    await h.err(host, 'coGuest.acceptApplication', { userId: 'a' }, 'REQUEST_ID_INVALID');
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
  });

  it('an invitation times out likewise', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'a', seatIndex: -1, timeout: 10 });
    await h.advance(9_999);
    expect(host.events('coGuest.invitationTimedOut')).toEqual([]);
    await h.advance(1);
    for (const c of [a, host]) expect(c.events('coGuest.invitationTimedOut')).toEqual([{ invitation }]);
    await h.err(a, 'coGuest.acceptInvitation', { inviterId: 'host' }, 'REQUEST_ID_INVALID');
    await h.ok(host, 'coGuest.invite', { userId: 'a', seatIndex: -1, timeout: 10 });
  });

  it('timeout 0 never times out', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'b', seatIndex: -1, timeout: 0 });
    expect([application.deadline, invitation.deadline]).toEqual([null, null]);
    await h.advance(2 * 3600_000);
    expect([...a.types(), ...b.types(), ...host.types()].filter((t) => t.endsWith('TimedOut'))).toEqual([]);
    expect((await h.ok(host, 'live.join', { liveId: 'live-1' })).snapshot).toMatchObject({ applications: [application], invitations: [invitation] });
  });
});

describe('connection grace', () => {
  it('a dropped applicant/guest keeps application and seat for the grace period and resumes with live.sync', async () => {
    const h = createHarness();
    const { host, a, g } = await h.liveWith(['a', 'g']);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.ok(host, 'coGuest.invite', { userId: 'g', seatIndex: 4, timeout: 0 });
    await h.ok(g, 'coGuest.acceptInvitation', { inviterId: 'host' });
    const [sa, sg] = [lastSeq(a), lastSeq(g)];
    h.engine.detach(a);
    h.engine.detach(g);
    await h.ok(host, 'live.update', { liveName: 'missed' });
    await h.advance(19_999);
    expect(host.events('audience.left')).toEqual([]);
    expect(h.seatUserIds()[4]).toBe('g');
    const a2 = h.connect('a');
    const r = await h.ok(a2, 'live.sync', { liveId: 'live-1', sinceSeq: sa });
    expect(r.mode === 'events' && r.events.map((e) => e.type).filter((t) => t !== 'audience.countChanged')).toEqual(['live.infoChanged']);
    expect(await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' })).toEqual({ seatIndex: 1 });
    expect(a2.types().slice(-2)).toEqual(['seat.listChanged', 'coGuest.applicationResponded']);
    await h.advance(1);
    // g did not come back: removed, seat freed, everyone told
    expect(h.seatUserIds()[4]).toBeNull();
    expect(seatsOf(host)[4]?.userInfo).toBeNull();
    expect(host.last('audience.left')).toMatchObject({ user: { userId: 'g' } });
    expect(a2.last('audience.left')).toMatchObject({ user: { userId: 'g' } });
    const g2 = h.connect('g');
    await h.err(g2, 'live.sync', { liveId: 'live-1', sinceSeq: sg }, 'USER_NOT_IN_LIVE');
    await h.advance(60_000);
    expect(h.seatUserIds()[1]).toBe('a');
  });

  it("after the grace period a dropped applicant's application is cancelled (userLeft)", async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    h.engine.detach(a);
    await h.advance(20_000);
    expect(host.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'userLeft' });
    expect(host.last('audience.left')).toMatchObject({ user: { userId: 'a' } });
    await h.err(h.connect('a'), 'coGuest.cancelApplication', {}, 'NOT_IN_LIVE');
  });

  it('the grace timer starts again on resume', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    h.engine.detach(a);
    await h.advance(15_000);
    const a2 = h.connect('a');
    await h.ok(a2, 'live.sync', { liveId: 'live-1', sinceSeq: lastSeq(a) });
    await h.advance(15_000);
    h.engine.detach(a2);
    await h.advance(19_999);
    expect(host.events('audience.left')).toEqual([]);
    await h.advance(1);
    expect(host.events('audience.left')).toHaveLength(1);
  });
});

describe('administrators', () => {
  it('only the owner sets and revokes admins; an admin may accept, reject, invite and lock until revoked', async () => {
    const h = createHarness();
    const { host, adm, a, b } = await h.liveWith(['adm', 'a', 'b', 'c']);
    expect((await h.err(a, 'audience.setAdministrator', { userId: 'a' }, 'NEED_OWNER_PERMISSION')).code).toBe(-2300);
    await h.err(a, 'audience.revokeAdministrator', { userId: 'adm' }, 'NEED_OWNER_PERMISSION');
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    for (const x of [host, adm, a]) expect(x.last('audience.roleChanged')).toMatchObject({ user: { userId: 'adm', role: 1 } });
    await h.err(adm, 'audience.setAdministrator', { userId: 'a' }, 'NEED_OWNER_PERMISSION');
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.ok(b, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    expect(adm.events('coGuest.applicationReceived')).toHaveLength(2);
    await h.ok(adm, 'coGuest.acceptApplication', { userId: 'a' });
    await h.ok(adm, 'coGuest.rejectApplication', { userId: 'b' });
    await h.ok(adm, 'coGuest.invite', { userId: 'c', seatIndex: -1, timeout: 0 });
    await h.ok(adm, 'seat.lock', { seatIndex: 8 });
    await h.ok(host, 'audience.revokeAdministrator', { userId: 'adm' });
    expect(a.last('audience.roleChanged')).toMatchObject({ user: { userId: 'adm', role: 2 } });
    await h.ok(b, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.err(adm, 'coGuest.acceptApplication', { userId: 'b' }, 'NEED_ADMIN_PERMISSION');
    await h.err(adm, 'coGuest.rejectApplication', { userId: 'b' }, 'NEED_ADMIN_PERMISSION');
    await h.err(adm, 'seat.unlock', { seatIndex: 8 }, 'NEED_ADMIN_PERMISSION');
    await h.err(adm, 'coGuest.cancelInvitation', { inviteeId: 'c' }, 'NEED_ADMIN_PERMISSION');
    expect((await h.ok(adm, 'live.join', { liveId: 'live-1' })).snapshot).toMatchObject({ self: { role: 2 }, applications: [], invitations: [] });
  });
});

describe('audience.kick', () => {
  it('an admin removes audience (not the owner or another admin); the kicked user hears live.kickedOut and loses seat and application', async () => {
    const h = createHarness();
    const { host, adm, adm2, g, a, b } = await h.liveWith(['adm', 'adm2', 'g', 'a', 'b']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm2' });
    await h.ok(host, 'coGuest.invite', { userId: 'g', seatIndex: 2, timeout: 0 });
    await h.ok(g, 'coGuest.acceptInvitation', { inviterId: 'host' });
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    await h.err(b, 'audience.kick', { userId: 'a' }, 'NEED_ADMIN_PERMISSION');
    await h.err(adm, 'audience.kick', { userId: 'host' }, 'NEED_OWNER_PERMISSION');
    await h.err(adm, 'audience.kick', { userId: 'adm2' }, 'NEED_OWNER_PERMISSION');
    await h.err(adm, 'audience.kick', { userId: 'nobody' }, 'USER_NOT_IN_LIVE');
    await h.ok(adm, 'audience.kick', { userId: 'g' });
    expect(g.events('live.kickedOut')).toEqual([{ liveId: 'live-1', reason: 0 }]);
    expect(h.seatUserIds()[2]).toBeNull();
    expect(seatsOf(b)[2]?.userInfo).toBeNull();
    expect(b.last('audience.left')).toMatchObject({ user: { userId: 'g' } });
    await h.ok(adm, 'audience.kick', { userId: 'a' });
    expect(a.last('live.kickedOut')).toEqual({ liveId: 'live-1', reason: 0 });
    for (const x of [host, adm, a]) expect(x.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'userLeft' });
    await h.err(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 }, 'NOT_IN_LIVE');
    await h.ok(host, 'audience.kick', { userId: 'adm2' });
    expect(adm2.last('live.kickedOut')).toEqual({ liveId: 'live-1', reason: 0 });
    expect(b.events('live.kickedOut')).toEqual([]);
    expect((await h.ok(host, 'audience.list', {})).audience.map((x) => x.userId)).toEqual(['adm', 'b']);
  });
});

describe('audience events and list', () => {
  it('joined/left reach everyone while the audience is ≤ 50, only hosts above that', async () => {
    const h = createHarness();
    const ids = Array.from({ length: 60 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);
    const m = await h.liveWith(ids);
    const u01 = m.u01!;
    expect(m.host.events('audience.joined')).toHaveLength(60);
    const seen = u01.events<{ user: { userId: string } }>('audience.joined').map((e) => e.user.userId);
    expect(seen).toEqual(ids.slice(0, 50));
    for (const id of ids.slice(51).reverse()) await h.ok(m[id]!, 'live.leave'); // u60..u52: 59 → 51 remain
    expect(u01.events('audience.left')).toEqual([]);
    await h.ok(m.u51!, 'live.leave'); // 50 remain
    expect(u01.events('audience.left')).toMatchObject([{ user: { userId: 'u51' } }]);
    expect(m.host.events('audience.left')).toHaveLength(10);
  });

  it('audience.countChanged is throttled: one event per countThrottleMs with the latest count', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a', 'b', 'c', 'd', 'e']);
    await h.advance(999);
    expect(host.events('audience.countChanged')).toEqual([]);
    await h.advance(1);
    expect(host.events('audience.countChanged')).toEqual([{ count: 5 }]);
    expect(a.events('audience.countChanged')).toEqual([{ count: 5 }]);
    await h.ok(h.connect('f'), 'live.join', { liveId: 'live-1' });
    await h.ok(a, 'live.leave');
    await h.ok(h.connect('g'), 'live.join', { liveId: 'live-1' });
    await h.advance(1000);
    expect(host.events('audience.countChanged')).toEqual([{ count: 5 }, { count: 6 }]);
    await h.advance(10_000);
    expect(host.events('audience.countChanged')).toHaveLength(2);
  });

  it('audience.list pages with a cursor and gives the total; the owner is not listed', async () => {
    const h = createHarness();
    const host = h.connect('host');
    await h.ok(host, 'live.start', { liveId: 'live-1' });
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    for (const id of ids) {
      await h.ok(h.connect(id), 'live.join', { liveId: 'live-1' });
      await h.advance(10);
    }
    await h.ok(host, 'audience.setAdministrator', { userId: 'p2' });
    const got: string[] = [];
    let cursor = '';
    const pages: number[] = [];
    do {
      const page = await h.ok(host, 'audience.list', { cursor, count: 3 });
      expect(page.total).toBe(7);
      got.push(...page.audience.map((x) => x.userId));
      pages.push(page.audience.length);
      if (page.audience[0]?.userId === 'p1') expect(page.audience[1]).toMatchObject({ userId: 'p2', role: 1, userName: 'name-p2' });
      cursor = page.cursor;
    } while (cursor !== '' && pages.length < 10);
    expect(got).toEqual(ids);
    expect(pages).toEqual([3, 3, 1]);
  });
});
