import { describe, expect, it } from 'vitest';
import { EventHub, LiveEndedReason, LiveKickedOutReason, LoginStatus, SeatLayoutTemplate, TUISeatMode } from '../src/index.js';
import { evt, fail, ok, until } from './support/fakeNetwork.js';
import { inLive, loggedIn, network, nextSeq, recorder } from './support/storeHarness.js';
import { liveInfo } from './support/wire.js';

describe('EventHub', () => {
  it('calls callbacks in order, isolates throwing ones, and unsubscribes by reference', () => {
    const errors: unknown[] = [];
    const hub = new EventHub<{ a: number }>({ error: (...args) => errors.push(args) });
    const calls: string[] = [];
    const one = (n: number) => calls.push(`one${n}`);
    const bad = () => {
      throw new Error('boom');
    };
    hub.on('a', one);
    hub.on('a', bad);
    hub.on('a', (n) => calls.push(`two${n}`));
    hub.emit('a', 1);
    expect(calls).toEqual(['one1', 'two1']);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as unknown[])[0])).toBe('Error in event callback for a');
    hub.off('a', (n: number) => calls.push(`one${n}`)); // another function: ignored
    hub.off('a', one);
    hub.emit('a', 2);
    expect(calls).toEqual(['one1', 'two1', 'two2']);
  });
});

describe('LoginStore', () => {
  it('logs in (LOGINED + user), sets self info, logs out', async () => {
    const net = network();
    const { onseat } = await loggedIn(net, 'alice');
    const first = onseat.login.getSnapshot();
    expect(first).toEqual({ loginUserInfo: { userId: 'alice', userName: 'alice', avatarUrl: '' }, loginStatus: LoginStatus.LOGINED });
    expect(Object.isFrozen(first)).toBe(true);
    expect(onseat.client?.state).toBe('connected');
    net.responders.set('user.setSelfInfo', (p) => ok({ user: { userId: 'alice', userName: p.userName, avatarUrl: 'x' } }));
    let notified = 0;
    onseat.login.subscribe(() => notified++);
    await onseat.login.setSelfInfo({ userName: 'Alice', customInfo: { level: 3 } });
    expect(net.sentOf('user.setSelfInfo')[0]!.payload).toEqual({ userName: 'Alice' });
    expect(onseat.login.getSnapshot().loginUserInfo).toEqual({ userId: 'alice', userName: 'Alice', avatarUrl: 'x', customInfo: { level: 3 } });
    expect(notified).toBe(1);
    await onseat.login.logout();
    expect(onseat.login.getSnapshot()).toEqual({ loginUserInfo: null, loginStatus: LoginStatus.UNKNOWN });
    expect(onseat.client).toBeNull();
    await expect(onseat.liveList.joinLive({ liveId: 'L1' })).rejects.toMatchObject({ code: -1002, name: 'NOT_LOGGED_IN' });
  });

  it('rejects login with the server code and stays logged out', async () => {
    const net = network();
    net.responders.set('session.hello', () => fail(70001, 'USER_SIG_EXPIRED'));
    const err = await loggedIn(net, 'alice').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 70001 });
  });

  it('emits onKickedOffline and logs out when the user logs in elsewhere', async () => {
    const { net, onseat } = await loggedIn(network(), 'alice');
    const got = recorder(onseat.login, ['onKickedOffline', 'onLoginExpired']);
    net.last.push(evt('session.kickedOffline', '', 0, { reason: 'other device' }));
    net.last.drop(4003);
    expect(got).toEqual([['onKickedOffline', { reason: 'other device' }]]);
    expect(onseat.login.getSnapshot().loginStatus).toBe(LoginStatus.UNKNOWN);
  });

  it('emits onLoginExpired when a reconnect is refused with USER_SIG_EXPIRED', async () => {
    const { net, onseat } = await loggedIn(network(), 'alice');
    const got = recorder(onseat.login, ['onLoginExpired']);
    net.responders.set('session.hello', () => fail(70001, 'USER_SIG_EXPIRED', 'expired'));
    net.last.drop(1006);
    await until(
      (cb) => (onseat.login.subscribeEvent('onLoginExpired', cb), () => onseat.login.unsubscribeEvent('onLoginExpired', cb)),
      () => got.length === 1,
    );
    expect(got).toEqual([['onLoginExpired', { code: 70001, message: 'expired' }]]);
    expect(onseat.login.getSnapshot().loginStatus).toBe(LoginStatus.UNKNOWN);
  });
});

describe('LiveListStore', () => {
  it('startLive maps StartLiveParams to live.start and sets currentLive', async () => {
    const { net, onseat } = await loggedIn(network(), 'host');
    net.responders.set('live.start', (p) => ok({ snapshot: { ...snapshotOf(String(p.liveId)) } }));
    await onseat.liveList.startLive({
      liveId: 'L9',
      liveName: 'Show',
      seatMode: TUISeatMode.kApplyToTake,
      seatTemplate: SeatLayoutTemplate.VideoDynamicGrid9Seats,
      isMessageDisableForAllUser: true,
      coverUrl: 'c',
    });
    expect(net.sentOf('live.start')[0]!.payload).toEqual({
      liveId: 'L9',
      liveName: 'Show',
      seatMode: 2,
      seatTemplate: 600,
      isMessageDisable: true,
      coverUrl: 'c',
    });
    const live = onseat.liveList.getSnapshot().currentLive!;
    expect(live).toMatchObject({ liveId: 'L9', liveType: 0, liveDescription: '', seatTemplate: 600, customInfo: {} });
    expect(live.liveOwner).toEqual({ userId: 'host', userName: 'host-name', avatarUrl: 'https://a/host.png', customInfo: {} });
  });

  it('createLive is startLive; a layout preset with updateLiveInfo before going live is used', async () => {
    const { net, onseat } = await loggedIn(network(), 'host');
    expect(onseat.liveList.getSnapshot().currentLive).toBeNull();
    await onseat.liveList.updateLiveInfo({ layoutTemplate: 801, liveName: 'pre' });
    expect(onseat.liveList.getSnapshot().currentLive).toMatchObject({ liveId: '', layoutTemplate: 801, liveName: 'pre' });
    expect(net.sentOf('live.update')).toHaveLength(0);
    net.responders.set('live.start', (p) => ok({ snapshot: snapshotOf(String(p.liveId)) }));
    await onseat.liveList.createLive({ liveId: 'L2', liveName: 'x' });
    expect(net.sentOf('live.start')[0]!.payload).toEqual({ liveId: 'L2', liveName: 'x', seatLayoutTemplateId: 801 });
  });

  it('leaveLive/endLive reset currentLive to an empty (truthy) LiveInfo; no events', async () => {
    for (const method of ['leaveLive', 'endLive'] as const) {
      const { net, onseat } = await inLive('alice');
      const got = recorder(onseat.liveList, ['onLiveEnded', 'onKickedOutOfLive']);
      net.responders.set(method === 'leaveLive' ? 'live.leave' : 'live.end', () => ok({}));
      await onseat.liveList[method]();
      const current = onseat.liveList.getSnapshot().currentLive;
      expect(current).toBeTruthy();
      expect(current!.liveId).toBe('');
      expect(got).toEqual([]);
    }
  });

  it('live.ended → currentLive null, then onLiveEnded {liveId, reason, message:""}', async () => {
    const { net, onseat } = await inLive('alice');
    let currentAtEvent: unknown = 'unset';
    onseat.liveList.subscribeEvent('onLiveEnded', () => (currentAtEvent = onseat.liveList.getSnapshot().currentLive));
    const got = recorder(onseat.liveList, ['onLiveEnded']);
    net.last.push(evt('live.ended', 'L1', nextSeq(), { liveId: 'L1', reason: 1 }));
    expect(got).toEqual([['onLiveEnded', { liveId: 'L1', reason: LiveEndedReason.endedByHost, message: '' }]]);
    expect(currentAtEvent).toBeNull();
  });

  it('live.kickedOut → currentLive null and onKickedOutOfLive', async () => {
    const { net, onseat } = await inLive('alice');
    const got = recorder(onseat.liveList, ['onKickedOutOfLive']);
    net.last.push(evt('live.kickedOut', 'L1', nextSeq(), { liveId: 'L1', reason: 0 }));
    expect(got).toEqual([['onKickedOutOfLive', { liveId: 'L1', reason: LiveKickedOutReason.byAdmin, message: '' }]]);
    expect(onseat.liveList.getSnapshot().currentLive).toBeNull();
  });

  it('follows live.infoChanged and audience.countChanged', async () => {
    const { net, onseat } = await inLive('alice');
    net.last.push(evt('live.infoChanged', 'L1', nextSeq(), { live: liveInfo('L1', 'host', { liveName: 'renamed' }) }));
    expect(onseat.liveList.getSnapshot().currentLive?.liveName).toBe('renamed');
    net.last.push(evt('audience.countChanged', 'L1', nextSeq(), { count: 42 }));
    expect(onseat.liveList.getSnapshot().currentLive?.currentViewerCount).toBe(42);
  });

  it('fetchLiveList replaces with cursor "" and appends de-duplicated otherwise; resolves undefined', async () => {
    const { net, onseat } = await loggedIn(network(), 'alice');
    const pages: Record<string, unknown> = {
      '': { lives: [liveInfo('A', 'h'), liveInfo('B', 'h')], cursor: 'p2' },
      p2: { lives: [liveInfo('B', 'h'), liveInfo('C', 'h')], cursor: '' },
    };
    net.responders.set('live.list', (p) => ok(pages[typeof p.cursor === 'string' ? p.cursor : '']));
    await expect(onseat.liveList.fetchLiveList()).resolves.toBeUndefined();
    expect(net.sentOf('live.list')[0]!.payload).toEqual({ count: 20 });
    expect(onseat.liveList.getSnapshot().liveListCursor).toBe('p2');
    await onseat.liveList.fetchLiveList({ cursor: 'p2', count: 5 });
    expect(onseat.liveList.getSnapshot().liveList.map((l) => l.liveId)).toEqual(['A', 'B', 'C']);
    expect(onseat.liveList.getSnapshot().liveListCursor).toBe('');
    await onseat.liveList.fetchLiveList({ cursor: '' });
    expect(onseat.liveList.getSnapshot().liveList.map((l) => l.liveId)).toEqual(['A', 'B']);
    onseat.liveList.reset();
    expect(onseat.liveList.getSnapshot()).toEqual({ liveList: [], liveListCursor: '', currentLive: null });
  });

  it('fetchLiveInfo returns the mapped LiveInfo', async () => {
    const { net, onseat } = await loggedIn(network(), 'alice');
    net.responders.set('live.info', (p) => ok({ live: liveInfo(String(p.liveId), 'h', { layoutTemplate: 0 }) }));
    const live = await onseat.liveList.fetchLiveInfo('Z');
    expect(live).toMatchObject({ liveId: 'Z', seatTemplate: 200, layoutTemplate: 0 });
  });

  it('updateLiveInfo in a live sends live.update and adopts the result', async () => {
    const { net, onseat } = await inLive('host', 0);
    net.responders.set('live.update', (p) => ok({ live: liveInfo('L1', 'host', { notice: String(p.notice) }) }));
    await onseat.liveList.updateLiveInfo({ notice: 'hi', isPublicVisible: false, seatTemplate: 600 });
    expect(net.sentOf('live.update')[0]!.payload).toEqual({ notice: 'hi', isPublicVisible: false, layoutTemplate: 600 });
    expect(onseat.liveList.getSnapshot().currentLive?.notice).toBe('hi');
  });

  it('queryMetaData / updateLiveMetaData use the metadata requests', async () => {
    const { net, onseat } = await inLive('host', 0);
    net.responders.set('live.getMetadata', () => ok({ metadata: { a: '1' } }));
    net.responders.set('live.setMetadata', () => ok({}));
    await expect(onseat.liveList.queryMetaData({ keys: ['a'] })).resolves.toEqual({ a: '1' });
    expect(net.sentOf('live.getMetadata')[0]!.payload).toEqual({ keys: ['a'] });
    await onseat.liveList.updateLiveMetaData({ metaData: JSON.stringify({ a: '2', n: 5, gone: '' }) });
    expect(net.sentOf('live.setMetadata')[0]!.payload).toEqual({ metadata: { a: '2', n: '5', gone: '' } });
    await expect(onseat.liveList.updateLiveMetaData({ metaData: '[1]' })).rejects.toMatchObject({ code: -1001 });
    await expect(onseat.liveList.updateLiveMetaData({ metaData: '{' })).rejects.toMatchObject({ code: -1001 });
  });
});

function snapshotOf(liveId: string) {
  return {
    seq: 1,
    live: liveInfo(liveId, 'host', { layoutTemplate: 600 }),
    seats: [],
    applications: [],
    invitations: [],
    self: { userId: 'host', role: 0 },
    audienceCount: 1,
    metadata: {},
  };
}
