import type { GiftCategory, LiveGiftEventMap, LiveGiftEvents, LiveGiftStore } from '@onseat/client';
import type { Ref } from 'vue';
import { atomicxWritableRef, snapshotRef } from '../reactive.js';

/** What `useLiveGiftState()` returns (AtomicX LiveGiftState). */
export interface LiveGiftState {
  /** The gift catalogue by category (read on entering a live). */
  giftInfoList: Ref<GiftCategory[]>;
  /** Likes the current live received in all (updated at most every 500 ms). */
  totalLikeCount: Ref<number>;
  /** Send `count` of a gift. Rejects with 40040 (no such gift) or 40041 (gifts disabled in this live). */
  sendGift: (params: { giftId: string; count: number }) => Promise<void>;
  /** Like the live `count` times. */
  sendLikes: (params: { count: number }) => Promise<void>;
  /** Like the live once. */
  sendLike: () => Promise<void>;
  /** Re-read the catalogue into `giftInfoList`. */
  refreshGiftList: () => Promise<void>;
  /** @deprecated use `refreshGiftList`. Reads the catalogue and returns it. */
  getGiftList: () => Promise<GiftCategory[]>;
  /** Kept for compatibility: the server's catalogue has one language. */
  setLanguage: (language: string) => Promise<void>;
  subscribeEvent: <T extends LiveGiftEvents>(event: T, callback: (eventInfo: LiveGiftEventMap[T]) => void) => void;
  unsubscribeEvent: <T extends LiveGiftEvents>(event: T, callback: (eventInfo: LiveGiftEventMap[T]) => void) => void;
}

export function createLiveGiftState(store: LiveGiftStore): LiveGiftState {
  const snapshot = snapshotRef(store);
  return {
    giftInfoList: atomicxWritableRef(snapshot, 'giftInfoList'),
    totalLikeCount: atomicxWritableRef(snapshot, 'totalLikeCount'),
    sendGift: (params) => store.sendGift(params),
    sendLikes: (params) => store.sendLikes(params),
    sendLike: () => store.sendLike(),
    refreshGiftList: () => store.refreshGiftList(),
    getGiftList: () => store.getGiftList(),
    setLanguage: (language) => store.setLanguage(language),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
