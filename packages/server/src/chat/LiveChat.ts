import type { Barrage, EventPayload, GiftInfo, LiveUserInfo } from '@onseat/protocol';
import type { TimerHandle } from '../engine/Clock.js';
import { HistoryRing } from './HistoryRing.js';

type Batch = EventPayload<'chat.batch'>;

/**
 * Chat state of one live on this node (not persisted): the history ring, the next message sequence, what waits for
 * the next batch frame, and the like coalescing timer. Chat never touches the live's event log.
 */
export class LiveChat {
  readonly history: HistoryRing<Barrage>;
  sequence = 0;
  messages: Barrage[] = [];
  gifts: { sender: LiveUserInfo; giftInfo: GiftInfo; giftCount: number }[] = [];
  giftTotalsChanged = false;
  /** A like total waits for the next batch (the last user who liked). */
  likeSender: LiveUserInfo | null = null;
  likesDue = false;
  /** When likes were last put in a batch (ms); the next total goes out no earlier than `likeIntervalMs` later. */
  lastLikesAt = Number.NEGATIVE_INFINITY;
  likeTimer: TimerHandle | null = null;
  /** A batch frame is scheduled for the end of this tick. */
  scheduled = false;
  /** A round of this live is being written (ChatRounds); what arrives meanwhile waits for the next one. */
  delivering = false;
  ended = false;

  constructor(historySize: number) {
    this.history = new HistoryRing(historySize);
  }

  /** Something waits for the next batch. */
  get waiting(): boolean {
    return this.messages.length > 0 || this.gifts.length > 0 || this.giftTotalsChanged || (this.likesDue && this.likeSender !== null);
  }

  /** Takes what waits and resets it; null when nothing does. `extra` adds the totals read from the live's record. */
  take(extra: { giftTotals: Batch['giftTotals']; totalLikes: number }): Batch | null {
    const batch: Batch = {};
    if (this.messages.length > 0) batch.messages = this.messages;
    if (this.gifts.length > 0) batch.gifts = this.gifts;
    if (this.giftTotalsChanged && extra.giftTotals) batch.giftTotals = extra.giftTotals;
    if (this.likesDue && this.likeSender) batch.likes = { totalLikesReceived: extra.totalLikes, sender: this.likeSender };
    this.messages = [];
    this.gifts = [];
    this.giftTotalsChanged = false;
    this.likesDue = false;
    return Object.keys(batch).length > 0 ? batch : null;
  }
}
