import type {
  FetchLiveListParams,
  JoinLiveParams,
  LiveInfo,
  LiveListEvent,
  LiveListEventMap,
  LiveListStore,
  StartLiveParams,
  UpdateLiveInfoParams,
} from '@onseat/client';
import type { Ref } from 'vue';
import { atomicxWritableRef, snapshotRef } from '../reactive.js';

/** What `useLiveListState()` returns (AtomicX LiveListState: the live lifecycle and the live list). */
export interface LiveListState {
  /** Lives fetched with `fetchLiveList`. */
  liveList: Ref<LiveInfo[]>;
  /** Cursor of the next page; `''` = no more pages. */
  liveListCursor: Ref<string>;
  /**
   * The live you are in ("in a live" ⇔ `currentLive.value?.liveId` is non-empty). After your own
   * `leaveLive`/`endLive` it is an empty LiveInfo (liveId `''`); `null` after the live ended or you were removed.
   */
  currentLive: Ref<LiveInfo | null>;
  /**
   * Create a live and enter it as its owner. Seats come from `seatTemplate` (a SeatLayoutTemplate),
   * `seatLayoutTemplateId` or `maxSeatCount`; `seatMode` is `TUISeatMode.kApplyToTake` or `kFreeToTake`.
   * Rejects e.g. with 100003 (liveId taken) or -2108 (already in another live).
   */
  startLive: (params: StartLiveParams) => Promise<void>;
  /** Older name of `startLive`. */
  createLive: (params: StartLiveParams) => Promise<void>;
  /** Enter a live as audience. Rejects with 100004 when it does not exist. */
  joinLive: (params: JoinLiveParams) => Promise<void>;
  /** Leave the live; it keeps running and nobody is notified. */
  leaveLive: () => Promise<void>;
  /** End your live for everyone (they get `onLiveEnded`). Owner only (-2300). */
  endLive: () => Promise<void>;
  /** Load a page of lives into `liveList` (cursor `''` replaces, another appends). Resolves `undefined`. */
  fetchLiveList: (params?: FetchLiveListParams) => Promise<void>;
  /** Read one live's info. */
  fetchLiveInfo: (liveId: string) => Promise<LiveInfo>;
  /** In a live: change its info (owner/admin). Not in a live: only merge into the local `currentLive`. */
  updateLiveInfo: (params: UpdateLiveInfoParams) => Promise<void>;
  /** Read the live's metadata (all keys when `keys` is empty or missing). */
  queryMetaData: (params?: { keys?: string[] }) => Promise<Record<string, string>>;
  /** Set metadata from a JSON object string (`'{"k":"v"}'`; a value `''` deletes the key). */
  updateLiveMetaData: (params: { metaData: string }) => Promise<void>;
  /** Clear `liveList`, `liveListCursor` and `currentLive` (local only). */
  reset: () => void;
  /** Register a callback for `onLiveEnded` / `onKickedOutOfLive`. */
  subscribeEvent: <K extends LiveListEvent>(event: K, callback: (eventInfo: LiveListEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends LiveListEvent>(event: K, callback: (eventInfo: LiveListEventMap[K]) => void) => void;
}

/** Build the LiveListState of one onseat instance. */
export function createLiveListState(store: LiveListStore): LiveListState {
  const snapshot = snapshotRef(store);
  return {
    liveList: atomicxWritableRef(snapshot, 'liveList'),
    liveListCursor: atomicxWritableRef(snapshot, 'liveListCursor'),
    currentLive: atomicxWritableRef(snapshot, 'currentLive'),
    startLive: (params) => store.startLive(params),
    createLive: (params) => store.createLive(params),
    joinLive: (params) => store.joinLive(params),
    leaveLive: () => store.leaveLive(),
    endLive: () => store.endLive(),
    fetchLiveList: (params) => store.fetchLiveList(params),
    fetchLiveInfo: (liveId) => store.fetchLiveInfo(liveId),
    updateLiveInfo: (params) => store.updateLiveInfo(params),
    queryMetaData: (params) => store.queryMetaData(params),
    updateLiveMetaData: (params) => store.updateLiveMetaData(params),
    reset: () => store.reset(),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
