import type { AudienceInfo, LiveAudienceEvent, LiveAudienceEventMap, LiveAudienceStore, LiveUserInfo } from '@onseat/client';
import type { ComputedRef } from 'vue';
import { atomicxRef, fieldRef, snapshotRef } from '../reactive.js';

/** What `useLiveAudienceState()` returns (AtomicX LiveAudienceState). */
export interface LiveAudienceState {
  /** Administrators and audience of the live (not the owner); fetched on entering, then kept up to date. */
  audienceList: ComputedRef<AudienceInfo[]>;
  /** Number of members of the live, as the server counts them. */
  audienceCount: ComputedRef<number>;
  /** Members the hosts banned from chatting (AtomicX v6). */
  messageBannedUserList: ComputedRef<LiveUserInfo[]>;
  /** Ban a member from chatting or lift the ban (owner/admins; admins cannot ban admins or the owner). */
  disableSendMessage: (params: { userId: string; isDisable: boolean }) => Promise<void>;
  /** Re-read the audience into `audienceList` (done automatically on entering a live) and return it. */
  fetchAudienceList: () => Promise<AudienceInfo[]>;
  /** Make a member an administrator (owner only, -2300). */
  setAdministrator: (params: { userId: string }) => Promise<void>;
  /** Take administrator rights back (owner only). */
  revokeAdministrator: (params: { userId: string }) => Promise<void>;
  /** Remove a member from the live (they get `onKickedOutOfLive`). Owner/admin. */
  kickUserOutOfRoom: (params: { userId: string }) => Promise<void>;
  /** Same as `kickUserOutOfRoom`. */
  kickUserOutOfLive: (params: { userId: string }) => Promise<void>;
  /** Register a callback for a `LiveAudienceEvent` (joins and leaves of audience, admins and the owner; message bans). */
  subscribeEvent: <K extends LiveAudienceEvent>(event: K, callback: (eventInfo: LiveAudienceEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends LiveAudienceEvent>(event: K, callback: (eventInfo: LiveAudienceEventMap[K]) => void) => void;
}

/** Build the LiveAudienceState of one onseat instance. */
export function createLiveAudienceState(store: LiveAudienceStore): LiveAudienceState {
  const snapshot = snapshotRef(store);
  return {
    audienceList: atomicxRef(snapshot, 'audienceList'),
    audienceCount: fieldRef(snapshot, 'audienceCount'),
    messageBannedUserList: atomicxRef(snapshot, 'messageBannedUserList'),
    disableSendMessage: (params) => store.disableSendMessage(params),
    fetchAudienceList: () => store.fetchAudienceList(),
    setAdministrator: (params) => store.setAdministrator(params),
    revokeAdministrator: (params) => store.revokeAdministrator(params),
    kickUserOutOfRoom: (params) => store.kickUserOutOfRoom(params),
    kickUserOutOfLive: (params) => store.kickUserOutOfLive(params),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
