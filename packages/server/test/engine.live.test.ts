import { CloseCode, type EventFrame, type LiveSnapshot } from '@onseat/protocol';
import { describe, expect, it } from 'vitest';
import type { EngineRequestType } from '../src/engine/api.js';
import { MemoryLiveStore } from '../src/store/MemoryLiveStore.js';
import { APP, createHarness } from './support/engineHarness.js';

const OTHER_APP = 1400000002;
const after = (frames: EventFrame[], seq: number) => frames.filter((f) => f.seq > seq);

describe('live.start', () => {
  it('defaults: 9 seats, the owner on seat 0, applyToTake, the 9-seat dynamic template', async () => {
    const h = createHarness();
    const host = h.connect('host');
    const { snapshot } = await h.ok(host, 'live.start', { liveId: 'live-1', liveName: 'Hello' });
    expect(snapshot.seats).toHaveLength(9);
    expect(snapshot.seats[0]?.userInfo).toMatchObject({ userId: 'host', userName: 'name-host', role: 0, microphoneStatus: 0, cameraStatus: 0 });
    expect(snapshot.seats.slice(1).every((s) => s.userInfo === null && !s.isLocked)).toBe(true);
    expect(snapshot.live).toMatchObject({
      liveId: 'live-1',
      liveName: 'Hello',
      seatMode: 2,
      maxSeatCount: 9,
      layoutTemplate: 600,
      isSeatEnabled: true,
      keepOwnerOnSeat: true,
      isPublicVisible: true,
      liveOwner: { userId: 'host', userName: 'name-host', avatarUrl: '' },
      currentViewerCount: 0,
    });
    expect(snapshot.self).toEqual({ userId: 'host', role: 0 });
    expect(snapshot).toMatchObject({ applications: [], invitations: [], audienceCount: 0, metadata: {} });
  });

  it.each([
    [200, 4, 200],
    [600, 9, 600],
    [601, 7, 601],
    [800, 9, 800],
    [801, 7, 801],
    [12345, 4, 200],
  ])('seatTemplate %i gives %i seats (template %i)', async (seatTemplate, seats, template) => {
    const h = createHarness();
    const { snapshot } = await h.ok(h.connect('host'), 'live.start', { liveId: 'live-1', seatTemplate });
    expect(snapshot.seats).toHaveLength(seats);
    expect(snapshot.live).toMatchObject({ maxSeatCount: seats, layoutTemplate: template });
    expect(snapshot.seats[0]?.userInfo?.userId).toBe('host');
  });

  it('maxSeatCount sets the seat count up to 16; 17 → MAX_SEAT_COUNT_LIMIT and no live is created', async () => {
    const h = createHarness();
    const [a, b] = [h.connect('a'), h.connect('b')];
    expect((await h.ok(a, 'live.start', { liveId: 'l5', maxSeatCount: 5 })).snapshot.seats).toHaveLength(5);
    expect((await h.ok(b, 'live.start', { liveId: 'l16', maxSeatCount: 16 })).snapshot.seats).toHaveLength(16);
    const c = h.connect('c');
    const e = await h.err(c, 'live.start', { liveId: 'l17', maxSeatCount: 17 }, 'MAX_SEAT_COUNT_LIMIT');
    expect(e.code).toBe(-2340);
    await h.err(c, 'live.info', { liveId: 'l17' }, 'LIVE_NOT_EXIST');
    await h.ok(c, 'live.start', { liveId: 'l17', maxSeatCount: 3 });
  });

  it('isSeatEnabled false gives no seats; keepOwnerOnSeat false leaves seat 0 empty', async () => {
    const h = createHarness();
    const r1 = await h.ok(h.connect('a'), 'live.start', { liveId: 'noseats', isSeatEnabled: false });
    expect(r1.snapshot.seats).toEqual([]);
    expect(r1.snapshot.live).toMatchObject({ isSeatEnabled: false, maxSeatCount: 0 });
    const r2 = await h.ok(h.connect('b'), 'live.start', { liveId: 'free', keepOwnerOnSeat: false });
    expect(r2.snapshot.seats.every((s) => s.userInfo === null)).toBe(true);
    expect(r2.snapshot.live.keepOwnerOnSeat).toBe(false);
  });

  it('LIVE_ID_OCCUPIED for a liveId in use (same app only); ALREADY_IN_OTHER_LIVE for start and join', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const other = h.connect('other');
    expect((await h.err(other, 'live.start', { liveId: 'live-1' }, 'LIVE_ID_OCCUPIED')).code).toBe(100003);
    await h.ok(h.connect('x', OTHER_APP), 'live.start', { liveId: 'live-1' });
    expect((await h.err(host, 'live.start', { liveId: 'live-2' }, 'ALREADY_IN_OTHER_LIVE')).code).toBe(-2108);
    await h.err(a, 'live.start', { liveId: 'live-2' }, 'ALREADY_IN_OTHER_LIVE');
    await h.ok(other, 'live.start', { liveId: 'live-2' });
    await h.err(a, 'live.join', { liveId: 'live-2' }, 'ALREADY_IN_OTHER_LIVE');
    await h.err(host, 'live.join', { liveId: 'live-2' }, 'ALREADY_IN_OTHER_LIVE');
  });
});

describe('live.join', () => {
  it('LIVE_NOT_EXIST for an unknown live', async () => {
    const h = createHarness();
    expect((await h.err(h.connect('a'), 'live.join', { liveId: 'nope' }, 'LIVE_NOT_EXIST')).code).toBe(100004);
  });

  it('tells the others; joining again returns the snapshot without a second join', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    expect(host.events('audience.joined')).toEqual([
      { user: { userId: 'a', userName: 'name-a', avatarUrl: '', role: 2, joinedTimestamp: h.clock.now() } },
    ]);
    const { snapshot } = await h.ok(a, 'live.join', { liveId: 'live-1' });
    expect(snapshot.self).toEqual({ userId: 'a', role: 2 });
    expect(snapshot.audienceCount).toBe(1);
    expect(host.events('audience.joined')).toHaveLength(1);
    expect((await h.ok(a, 'live.info', { liveId: 'live-1' })).live).toMatchObject({ currentViewerCount: 1, totalViewerCount: 1 });
  });

  it('hosts see every pending application and invitation; audience only their own', async () => {
    const h = createHarness();
    const { host, a, b, c, d } = await h.liveWith(['a', 'b', 'c', 'd']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'd' });
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'b', seatIndex: 3, timeout: 0 });
    const snap = async (conn: typeof a) => (await h.ok(conn, 'live.join', { liveId: 'live-1' })).snapshot;
    for (const hostConn of [host, d]) expect(await snap(hostConn)).toMatchObject({ applications: [application], invitations: [invitation] });
    expect(await snap(a)).toMatchObject({ applications: [application], invitations: [] });
    expect(await snap(b)).toMatchObject({ applications: [], invitations: [invitation] });
    expect(await snap(c)).toMatchObject({ applications: [], invitations: [], self: { userId: 'c', role: 2 } });
    const late = h.connect('late');
    expect((await h.ok(late, 'live.join', { liveId: 'live-1' })).snapshot).toMatchObject({ applications: [], invitations: [], audienceCount: 5 });
    expect((await snap(d)).self).toEqual({ userId: 'd', role: 1 });
  });
});

describe('live.leave', () => {
  it('NOT_IN_LIVE when not in a live', async () => {
    const h = createHarness();
    expect((await h.err(h.connect('a'), 'live.leave', {}, 'NOT_IN_LIVE')).code).toBe(-2101);
  });

  it("cancels a leaving applicant's application (userLeft) and frees a leaving guest's seat", async () => {
    const h = createHarness();
    const { host, a, g } = await h.liveWith(['a', 'g']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.ok(g, 'coGuest.apply', { seatIndex: 2, timeout: 0 });
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'g' });
    expect(h.seatUserIds()[2]).toBe('g');
    await h.ok(a, 'live.leave');
    expect(host.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'userLeft' });
    expect(a.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'userLeft' });
    expect(host.last('audience.left')).toMatchObject({ user: { userId: 'a' } });
    expect((await h.ok(host, 'live.join', { liveId: 'live-1' })).snapshot.applications).toEqual([]);
    await h.ok(g, 'live.leave');
    expect(h.seatUserIds()[2]).toBeNull();
    expect((host.last('seat.listChanged') as { seats: { userInfo: unknown }[] }).seats[2]?.userInfo).toBeNull();
    await h.err(g, 'seat.leave', {}, 'NOT_IN_LIVE');
    await h.ok(g, 'live.join', { liveId: 'live-1' });
  });
});

describe('live.end', () => {
  it('only the owner may end it', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    expect((await h.err(adm, 'live.end', {}, 'NEED_OWNER_PERMISSION')).code).toBe(-2300);
    await h.err(a, 'live.end', {}, 'NEED_OWNER_PERMISSION');
    await h.ok(a, 'live.info', { liveId: 'live-1' });
  });

  it('everyone hears live.ended (reason 1), pending requests end with liveEnded, the live is gone', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    const { invitation } = await h.ok(host, 'coGuest.invite', { userId: 'b', seatIndex: -1, timeout: 30 });
    await h.ok(host, 'live.end');
    for (const c of [host, a, b]) expect(c.last('live.ended')).toEqual({ liveId: 'live-1', reason: 1 });
    expect(a.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'liveEnded' });
    expect(host.last('coGuest.applicationCancelled')).toEqual({ application, reason: 'liveEnded' });
    expect(b.last('coGuest.invitationCancelled')).toEqual({ invitation, reason: 'liveEnded' });
    expect(host.last('coGuest.invitationCancelled')).toEqual({ invitation, reason: 'liveEnded' });
    expect(h.clock.pendingTimers).toBe(0);
    await h.err(a, 'live.info', { liveId: 'live-1' }, 'LIVE_NOT_EXIST');
    await h.err(a, 'coGuest.cancelApplication', {}, 'NOT_IN_LIVE');
    await h.err(b, 'live.join', { liveId: 'live-1' }, 'LIVE_NOT_EXIST');
    expect((await h.ok(host, 'live.list', {})).lives).toEqual([]);
    await h.ok(a, 'live.start', { liveId: 'live-2' });
    await h.ok(b, 'live.join', { liveId: 'live-2' });
    await h.ok(host, 'live.start', { liveId: 'live-1' });
  });

  it('engine.endLive() ends it for everyone with reason 2', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    expect(await h.engine.endLive(APP, 'live-1')).toBe(true);
    h.checkInvariants();
    for (const c of [host, a]) expect(c.last('live.ended')).toEqual({ liveId: 'live-1', reason: 2 });
    expect(await h.engine.endLive(APP, 'live-1')).toBe(false);
    await h.err(host, 'live.info', { liveId: 'live-1' }, 'LIVE_NOT_EXIST');
    await h.ok(a, 'live.start', { liveId: 'a-live' });
  });
});

describe('live.list, live.info, live.update', () => {
  it('lists public lives of the same app, newest first, page by page until the cursor is empty', async () => {
    const h = createHarness();
    for (const id of ['l1', 'l2', 'l3', 'l4', 'l5']) {
      await h.ok(h.connect(`h-${id}`), 'live.start', { liveId: id, isPublicVisible: id !== 'l3' });
      await h.advance(1000);
    }
    await h.ok(h.connect('x', OTHER_APP), 'live.start', { liveId: 'other-app' });
    await h.ok(h.connect('viewer'), 'live.join', { liveId: 'l4' });
    const me = h.connect('me');
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await h.ok(me, 'live.list', { cursor, count: 2 });
      ids.push(...page.lives.map((l) => l.liveId));
      if (page.lives.some((l) => l.liveId === 'l4')) expect(page.lives.find((l) => l.liveId === 'l4')?.currentViewerCount).toBe(1);
      cursor = page.cursor;
      pages++;
    } while (cursor !== '' && pages < 10);
    expect(ids).toEqual(['l5', 'l4', 'l2', 'l1']);
    expect(pages).toBe(2);
  });

  it('live.info works for non-members of the same app only', async () => {
    const h = createHarness();
    await h.liveWith(['a'], { liveName: 'Show', notice: 'hi' });
    const { live } = await h.ok(h.connect('outsider'), 'live.info', { liveId: 'live-1' });
    expect(live).toMatchObject({ liveId: 'live-1', liveName: 'Show', notice: 'hi', currentViewerCount: 1, liveOwner: { userId: 'host' } });
    await h.err(h.connect('y', OTHER_APP), 'live.info', { liveId: 'live-1' }, 'LIVE_NOT_EXIST');
  });

  it('live.update: admins may, audience may not; everyone hears infoChanged; no event when nothing changed', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    expect((await h.err(a, 'live.update', { liveName: 'mine' }, 'NEED_ADMIN_PERMISSION')).code).toBe(-2301);
    expect(host.events('live.infoChanged')).toEqual([]);
    const { live } = await h.ok(adm, 'live.update', { liveName: 'Renamed', categoryList: [3], isGiftEnabled: false });
    expect(live).toMatchObject({ liveName: 'Renamed', categoryList: [3], isGiftEnabled: false });
    for (const c of [host, adm, a]) expect(c.events('live.infoChanged')).toEqual([{ live }]);
    await h.ok(host, 'live.update', { liveName: 'Renamed', categoryList: [3] });
    await h.ok(host, 'live.update', {});
    expect(a.events('live.infoChanged')).toHaveLength(1);
    expect((await h.ok(a, 'live.info', { liveId: 'live-1' })).live.liveName).toBe('Renamed');
  });
});

describe('live metadata', () => {
  it('set/get, "" deletes, metadataChanged to all with the changed keys', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(host, 'live.setMetadata', { metadata: { k1: 'v1', k2: 'v2' } });
    expect(a.last('live.metadataChanged')).toEqual({ metadata: { k1: 'v1', k2: 'v2' } });
    expect(await h.ok(a, 'live.getMetadata', {})).toEqual({ metadata: { k1: 'v1', k2: 'v2' } });
    expect(await h.ok(a, 'live.getMetadata', { keys: ['k2', 'nope'] })).toEqual({ metadata: { k2: 'v2' } });
    await h.ok(host, 'live.setMetadata', { metadata: { k1: '' } });
    expect(a.last('live.metadataChanged')).toEqual({ metadata: { k1: '' } });
    expect(await h.ok(a, 'live.getMetadata', {})).toEqual({ metadata: { k2: 'v2' } });
    await h.err(a, 'live.setMetadata', { metadata: { k3: 'x' } }, 'NEED_ADMIN_PERMISSION');
    expect((await h.ok(h.connect('late'), 'live.join', { liveId: 'live-1' })).snapshot.metadata).toEqual({ k2: 'v2' });
  });

  it('limits: 10 keys, 2 KiB per value, 16 KiB in all; a refused set changes nothing', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const keys = (n: number, v: string, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${from + i}`, v]));
    await h.ok(host, 'live.setMetadata', { metadata: keys(10, 'x') });
    const before = a.events('live.metadataChanged').length;
    expect((await h.err(host, 'live.setMetadata', { metadata: { extra: 'x' } }, 'METADATA_KEY_COUNT_LIMIT')).code).toBe(100500);
    await h.ok(host, 'live.setMetadata', { metadata: { key0: '', extra: 'y' } });
    await h.ok(host, 'live.setMetadata', { metadata: { key1: 'v'.repeat(2048) } });
    expect((await h.err(host, 'live.setMetadata', { metadata: { key1: 'v'.repeat(2049) } }, 'METADATA_VALUE_SIZE_LIMIT')).code).toBe(100501);
    await h.err(host, 'live.setMetadata', { metadata: keys(8, 'w'.repeat(2048), 1) }, 'METADATA_VALUE_SIZE_LIMIT');
    expect(a.events('live.metadataChanged')).toHaveLength(before + 2);
    const { metadata } = await h.ok(a, 'live.getMetadata', {});
    expect(Object.keys(metadata)).toHaveLength(10);
    expect(metadata).toMatchObject({ extra: 'y', key1: 'v'.repeat(2048), key2: 'x' });
  });
});

describe('live.sync', () => {
  it('returns the events after a seq that were addressed to the user, in seq order (as delivered live)', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const since = (await h.ok(a, 'live.join', { liveId: 'live-1' })).snapshot.seq;
    await h.ok(b, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    await h.ok(host, 'live.update', { liveName: 'x' });
    await h.ok(a, 'coGuest.apply', { seatIndex: 4, timeout: 0 });
    await h.ok(host, 'coGuest.rejectApplication', { userId: 'b' });
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' });
    for (const c of [a, b, host]) {
      const r = await h.ok(c, 'live.sync', { liveId: 'live-1', sinceSeq: since });
      if (r.mode !== 'events') throw new Error('expected events');
      expect(r.events).toEqual(after(c.frames, since));
      const seqs = r.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    const ra = await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: since });
    if (ra.mode !== 'events') throw new Error('expected events');
    expect(ra.events.map((e) => e.type)).toEqual(['live.infoChanged', 'seat.listChanged', 'coGuest.applicationResponded']);
    const rh = await h.ok(host, 'live.sync', { liveId: 'live-1', sinceSeq: since });
    expect(rh.mode === 'events' && rh.events.filter((e) => e.type === 'coGuest.applicationReceived')).toHaveLength(2);
  });

  it('sinceSeq 0 (or a seq not reached yet) gives a snapshot', async () => {
    const h = createHarness();
    const { a } = await h.liveWith(['a']);
    const joined = (await h.ok(a, 'live.join', { liveId: 'live-1' })).snapshot;
    expect(await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: 0 })).toEqual({ mode: 'snapshot', snapshot: joined });
    expect((await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: joined.seq + 100 })).mode).toBe('snapshot');
    expect(await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: joined.seq })).toEqual({ mode: 'events', events: [] });
  });

  it('a seq older than the kept event log gives a snapshot', async () => {
    const h = createHarness({ store: new MemoryLiveStore({ eventCapacity: 8 }) });
    const { host, a } = await h.liveWith(['a']);
    const since = (await h.ok(a, 'live.join', { liveId: 'live-1' })).snapshot.seq;
    for (let i = 0; i < 12; i++) await h.ok(host, 'live.update', { liveName: `name ${i}` });
    const r = await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: since });
    if (r.mode !== 'snapshot') throw new Error(`expected a snapshot, got ${r.mode}`);
    expect(r.snapshot.live.liveName).toBe('name 11');
    expect(r.snapshot.seq).toBe(a.frames.at(-1)?.seq);
    const recent = await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: r.snapshot.seq - 3 });
    expect(recent.mode === 'events' && recent.events.map((e) => e.payload)).toEqual(a.events('live.infoChanged').slice(-3));
  });

  it('USER_NOT_IN_LIVE for a non-member, LIVE_NOT_EXIST once it ended', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    expect((await h.err(h.connect('x'), 'live.sync', { liveId: 'live-1', sinceSeq: 0 }, 'USER_NOT_IN_LIVE')).code).toBe(100005);
    await h.ok(host, 'live.end');
    await h.err(a, 'live.sync', { liveId: 'live-1', sinceSeq: 1 }, 'LIVE_NOT_EXIST');
  });
});

describe('user.setSelfInfo', () => {
  it('the new name shows in audience.joined, the seat list and live.info', async () => {
    const h = createHarness();
    const host = h.connect('host');
    expect(await h.ok(host, 'user.setSelfInfo', { userName: 'The Host' })).toEqual({ user: { userId: 'host', userName: 'The Host', avatarUrl: '' } });
    const { snapshot } = await h.ok(host, 'live.start', { liveId: 'live-1' });
    expect(snapshot.live.liveOwner.userName).toBe('The Host');
    const g = h.connect('g');
    await h.ok(g, 'user.setSelfInfo', { avatarUrl: 'https://x/a.png' });
    await h.ok(g, 'live.join', { liveId: 'live-1' });
    expect(host.last('audience.joined')).toMatchObject({ user: { userId: 'g', userName: 'name-g', avatarUrl: 'https://x/a.png' } });
    await h.ok(host, 'coGuest.invite', { userId: 'g', seatIndex: 1, timeout: 0 });
    await h.ok(g, 'coGuest.acceptInvitation', { inviterId: 'host' });
    await h.ok(g, 'user.setSelfInfo', { userName: 'Guest G' });
    const seats = (host.last('seat.listChanged') as { seats: LiveSnapshot['seats'] }).seats;
    expect(seats[1]?.userInfo).toMatchObject({ userId: 'g', userName: 'Guest G', avatarUrl: 'https://x/a.png' });
    await h.ok(host, 'user.setSelfInfo', { userName: 'Renamed Host' });
    expect((await h.ok(g, 'live.info', { liveId: 'live-1' })).live.liveOwner.userName).toBe('Renamed Host');
  });
});

describe('connections', () => {
  it('a second connection of the same user replaces the first: kickedOffline + 4003, the member stays and resumes with live.sync', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 0 });
    const since = a.frames.at(-1)?.seq ?? 0;
    const a2 = h.connect('a');
    expect(a.last('session.kickedOffline')).toEqual({ reason: 'loggedInElsewhere' });
    expect(a.closed?.code).toBe(CloseCode.KICKED_OFFLINE);
    expect(a.closed?.code).toBe(4003);
    expect((await h.err(a, 'live.info', { liveId: 'live-1' }, 'NOT_LOGGED_IN')).code).toBe(-1002);
    await h.err(a, 'coGuest.cancelApplication', {}, 'NOT_LOGGED_IN');
    await h.ok(host, 'live.update', { liveName: 'while away' });
    expect(host.events('audience.left')).toEqual([]);
    const r = await h.ok(a2, 'live.sync', { liveId: 'live-1', sinceSeq: since });
    expect(r.mode === 'events' && r.events.map((e) => e.type)).toEqual(['live.infoChanged']);
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' });
    expect(a2.types().slice(-2)).toEqual(['seat.listChanged', 'coGuest.applicationResponded']);
    expect(a.types().filter((t) => t === 'coGuest.applicationResponded')).toEqual([]);
  });

  it('every live command outside a live → NOT_IN_LIVE', async () => {
    const h = createHarness();
    await h.liveWith([]);
    const u = h.connect('u');
    const cmds: [EngineRequestType, unknown][] = [
      ['live.leave', {}],
      ['live.end', {}],
      ['live.update', { liveName: 'x' }],
      ['live.setMetadata', { metadata: { a: 'b' } }],
      ['live.getMetadata', {}],
      ['seat.take', { seatIndex: 1 }],
      ['seat.leave', {}],
      ['seat.lock', { seatIndex: 1 }],
      ['seat.unlock', { seatIndex: 1 }],
      ['seat.kick', { userId: 'host' }],
      ['seat.move', { userId: 'host', targetIndex: 1 }],
      ['seat.closeRemoteDevice', { userId: 'host', device: 'microphone' }],
      ['seat.openRemoteDevice', { userId: 'host', device: 'camera' }],
      ['seat.reportDevice', { microphone: 1 }],
      ['coGuest.apply', { seatIndex: -1, timeout: 0 }],
      ['coGuest.cancelApplication', {}],
      ['coGuest.acceptApplication', { userId: 'x' }],
      ['coGuest.rejectApplication', { userId: 'x' }],
      ['coGuest.invite', { userId: 'x', seatIndex: -1, timeout: 0 }],
      ['coGuest.cancelInvitation', { inviteeId: 'x' }],
      ['coGuest.acceptInvitation', { inviterId: 'host' }],
      ['coGuest.rejectInvitation', { inviterId: 'host' }],
      ['coGuest.disconnect', {}],
      ['audience.list', {}],
      ['audience.setAdministrator', { userId: 'x' }],
      ['audience.revokeAdministrator', { userId: 'x' }],
      ['audience.kick', { userId: 'x' }],
    ];
    for (const [type, payload] of cmds) await h.err(u, type, payload, 'NOT_IN_LIVE');
  });
});
