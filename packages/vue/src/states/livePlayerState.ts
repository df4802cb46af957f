/**
 * `useLivePlayerState()` (AtomicX LivePlayerState): the viewer's controls of the mounted `LiveCoreView` — play/pause,
 * volume, mute, resolution, picture-in-picture, fullscreen, the control bar — with AtomicX's fields and events.
 * The state is one per onseat instance; the `LiveCoreView` mounted last is the one it controls.
 */
import { shallowRef, watch, type Component, type CSSProperties, type Ref } from 'vue';
import { EventHub, OnseatError, type Logger } from '@onseat/client';
import { PlayerControlButton, PlayerControlEvent } from '../enums.js';
import { notSupported } from '../notSupported.js';
import type { PlaybackControls } from '../components/playback.js';

/** A resolution the viewer can choose (`value` is a TUIVideoQuality: 1 = 360p … 4 = 1080p). */
export interface Resolution {
  label: string;
  value: number;
}

/** Result of `requestFullscreen` / `exitFullscreen`. */
export interface FullscreenResult {
  success: boolean;
  mode: 'standard' | 'simulated';
  shouldRotateToLandscape: boolean;
  error?: Error;
}

/** State of one control-bar button. */
export interface ButtonState {
  visible: boolean;
  disabled: boolean;
  tooltip?: string;
  icon?: Component;
  activeIcon?: Component;
}

/** Every built-in button's state. */
export type PlayerControlButtons = Record<PlayerControlButton, ButtonState>;

/** Where a custom button goes in the control bar. */
export type CustomButtonPosition = 'left' | 'right';

/** A button an app adds to the control bar. */
export interface CustomButton {
  id: string;
  icon: Component;
  onClick: () => void | Promise<void>;
  tooltip?: string;
  visible?: boolean;
  disabled?: boolean;
  position?: CustomButtonPosition;
  className?: string;
  style?: CSSProperties;
}

/** Payload of each {@link PlayerControlEvent}. */
export interface PlayerControlEventMap {
  playStateChange: boolean;
  volumeChange: number;
  fullscreenChange: boolean;
  pictureInPictureChange: boolean;
  resolutionChange: Resolution | undefined;
  controlBarVisibilityChange: boolean;
}

/** Callback of player event `K`. */
export type PlayerControlEventCallback<K extends PlayerControlEvent = PlayerControlEvent> = (value: PlayerControlEventMap[K]) => void;

/** What `useLivePlayerState()` returns. */
export interface LivePlayerState {
  /** False after `pause()` until `resume()`. */
  isPlaying: Ref<boolean>;
  isMuted: Ref<boolean>;
  isFullscreen: Ref<boolean>;
  isPictureInPicture: Ref<boolean>;
  controlBarVisible: Ref<boolean>;
  buttons: Ref<PlayerControlButtons>;
  /** 0–100, applied on top of DeviceState's `outputVolume`. */
  currentVolume: Ref<number>;
  currentResolution: Ref<Resolution | undefined>;
  /** The resolutions to choose from: one entry (the original stream) until the SFU has simulcast layers. */
  resolutionList: Ref<Resolution[]>;
  /** onseat: the buttons added with `addCustomButtons`. */
  customButtons: Ref<CustomButton[]>;
  /** Stop every picture and sound of the view (the media keeps arriving). */
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  /** Restart playback of every element (e.g. after a stall). */
  refresh: () => Promise<void>;
  /** 0–100; other values reject with -1001 (INVALID_PARAMETER). */
  setVolume: (volume: number) => Promise<void>;
  mute: () => Promise<void>;
  unmute: () => Promise<void>;
  /** Fullscreen of the mounted LiveCoreView (`success: false` with `error` when the browser refuses or none is mounted). */
  requestFullscreen: () => Promise<FullscreenResult>;
  exitFullscreen: () => Promise<FullscreenResult>;
  /** Picture-in-picture of the first remote video of the view; rejects when there is none or the browser has no PiP. */
  requestPictureInPicture: () => Promise<void>;
  exitPictureInPicture: () => Promise<void>;
  /** Choose a resolution of `resolutionList`; another value rejects ("onseat does not support switching resolution yet"). */
  switchResolution: (resolution: Resolution) => Promise<void>;
  addCustomButtons: (buttons: CustomButton[]) => void;
  showControlBar: () => void;
  hideControlBar: () => void;
  /** Delay before the control bar hides itself (ms; kept, the bar does not hide by itself yet). */
  setAutoHideDelay: (delay: number) => void;
  subscribeEvent: <K extends PlayerControlEvent>(event: K, callback: PlayerControlEventCallback<K>) => void;
  unsubscribeEvent: <K extends PlayerControlEvent>(event: K, callback: PlayerControlEventCallback<K>) => void;
}

/** The original stream: the only layer the SFU forwards today. */
export const ORIGINAL_RESOLUTION: Resolution = Object.freeze({ label: 'Original', value: 4 });

/** The parts of the mounted LiveCoreView the player needs. */
export interface PlayerView {
  root: HTMLElement;
}

/** LivePlayerState plus what LiveCoreView uses to follow it. */
export interface LivePlayerInternals {
  state: LivePlayerState;
  /** The choices every media element of the view follows. */
  controls: () => PlaybackControls;
  /** LiveCoreView registers its root element (returns the unregister function). */
  attach: (view: PlayerView) => () => void;
}

function allButtons(): PlayerControlButtons {
  const on = (): ButtonState => ({ visible: true, disabled: false });
  return {
    [PlayerControlButton.Play]: on(),
    [PlayerControlButton.Volume]: on(),
    [PlayerControlButton.Resolution]: on(),
    [PlayerControlButton.PictureInPicture]: on(),
    [PlayerControlButton.Fullscreen]: on(),
  };
}

type PipDocument = Document & { pictureInPictureElement?: Element | null; exitPictureInPicture?: () => Promise<void> };
type PipVideo = HTMLVideoElement & { requestPictureInPicture?: () => Promise<unknown> };

/** Build the LivePlayerState of one onseat instance. */
export function createLivePlayerState(logger: Logger): LivePlayerInternals {
  const isPlaying = shallowRef(true);
  const isMuted = shallowRef(false);
  const isFullscreen = shallowRef(false);
  const isPictureInPicture = shallowRef(false);
  const controlBarVisible = shallowRef(true);
  const buttons = shallowRef(allButtons());
  const currentVolume = shallowRef(100);
  const currentResolution = shallowRef<Resolution | undefined>(ORIGINAL_RESOLUTION);
  const resolutionList = shallowRef<Resolution[]>([ORIGINAL_RESOLUTION]);
  const customButtons = shallowRef<CustomButton[]>([]);
  const events = new EventHub<PlayerControlEventMap>(logger);
  const views: PlayerView[] = [];
  const view = () => views[views.length - 1] ?? null;
  const doc = () => globalThis.document as PipDocument | undefined;

  watch(isPlaying, (v) => events.emit(PlayerControlEvent.PlayStateChange, v));
  watch(currentVolume, (v) => events.emit(PlayerControlEvent.VolumeChange, v));
  watch(isFullscreen, (v) => events.emit(PlayerControlEvent.FullscreenChange, v));
  watch(isPictureInPicture, (v) => events.emit(PlayerControlEvent.PictureInPictureChange, v));
  watch(currentResolution, (v) => events.emit(PlayerControlEvent.ResolutionChange, v));
  watch(controlBarVisible, (v) => events.emit(PlayerControlEvent.ControlBarVisibilityChange, v));

  const onFullscreenChange = () => {
    const root = view()?.root;
    isFullscreen.value = !!root && doc()?.fullscreenElement === root;
  };
  const fullscreenResult = (success: boolean, error?: Error): FullscreenResult => ({
    success,
    mode: 'standard',
    shouldRotateToLandscape: false,
    ...(error ? { error } : {}),
  });
  const firstRemoteVideo = (): PipVideo | null =>
    (view()?.root.querySelector('.onseat-seat:not(.is-local) video.onseat-media') as PipVideo | null) ?? null;

  const state: LivePlayerState = {
    isPlaying,
    isMuted,
    isFullscreen,
    isPictureInPicture,
    controlBarVisible,
    buttons,
    currentVolume,
    currentResolution,
    resolutionList,
    customButtons,
    pause: () => {
      isPlaying.value = false;
      return Promise.resolve();
    },
    resume: () => {
      isPlaying.value = true;
      return Promise.resolve();
    },
    refresh: async () => {
      isPlaying.value = false;
      await Promise.resolve();
      isPlaying.value = true;
    },
    setVolume: (volume) => {
      if (typeof volume !== 'number' || !Number.isFinite(volume) || volume < 0 || volume > 100) {
        return Promise.reject(invalidVolume(volume));
      }
      currentVolume.value = volume;
      return Promise.resolve();
    },
    mute: () => {
      isMuted.value = true;
      return Promise.resolve();
    },
    unmute: () => {
      isMuted.value = false;
      return Promise.resolve();
    },
    requestFullscreen: async () => {
      const root = view()?.root;
      if (!root || typeof root.requestFullscreen !== 'function')
        return fullscreenResult(false, new Error('No LiveCoreView is mounted, or fullscreen is not available'));
      try {
        await root.requestFullscreen();
        onFullscreenChange();
        return fullscreenResult(true);
      } catch (error) {
        return fullscreenResult(false, error instanceof Error ? error : new Error(String(error)));
      }
    },
    exitFullscreen: async () => {
      const d = doc();
      if (!d?.fullscreenElement) return fullscreenResult(true);
      try {
        await d.exitFullscreen();
        onFullscreenChange();
        return fullscreenResult(true);
      } catch (error) {
        return fullscreenResult(false, error instanceof Error ? error : new Error(String(error)));
      }
    },
    requestPictureInPicture: async () => {
      const video = firstRemoteVideo();
      if (!video || typeof video.requestPictureInPicture !== 'function')
        throw notSupported('picture-in-picture here (no remote video, or the browser has no PiP)');
      await video.requestPictureInPicture();
      isPictureInPicture.value = true;
      video.addEventListener('leavepictureinpicture', () => (isPictureInPicture.value = false), { once: true });
    },
    exitPictureInPicture: async () => {
      const d = doc();
      if (d?.pictureInPictureElement && typeof d.exitPictureInPicture === 'function') await d.exitPictureInPicture();
      isPictureInPicture.value = false;
    },
    switchResolution: (resolution) => {
      if (resolutionList.value.some((r) => r.value === resolution.value)) {
        currentResolution.value = resolutionList.value.find((r) => r.value === resolution.value);
        return Promise.resolve();
      }
      return Promise.reject(notSupported(`switching to resolution ${resolution.label || resolution.value} (the SFU has no simulcast layers)`));
    },
    addCustomButtons: (list) => {
      const ids = new Set(list.map((b) => b.id));
      customButtons.value = [...customButtons.value.filter((b) => !ids.has(b.id)), ...list];
    },
    showControlBar: () => {
      controlBarVisible.value = true;
    },
    hideControlBar: () => {
      controlBarVisible.value = false;
    },
    setAutoHideDelay: () => undefined,
    subscribeEvent: (event, callback) => events.on(event, callback),
    unsubscribeEvent: (event, callback) => events.off(event, callback),
  };

  return {
    state,
    controls: () => ({ paused: !isPlaying.value, volume: currentVolume.value, muted: isMuted.value }),
    attach: (v) => {
      views.push(v);
      doc()?.addEventListener('fullscreenchange', onFullscreenChange);
      return () => {
        const i = views.indexOf(v);
        if (i >= 0) views.splice(i, 1);
        doc()?.removeEventListener('fullscreenchange', onFullscreenChange);
        onFullscreenChange();
      };
    },
  };
}

function invalidVolume(volume: unknown): Error {
  return OnseatError.of('INVALID_PARAMETER', `setVolume: volume must be a number from 0 to 100 (got ${String(volume)})`);
}
