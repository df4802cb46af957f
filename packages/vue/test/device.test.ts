// @vitest-environment happy-dom
/**
 * DeviceState before onseat has media: device lists from navigator.mediaDevices, statuses Off, local settings, and
 * the open/close methods' rejections (-2361/-2371/-2373 when not seated, -2360 when an admin closed the seat's
 * microphone, else MEDIA_NOT_AVAILABLE).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createOnseat,
  DeviceError,
  DeviceStatus,
  MEDIA_NOT_AVAILABLE,
  MirrorType,
  TUIErrorCode,
  TUISeatMode,
  VideoQuality,
  type Onseat,
} from '../src/index.js';
import { loggedIn, logoutAll, startServer, until, type TestServer } from './support/harness.js';

const fakeDevices = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default mic' },
  { kind: 'audioinput', deviceId: 'mic2', label: 'USB mic' },
  { kind: 'videoinput', deviceId: 'cam1', label: 'Webcam' },
  { kind: 'audiooutput', deviceId: 'spk1', label: 'Speakers' },
];
const original = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
let listeners = 0;

beforeEach(() => {
  listeners = 0;
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      enumerateDevices: () => Promise.resolve(fakeDevices.map((d) => ({ ...d, groupId: '', toJSON: () => d }))),
      addEventListener: () => void listeners++,
    },
  });
});
afterEach(() => {
  if (original) Object.defineProperty(navigator, 'mediaDevices', original);
  else delete (navigator as unknown as Record<string, unknown>)['mediaDevices'];
});

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code: number; name: string }) => `${e.code}:${e.name}`);

describe('DeviceState without media', () => {
  it('lists devices from navigator.mediaDevices and keeps local settings', async () => {
    const d = createOnseat({ logger: {} }).useDeviceState();
    expect(listeners).toBe(1);
    const mics = await d.getMicrophoneList();
    expect(mics).toEqual([
      { deviceId: 'default', deviceName: 'Default mic' },
      { deviceId: 'mic2', deviceName: 'USB mic' },
    ]);
    expect(d.microphoneList.value).toEqual(mics);
    expect(d.cameraList.value).toEqual([{ deviceId: 'cam1', deviceName: 'Webcam' }]);
    expect(await d.getSpeakerList()).toEqual([{ deviceId: 'spk1', deviceName: 'Speakers' }]);
    expect(d.currentMicrophone.value?.deviceId).toBe('default');
    expect(d.currentCamera.value?.deviceId).toBe('cam1');
    await d.setCurrentMicrophone({ deviceId: 'mic2' });
    expect(d.currentMicrophone.value?.deviceName).toBe('USB mic');
    expect(await codeOf(d.setCurrentCamera({ deviceId: 'nope' }))).toBe('-1001:INVALID_PARAMETER');

    expect(d.microphoneStatus.value).toBe(DeviceStatus.Off);
    expect(d.cameraStatus.value).toBe(DeviceStatus.Off);
    expect(d.screenStatus.value).toBe(DeviceStatus.Off);
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
  });

  it('open/close reject with the TRTC codes when not seated', async () => {
    const d = createOnseat({ logger: {} }).useDeviceState();
    expect(await codeOf(d.openLocalMicrophone())).toBe(`${TUIErrorCode.ERR_OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN}:OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN`);
    expect(await codeOf(d.closeLocalMicrophone())).toBe('-2361:OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN');
    expect(await codeOf(d.openLocalCamera())).toBe(`${TUIErrorCode.ERR_OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN}:OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN`);
    expect(await codeOf(d.closeLocalCamera())).toBe('-2371:OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN');
    expect(await codeOf(d.startScreenShare())).toBe('-2373:OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN');
    expect(d.microphoneLastError.value).toBe(DeviceError.NoError);
  });

  describe('in a live', () => {
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

    it('the owner and a seated guest get MEDIA_NOT_AVAILABLE; a seat closed by the admin gets -2360', async () => {
      const host = await loggedIn(ts, 'host');
      const aud = await loggedIn(ts, 'aud1');
      users.push(host, aud);
      await host.useLiveListState().startLive({ liveId: 'dev-live', seatTemplate: 600, seatMode: TUISeatMode.kFreeToTake });
      const hd = host.useDeviceState();
      expect(await codeOf(hd.openLocalMicrophone())).toBe(`-1:${MEDIA_NOT_AVAILABLE}`);
      expect(hd.microphoneLastError.value).toBe(DeviceError.NotSupportCapture);
      expect(await codeOf(hd.openLocalCamera())).toBe(`-1:${MEDIA_NOT_AVAILABLE}`);
      expect(await codeOf(hd.muteLocalAudio())).toBe(`-1:${MEDIA_NOT_AVAILABLE}`);
      expect(await codeOf(hd.startCameraTest({ view: 'preview' }))).toBe(`-1:${MEDIA_NOT_AVAILABLE}`);
      expect(await codeOf(hd.stopCameraTest())).toBe('resolved');

      await aud.useLiveListState().joinLive({ liveId: 'dev-live' });
      const ad = aud.useDeviceState();
      expect(await codeOf(ad.openLocalMicrophone())).toBe('-2361:OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN');
      await aud.useLiveSeatState().takeSeat({ seatIndex: 1 });
      await until(aud.useLiveSeatState().seatList, (l) => l[1]?.userInfo.userId === 'aud1', 'aud1 seated');
      expect(await codeOf(ad.openLocalCamera())).toBe(`-1:${MEDIA_NOT_AVAILABLE}`);
      await host.useLiveSeatState().closeRemoteMicrophone({ userId: 'aud1' });
      await until(aud.useLiveSeatState().seatList, (l) => l[1]?.userInfo.allowOpenMicrophone === false, 'mic closed by admin');
      expect(await codeOf(ad.openLocalMicrophone())).toBe('-2360:OPEN_MICROPHONE_NEED_SEAT_UNLOCK');
      expect(await codeOf(ad.closeLocalMicrophone())).toBe(`-1:${MEDIA_NOT_AVAILABLE}`);
    });
  });
});
