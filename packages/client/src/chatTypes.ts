/** Data types of AtomicX's BarrageState and LiveGiftState (`tuikit-atomicx-vue3` v6 shapes). */
import type { BarrageType } from './chatEnums.js';
import type { LiveUserInfo } from './types.js';

/** A chat message. `sequence` counts per live; local tips (`appendLocalTip`) keep the sequence they were given. */
export interface Barrage {
  liveId: string;
  sender: LiveUserInfo;
  sequence: number;
  timestampInSecond: number;
  messageType: BarrageType;
  textContent?: string;
  extensionInfo?: Record<string, string> | null;
  businessId?: string;
  data?: string;
}

/** Payloads of the barrage events. */
export interface BarrageEventMap {
  onBarrageReceived: Barrage;
  onCustomMessageReceived: Barrage;
}

/** One gift of the catalogue. */
export interface GiftInfo {
  giftID: string;
  name: string;
  desc: string;
  iconUrl: string;
  resourceUrl: string;
  level: number;
  coins: number;
  extensionInfo: Record<string, string>;
}

/** A category of the gift catalogue. */
export interface GiftCategory {
  categoryID: string;
  name: string;
  desc: string;
  extensionInfo: Record<string, string>;
  giftList: GiftInfo[];
}

/** `ON_RECEIVE_GIFT_MESSAGE`: someone sent a gift. */
export interface Gift {
  liveId: string;
  giftCount: number;
  sender: LiveUserInfo;
  giftInfo: GiftInfo;
}

/** `ON_GIFT_COUNT_CHANGED`: the live's gift totals. */
export interface GiftCountChanged {
  liveId: string;
  totalGiftsSent: number;
  totalGiftCoins: number;
  totalUniqueGiftSenders: number;
}

/** `ON_RECEIVE_LIKES_MESSAGE`: the live's like total (at most every 500 ms) and the last user who liked. */
export interface LikesMessage {
  liveId: string;
  totalLikesReceived: number;
  sender: LiveUserInfo;
}

/** Payloads of the gift events. */
export interface LiveGiftEventMap {
  ON_RECEIVE_GIFT_MESSAGE: Gift;
  ON_GIFT_COUNT_CHANGED: GiftCountChanged;
  ON_RECEIVE_LIKES_MESSAGE: LikesMessage;
}
