import type { AudienceInfo, LiveAudienceEvent, LiveAudienceEventMap, LiveAudienceStore, LiveUserInfo } from '@onseat/client';
import { computed, type ComputedRef } from 'vue';
import { notSupported } from '../notSupported.js';
import { atomicxRef, fieldRef, snapshotRef } from '../reactive.js';

/** What `useLiveAudienceState()` returns (AtomicX LiveAudienceState). */
export interface LiveAudienceState {
  /** Administrators and audience of the live (not the owner); fetched on entering, then kept up to date. */
  audienceList: ComputedRef<AudienceInfo[]>;
  /** Number of members of the live, as the server counts them. */
  audienceCount: ComputedRef<number>;
  /** Users banned from sending messages: always empty (onseat has no chat yet). */
  messageBannedUserList: ComputedRef<LiveUserInfo[]>;
  /** Re-read the audience into `audienceList` (done automatically on entering a live) and return it. */
  fetchAudienceList: () => Promise<AudienceInfo[]>;
  /** Make a member an administrator (owner only, -2300). */
  setAdministrator: (params: { userId: string }) => Promise<void>;
  /** Take administrator rights back (owner only). */
  revokeAdministrator: (params: { userId: string }) => Promise<void>;
  /** Remove a member from the live (they get `onKickedOutOfLive`). Owner/admin. */
  kickUserOutOfRoom: (params: { userId: string }) => Promise<void>;
  /** Ban a user from sending messages: rejects with -1 ("onseat does not support disableSendMessage yet"). */
  disableSendMessage: (params: { userId: string; isDisable: boolean }) => Promise<void>;
  /** Same as `kickUserOutOfRoom`. */
  kickUserOutOfLive: (params: { userId: string }) => Promise<void>;
  /** Register a callback for `onAudienceJoined` / `onAudienceLeft`. */
  subscribeEvent: <K extends LiveAudienceEvent>(event: K, callback: (eventInfo: LiveAudienceEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends LiveAudienceEvent>(event: K, callback: (eventInfo: LiveAudienceEventMap[K]) => void) => void;
}

/** Build the LiveAudienceState of one onseat instance. */
export function createLiveAudienceState(store: LiveAudienceStore): LiveAudienceState {
  const snapshot = snapshotRef(store);
  return {
    audienceList: atomicxRef(snapshot, 'audienceList'),
    messageBannedUserList: computed(() => []),
    audienceCount: fieldRef(snapshot, 'audienceCount'),
    fetchAudienceList: () => store.fetchAudienceList(),
    setAdministrator: (params) => store.setAdministrator(params),
    revokeAdministrator: (params) => store.revokeAdministrator(params),
    kickUserOutOfRoom: (params) => store.kickUserOutOfRoom(params),
    kickUserOutOfLive: (params) => store.kickUserOutOfLive(params),
    disableSendMessage: () => Promise.reject(notSupported('disableSendMessage')),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
