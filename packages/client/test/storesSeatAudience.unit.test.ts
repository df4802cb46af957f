import { describe, expect, it } from 'vitest';
import { DeviceControlPolicy, MoveSeatPolicy } from '../src/index.js';
import { evt, ok, until } from './support/fakeNetwork.js';
import { inLive, nextSeq, recorder } from './support/storeHarness.js';
import { audience, liveInfo, seat, seats, seatUser, snapshot } from './support/wire.js';

const seatEvents = ['onLocalCameraOpenedByAdmin', 'onLocalCameraClosedByAdmin', 'onLocalMicrophoneOpenedByAdmin', 'onLocalMicrophoneClosedByAdmin'];

describe('LiveSeatStore', () => {
  it('maps the wire seat list to the AtomicX v6 shape (every seat, empty seat userId "")', async () => {
    const { onseat } = await inLive('alice');
    const { seatList, canvas, speakingUsers } = onseat.liveSeat.getSnapshot();
    expect(seatList).toHaveLength(4);
    expect(seatList[0]!.userInfo).toEqual({
      userId: 'host',
      userName: 'host-name',
      avatarUrl: 'https://a/host.png',
      liveId: 'L1',
      role: 0,
      microphoneStatus: 0,
      cameraStatus: 0,
      allowOpenMicrophone: true,
      allowOpenCamera: true,
      onSeatTimestamp: 1000,
      userSuspendStatus: 0,
      customInfo: {},
    });
    expect(seatList[1]).toEqual({
      index: 1,
      isLocked: false,
      isAudioLocked: false,
      isVideoLocked: false,
      userInfo: {
        userId: '',
        userName: '',
        avatarUrl: '',
        liveId: 'L1',
        role: 2,
        microphoneStatus: 0,
        cameraStatus: 0,
        allowOpenMicrophone: true,
        allowOpenCamera: true,
        onSeatTimestamp: 0,
        userSuspendStatus: 0,
        customInfo: {},
      },
    });
    expect(canvas).toEqual({ width: 1080, height: 1920, background: '#000000' });
    expect(speakingUsers.size).toBe(0);
  });

  it('keeps the snapshot identity when nothing changed, and clears on leaving', async () => {
    const { net, onseat } = await inLive('alice');
    const before = onseat.liveSeat.getSnapshot();
    net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: seats(4, 'host') }));
    expect(onseat.liveSeat.getSnapshot()).toBe(before);
    net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: seats(4, 'host', { 2: 'bob' }) }));
    const after = onseat.liveSeat.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.seatList[0]).toBe(before.seatList[0]);
    expect(Object.isFrozen(after.seatList[2]!.userInfo)).toBe(true);
    net.responders.set('live.leave', () => ok({}));
    await onseat.liveList.leaveLive();
    expect(onseat.liveSeat.getSnapshot().seatList).toEqual([]);
  });

  it('emits the admin device events by diffing the local seat (first list silent)', async () => {
    const me = (extra: Parameters<typeof seat>[2] = {}, user: Parameters<typeof seatUser>[1] = {}) => [
      seat(0, seatUser('host', { role: 0 })),
      seat(1, seatUser('alice', user), extra),
    ];
    const { net, onseat } = await inLive('alice', 2, snapshot('L1', 'host', { userId: 'alice', role: 2 }, { seats: me({ isAudioLocked: true }) }));
    const got = recorder(onseat.liveSeat, seatEvents);
    const push = (s: ReturnType<typeof me>) => net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: s }));
    expect(got).toEqual([]);
    push(me({ isAudioLocked: false }));
    push(me({ isVideoLocked: true }));
    push(me({}, { allowOpenMicrophone: false }));
    push(me({}, { allowOpenMicrophone: true }));
    push([seat(0, seatUser('host', { role: 0 })), seat(1)]); // left the seat: nothing to diff
    push(me({ isVideoLocked: true }));
    expect(got).toEqual([
      ['onLocalMicrophoneOpenedByAdmin', { policy: DeviceControlPolicy.UnlockOnly }],
      ['onLocalCameraClosedByAdmin', undefined],
      ['onLocalCameraOpenedByAdmin', { policy: 1 }],
      ['onLocalMicrophoneClosedByAdmin', undefined],
      ['onLocalMicrophoneOpenedByAdmin', { policy: 1 }],
    ]);
  });

  it('sends the seat requests; kick/move are no-ops for users not seated', async () => {
    const { net, onseat } = await inLive('host', 0, snapshot('L1', 'host', { userId: 'host', role: 0 }, { seats: seats(4, 'host', { 1: 'bob' }) }));
    for (const t of [
      'seat.take',
      'seat.leave',
      'seat.lock',
      'seat.unlock',
      'seat.kick',
      'seat.move',
      'seat.openRemoteDevice',
      'seat.closeRemoteDevice',
    ]) {
      net.responders.set(t, () => ok(t === 'seat.take' ? { seatIndex: 2 } : {}));
    }
    const s = onseat.liveSeat;
    await s.takeSeat({ seatIndex: 2 });
    await s.leaveSeat();
    await s.lockSeat({ seatIndex: 3 });
    await s.unlockSeat({ seatIndex: 3 });
    await s.unLockSeat({ seatIndex: 2 });
    await s.kickUserOutOfSeat({ userId: 'nobody' });
    await s.moveUserToSeat({ userId: 'nobody', targetIndex: 2, policy: MoveSeatPolicy.SwapPosition });
    await s.kickUserOutOfSeat({ userId: 'bob' });
    await s.moveUserToSeat({ userId: 'bob', targetIndex: 3, policy: MoveSeatPolicy.ForceReplace });
    await s.openRemoteCamera({ userId: 'bob', policy: DeviceControlPolicy.UnlockOnly });
    await s.openRemoteMicrophone({ userId: 'bob', policy: DeviceControlPolicy.UnlockOnly });
    await s.closeRemoteCamera({ userId: 'bob' });
    await s.closeRemoteMicrophone({ userId: 'bob' });
    const sent = net.last.sent.filter((f) => f.type.startsWith('seat.')).map((f) => [f.type, f.payload]);
    expect(sent).toEqual([
      ['seat.take', { seatIndex: 2 }],
      ['seat.leave', {}],
      ['seat.lock', { seatIndex: 3 }],
      ['seat.unlock', { seatIndex: 3 }],
      ['seat.unlock', { seatIndex: 2 }],
      ['seat.kick', { userId: 'bob' }],
      ['seat.move', { userId: 'bob', targetIndex: 3, policy: 1 }],
      ['seat.openRemoteDevice', { userId: 'bob', device: 'camera', policy: 1 }],
      ['seat.openRemoteDevice', { userId: 'bob', device: 'microphone', policy: 1 }],
      ['seat.closeRemoteDevice', { userId: 'bob', device: 'camera' }],
      ['seat.closeRemoteDevice', { userId: 'bob', device: 'microphone' }],
    ]);
  });

  it('speakingUsers follows media.audioLevels (audible users only)', async () => {
    const { net, onseat } = await inLive('alice');
    net.last.push(
      evt('media.audioLevels', 'L1', 0, {
        levels: [
          { userId: 'host', level: 40 },
          { userId: 'bob', level: 0 },
        ],
      }),
    );
    expect([...onseat.liveSeat.getSnapshot().speakingUsers]).toEqual([['host', 40]]);
  });

  it('landscape template gives a landscape canvas; infoChanged updates it', async () => {
    const snap = snapshot('L1', 'host', { userId: 'alice', role: 2 }, { live: liveInfo('L1', 'host', { layoutTemplate: 200 }) });
    const { net, onseat } = await inLive('alice', 2, snap);
    expect(onseat.liveSeat.getSnapshot().canvas).toEqual({ width: 1920, height: 1080, background: '#000000' });
    net.last.push(evt('live.infoChanged', 'L1', nextSeq(), { live: liveInfo('L1', 'host', { layoutTemplate: 800 }) }));
    expect(onseat.liveSeat.getSnapshot().canvas.width).toBe(1080);
  });
});

describe('LiveAudienceStore', () => {
  it('fetches the audience on entering (owner excluded) and follows joins, leaves, roles and counts', async () => {
    const { net, onseat } = await inLive('alice');
    const store = onseat.liveAudience;
    await until(
      (cb) => store.subscribe(cb),
      () => store.getSnapshot().audienceList.length > 0,
    );
    expect(store.getSnapshot()).toEqual({
      audienceList: [
        {
          userId: 'bob',
          userName: 'bob-name',
          avatarUrl: 'https://a/bob.png',
          customInfo: {},
          userRole: 2,
          isMessageDisabled: false,
          joinedTimestamp: 1000,
        },
      ],
      audienceCount: 1,
      messageBannedUserList: [],
    });
    const got = recorder(store, ['onAudienceJoined', 'onAudienceLeft']);
    net.last.push(evt('audience.joined', 'L1', nextSeq(), { user: audience('carol') }));
    net.last.push(evt('audience.roleChanged', 'L1', nextSeq(), { user: audience('carol', 1) }));
    net.last.push(evt('audience.left', 'L1', nextSeq(), { user: audience('bob') }));
    net.last.push(evt('audience.countChanged', 'L1', nextSeq(), { count: 7 }));
    expect(store.getSnapshot().audienceList.map((a) => [a.userId, a.userRole])).toEqual([['carol', 1]]);
    expect(store.getSnapshot().audienceCount).toBe(7);
    expect(got.map(([n, p]) => [n, (p as { audience: { userId: string } }).audience.userId])).toEqual([
      ['onAudienceJoined', 'carol'],
      ['onAudienceLeft', 'bob'],
    ]);
    expect(got[0]![1]).toMatchObject({ audience: { userId: 'carol', userName: 'carol-name', userRole: 2 } });
  });

  it('sends the member requests (kickUserOutOfLive is kickUserOutOfRoom)', async () => {
    const { net, onseat } = await inLive('host', 0);
    for (const t of ['audience.setAdministrator', 'audience.revokeAdministrator', 'audience.kick']) net.responders.set(t, () => ok({}));
    await onseat.liveAudience.setAdministrator({ userId: 'bob' });
    await onseat.liveAudience.revokeAdministrator({ userId: 'bob' });
    await onseat.liveAudience.kickUserOutOfRoom({ userId: 'bob' });
    await onseat.liveAudience.kickUserOutOfLive({ userId: 'carol' });
    const sent = net.last.sent.filter((f) => f.type.startsWith('audience.') && f.type !== 'audience.list');
    expect(sent.map((f) => [f.type, f.payload])).toEqual([
      ['audience.setAdministrator', { userId: 'bob' }],
      ['audience.revokeAdministrator', { userId: 'bob' }],
      ['audience.kick', { userId: 'bob' }],
      ['audience.kick', { userId: 'carol' }],
    ]);
  });
});
