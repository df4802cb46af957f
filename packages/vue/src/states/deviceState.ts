import { type DeviceSnapshot, type DeviceStatus, type DeviceStore, type Logger, type OnseatClient } from '@onseat/client';
import { computed, type Ref } from 'vue';
import type { AudioRoute, DeviceError, MirrorType, VideoQuality } from '@onseat/client';
import { atomicxWritableRef, demandRef, snapshotRef } from '../reactive.js';
import type { NetworkInfo, TUIDeviceInfo } from '../types.js';
import { listMethods, selectMethod, softly } from './devices.js';

/**
 * What `useDeviceState()` returns (AtomicX DeviceState) over the client's `DeviceStore`: your microphone, camera and
 * screen share, published over WebRTC while you are the owner of a started live or on a seat. Statuses turn `On`
 * only once the track is published and sending; `close*` turns them `Off` at once.
 */
export interface DeviceState {
  /** Microphone captured and published (`On` only once it is sending). */
  microphoneStatus: Ref<DeviceStatus>;
  /** Microphones (from `enumerateDevices`, refreshed on hot-plug; empty → `microphoneLastError = NoDeviceDetected`). */
  microphoneList: Ref<TUIDeviceInfo[]>;
  /** Selected microphone (default: the first one). */
  currentMicrophone: Ref<TUIDeviceInfo | null>;
  /** Why the microphone last failed to open (`NoSystemPermission`, `NoDeviceDetected`, `OccupiedError`, …). */
  microphoneLastError: Ref<DeviceError>;
  /** Capture volume 0–100 (default 100). */
  captureVolume: Ref<number>;
  /** Your own audio level 0–100, as the server measures what you send. */
  currentMicVolume: Ref<number>;
  /** Microphone test running (onseat has no microphone test: always false). */
  isMicrophoneTesting: Ref<boolean>;
  /** Level during a microphone test (always 0). */
  testingMicVolume: Ref<number>;
  /** Camera captured and published (`On` only once it is sending). */
  cameraStatus: Ref<DeviceStatus>;
  /** Cameras (empty → `cameraLastError = NoDeviceDetected`). */
  cameraList: Ref<TUIDeviceInfo[]>;
  /** Selected camera. */
  currentCamera: Ref<TUIDeviceInfo | null>;
  /** Why the camera last failed to open. */
  cameraLastError: Ref<DeviceError>;
  /** Camera test running (always false). */
  isCameraTesting: Ref<boolean>;
  /** Camera test starting (always false). */
  isCameraTestLoading: Ref<boolean>;
  /** Front camera (mobile; default true). */
  isFrontCamera: Ref<boolean>;
  /** Local preview mirroring (default `Auto`: mirrored, as a front camera). */
  localMirrorType: Ref<MirrorType>;
  /** Camera quality (default 720P). */
  localVideoQuality: Ref<VideoQuality>;
  /** Audio outputs. */
  speakerList: Ref<TUIDeviceInfo[]>;
  /** Selected audio output (`LiveCoreView` plays on it where the browser supports `setSinkId`). */
  currentSpeaker: Ref<TUIDeviceInfo | null>;
  /** Playback volume 0–100 of the live's audio (default 100). */
  outputVolume: Ref<number>;
  /** Audio route (mobile; recorded only). */
  currentAudioRoute: Ref<AudioRoute>;
  /** Speaker test running (always false). */
  isSpeakerTesting: Ref<boolean>;
  /** Screen share published (`On` only once it is sending). */
  screenStatus: Ref<DeviceStatus>;
  /** Why the screen share last failed. */
  screenLastError: Ref<DeviceError>;
  /**
   * Your network: quality, uplink loss (the server's receiver reports), downlink loss, round-trip time. null until
   * you publish or receive media; refreshed every 2 s while read (stops 10 s after the last read).
   */
  networkInfo: Ref<NetworkInfo | null>;
  /**
   * Capture and publish your microphone. Rejects with -2361 when you are in a live but not on a seat, -2360 when an
   * administrator closed your microphone, -1105/-1106/-1107/-1104 when capture fails (and sets
   * `microphoneLastError`); outside a live also -2361; without WebRTC (e.g. Node) -1 `MEDIA_NOT_AVAILABLE`. The
   * rejection is pre-handled: calling it without `await` (as the TRTC samples do) logs a warning instead of an
   * unhandled rejection.
   */
  openLocalMicrophone: () => Promise<void>;
  /** Stop publishing and capturing the microphone (`microphoneStatus` Off at once). */
  closeLocalMicrophone: () => Promise<void>;
  /**
   * Send silence instead of your microphone (your seat shows the microphone off; `onseat.stores.device`'s
   * snapshot has `isLocalAudioMuted`).
   */
  muteLocalAudio: () => Promise<void>;
  /** Send your microphone again. */
  unmuteLocalAudio: () => Promise<void>;
  /** Capture and publish your camera: -2371 when not seated, -2370 when closed by an admin, -1101/-1102/-1103/-1100 on capture failures. */
  openLocalCamera: (params?: { isFrontCamera?: boolean }) => Promise<void>;
  /** Stop publishing and capturing the camera. */
  closeLocalCamera: () => Promise<void>;
  /** Share a screen or window, published as your video instead of the camera (-2373 when not seated, -2372 when closed). */
  startScreenShare: (params?: { screenAudio?: boolean; view?: string | HTMLElement }) => Promise<void>;
  /** Stop sharing (the camera, if open, is sent again). */
  stopScreenShare: () => Promise<void>;
  /** Refresh `microphoneList` (resolves once it is up to date). */
  getMicrophoneList: () => Promise<void>;
  /** Refresh `cameraList`. */
  getCameraList: () => Promise<void>;
  /** Refresh `speakerList`. */
  getSpeakerList: () => Promise<void>;
  /** Choose a microphone of `microphoneList` (an open one is switched live); -1001 for an unknown deviceId. */
  setCurrentMicrophone: (params: { deviceId: string }) => Promise<void>;
  /** Choose a camera of `cameraList` (an open one is switched live); -1001 for an unknown deviceId. */
  setCurrentCamera: (params: { deviceId: string }) => Promise<void>;
  /** Choose a speaker of `speakerList`; -1001 for an unknown deviceId. */
  setCurrentSpeaker: (params: { deviceId: string }) => Promise<void>;
  /** Set `captureVolume` (clamped to 0–100). */
  setCaptureVolume: (volume: number) => Promise<void>;
  /** Set `outputVolume` (clamped to 0–100). */
  setOutputVolume: (volume: number) => Promise<void>;
  /** Set `currentAudioRoute`. */
  setAudioRoute: (route: AudioRoute) => Promise<void>;
  /** Front or back camera (an open camera is switched live). */
  switchCamera: (params: { isFrontCamera: boolean }) => Promise<void>;
  /** Set `localMirrorType` (the local preview in `LiveCoreView` follows it). */
  switchMirror: (params: { mirror: MirrorType }) => Promise<void>;
  /** Camera resolution and bitrate (applies to an open camera at once). */
  updateVideoQuality: (params: { quality: VideoQuality }) => Promise<void>;
  /** Device check: capture the microphone (not published) and sample its loudness into `testingMicVolume`. */
  startMicrophoneTest: (params?: { interval?: number }) => Promise<void>;
  /** End the microphone test. */
  stopMicrophoneTest: () => Promise<void>;
  /** Device check: local camera preview (not published) in `view` (an element or its id); survives leaving a live. */
  startCameraTest: (params: { view: string | HTMLElement }) => Promise<void>;
  /** End the camera preview. */
  stopCameraTest: () => Promise<void>;
  /** Play an audio file on the current speaker at `outputVolume`. */
  startSpeakerTest: (params: { filePath: string }) => Promise<void>;
  /** Stop the speaker test. */
  stopSpeakerTest: () => Promise<void>;
}

/** Build the DeviceState of one onseat instance over its `DeviceStore`. */
export function createDeviceState(stores: OnseatClient, logger: Logger): DeviceState {
  const device: DeviceStore = stores.device;
  const snapshot = snapshotRef(device);
  const field = <K extends keyof DeviceSnapshot>(key: K) => atomicxWritableRef(snapshot, key);
  const soft = softly(logger);
  const lists = listMethods(device, logger);
  const select = selectMethod(device, lists);
  const networkRef = demandRef(stores.mediaStats);

  return {
    microphoneStatus: field('microphoneStatus'),
    microphoneList: field('microphoneList'),
    currentMicrophone: field('currentMicrophone'),
    microphoneLastError: field('microphoneLastError'),
    captureVolume: field('captureVolume'),
    currentMicVolume: field('currentMicVolume'),
    isMicrophoneTesting: field('isMicrophoneTesting'),
    testingMicVolume: field('testingMicVolume'),
    cameraStatus: field('cameraStatus'),
    cameraList: field('cameraList'),
    currentCamera: field('currentCamera'),
    cameraLastError: field('cameraLastError'),
    isCameraTesting: field('isCameraTesting'),
    isCameraTestLoading: field('isCameraTestLoading'),
    isFrontCamera: field('isFrontCamera'),
    localMirrorType: field('localMirrorType'),
    localVideoQuality: field('localVideoQuality'),
    speakerList: field('speakerList'),
    currentSpeaker: field('currentSpeaker'),
    outputVolume: field('outputVolume'),
    currentAudioRoute: field('currentAudioRoute'),
    isSpeakerTesting: field('isSpeakerTesting'),
    screenStatus: field('screenStatus'),
    screenLastError: field('screenLastError'),
    networkInfo: computed(() => networkRef.read().networkInfo),
    openLocalMicrophone: () => soft(device.openLocalMicrophone()),
    closeLocalMicrophone: () => soft(device.closeLocalMicrophone()),
    muteLocalAudio: () => soft(device.muteLocalAudio()),
    unmuteLocalAudio: () => soft(device.unmuteLocalAudio()),
    openLocalCamera: (params) => soft(device.openLocalCamera(params ?? {})),
    closeLocalCamera: () => soft(device.closeLocalCamera()),
    startScreenShare: (params) => soft(device.startScreenShare(params ?? {})),
    stopScreenShare: () => soft(device.stopScreenShare()),
    getMicrophoneList: () => lists.refresh('microphone').then(() => undefined),
    getCameraList: () => lists.refresh('camera').then(() => undefined),
    getSpeakerList: () => lists.refresh('speaker').then(() => undefined),
    setCurrentMicrophone: (params) => soft(select('microphone', params.deviceId)),
    setCurrentCamera: (params) => soft(select('camera', params.deviceId)),
    setCurrentSpeaker: (params) => soft(select('speaker', params.deviceId)),
    setCaptureVolume: (volume) => device.setCaptureVolume(volume),
    setOutputVolume: (volume) => device.setOutputVolume(volume),
    setAudioRoute: (route) => device.setAudioRoute(route),
    switchCamera: (params) => soft(device.switchCamera(params)),
    switchMirror: (params) => device.switchMirror(params),
    updateVideoQuality: (params) => soft(device.updateVideoQuality(params)),
    startMicrophoneTest: (params) => soft(device.startMicrophoneTest(params ?? {})),
    stopMicrophoneTest: () => soft(device.stopMicrophoneTest()),
    startCameraTest: (params) => soft(device.startCameraTest(params)),
    stopCameraTest: () => soft(device.stopCameraTest()),
    startSpeakerTest: (params) => soft(device.startSpeakerTest(params)),
    stopSpeakerTest: () => soft(device.stopSpeakerTest()),
  };
}
