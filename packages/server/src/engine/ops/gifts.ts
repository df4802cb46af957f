import type { GiftTotals } from '@onseat/protocol';
import type { LiveRecord } from '../state.js';

/** Adds a gift to the live's durable totals. */
export function addGift(record: LiveRecord, senderId: string, count: number, coins: number): void {
  const g = (record.gifts ??= { sent: 0, coins: 0, senders: [] });
  g.sent += count;
  g.coins += coins;
  if (!g.senders.includes(senderId)) g.senders.push(senderId);
}

/** Adds likes to the live's durable total; returns the new total. */
export function addLikes(record: LiveRecord, count: number): number {
  record.likes = (record.likes ?? 0) + count;
  return record.likes;
}

export function giftTotalsOf(record: LiveRecord): GiftTotals {
  const g = record.gifts;
  return { totalGiftsSent: g?.sent ?? 0, totalGiftCoins: g?.coins ?? 0, totalUniqueGiftSenders: g?.senders.length ?? 0 };
}
