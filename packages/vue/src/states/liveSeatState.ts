import type {
  DeviceControlPolicy,
  LiveCanvas,
  LiveSeatEvent,
  LiveSeatEventMap,
  LiveSeatStore,
  DeviceStore,
  MediaStatsStore,
  RemoteMediaStore,
  Logger,
  MoveUserToSeatParams,
  SeatInfo,
} from '@onseat/client';
import { computed, type Ref } from 'vue';
import { softly } from './devices.js';
import { atomicxWritableRef, demandRef, snapshotRef } from '../reactive.js';
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
  /**
   * userId → network quality: yours, and each user whose media you receive (their uplink as the server sees it, and
   * your downlink for their streams). Refreshed every 2 s while read (stops 10 s after the last read).
   */
  networkQualities: Ref<Map<string, NetworkInfo>>;
  /** Statistics of what you send (`userID ''`) and of each user you receive; refreshed like `networkQualities`. */
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
  /**
   * Plays the live's media into the element (or element id) `view`: one `<video>` per user you receive, or only
   * `userId`'s. LiveCoreView does this by itself; use it for your own layout. Rejects with INVALID_PARAMETER when there
   * is no such element.
   */
  startPlayStream: (params: { view: string | HTMLElement; userId?: string }) => Promise<void>;
  /** Stops what `startPlayStream` plays (only `userId`'s when given) and removes its elements. */
  stopPlayStream: (params?: { userId?: string }) => Promise<void>;
  /** Register a callback for a LiveSeatEvent. */
  subscribeEvent: <K extends LiveSeatEvent>(event: K, callback: (eventInfo: LiveSeatEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends LiveSeatEvent>(event: K, callback: (eventInfo: LiveSeatEventMap[K]) => void) => void;
}

/** Build the LiveSeatState of one onseat instance. */
export function createLiveSeatState(
  store: LiveSeatStore,
  device: DeviceStore,
  logger: Logger,
  stats: MediaStatsStore,
  remote: RemoteMediaStore,
): LiveSeatState {
  const snapshot = snapshotRef(store);
  const soft = softly(logger);
  const statsRef = demandRef(stats);
  return {
    seatList: atomicxWritableRef(snapshot, 'seatList'),
    canvas: atomicxWritableRef(snapshot, 'canvas'),
    speakingUsers: atomicxWritableRef(snapshot, 'speakingUsers'),
    networkQualities: computed(() => statsRef.read().networkQualities as Map<string, NetworkInfo>),
    avStatistics: computed(() => statsRef.read().avStatistics as AVStatistics[]),
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
    startPlayStream: (params) => remote.startPlayStream(params),
    stopPlayStream: (params) => remote.stopPlayStream(params ?? {}),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
