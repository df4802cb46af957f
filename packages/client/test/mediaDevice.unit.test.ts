import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '@onseat/protocol';
import { DeviceError, DeviceStatus, type OnseatClient } from '../src/index.js';
import { evt, fail, FakeNetwork, ok, until } from './support/fakeNetwork.js';
import { mediaClient, type FakeMediaEnv, type FakeTrack } from './support/mediaFakes.js';
import { nextSeq } from './support/storeHarness.js';
import { application, invitation, seat, seats, seatUser, snapshot, user } from './support/wire.js';

interface H {
  net: FakeNetwork;
  fake: FakeMediaEnv;
  onseat: OnseatClient;
}
const open: OnseatClient[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.login.logout();
});

async function harness(userId = 'alice'): Promise<H> {
  const h = await mediaClient(userId);
  open.push(h.onseat);
  return h;
}

/** Joined L1; `seated` puts alice on seat 1 (with `extra` seat fields). */
async function joined(seated: boolean, extra: Parameters<typeof seat>[2] = {}, user: Parameters<typeof seatUser>[1] = {}): Promise<H> {
  const h = await harness();
  const list = seats(4, 'host');
  if (seated) list[1] = seat(1, seatUser('alice', user), extra);
  const snap: LiveSnapshot = snapshot('L1', 'host', { userId: 'alice', role: 2 }, { seats: list });
  h.net.responders.set('live.join', () => ok({ snapshot: snap }));
  await h.onseat.liveList.joinLive({ liveId: 'L1' });
  return h;
}

const dev = (h: H) => h.onseat.device.getSnapshot();
const sender = (h: H, kind: 'audio' | 'video') =>
  h.fake.publishPc?.transceivers.find((t) => t.kind === kind)?.sender as
    | { track: FakeTrack | null; params: { encodings: { rid?: string; maxBitrate?: number; scaleResolutionDownBy?: number; active?: boolean }[] } }
    | undefined;

describe('DeviceStore', () => {
  it('refuses to open while not seated (-2361 / -2371) without capturing anything', async () => {
    const h = await joined(false);
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: -2361 });
    await expect(h.onseat.device.openLocalCamera()).rejects.toMatchObject({ code: -2371 });
    await expect(h.onseat.device.startScreenShare()).rejects.toMatchObject({ code: -2373 });
    expect(h.fake.captures).toHaveLength(0);
    expect(h.net.sentOf('media.publish')).toHaveLength(0);
    expect([dev(h).microphoneStatus, dev(h).cameraStatus, dev(h).screenStatus]).toEqual([0, 0, 0]);
    expect(dev(h).microphoneLastError).toBe(DeviceError.NoError);
  });

  it('refuses with -2360 / -2370 when an admin closed the device', async () => {
    const h = await joined(true, { isVideoLocked: true }, { allowOpenMicrophone: false });
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: -2360 });
    await expect(h.onseat.device.openLocalCamera()).rejects.toMatchObject({ code: -2370 });
    expect(h.fake.captures).toHaveLength(0);
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.Off);
  });

  it('turns the microphone On only after media.publish is answered and the transport connects', async () => {
    const h = await joined(true);
    h.net.responders.delete('media.publish');
    const opening = h.onseat.device.openLocalMicrophone();
    const [socket, frame] = await h.net.next('media.publish');
    expect(h.fake.captures.map((c) => c.kind)).toEqual(['audio']);
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.Off);
    expect(dev(h).localStream?.getAudioTracks()).toHaveLength(1);
    socket.reply(frame, ok({ sdp: 'fake answer' }));
    await opening;
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.On);
    expect(h.fake.publishPc?.connectionState).toBe('connected');
    expect(h.net.sentOf('seat.reportDevice').map((f) => f.payload)).toEqual([{ microphone: 1 }]);
  });

  it('stays Off and stops the track when the transport never connects', async () => {
    const h = await joined(true);
    h.fake.connect = 'never';
    await expect(h.onseat.device.openLocalCamera()).rejects.toMatchObject({ code: -1 });
    expect(dev(h).cameraStatus).toBe(DeviceStatus.Off);
    expect(h.fake.captures[0]?.track.readyState).toBe('ended');
    expect(dev(h).localStream).toBeNull();
  });

  it('passes the server refusal through, stops the track and leaves the status Off', async () => {
    const h = await joined(true);
    h.net.responders.set('media.publish', () => fail(-2361, 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN'));
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: -2361 });
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.Off);
    expect(h.fake.captures[0]?.track.readyState).toBe('ended');
    expect(h.net.sentOf('seat.reportDevice')).toHaveLength(0);
  });

  it.each([
    ['NotAllowedError', DeviceError.NoSystemPermission, -1105, -1101],
    ['NotFoundError', DeviceError.NoDeviceDetected, -1107, -1103],
    ['NotReadableError', DeviceError.OccupiedError, -1106, -1102],
    ['WeirdError', DeviceError.UnknownError, -1104, -1100],
  ])('maps getUserMedia %s to DeviceError %i', async (name, error, micCode, camCode) => {
    const h = await joined(true);
    h.fake.failures.push(name, name);
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: micCode });
    await expect(h.onseat.device.openLocalCamera()).rejects.toMatchObject({ code: camCode });
    expect([dev(h).microphoneLastError, dev(h).cameraLastError]).toEqual([error, error]);
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.Off);
    await h.onseat.device.openLocalMicrophone();
    expect(dev(h).microphoneLastError).toBe(DeviceError.NoError);
  });

  it('a microphone and a camera opened together are offered in one media.publish; both turn On', async () => {
    const h = await joined(true);
    await Promise.all([h.onseat.device.openLocalMicrophone(), h.onseat.device.openLocalCamera()]);
    expect(h.net.sentOf('media.publish')).toHaveLength(1);
    expect(h.fake.captures.map((c) => c.kind)).toEqual(['audio', 'video']);
    expect(sender(h, 'audio')?.track).toBe(h.fake.captures[0]?.track);
    expect(sender(h, 'video')?.track).toBe(h.fake.captures[1]?.track);
    expect([dev(h).microphoneStatus, dev(h).cameraStatus]).toEqual([DeviceStatus.On, DeviceStatus.On]);
    expect(h.net.sentOf('seat.reportDevice').map((f) => f.payload)).toEqual(expect.arrayContaining([{ microphone: 1 }, { camera: 1 }]));
  });

  it('opened together: a camera closed before the offer is answered ends Off and unsent; a refused offer fails both', async () => {
    const h = await joined(true);
    h.net.responders.delete('media.publish');
    const mic = h.onseat.device.openLocalMicrophone();
    const cam = h.onseat.device.openLocalCamera();
    const [socket, frame] = await h.net.next('media.publish');
    const closing = h.onseat.device.closeLocalCamera();
    h.net.responders.set('media.publish', () => ok({ sdp: 'fake answer' }));
    socket.reply(frame, ok({ sdp: 'fake answer' }));
    await mic;
    await cam;
    await closing;
    expect(sender(h, 'video')?.track).toBeNull();
    expect([dev(h).microphoneStatus, dev(h).cameraStatus]).toEqual([DeviceStatus.On, DeviceStatus.Off]);
    expect(h.fake.captures[1]?.track.readyState).toBe('ended');
    expect(h.net.sentOf('media.publish')).toHaveLength(2); // both together, then the camera taken off

    const h2 = await joined(true);
    h2.net.responders.set('media.publish', () => fail(-2361, 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN'));
    const both = await Promise.allSettled([h2.onseat.device.openLocalMicrophone(), h2.onseat.device.openLocalCamera()]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect([dev(h2).microphoneStatus, dev(h2).cameraStatus]).toEqual([DeviceStatus.Off, DeviceStatus.Off]);
  });

  it('close sets Off at once, stops the track and stops sending it', async () => {
    const h = await joined(true);
    await h.onseat.device.openLocalMicrophone();
    await h.onseat.device.openLocalCamera();
    const closing = h.onseat.device.closeLocalMicrophone();
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.Off);
    await closing;
    expect(h.fake.captures[0]?.track.readyState).toBe('ended');
    expect(sender(h, 'audio')?.track).toBeNull();
    expect(sender(h, 'video')?.track).toBe(h.fake.captures[1]?.track);
    expect(dev(h).cameraStatus).toBe(DeviceStatus.On);
    expect(h.net.sentOf('seat.reportDevice').map((f) => f.payload)).toEqual([{ microphone: 1 }, { camera: 1 }, { microphone: 0 }]);
  });

  it('media.publishRevoked turns the kind Off; the seat store alone emits the admin event', async () => {
    const h = await joined(true);
    await h.onseat.device.openLocalMicrophone();
    await h.onseat.device.openLocalCamera();
    const events: string[] = [];
    h.onseat.liveSeat.subscribeEvent('onLocalMicrophoneClosedByAdmin', () => events.push('closed'));
    const list = seats(4, 'host');
    list[1] = seat(1, seatUser('alice', { allowOpenMicrophone: false }));
    h.net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: list }));
    h.net.last.push(evt('media.publishRevoked', 'L1', 0, { kind: 'audio', code: -2360, message: 'closed by admin' }));
    await until(
      (cb) => h.onseat.device.subscribe(cb),
      () => dev(h).microphoneStatus === DeviceStatus.Off,
    );
    expect(h.fake.captures[0]?.track.readyState).toBe('ended');
    expect(dev(h).cameraStatus).toBe(DeviceStatus.On);
    expect(events).toEqual(['closed']);
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: -2360 });
  });

  it('lists devices, picks the first, and refreshes on devicechange (empty list → NoDeviceDetected)', async () => {
    const h = await harness();
    await h.onseat.device.getMicrophoneList();
    await h.onseat.device.getCameraList();
    await h.onseat.device.getSpeakerList();
    expect(dev(h).microphoneList).toEqual([
      { deviceId: 'mic1', deviceName: 'Mic One' },
      { deviceId: 'mic2', deviceName: 'Mic Two' },
    ]);
    expect(dev(h).currentMicrophone?.deviceId).toBe('mic1');
    expect(dev(h).currentCamera?.deviceId).toBe('cam1');
    expect(dev(h).currentSpeaker?.deviceId).toBe('spk1');
    h.fake.plug([{ kind: 'audioinput', deviceId: 'mic2', label: '' }]);
    await until(
      (cb) => h.onseat.device.subscribe(cb),
      () => dev(h).cameraList.length === 0,
    );
    expect(dev(h).cameraLastError).toBe(DeviceError.NoDeviceDetected);
    expect(dev(h).microphoneList).toEqual([{ deviceId: 'mic2', deviceName: 'Microphone 1' }]);
    expect(dev(h).currentMicrophone?.deviceId).toBe('mic2');
    expect(dev(h).microphoneLastError).toBe(DeviceError.NoError);
  });

  it('captureVolume puts a gain in front of the sent microphone, keeps it across a device switch, and 100 removes it', async () => {
    const h = await joined(true);
    await h.onseat.device.getMicrophoneList();
    await h.onseat.device.openLocalMicrophone();
    const publishes = h.net.sentOf('media.publish').length;
    const raw = h.fake.captures[0]!.track;
    expect(sender(h, 'audio')?.track).toBe(raw);
    await h.onseat.device.setCaptureVolume(50);
    const stage = h.fake.gainStages[0]!;
    expect([stage.input, stage.gain]).toEqual([raw, 0.5]);
    expect(sender(h, 'audio')?.track).toBe(stage.track);
    await h.onseat.device.setCaptureVolume(20);
    expect([h.fake.gainStages.length, stage.gain]).toEqual([1, 0.2]);
    await h.onseat.device.setCurrentMicrophone({ deviceId: 'mic2' });
    const next = h.fake.gainStages[1]!;
    expect([next.input, next.gain, stage.closed]).toEqual([h.fake.captures[1]!.track, 0.2, true]);
    expect(sender(h, 'audio')?.track).toBe(next.track);
    await h.onseat.device.setCaptureVolume(100);
    expect(next.closed).toBe(true);
    expect(sender(h, 'audio')?.track).toBe(h.fake.captures[1]!.track);
    expect(h.net.sentOf('media.publish')).toHaveLength(publishes); // never renegotiated
    expect(dev(h).captureVolume).toBe(100);
  });

  it('switches the microphone on the live sender without renegotiating', async () => {
    const h = await joined(true);
    await h.onseat.device.getMicrophoneList();
    await h.onseat.device.openLocalMicrophone();
    const publishes = h.net.sentOf('media.publish').length;
    await h.onseat.device.setCurrentMicrophone({ deviceId: 'mic2' });
    expect(h.fake.captures.map((c) => c.constraints)).toEqual([{ deviceId: { exact: 'mic1' } }, { deviceId: { exact: 'mic2' } }]);
    expect(sender(h, 'audio')?.track).toBe(h.fake.captures[1]?.track);
    expect(h.fake.captures[0]?.track.readyState).toBe('ended');
    expect(h.net.sentOf('media.publish')).toHaveLength(publishes);
    expect(dev(h).currentMicrophone).toEqual({ deviceId: 'mic2', deviceName: 'Mic Two' });
  });

  it('updateVideoQuality applies the capture size and the bitrates of the three simulcast layers', async () => {
    const h = await joined(true);
    await h.onseat.device.openLocalCamera();
    const layers = () => sender(h, 'video')?.params.encodings.map((e) => [e.rid, e.scaleResolutionDownBy, e.maxBitrate, e.active]);
    expect(layers()).toEqual([
      ['q', 4, 150_000, true],
      ['h', 2, 450_000, true],
      ['f', 1, 1_500_000, true],
    ]);
    await h.onseat.device.updateVideoQuality({ quality: 4 });
    expect(dev(h).localVideoQuality).toBe(4);
    expect(h.fake.captures[0]?.track.constraints.at(-1)).toMatchObject({ width: { ideal: 1920 }, height: { ideal: 1080 } });
    expect(layers()).toEqual([
      ['q', 4, 250_000, true],
      ['h', 2, 750_000, true],
      ['f', 1, 2_500_000, true],
    ]);
    // 360p: a quarter (90 px) is too small to send.
    await h.onseat.device.updateVideoQuality({ quality: 1 });
    expect(layers()).toEqual([
      ['q', 4, 50_000, false],
      ['h', 2, 150_000, true],
      ['f', 1, 500_000, true],
    ]);
  });

  it('screen share replaces the camera while it lasts; the browser stop button ends it', async () => {
    const h = await joined(true);
    await h.onseat.device.openLocalCamera();
    await h.onseat.device.startScreenShare();
    const [cam, screen] = h.fake.captures;
    expect(screen?.kind).toBe('screen');
    expect(dev(h).screenStatus).toBe(DeviceStatus.On);
    expect(sender(h, 'video')?.track).toBe(screen?.track);
    screen?.track.endFromBrowser();
    expect(dev(h).screenStatus).toBe(DeviceStatus.Off);
    await h.onseat.device.stopScreenShare(); // queued after the close the browser's stop started: both done now
    expect(dev(h).localStream?.getVideoTracks()[0]).toBe(cam?.track);
    expect(sender(h, 'video')?.track).toBe(cam?.track);
    expect(dev(h).cameraStatus).toBe(DeviceStatus.On);
  });

  it('opening before entering a live is refused like not seated (entering opens nothing)', async () => {
    const h = await harness('host');
    await expect(h.onseat.device.openLocalCamera()).rejects.toMatchObject({ code: -2371 });
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: -2361 });
    h.net.responders.set('live.start', () => ok({ snapshot: snapshot('L1', 'host', { userId: 'host', role: 0 }) }));
    await h.onseat.liveList.startLive({ liveId: 'L1' });
    expect(h.fake.captures).toHaveLength(0);
    expect(h.net.sentOf('media.publish')).toHaveLength(0);
    await h.onseat.device.openLocalCamera();
    expect(dev(h).cameraStatus).toBe(DeviceStatus.On);
  });

  it('leaving the live closes everything', async () => {
    const h = await joined(true);
    await h.onseat.device.openLocalMicrophone();
    await h.onseat.liveList.leaveLive();
    expect(dev(h).microphoneStatus).toBe(DeviceStatus.Off);
    expect(dev(h).localStream).toBeNull();
    expect(h.fake.captures[0]?.track.readyState).toBe('ended');
    expect(h.fake.pcs.every((pc) => pc.closed)).toBe(true);
  });
});

describe('publish transport prepared ahead', () => {
  /** For conditions no store notifies about (frames sent, transports closed): checked every 2 ms. */
  const polling = (cb: () => void) => {
    const timer = setInterval(cb, 2);
    return () => clearInterval(timer);
  };
  const extraPcs = (h: H, before: number) => h.fake.pcs.slice(before);
  /** Alice applies; resolves once her prepared transport has been offered. Returns how many transports existed before. */
  const applied = async (h: H): Promise<number> => {
    h.net.responders.set('coGuest.apply', () => ok({ application: application('r1', 'alice') }));
    const before = h.fake.pcs.length;
    await h.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    await until(polling, () => h.net.sentOf('media.publish').length === 1);
    return before;
  };
  /** The host answers alice's application (a seat list with her on seat 1 first, when accepted). */
  const responded = async (h: H, isAccept: boolean): Promise<void> => {
    if (isAccept) {
      const list = seats(4, 'host');
      list[1] = seat(1, seatUser('alice'));
      h.net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: list }));
    }
    h.net.last.push(
      evt('coGuest.applicationResponded', 'L1', nextSeq(), {
        application: application('r1', 'alice'),
        isAccept,
        hostUser: user('host'),
        seatIndex: isAccept ? 1 : -1,
      }),
    );
    await until(
      (cb) => h.onseat.coGuest.subscribe(cb),
      () => h.onseat.coGuest.getSnapshot().applicants.length === 0,
    );
  };

  it("an applicant's publish transport is connected while it applies (nothing sent) and is the one the first publish uses", async () => {
    const h = await joined(false);
    const before = await applied(h);
    const [warm, ...more] = extraPcs(h, before);
    expect(more).toHaveLength(0);
    expect(warm?.config.iceCandidatePoolSize).toBe(1);
    // Offered with audio and video inactive: the server answers it without a seat, ICE and DTLS come up.
    expect(h.net.sentOf('media.publish')[0]?.payload).toEqual({ sdp: 'fake 0:audio:inactive,1:video:inactive' });
    // (applied() returns once the offer is sent; the answer is applied a moment later)
    await until(polling, () => warm?.signalingState === 'stable');

    await responded(h, true);
    await Promise.all([h.onseat.device.openLocalMicrophone(), h.onseat.device.openLocalCamera()]);
    expect(h.fake.publishPc).toBe(warm);
    expect(extraPcs(h, before)).toHaveLength(1);
    expect(warm?.closed).toBe(false);
    // The accept only renegotiated the same transceivers, now sending.
    expect(h.net.sentOf('media.publish').map((f) => f.payload)).toEqual([
      { sdp: 'fake 0:audio:inactive,1:video:inactive' },
      { sdp: 'fake 0:audio:sendonly,1:video:sendonly' },
    ]);
  });

  it('a rejected application closes the prepared transport; an invitation prepares one; leaving closes it', async () => {
    const h = await joined(false);
    const before = await applied(h);
    const [warm] = extraPcs(h, before);
    await responded(h, false);
    await until(polling, () => h.net.sentOf('media.unpublish').length === 1);
    expect(warm?.closed).toBe(true);

    h.net.last.push(evt('coGuest.invitationReceived', 'L1', nextSeq(), { invitation: invitation('r2', 'host', 'alice') }));
    await until(
      (cb) => h.onseat.coGuest.subscribe(cb),
      () => h.onseat.coGuest.getSnapshot().invitees.length === 1,
    );
    await until(polling, () => h.net.sentOf('media.publish').length === 2);
    const invited = extraPcs(h, before)[1];
    expect(invited?.config.iceCandidatePoolSize).toBe(1);
    expect(invited?.closed).toBe(false);
    await h.onseat.liveList.leaveLive();
    expect(invited?.closed).toBe(true);
  });

  it('a refused publish on the prepared transport leaves it prepared: the rejection still closes and unpublishes it', async () => {
    const h = await joined(false);
    const before = await applied(h);
    h.net.responders.set('media.publish', () => fail(-2361, 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN'));
    await expect(h.onseat.device.openLocalMicrophone()).rejects.toMatchObject({ code: -2361 });
    const warm = h.fake.pcs[before];
    expect(warm?.transceivers.map((t) => t.direction)).toEqual(['inactive', 'inactive']);
    await responded(h, false);
    await until(polling, () => h.net.sentOf('media.unpublish').length === 1);
    expect(warm?.closed).toBe(true);
  });

  it('a seated user who has not published keeps a gathered transport, not a negotiated one', async () => {
    const h = await joined(false);
    const before = h.fake.pcs.length;
    const list = seats(4, 'host');
    list[1] = seat(1, seatUser('alice'));
    h.net.last.push(evt('seat.listChanged', 'L1', nextSeq(), { seats: list }));
    await until(
      (cb) => h.onseat.coGuest.subscribe(cb),
      () => h.onseat.coGuest.getSnapshot().connected.some((u) => u.userId === 'alice'),
    );
    const [warm, ...more] = extraPcs(h, before);
    expect(more).toHaveLength(0);
    expect(warm?.transceivers).toHaveLength(0);
    expect(h.net.sentOf('media.publish')).toHaveLength(0);
  });

  it('a prepared transport that cannot be negotiated is dropped and the first publish opens a new one', async () => {
    const h = await joined(false);
    h.net.responders.set('coGuest.apply', () => ok({ application: application('r1', 'alice') }));
    h.net.responders.set('media.publish', () => fail(-1, 'FAILED', 'refused'));
    const before = h.fake.pcs.length;
    await h.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    await until(polling, () => h.fake.pcs[before]?.closed === true);
    h.net.responders.set('media.publish', () => ok({ sdp: 'fake answer' }));
    await responded(h, true);
    await h.onseat.device.openLocalMicrophone();
    expect(h.fake.publishPc).not.toBe(h.fake.pcs[before]);
    expect(h.fake.publishPc?.closed).toBe(false);
    expect(h.net.sentOf('media.publish').at(-1)?.payload).toEqual({ sdp: 'fake 0:audio:sendonly' });
  });

  it('an audience member who neither applies nor is invited gets no publish transport', async () => {
    const h = await joined(false);
    await until(
      (cb) => h.onseat.remoteMedia.subscribe(cb),
      () => h.net.sentOf('media.subscribe').length === 1,
    );
    expect(h.fake.pcs).toHaveLength(1); // the subscribe transport only
    expect(h.fake.pcs[0]?.config.iceCandidatePoolSize).toBe(1);
  });
});
