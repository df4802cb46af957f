import type {
  DeviceControlPolicy,
  LiveCanvas,
  LiveSeatEvent,
  LiveSeatEventMap,
  LiveSeatStore,
  DeviceStore,
  Logger,
  MoveUserToSeatParams,
  SeatInfo,
} from '@onseat/client';
import { shallowRef, type Ref } from 'vue';
import { softly } from './devices.js';
import { atomicxWritableRef, snapshotRef } from '../reactive.js';
import type { AVStatistics, NetworkInfo } from '../types.js';

/** What `useLiveSeatState()` returns (AtomicX LiveSeatState: seats and the host's seat controls). */
export interface LiveSeatState {
  /** Every seat of the live by index; an empty seat has `userInfo.userId === ''`. `[]` outside a live. */
  seatList: Ref<SeatInfo[]>;
  /** Size of the live's canvas (from its layout template). */
  canvas: Ref<LiveCanvas>;
  /**
   * userId → audio level (0–100) of the users audible now, from the server's periodic `media.audioLevels`
   * (a user who falls silent drops out). Includes you while you publish your microphone.
   */
  speakingUsers: Ref<Map<string, number>>;
  /** userId → network quality (empty until onseat has media). */
  networkQualities: Ref<Map<string, NetworkInfo>>;
  /** Stream statistics (empty until onseat has media). */
  avStatistics: Ref<AVStatistics[]>;
  /** Sit on a seat directly (host/admin, or anyone in a `kFreeToTake` live). Rejects with 100200/100201/-2344… */
  takeSeat: (params: { seatIndex: number }) => Promise<void>;
  /** Leave your seat (you stay in the live). */
  leaveSeat: () => Promise<void>;
  /** Lock a seat (its user, if any, is removed first). Host/admin. */
  lockSeat: (params: { seatIndex: number }) => Promise<void>;
  /** Unlock a seat. Host/admin. */
  unlockSeat: (params: { seatIndex: number }) => Promise<void>;
  /** Older name of `unlockSeat`. */
  unLockSeat: (params: { seatIndex: number }) => Promise<void>;
  /** Remove a user from their seat (they get `onKickedOffSeat`); no-op when not seated. Host/admin. */
  kickUserOutOfSeat: (params: { userId: string }) => Promise<void>;
  /** Move a seated user (`policy`: MoveSeatPolicy); no-op when not seated. Host/admin. */
  moveUserToSeat: (params: MoveUserToSeatParams) => Promise<void>;
  /** Allow a guest to open their camera again (unlock only; they get `onLocalCameraOpenedByAdmin`). */
  openRemoteCamera: (params: { userId: string; policy?: DeviceControlPolicy }) => Promise<void>;
  /** Allow a guest to open their microphone again (unlock only). */
  openRemoteMicrophone: (params: { userId: string; policy?: DeviceControlPolicy }) => Promise<void>;
  /** Force-close a guest's camera (they get `onLocalCameraClosedByAdmin`). */
  closeRemoteCamera: (params: { userId: string }) => Promise<void>;
  /** Force-close a guest's microphone. */
  closeRemoteMicrophone: (params: { userId: string }) => Promise<void>;
  /** Mute your upstream audio (same as DeviceState `muteLocalAudio`). */
  muteMicrophone: () => Promise<void>;
  /** Unmute your upstream audio (same as DeviceState `unmuteLocalAudio`). */
  unmuteMicrophone: () => Promise<void>;
  /** Playback starts by itself once you are in a live (LiveCoreView plays it); kept for AtomicX code that calls it. */
  startPlayStream: (params: { view: string }) => Promise<void>;
  /** Stop playing (nothing plays yet, so it resolves). */
  stopPlayStream: () => Promise<void>;
  /** Register a callback for a LiveSeatEvent. */
  subscribeEvent: <K extends LiveSeatEvent>(event: K, callback: (eventInfo: LiveSeatEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends LiveSeatEvent>(event: K, callback: (eventInfo: LiveSeatEventMap[K]) => void) => void;
}

/** Build the LiveSeatState of one onseat instance. */
export function createLiveSeatState(store: LiveSeatStore, device: DeviceStore, logger: Logger): LiveSeatState {
  const snapshot = snapshotRef(store);
  const soft = softly(logger);
  return {
    seatList: atomicxWritableRef(snapshot, 'seatList'),
    canvas: atomicxWritableRef(snapshot, 'canvas'),
    speakingUsers: atomicxWritableRef(snapshot, 'speakingUsers'),
    networkQualities: shallowRef(new Map<string, NetworkInfo>()),
    avStatistics: shallowRef<AVStatistics[]>([]),
    takeSeat: (params) => store.takeSeat(params),
    leaveSeat: () => store.leaveSeat(),
    lockSeat: (params) => store.lockSeat(params),
    unlockSeat: (params) => store.unlockSeat(params),
    unLockSeat: (params) => store.unLockSeat(params),
    kickUserOutOfSeat: (params) => store.kickUserOutOfSeat(params),
    moveUserToSeat: (params) => store.moveUserToSeat(params),
    openRemoteCamera: (params) => store.openRemoteCamera(params),
    openRemoteMicrophone: (params) => store.openRemoteMicrophone(params),
    closeRemoteCamera: (params) => store.closeRemoteCamera(params),
    closeRemoteMicrophone: (params) => store.closeRemoteMicrophone(params),
    muteMicrophone: () => soft(device.muteLocalAudio()),
    unmuteMicrophone: () => soft(device.unmuteLocalAudio()),
    startPlayStream: () => Promise.resolve(),
    stopPlayStream: () => Promise.resolve(),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
