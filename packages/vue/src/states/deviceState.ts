import { OnseatError, type DeviceStatus, type Logger, type OnseatClient } from '@onseat/client';
import { computed, shallowRef, type ComputedRef, type Ref } from 'vue';
import { AudioRoute, DeviceError, MirrorType, VideoQuality } from '../enums.js';
import { mediaNotAvailable, rejectSoftly } from '../media.js';
import type { NetworkInfo, TUIDeviceInfo } from '../types.js';
import { deviceLists, type DeviceKind } from './devices.js';

/**
 * What `useDeviceState()` returns (AtomicX DeviceState). onseat has no media yet: device lists come from
 * `navigator.mediaDevices` when present, statuses stay `Off`, and the capture/test methods reject (see each).
 */
export interface DeviceState {
  /** Microphone captured and published: always `Off` until onseat has media. */
  microphoneStatus: ComputedRef<DeviceStatus>;
  /** Microphones from `navigator.mediaDevices` (empty where it does not exist). */
  microphoneList: ComputedRef<readonly TUIDeviceInfo[]>;
  /** Selected microphone (default: the `default` device, else the first). */
  currentMicrophone: ComputedRef<TUIDeviceInfo | null>;
  /** Last microphone error (`NotSupportCapture` after an open attempt without media). */
  microphoneLastError: ComputedRef<DeviceError>;
  /** Capture volume 0–100 (default 100). */
  captureVolume: ComputedRef<number>;
  /** Your speaking volume (0 until media). */
  currentMicVolume: ComputedRef<number>;
  /** Always false until media. */
  isMicrophoneTesting: ComputedRef<boolean>;
  /** Always 0 until media. */
  testingMicVolume: ComputedRef<number>;
  /** Camera captured and published: always `Off` until onseat has media. */
  cameraStatus: ComputedRef<DeviceStatus>;
  /** Cameras from `navigator.mediaDevices`. */
  cameraList: ComputedRef<readonly TUIDeviceInfo[]>;
  /** Selected camera. */
  currentCamera: ComputedRef<TUIDeviceInfo | null>;
  /** Last camera error. */
  cameraLastError: ComputedRef<DeviceError>;
  /** Always false until media. */
  isCameraTesting: ComputedRef<boolean>;
  /** Always false until media. */
  isCameraTestLoading: ComputedRef<boolean>;
  /** Front camera selected (mobile; default true). */
  isFrontCamera: ComputedRef<boolean>;
  /** Local preview mirroring (default `Auto`). */
  localMirrorType: ComputedRef<MirrorType>;
  /** Local video quality (default 720P). */
  localVideoQuality: ComputedRef<VideoQuality>;
  /** Audio outputs from `navigator.mediaDevices`. */
  speakerList: ComputedRef<readonly TUIDeviceInfo[]>;
  /** Selected audio output. */
  currentSpeaker: ComputedRef<TUIDeviceInfo | null>;
  /** Playback volume 0–100 (default 100). */
  outputVolume: ComputedRef<number>;
  /** Audio route (mobile; default `Speakerphone`). */
  currentAudioRoute: ComputedRef<AudioRoute>;
  /** Always false until media. */
  isSpeakerTesting: ComputedRef<boolean>;
  /** Screen share: always `Off` until media. */
  screenStatus: ComputedRef<DeviceStatus>;
  /** Last screen-share error. */
  screenLastError: ComputedRef<DeviceError>;
  /** Your network quality (null until media). */
  networkInfo: ComputedRef<NetworkInfo | null>;
  /**
   * Open your microphone. Rejects with -2361 when you are neither on a seat nor the owner of the current live,
   * -2360 when an administrator closed your seat's microphone, otherwise with `MEDIA_NOT_AVAILABLE` (no media yet).
   * The rejection is pre-handled: calling it without `await` (as the TRTC samples do) logs a warning instead of an
   * unhandled rejection.
   */
  openLocalMicrophone: () => Promise<void>;
  /** Close your microphone: rejects like `openLocalMicrophone` (-2361, else `MEDIA_NOT_AVAILABLE`). */
  closeLocalMicrophone: () => Promise<void>;
  /** Open your camera: -2371 when not seated, -2370 when closed by an admin, else `MEDIA_NOT_AVAILABLE`. */
  openLocalCamera: () => Promise<void>;
  /** Close your camera: rejects like `openLocalCamera` (-2371, else `MEDIA_NOT_AVAILABLE`). */
  closeLocalCamera: () => Promise<void>;
  /** Share your screen: -2373 when not seated, else `MEDIA_NOT_AVAILABLE`. */
  startScreenShare: (params?: { screenAudio?: boolean; view?: string }) => Promise<void>;
  /** Stop sharing: -2373 when not seated, else `MEDIA_NOT_AVAILABLE`. */
  stopScreenShare: () => Promise<void>;
  /** `MEDIA_NOT_AVAILABLE` until onseat has media. */
  muteLocalAudio: () => Promise<void>;
  /** `MEDIA_NOT_AVAILABLE` until onseat has media. */
  unmuteLocalAudio: () => Promise<void>;
  /** Refresh `microphoneList` from `navigator.mediaDevices` and return it. */
  getMicrophoneList: () => Promise<TUIDeviceInfo[]>;
  /** Refresh `cameraList` and return it. */
  getCameraList: () => Promise<TUIDeviceInfo[]>;
  /** Refresh `speakerList` and return it. */
  getSpeakerList: () => Promise<TUIDeviceInfo[]>;
  /** Select a microphone from `microphoneList` (rejects with -1001 for an unknown deviceId). */
  setCurrentMicrophone: (params: { deviceId: string }) => Promise<void>;
  /** Select a camera from `cameraList`. */
  setCurrentCamera: (params: { deviceId: string }) => Promise<void>;
  /** Select a speaker from `speakerList`. */
  setCurrentSpeaker: (params: { deviceId: string }) => Promise<void>;
  /** Set `captureVolume` (0–100). */
  setCaptureVolume: (volume: number) => Promise<void>;
  /** Set `outputVolume` (0–100). */
  setOutputVolume: (volume: number) => Promise<void>;
  /** Set `currentAudioRoute`. */
  setAudioRoute: (route: AudioRoute) => Promise<void>;
  /** Set `isFrontCamera`. */
  switchCamera: (params: { isFrontCamera: boolean }) => Promise<void>;
  /** Set `localMirrorType`. */
  switchMirror: (params: { mirror: MirrorType }) => Promise<void>;
  /** Set `localVideoQuality`. */
  updateVideoQuality: (params: { quality: VideoQuality }) => Promise<void>;
  /** `MEDIA_NOT_AVAILABLE` until onseat has media. */
  startMicrophoneTest: (params?: { interval?: number }) => Promise<void>;
  /** Resolves (no test runs). */
  stopMicrophoneTest: () => Promise<void>;
  /** `MEDIA_NOT_AVAILABLE` until onseat has media. */
  startCameraTest: (params: { view: string | HTMLElement }) => Promise<void>;
  /** Resolves (no test runs). */
  stopCameraTest: () => Promise<void>;
  /** `MEDIA_NOT_AVAILABLE` until onseat has media. */
  startSpeakerTest: (params: { filePath: string }) => Promise<void>;
  /** Resolves (no test runs). */
  stopSpeakerTest: () => Promise<void>;
}

type Device = 'microphone' | 'camera' | 'screen';
const NOT_SEATED = {
  microphone: 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN',
  camera: 'OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN',
  screen: null,
} as const;

/** Build the DeviceState of one onseat instance. */
export function createDeviceState(stores: OnseatClient, logger: Logger): DeviceState {
  const ro = <T>(r: Ref<T>): ComputedRef<T> => computed(() => r.value);
  const constant = <T>(value: T): ComputedRef<T> => computed(() => value);
  const lists = deviceLists(logger);
  const micError = shallowRef<DeviceError>(DeviceError.NoError);
  const camError = shallowRef<DeviceError>(DeviceError.NoError);
  const captureVolume = shallowRef(100);
  const outputVolume = shallowRef(100);
  const audioRoute = shallowRef<AudioRoute>(AudioRoute.Speakerphone);
  const isFrontCamera = shallowRef(true);
  const mirror = shallowRef<MirrorType>(MirrorType.Auto);
  const quality = shallowRef<VideoQuality>(VideoQuality.Quality720P);
  const off = constant<DeviceStatus>(0);

  /** Why `device` may not be opened now, or null when only media is missing. */
  const refusal = (device: Device): OnseatError | null => {
    const me = stores.client?.userId ?? '';
    const live = stores.liveList.getSnapshot().currentLive;
    const seat = stores.liveSeat.getSnapshot().seatList.find((s) => !!me && s.userInfo.userId === me);
    const isOwner = !!me && !!live?.liveId && live.liveOwner.userId === me;
    if (!seat && !isOwner) {
      const name = NOT_SEATED[device];
      return name
        ? OnseatError.of(name)
        : new OnseatError(-2373, 'OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN', 'Take a seat before sharing the screen');
    }
    if (device === 'microphone' && seat && (seat.isAudioLocked || !seat.userInfo.allowOpenMicrophone)) {
      return OnseatError.of('OPEN_MICROPHONE_NEED_SEAT_UNLOCK');
    }
    if (device === 'camera' && seat && (seat.isVideoLocked || !seat.userInfo.allowOpenCamera)) {
      return OnseatError.of('OPEN_CAMERA_NEED_SEAT_UNLOCK');
    }
    return null;
  };
  const capture = (device: Device, method: string, opening: boolean) => (): Promise<never> => {
    let error = refusal(device);
    if (error && !opening && error.code !== -2361 && error.code !== -2371 && error.code !== -2373) error = null;
    if (!error) {
      error = mediaNotAvailable(method);
      if (device === 'microphone') micError.value = DeviceError.NotSupportCapture;
      if (device === 'camera') camError.value = DeviceError.NotSupportCapture;
    }
    return rejectSoftly(error, logger);
  };
  const noMedia = (method: string) => (): Promise<never> => rejectSoftly(mediaNotAvailable(method), logger);
  const select = (kind: DeviceKind) => async (params: { deviceId: string }): Promise<void> => {
    const ok = lists.select(kind, params.deviceId) || (await lists.refresh(kind), lists.select(kind, params.deviceId));
    if (!ok) throw OnseatError.of('INVALID_PARAMETER', `No ${kind} with deviceId "${params.deviceId}"`);
  };
  const setter = <T>(r: Ref<T>) => (value: T): Promise<void> => {
    r.value = value;
    return Promise.resolve();
  };
  const volume = (r: Ref<number>) => (value: number): Promise<void> => {
    r.value = Math.max(0, Math.min(100, Math.round(value)));
    return Promise.resolve();
  };
  const listError = (kind: DeviceKind, error: DeviceError): void => {
    if (kind === 'microphone') micError.value = error;
    if (kind === 'camera') camError.value = error;
  };
  lists.onError = listError;
  lists.start();

  return {
    microphoneStatus: off,
    microphoneList: ro(lists.list.microphone),
    currentMicrophone: ro(lists.current.microphone),
    microphoneLastError: ro(micError),
    captureVolume: ro(captureVolume),
    currentMicVolume: constant(0),
    isMicrophoneTesting: constant(false),
    testingMicVolume: constant(0),
    cameraStatus: off,
    cameraList: ro(lists.list.camera),
    currentCamera: ro(lists.current.camera),
    cameraLastError: ro(camError),
    isCameraTesting: constant(false),
    isCameraTestLoading: constant(false),
    isFrontCamera: ro(isFrontCamera),
    localMirrorType: ro(mirror),
    localVideoQuality: ro(quality),
    speakerList: ro(lists.list.speaker),
    currentSpeaker: ro(lists.current.speaker),
    outputVolume: ro(outputVolume),
    currentAudioRoute: ro(audioRoute),
    isSpeakerTesting: constant(false),
    screenStatus: off,
    screenLastError: constant<DeviceError>(DeviceError.NoError),
    networkInfo: constant<NetworkInfo | null>(null),
    openLocalMicrophone: capture('microphone', 'openLocalMicrophone', true),
    closeLocalMicrophone: capture('microphone', 'closeLocalMicrophone', false),
    openLocalCamera: capture('camera', 'openLocalCamera', true),
    closeLocalCamera: capture('camera', 'closeLocalCamera', false),
    startScreenShare: capture('screen', 'startScreenShare', true),
    stopScreenShare: capture('screen', 'stopScreenShare', false),
    muteLocalAudio: noMedia('muteLocalAudio'),
    unmuteLocalAudio: noMedia('unmuteLocalAudio'),
    getMicrophoneList: () => lists.refresh('microphone'),
    getCameraList: () => lists.refresh('camera'),
    getSpeakerList: () => lists.refresh('speaker'),
    setCurrentMicrophone: select('microphone'),
    setCurrentCamera: select('camera'),
    setCurrentSpeaker: select('speaker'),
    setCaptureVolume: volume(captureVolume),
    setOutputVolume: volume(outputVolume),
    setAudioRoute: setter(audioRoute),
    switchCamera: (params) => setter(isFrontCamera)(params.isFrontCamera),
    switchMirror: (params) => setter(mirror)(params.mirror),
    updateVideoQuality: (params) => setter(quality)(params.quality),
    startMicrophoneTest: noMedia('startMicrophoneTest'),
    stopMicrophoneTest: () => Promise.resolve(),
    startCameraTest: noMedia('startCameraTest'),
    stopCameraTest: () => Promise.resolve(),
    startSpeakerTest: noMedia('startSpeakerTest'),
    stopSpeakerTest: () => Promise.resolve(),
  };
}
