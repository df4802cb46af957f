// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createOnseatClient, DeviceError, type OnseatClient } from '../src/index.js';
import { FakeMediaEnv } from './support/mediaFakes.js';

const made: OnseatClient[] = [];
afterEach(() => {
  made.length = 0;
  document.body.innerHTML = '';
});

function device(fake = new FakeMediaEnv()) {
  // The preview's <video> takes a DOM MediaStream (happy-dom's), not the fake one.
  const env = { ...fake.env, createMediaStream: () => new MediaStream() };
  const onseat = createOnseatClient({ serverUrl: 'ws://127.0.0.1:1', logger: {}, media: { env } });
  made.push(onseat);
  return { fake, d: onseat.device };
}

describe('device tests (checks before going on a seat)', () => {
  it('startMicrophoneTest captures the current microphone and samples its level; stop releases it', async () => {
    const { fake, d } = device();
    await d.setCurrentMicrophone({ deviceId: 'mic2' }).catch(() => undefined);
    fake.level = 37;
    await d.startMicrophoneTest({ interval: 5 });
    expect(d.getSnapshot().isMicrophoneTesting).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(d.getSnapshot().testingMicVolume).toBe(37);
    expect(fake.captures.map((c) => c.kind)).toEqual(['audio']);
    await d.stopMicrophoneTest();
    expect(d.getSnapshot()).toMatchObject({ isMicrophoneTesting: false, testingMicVolume: 0 });
    expect(fake.captures[0]!.track.readyState).toBe('ended');
    expect(fake.meters[0]!.closed).toBe(true);
    expect(d.getSnapshot().microphoneStatus).toBe(0); // a test never publishes
  });

  it('startCameraTest shows a muted preview in the element with that id; stop removes it', async () => {
    const { fake, d } = device();
    document.body.innerHTML = '<div id="preview"></div>';
    await d.startCameraTest({ view: 'preview' });
    const video = document.querySelector<HTMLVideoElement>('#preview video[data-onseat-camera-test]');
    expect(video).not.toBeNull();
    expect(video!.muted).toBe(true);
    expect(d.getSnapshot()).toMatchObject({ isCameraTesting: true, isCameraTestLoading: false, cameraStatus: 0 });
    await d.stopCameraTest();
    expect(document.querySelector('#preview video')).toBeNull();
    expect(fake.captures[0]!.track.readyState).toBe('ended');
    expect(d.getSnapshot().isCameraTesting).toBe(false);
  });

  it('a camera the browser refuses sets cameraLastError and rejects with the TRTC capture code', async () => {
    const { fake, d } = device();
    document.body.innerHTML = '<div id="preview"></div>';
    fake.failures.push('NotAllowedError');
    await expect(d.startCameraTest({ view: 'preview' })).rejects.toMatchObject({ code: -1101 });
    expect(d.getSnapshot()).toMatchObject({ cameraLastError: DeviceError.NoSystemPermission, isCameraTesting: false, isCameraTestLoading: false });
  });

  it('an unknown view id is refused before anything is captured', async () => {
    const { fake, d } = device();
    await expect(d.startCameraTest({ view: 'nope' })).rejects.toThrow(/no element with id "nope"/);
    expect(fake.captures).toHaveLength(0);
  });
});
