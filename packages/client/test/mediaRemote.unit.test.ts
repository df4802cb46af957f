import { afterEach, describe, expect, it } from 'vitest';
import { DeviceStatus, type OnseatClient } from '../src/index.js';
import { evt, ok, until, type FakeNetwork } from './support/fakeNetwork.js';
import { mediaClient, type FakeMediaEnv } from './support/mediaFakes.js';
import { seat, seats, seatUser, snapshot } from './support/wire.js';

const open: OnseatClient[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.login.logout();
});

async function joined(): Promise<{ net: FakeNetwork; fake: FakeMediaEnv; onseat: OnseatClient }> {
  const { net, fake, onseat } = await mediaClient();
  open.push(onseat);
  net.responders.set('live.sync', () => ok({ mode: 'events', events: [] }));
  const list = seats(4, 'host');
  list[1] = seat(1, seatUser('alice'));
  net.responders.set('live.join', () => ok({ snapshot: snapshot('L1', 'host', { userId: 'alice', role: 2 }, { seats: list }) }));
  await onseat.liveList.joinLive({ liveId: 'L1' });
  return { net, fake, onseat };
}

const offer = (revision: number, tracks: [string, string, 'audio' | 'video'][]) =>
  evt('media.offer', 'L1', 0, {
    revision,
    sdp: `fake ${tracks.map(([mid, , kind]) => `${mid}:${kind}:sendonly`).join(',')}`,
    tracks: tracks.map(([mid, userId, kind]) => ({ mid, userId, kind })),
  });

describe('RemoteMediaStore', () => {
  it('subscribes on joinLive, answers offers, and exposes one stream per user with the live kinds', async () => {
    const { net, onseat } = await joined();
    const remote = onseat.remoteMedia;
    await until(
      (cb) => remote.subscribe(cb),
      () => remote.getSnapshot().subscribed,
    );
    expect(net.sentOf('media.subscribe')).toHaveLength(1);
    const changes: unknown[] = [];
    remote.subscribeEvent('onRemoteMediaChanged', (c) => changes.push(c));

    net.last.push(
      offer(1, [
        ['0', 'host', 'audio'],
        ['1', 'host', 'video'],
        ['2', 'bob', 'audio'],
      ]),
    );
    await until(
      (cb) => remote.subscribe(cb),
      () => remote.getSnapshot().users.size === 2,
    );
    expect(net.sentOf('media.answer').map((f) => f.payload['revision'])).toEqual([1]);
    const host = remote.getSnapshot().users.get('host');
    expect(host).toMatchObject({ hasAudio: true, hasVideo: true });
    expect(host?.stream.getTracks()).toEqual([host?.audioTrack, host?.videoTrack]);
    expect(remote.getSnapshot().users.get('bob')).toMatchObject({ hasAudio: true, hasVideo: false });
    expect(await remote.inboundStats()).toMatchObject({
      'host:video': { userId: 'host', kind: 'video', framesDecoded: 5 },
      'bob:audio': { packetsReceived: 10 },
    });

    // The host stops the camera; bob leaves: the host's stream object stays, bob is gone.
    net.last.push(offer(2, [['0', 'host', 'audio']]));
    await until(
      (cb) => remote.subscribe(cb),
      () => remote.getSnapshot().users.size === 1,
    );
    const after = remote.getSnapshot().users.get('host');
    expect(after).toMatchObject({ hasAudio: true, hasVideo: false, videoTrack: null });
    expect(after?.stream).toBe(host?.stream);
    expect(after?.stream.getTracks()).toEqual([host?.audioTrack]);
    expect(changes).toEqual([
      { userId: 'host', hasAudio: true, hasVideo: true },
      { userId: 'bob', hasAudio: true, hasVideo: false },
      { userId: 'host', hasAudio: true, hasVideo: false },
      { userId: 'bob', hasAudio: false, hasVideo: false },
    ]);
  });

  it('speaking users and your own mic volume come from media.audioLevels', async () => {
    const { net, onseat } = await joined();
    net.last.push(
      evt('media.audioLevels', 'L1', 0, {
        levels: [
          { userId: 'host', level: 40 },
          { userId: 'alice', level: 12 },
          { userId: 'bob', level: 0 },
        ],
      }),
    );
    expect([...onseat.remoteMedia.getSnapshot().speakingUsers]).toEqual([
      ['host', 40],
      ['alice', 12],
    ]);
    expect(onseat.device.getSnapshot().currentMicVolume).toBe(12);
    expect(onseat.liveSeat.getSnapshot().speakingUsers.get('host')).toBe(40);
  });

  /**
   * Microphone published and subscribed, then `replace` (a reconnect, media.moved): resolves once the media were
   * published and subscribed again (the re-publish ends with a second seat.reportDevice).
   */
  async function rebuiltAfter(replace: (net: FakeNetwork) => void) {
    const { net, fake, onseat } = await joined();
    await onseat.device.openLocalMicrophone();
    await until(
      (cb) => onseat.remoteMedia.subscribe(cb),
      () => onseat.remoteMedia.getSnapshot().subscribed,
    );
    const firstPc = fake.publishPc;
    const socket = net.last;
    const reported = new Promise<void>((resolve) => {
      net.responders.set('seat.reportDevice', () => {
        if (net.sentOf('seat.reportDevice').length === 2) resolve();
        return ok({});
      });
    });
    replace(net);
    await reported;
    await until(
      (cb) => onseat.remoteMedia.subscribe(cb),
      () => net.sentOf('media.subscribe').length === 2 && onseat.remoteMedia.getSnapshot().subscribed,
    );
    expect(net.sentOf('media.publish')).toHaveLength(2);
    expect(firstPc?.closed).toBe(true);
    expect(fake.publishPc).not.toBe(firstPc);
    expect(fake.publishPc?.transceivers[0]?.sender.track).toBe(fake.captures[0]?.track);
    expect(onseat.device.getSnapshot().microphoneStatus).toBe(DeviceStatus.On);
    return { net, socket };
  }

  it('after a reconnect it subscribes again and publishes what was open again', async () => {
    await rebuiltAfter((net) => net.last.drop(1006));
  });

  it('media.moved (the live got a new owner in a cluster): fresh transports at once on the same socket, what was open published again', async () => {
    const { net, socket } = await rebuiltAfter((n) => n.last.push(evt('media.moved', 'L1', 0, {})));
    expect(net.last).toBe(socket); // no reconnect
    expect(net.sentOf('live.sync')).toHaveLength(0);
  });

  it('two replacements back to back (a reconnect, then media.moved): the failure on the first new session leaves the microphone to the second', async () => {
    const { net, fake, onseat } = await joined();
    await onseat.device.openLocalMicrophone();
    const track = fake.captures[0]?.track;
    const published = () => net.sentOf('media.publish').length;
    const polled = async (cond: () => boolean) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(cond()).toBe(true);
    };
    expect(published()).toBe(1);
    const socket = net.last;
    // the first replacement's publish is answered, its transport not connected yet, when the second one comes
    fake.connect = 'never';
    socket.push(evt('media.moved', 'L1', 0, {}));
    await polled(() => published() === 2);
    socket.push(evt('media.moved', 'L1', 0, {}));
    fake.connect = 'auto';
    await polled(() => published() === 3 && onseat.device.getSnapshot().microphoneStatus === DeviceStatus.On);
    // the first new session's wait for its transport ends (closed) after the connect timeout (200 ms here)
    await new Promise((r) => setTimeout(r, 400));
    expect(onseat.device.getSnapshot().microphoneStatus).toBe(DeviceStatus.On);
    expect(track?.readyState).toBe('live');
    expect(fake.publishPc?.transceivers[0]?.sender.track).toBe(track);
  });

  it('leaving the live tears the receiving side down', async () => {
    const { net, fake, onseat } = await joined();
    net.last.push(offer(1, [['0', 'host', 'video']]));
    await until(
      (cb) => onseat.remoteMedia.subscribe(cb),
      () => onseat.remoteMedia.getSnapshot().users.size === 1,
    );
    await onseat.liveList.leaveLive();
    expect(onseat.remoteMedia.getSnapshot()).toMatchObject({ subscribed: false });
    expect(onseat.remoteMedia.getSnapshot().users.size).toBe(0);
    expect(fake.pcs.every((pc) => pc.closed)).toBe(true);
    expect(await onseat.remoteMedia.inboundStats()).toEqual({});
  });
});
