import type { SeatInfo as WireSeat } from '@onseat/protocol';
import type { OnseatContext } from '../context.js';
import { DeviceStatus } from '../enums.js';
import { isOnseatError, OnseatError } from '../errors.js';
import { captureTrack, CaptureFailed, cameraConstraints, type LocalSource } from '../media/capture.js';
import {
  DeviceError,
  devicesOfKind,
  VIDEO_QUALITY_PROFILES,
  type AudioRoute,
  MirrorType,
  type TUIDeviceInfo,
  type VideoQuality,
} from '../media/deviceTypes.js';
import { showPreview, stopCameraTest, stopMicrophoneTest, viewElement, type CameraTest, type MicrophoneTest } from '../media/deviceTests.js';
import { LocalPublisher } from '../media/LocalPublisher.js';
import type { LiveMedia } from '../media/LiveMedia.js';
import { Store } from './Store.js';

/** State of the {@link DeviceStore} (AtomicX DeviceState, plus `localStream` for the local preview). */
export interface DeviceSnapshot {
  /** On only while the microphone is captured and published (sending). */
  microphoneStatus: DeviceStatus;
  microphoneList: readonly TUIDeviceInfo[];
  currentMicrophone: TUIDeviceInfo | null;
  microphoneLastError: DeviceError;
  /** 0–100: the gain applied to your microphone before it is sent (100 = as captured). */
  captureVolume: number;
  /** Your own audio level 0–100 as the server measures it. */
  currentMicVolume: number;
  isMicrophoneTesting: boolean;
  testingMicVolume: number;
  /** onseat: true between `muteLocalAudio` and `unmuteLocalAudio` (others hear silence; the seat shows the mic off). */
  isLocalAudioMuted: boolean;
  cameraStatus: DeviceStatus;
  cameraList: readonly TUIDeviceInfo[];
  currentCamera: TUIDeviceInfo | null;
  cameraLastError: DeviceError;
  isCameraTesting: boolean;
  isCameraTestLoading: boolean;
  isFrontCamera: boolean;
  localMirrorType: MirrorType;
  localVideoQuality: VideoQuality;
  speakerList: readonly TUIDeviceInfo[];
  /** The chosen output device; views apply it with `HTMLMediaElement.setSinkId`. */
  currentSpeaker: TUIDeviceInfo | null;
  outputVolume: number;
  currentAudioRoute: AudioRoute;
  isSpeakerTesting: boolean;
  screenStatus: DeviceStatus;
  screenLastError: DeviceError;
  networkInfo: null;
  /** onseat: what you capture now (microphone + camera or screen), for a local preview; null when nothing is open. */
  localStream: MediaStream | null;
}

/** The DeviceStore has no named events (admin closes are LiveSeatStore's `onLocal*ClosedByAdmin`). */
export type DeviceEventMap = Record<never, never>;

const INITIAL: DeviceSnapshot = {
  microphoneStatus: DeviceStatus.Off,
  microphoneList: [],
  currentMicrophone: null,
  microphoneLastError: DeviceError.NoError,
  captureVolume: 100,
  currentMicVolume: 0,
  isMicrophoneTesting: false,
  testingMicVolume: 0,
  isLocalAudioMuted: false,
  cameraStatus: DeviceStatus.Off,
  cameraList: [],
  currentCamera: null,
  cameraLastError: DeviceError.NoError,
  isCameraTesting: false,
  isCameraTestLoading: false,
  isFrontCamera: true,
  localMirrorType: 0,
  localVideoQuality: 3,
  speakerList: [],
  currentSpeaker: null,
  outputVolume: 100,
  currentAudioRoute: 0,
  isSpeakerTesting: false,
  screenStatus: DeviceStatus.Off,
  screenLastError: DeviceError.NoError,
  networkInfo: null,
  localStream: null,
};

const STATUS_KEY = { microphone: 'microphoneStatus', camera: 'cameraStatus', screen: 'screenStatus' } as const;
const ERROR_KEY = { microphone: 'microphoneLastError', camera: 'cameraLastError', screen: 'screenLastError' } as const;

/**
 * AtomicX DeviceState: local microphone, camera and screen share, device lists and choices. Statuses turn On only
 * once the track is published and the transport is connected; `close*` turns them Off at once. Opening in a live
 * while not seated rejects with -2361/-2371 (screen -2373), after an admin closed the device with -2360/-2370
 * (screen -2372) (nothing is
 * captured then). Opening before entering a live is refused the same way (AtomicX: entering never opens anything).
 * Without WebRTC (e.g. Node) opening rejects with code -1 `MEDIA_NOT_AVAILABLE`.
 */
export class DeviceStore extends Store<DeviceSnapshot, DeviceEventMap> {
  readonly #media: LiveMedia;
  readonly #pub: LocalPublisher;
  /** Your seat in the current live (undefined: not seated / not in a live). */
  #seat: WireSeat | undefined;

  constructor(ctx: OnseatContext, media: LiveMedia) {
    super(ctx, INITIAL);
    this.#media = media;
    this.#pub = new LocalPublisher(media, ctx, {
      status: (source, on) => this.setState({ [STATUS_KEY[source]]: on ? DeviceStatus.On : DeviceStatus.Off }),
      tracksChanged: (tracks) => this.setState({ localStream: tracks.length ? media.env.createMediaStream(tracks) : null }),
      level: (level) => this.setState({ currentMicVolume: level }),
    });
    const seatOf = (seats: readonly WireSeat[]) => seats.find((s) => s.userInfo !== null && s.userInfo.userId === ctx.userId);
    ctx.addSink({
      liveSnapshot: (snapshot) => (this.#seat = seatOf(snapshot.seats)),
      liveEvent: (event) => {
        if (event.type === 'seat.listChanged') this.#seat = seatOf(event.payload.seats);
      },
      liveExit: () => {
        this.#seat = undefined;
        this.#pub.closeAll();
        this.setState({ isLocalAudioMuted: false, currentMicVolume: 0 });
      },
    });
    media.env.onDeviceChange(
      () => void this.#refreshLists().catch((e: unknown) => ctx.logger.debug?.('device lists: refresh after devicechange failed', e)),
    );
  }

  /** Capture and publish the microphone. */
  openLocalMicrophone(): Promise<void> {
    return this.#open('microphone', this.#microphoneConstraints());
  }

  #microphoneTest: MicrophoneTest | null = null;
  #cameraTest: CameraTest | null = null;
  #speakerTest: HTMLAudioElement | null = null;

  /**
   * Device check before going on a seat: captures the current microphone (not published) and samples its loudness
   * into `testingMicVolume` every `interval` ms. Works anywhere after login, in a live or not.
   */
  async startMicrophoneTest(params: { interval?: number } = {}): Promise<void> {
    if (this.#microphoneTest) return;
    const track = await this.#captureForTest('microphone', this.#microphoneConstraints());
    const meter = this.#media.env.createLevelMeter(track);
    const timer = setInterval(() => this.setState({ testingMicVolume: meter?.read() ?? 0 }), params.interval ?? 200);
    this.#microphoneTest = { track, meter, timer };
    this.setState({ isMicrophoneTesting: true });
  }

  async stopMicrophoneTest(): Promise<void> {
    if (!this.#microphoneTest) return;
    stopMicrophoneTest(this.#microphoneTest);
    this.#microphoneTest = null;
    this.setState({ isMicrophoneTesting: false, testingMicVolume: 0 });
  }

  /**
   * Local camera preview (not published) in `view` (an element or its id), for a device check. It survives leaving a
   * live; stop it with `stopCameraTest`.
   */
  async startCameraTest(params: { view: string | HTMLElement }): Promise<void> {
    const container = viewElement(params.view);
    await this.stopCameraTest();
    this.setState({ isCameraTestLoading: true });
    let track: MediaStreamTrack;
    try {
      track = await this.#captureForTest('camera', this.#cameraConstraints());
    } finally {
      this.setState({ isCameraTestLoading: false });
    }
    const s = this.getSnapshot();
    const mirror = s.localMirrorType === MirrorType.Enable || (s.localMirrorType === MirrorType.Auto && s.isFrontCamera);
    this.#cameraTest = { track, video: showPreview(this.#media.env, container, track, mirror) };
    this.setState({ isCameraTesting: true });
  }

  async stopCameraTest(): Promise<void> {
    if (!this.#cameraTest) return;
    stopCameraTest(this.#cameraTest);
    this.#cameraTest = null;
    this.setState({ isCameraTesting: false });
  }

  /** Plays `filePath` on the current speaker at `outputVolume`, until it ends or `stopSpeakerTest`. */
  async startSpeakerTest(params: { filePath: string }): Promise<void> {
    await this.stopSpeakerTest();
    const AudioCtor = (globalThis as { Audio?: new (src: string) => HTMLAudioElement }).Audio;
    if (!AudioCtor) throw new OnseatError(-1, 'MEDIA_NOT_AVAILABLE', 'No audio output in this environment');
    const audio = new AudioCtor(params.filePath);
    const s = this.getSnapshot();
    audio.volume = s.outputVolume / 100;
    const sink = s.currentSpeaker?.deviceId;
    const withSink = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (sink && withSink.setSinkId) {
      await withSink
        .setSinkId(sink)
        .catch((e: unknown) => this.ctx.logger.warn?.(`speaker test: could not play on ${sink}; using the default output`, e));
    }
    audio.addEventListener('ended', () => void this.stopSpeakerTest());
    this.#speakerTest = audio;
    this.setState({ isSpeakerTesting: true });
    await audio.play();
  }

  async stopSpeakerTest(): Promise<void> {
    const audio = this.#speakerTest;
    if (!audio) return;
    this.#speakerTest = null;
    audio.pause();
    this.setState({ isSpeakerTesting: false });
  }

  #microphoneConstraints(): MediaTrackConstraints | true {
    const mic = this.getSnapshot().currentMicrophone;
    return mic ? { deviceId: { exact: mic.deviceId } } : true;
  }

  /** Captures a track for a device test; failures set `*LastError` and reject with the TRTC capture code. */
  async #captureForTest(source: 'microphone' | 'camera', constraints: MediaTrackConstraints | true): Promise<MediaStreamTrack> {
    try {
      const track = await captureTrack(this.#media.env, source, constraints);
      this.setState({ [ERROR_KEY[source]]: DeviceError.NoError });
      return track;
    } catch (error) {
      if (!(error instanceof CaptureFailed)) throw error;
      this.setState({ [ERROR_KEY[source]]: error.deviceError });
      throw error.error;
    }
  }

  /** Stop publishing and capturing the microphone (status Off at once). */
  async closeLocalMicrophone(): Promise<void> {
    await this.#pub.close('microphone');
  }

  /** Send silence instead of the microphone (the seat shows the microphone off). */
  async muteLocalAudio(): Promise<void> {
    this.setState({ isLocalAudioMuted: true });
    await this.#pub.setMuted(true);
  }

  /** Send the microphone again after `muteLocalAudio`. */
  async unmuteLocalAudio(): Promise<void> {
    this.setState({ isLocalAudioMuted: false });
    await this.#pub.setMuted(false);
  }

  /** Capture and publish the camera (at `localVideoQuality`). */
  openLocalCamera(params: { isFrontCamera?: boolean } = {}): Promise<void> {
    if (params.isFrontCamera !== undefined) this.setState({ isFrontCamera: params.isFrontCamera });
    return this.#open('camera', this.#cameraConstraints());
  }

  /** Stop publishing and capturing the camera (status Off at once). */
  async closeLocalCamera(): Promise<void> {
    await this.#pub.close('camera');
  }

  /** Share a screen or window (getDisplayMedia), published as your video instead of the camera. */
  startScreenShare(_params: { screenAudio?: boolean; view?: unknown } = {}): Promise<void> {
    return this.#open('screen', true);
  }

  /** Stop sharing; the camera (if open) is sent again. */
  async stopScreenShare(): Promise<void> {
    await this.#pub.close('screen');
  }

  /** Refresh `microphoneList` (empty → `microphoneLastError = NoDeviceDetected`). */
  getMicrophoneList(): Promise<void> {
    return this.#refreshLists('microphone');
  }

  /** Refresh `cameraList` (empty → `cameraLastError = NoDeviceDetected`). */
  getCameraList(): Promise<void> {
    return this.#refreshLists('camera');
  }

  /** Refresh `speakerList`. */
  getSpeakerList(): Promise<void> {
    return this.#refreshLists('speaker');
  }

  /** Choose the microphone; an open one is switched without renegotiating. */
  async setCurrentMicrophone(params: { deviceId: string }): Promise<void> {
    this.setState({ currentMicrophone: this.#device('microphoneList', params.deviceId) });
    await this.#switch('microphone', { deviceId: { exact: params.deviceId } });
  }

  /** Choose the camera; an open one is switched without renegotiating. */
  async setCurrentCamera(params: { deviceId: string }): Promise<void> {
    this.setState({ currentCamera: this.#device('cameraList', params.deviceId) });
    await this.#switch('camera', this.#cameraConstraints());
  }

  /** Choose the speaker (views play remote audio on it). */
  async setCurrentSpeaker(params: { deviceId: string }): Promise<void> {
    this.setState({ currentSpeaker: this.#device('speakerList', params.deviceId) });
  }

  /** Front or back camera (mobile browsers); an open camera is switched without renegotiating. */
  async switchCamera(params: { isFrontCamera: boolean }): Promise<void> {
    this.setState({ isFrontCamera: params.isFrontCamera, currentCamera: null });
    await this.#switch('camera', this.#cameraConstraints());
  }

  /** Mirror the local preview (views apply it). */
  async switchMirror(params: { mirror: MirrorType }): Promise<void> {
    this.setState({ localMirrorType: params.mirror });
  }

  /** Camera resolution and encoder bitrate: 360p/540p/720p/1080p. Applies to an open camera at once. */
  async updateVideoQuality(params: { quality: VideoQuality }): Promise<void> {
    const p = VIDEO_QUALITY_PROFILES[params.quality];
    if (!p) throw OnseatError.of('INVALID_PARAMETER', `Unknown video quality ${String(params.quality)}`);
    this.setState({ localVideoQuality: params.quality });
    await this.#pub.applyQuality({ width: { ideal: p.width }, height: { ideal: p.height }, frameRate: { ideal: p.frameRate } }, p);
  }

  /** Microphone gain 0–100 (`captureVolume`), applied at once to what is sent. */
  async setCaptureVolume(volume: number): Promise<void> {
    const captureVolume = Math.max(0, Math.min(100, Math.round(volume)));
    this.setState({ captureVolume });
    await this.#pub.setGain(captureVolume / 100);
  }

  /** Output volume 0–100 (views apply it to remote audio). */
  async setOutputVolume(volume: number): Promise<void> {
    this.setState({ outputVolume: Math.max(0, Math.min(100, Math.round(volume))) });
  }

  /** Audio route (mobile only; recorded). */
  async setAudioRoute(route: AudioRoute): Promise<void> {
    this.setState({ currentAudioRoute: route });
  }

  #cameraConstraints(): MediaTrackConstraints {
    const s = this.getSnapshot();
    return cameraConstraints(s.localVideoQuality, s.currentCamera?.deviceId ?? null, s.isFrontCamera);
  }

  #device(list: 'microphoneList' | 'cameraList' | 'speakerList', deviceId: string): TUIDeviceInfo {
    return this.getSnapshot()[list].find((d) => d.deviceId === deviceId) ?? { deviceId, deviceName: '' };
  }

  /** Why `source` may not be published now (you must be in a live, seated, and not closed by an admin), or null. */
  #refusal(source: LocalSource): OnseatError | null {
    const audio = source === 'microphone';
    const seat = this.ctx.liveId ? this.#seat : undefined;
    if (!seat?.userInfo) {
      if (source === 'screen') return OnseatError.of('OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN');
      return OnseatError.of(audio ? 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN' : 'OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN');
    }
    const closed = audio ? seat.isAudioLocked || !seat.userInfo.allowOpenMicrophone : seat.isVideoLocked || !seat.userInfo.allowOpenCamera;
    if (closed && source === 'screen') return OnseatError.of('OPEN_SCREEN_SHARE_NEED_SEAT_UNLOCK');
    if (closed) return OnseatError.of(audio ? 'OPEN_MICROPHONE_NEED_SEAT_UNLOCK' : 'OPEN_CAMERA_NEED_SEAT_UNLOCK');
    if (!this.#media.enabled) {
      this.setState({ [ERROR_KEY[source]]: DeviceError.NotSupportCapture });
      return new OnseatError(-1, 'MEDIA_NOT_AVAILABLE', 'No WebRTC in this environment: audio/video cannot be published');
    }
    return null;
  }

  async #open(source: LocalSource, constraints: MediaTrackConstraints | true): Promise<void> {
    const refusal = this.#refusal(source);
    if (refusal) throw refusal;
    try {
      await this.#pub.open(source, (c) => captureTrack(this.#media.env, source, c), constraints);
      this.setState({ [ERROR_KEY[source]]: DeviceError.NoError });
      if (source === 'camera') await this.#pub.applyQuality(null, VIDEO_QUALITY_PROFILES[this.getSnapshot().localVideoQuality]);
    } catch (error) {
      if (error instanceof CaptureFailed) {
        this.setState({ [ERROR_KEY[source]]: error.deviceError });
        throw error.error;
      }
      throw isOnseatError(error) ? error : OnseatError.of('FAILED', `Could not publish the ${source}: ${String(error)}`);
    }
  }

  async #switch(source: 'microphone' | 'camera', constraints: MediaTrackConstraints): Promise<void> {
    try {
      await this.#pub.switchDevice(source, () => captureTrack(this.#media.env, source, constraints));
    } catch (error) {
      if (!(error instanceof CaptureFailed)) throw error;
      this.setState({ [ERROR_KEY[source]]: error.deviceError });
      throw error.error;
    }
  }

  async #refreshLists(only?: 'microphone' | 'camera' | 'speaker'): Promise<void> {
    let all: MediaDeviceInfo[];
    try {
      all = await this.#media.env.enumerateDevices();
    } catch (error) {
      if (only === 'microphone' || only === 'camera') this.setState({ [ERROR_KEY[only]]: DeviceError.NoSystemPermission });
      throw error;
    }
    const s = this.getSnapshot();
    const patch: Partial<DeviceSnapshot> = {};
    if (!only || only === 'microphone') {
      const list = devicesOfKind(all, 'audioinput');
      patch.microphoneList = list;
      if (list.length === 0) patch.microphoneLastError = DeviceError.NoDeviceDetected;
      else if (s.microphoneLastError === DeviceError.NoDeviceDetected) patch.microphoneLastError = DeviceError.NoError;
      if (!s.currentMicrophone || !list.some((d) => d.deviceId === s.currentMicrophone?.deviceId)) patch.currentMicrophone = list[0] ?? null;
    }
    if (!only || only === 'camera') {
      const list = devicesOfKind(all, 'videoinput');
      patch.cameraList = list;
      if (list.length === 0) patch.cameraLastError = DeviceError.NoDeviceDetected;
      else if (s.cameraLastError === DeviceError.NoDeviceDetected) patch.cameraLastError = DeviceError.NoError;
      if (!s.currentCamera || !list.some((d) => d.deviceId === s.currentCamera?.deviceId)) patch.currentCamera = list[0] ?? null;
    }
    if (!only || only === 'speaker') {
      const list = devicesOfKind(all, 'audiooutput');
      patch.speakerList = list;
      if (!s.currentSpeaker || !list.some((d) => d.deviceId === s.currentSpeaker?.deviceId)) patch.currentSpeaker = list[0] ?? null;
    }
    this.setState(patch);
  }
}
