/**
 * useDeviceState over the client's DeviceStore against a real server with its werift SFU: capture is faked (werift
 * tracks from a fake getUserMedia), the peer connections are real werift ones, so a status turns On only when the
 * server accepted the publish and the transport connected. Refusals: not seated → -2361/-2371, closed by an admin →
 * -2360/-2370; capture failures → DeviceError + TRTC code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOnseat, DeviceError, DeviceStatus, MirrorType, TUIErrorCode, TUISeatMode, VideoQuality, type Onseat } from '../src/index.js';
import { instanceOptions, logoutAll, startServer, until, type TestServer } from './support/harness.js';
import { WeriftMedia } from './support/weriftMedia.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: number; name: string }) => `${e.code}:${e.name}`,
  );

let media: WeriftMedia[] = [];
afterEach(async () => {
  await Promise.all(media.map((m) => m.close()));
  media = [];
});
function withMedia(): WeriftMedia {
  const m = new WeriftMedia();
  media.push(m);
  return m;
}

describe('DeviceState: lists and settings', () => {
  it('lists devices, selects them, follows hot-plug and keeps the local settings', async () => {
    const m = withMedia();
    const d = createOnseat({ logger: {}, media: { env: m.env } }).useDeviceState();
    await d.getMicrophoneList();
    expect(d.microphoneList.value).toEqual([
      { deviceId: 'mic1', deviceName: 'Mic One' },
      { deviceId: 'mic2', deviceName: 'Mic Two' },
    ]);
    await d.getCameraList();
    expect(d.cameraList.value).toEqual([{ deviceId: 'cam1', deviceName: 'Cam One' }]);
    await d.getSpeakerList();
    expect(d.speakerList.value).toEqual([{ deviceId: 'spk1', deviceName: 'Speaker One' }]);
    expect(d.currentMicrophone.value?.deviceId).toBe('mic1');
    await d.setCurrentMicrophone({ deviceId: 'mic2' });
    expect(d.currentMicrophone.value?.deviceName).toBe('Mic Two');
    expect(await codeOf(d.setCurrentCamera({ deviceId: 'nope' }))).toBe(`${TUIErrorCode.ERR_INVALID_PARAMETER}:INVALID_PARAMETER`);

    m.plug([{ kind: 'videoinput', deviceId: 'cam9', label: 'New Cam' }]);
    await until(d.cameraList, (l) => l[0]?.deviceId === 'cam9', 'hot-plugged camera');
    expect(d.microphoneList.value).toEqual([]);
    expect(d.microphoneLastError.value).toBe(DeviceError.NoDeviceDetected);
    expect(d.currentCamera.value?.deviceName).toBe('New Cam');

    expect([d.microphoneStatus.value, d.cameraStatus.value, d.screenStatus.value]).toEqual([DeviceStatus.Off, DeviceStatus.Off, DeviceStatus.Off]);
    await d.setCaptureVolume(150);
    expect(d.captureVolume.value).toBe(100);
    await d.setOutputVolume(40);
    expect(d.outputVolume.value).toBe(40);
    await d.switchMirror({ mirror: MirrorType.Disable });
    expect(d.localMirrorType.value).toBe(MirrorType.Disable);
    await d.updateVideoQuality({ quality: VideoQuality.Quality1080P });
    expect(d.localVideoQuality.value).toBe(VideoQuality.Quality1080P);
    await d.switchCamera({ isFrontCamera: false });
    expect(d.isFrontCamera.value).toBe(false);
    await d.startMicrophoneTest({ interval: 10 });
    await until(d.testingMicVolume, (v) => v === 42, 'microphone test level');
    expect(d.isMicrophoneTesting.value).toBe(true);
    await d.stopMicrophoneTest();
    expect([d.isMicrophoneTesting.value, d.testingMicVolume.value]).toEqual([false, 0]);
    expect(await codeOf(d.stopCameraTest())).toBe('resolved');
  });

  it('outside a live nothing opens: -2361/-2371/-2373 and nothing is captured', async () => {
    const m = withMedia();
    const d = createOnseat({ logger: {}, media: { env: m.env } }).useDeviceState();
    expect(await codeOf(d.openLocalMicrophone())).toBe('-2361:OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN');
    expect(await codeOf(d.openLocalCamera())).toBe('-2371:OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN');
    expect(await codeOf(d.startScreenShare())).toBe('-2373:OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN');
    expect(m.captured).toHaveLength(0);
    expect(d.cameraStatus.value).toBe(DeviceStatus.Off);
    expect(await codeOf(d.closeLocalCamera())).toBe('resolved');
  });
});

describe('DeviceState in a live (real server, werift transports)', () => {
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

  async function user(userId: string): Promise<{ onseat: Onseat; m: WeriftMedia }> {
    const m = withMedia();
    const onseat = createOnseat(instanceOptions(ts, { media: { env: m.env, gatherTimeoutMs: 1000 } }));
    await onseat.useLoginState().login({ sdkAppId: ts.app.sdkAppId, userId, userSig: await ts.sig(userId) });
    users.push(onseat);
    return { onseat, m };
  }

  it('the owner publishes: statuses turn On only once publishing works, and the seat shows it', async () => {
    const { onseat: host } = await user('host');
    const { onseat: aud } = await user('aud1');
    await host.useLiveListState().startLive({ liveId: 'dev-live', seatTemplate: 600, seatMode: TUISeatMode.kFreeToTake });
    await aud.useLiveListState().joinLive({ liveId: 'dev-live' });
    const d = host.useDeviceState();
    const opening = d.openLocalMicrophone();
    expect(d.microphoneStatus.value).toBe(DeviceStatus.Off);
    await opening;
    expect(d.microphoneStatus.value).toBe(DeviceStatus.On);
    expect(d.microphoneLastError.value).toBe(DeviceError.NoError);
    await d.openLocalCamera();
    expect(d.cameraStatus.value).toBe(DeviceStatus.On);
    const seats = aud.useLiveSeatState().seatList;
    await until(
      seats,
      (l) => l.some((s) => s.userInfo.userId === 'host' && s.userInfo.microphoneStatus === 1 && s.userInfo.cameraStatus === 1),
      'host devices on at the viewer',
    );
    await until(
      () => aud.stores.remoteMedia.getSnapshot().users.get('host')?.hasVideo,
      (v) => v === true,
      'host video received',
      10_000,
    );

    await d.closeLocalCamera();
    expect(d.cameraStatus.value).toBe(DeviceStatus.Off);
    await until(seats, (l) => l.some((s) => s.userInfo.userId === 'host' && s.userInfo.cameraStatus === 0), 'host camera off at the viewer');
  });

  it('not seated → -2361/-2371 without capturing; seated → On; closed by the admin → Off and -2360/-2370', async () => {
    const { onseat: host } = await user('host');
    const { onseat: aud, m } = await user('aud1');
    await host.useLiveListState().startLive({ liveId: 'dev-live', seatTemplate: 600, seatMode: TUISeatMode.kFreeToTake });
    await aud.useLiveListState().joinLive({ liveId: 'dev-live' });
    const d = aud.useDeviceState();
    expect(await codeOf(d.openLocalMicrophone())).toBe(
      `${TUIErrorCode.ERR_OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN}:OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN`,
    );
    expect(await codeOf(d.openLocalCamera())).toBe(
      `${TUIErrorCode.ERR_OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN}:OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN`,
    );
    expect(m.captured).toHaveLength(0);
    expect([d.microphoneStatus.value, d.cameraStatus.value]).toEqual([DeviceStatus.Off, DeviceStatus.Off]);

    await aud.useLiveSeatState().takeSeat({ seatIndex: 1 });
    await until(aud.useLiveSeatState().seatList, (l) => l[1]?.userInfo.userId === 'aud1', 'aud1 seated');
    await d.openLocalMicrophone();
    await d.openLocalCamera();
    expect([d.microphoneStatus.value, d.cameraStatus.value]).toEqual([DeviceStatus.On, DeviceStatus.On]);

    await host.useLiveSeatState().closeRemoteMicrophone({ userId: 'aud1' });
    await until(d.microphoneStatus, (s) => s === DeviceStatus.Off, 'microphone revoked');
    await until(aud.useLiveSeatState().seatList, (l) => l[1]?.userInfo.allowOpenMicrophone === false, 'mic closed by admin');
    expect(await codeOf(d.openLocalMicrophone())).toBe(`${TUIErrorCode.ERR_OPEN_MICROPHONE_NEED_SEAT_UNLOCK}:OPEN_MICROPHONE_NEED_SEAT_UNLOCK`);
    expect(d.cameraStatus.value).toBe(DeviceStatus.On);

    await host.useLiveSeatState().closeRemoteCamera({ userId: 'aud1' });
    await until(d.cameraStatus, (s) => s === DeviceStatus.Off, 'camera revoked');
    await until(aud.useLiveSeatState().seatList, (l) => l[1]?.userInfo.allowOpenCamera === false, 'camera closed by admin');
    expect(await codeOf(d.openLocalCamera())).toBe(`${TUIErrorCode.ERR_OPEN_CAMERA_NEED_SEAT_UNLOCK}:OPEN_CAMERA_NEED_SEAT_UNLOCK`);
    expect(d.microphoneStatus.value).toBe(DeviceStatus.Off);
  });

  it('capture failures set the DeviceError and reject with the TRTC code; unawaited calls do not go unhandled', async () => {
    const { onseat: host, m } = await user('host');
    await host.useLiveListState().startLive({ liveId: 'dev-live', seatTemplate: 600 });
    const d = host.useDeviceState();
    m.failures.push('NotAllowedError');
    expect(await codeOf(d.openLocalMicrophone())).toBe(`${TUIErrorCode.ERR_MICROPHONE_NOT_AUTHORIZED}:MICROPHONE_NOT_AUTHORIZED`);
    expect(d.microphoneLastError.value).toBe(DeviceError.NoSystemPermission);
    m.failures.push('NotReadableError');
    expect(await codeOf(d.openLocalCamera())).toBe(`${TUIErrorCode.ERR_CAMERA_OCCUPIED}:CAMERA_OCCUPIED`);
    expect(d.cameraLastError.value).toBe(DeviceError.OccupiedError);
    expect([d.microphoneStatus.value, d.cameraStatus.value]).toEqual([DeviceStatus.Off, DeviceStatus.Off]);

    // As the TRTC samples do: no await, no catch. Vitest fails the run on an unhandled rejection.
    m.failures.push('NotFoundError');
    void d.openLocalMicrophone();
    await until(d.microphoneLastError, (e) => e === DeviceError.NoDeviceDetected, 'microphone error recorded');
    await d.openLocalMicrophone();
    expect(d.microphoneStatus.value).toBe(DeviceStatus.On);
    expect(d.microphoneLastError.value).toBe(DeviceError.NoError);
  });
});
