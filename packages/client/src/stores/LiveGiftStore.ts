import type { LiveSnapshot } from '@onseat/protocol';
import type { GiftCategory, LiveGiftEventMap } from '../chatTypes.js';
import type { AnyLiveEvent } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import { OnseatError } from '../errors.js';
import { toUser } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link LiveGiftStore}. */
export interface LiveGiftSnapshot {
  /** The server's gift catalogue (fetched on entering a live, or with `refreshGiftList`). */
  giftInfoList: readonly GiftCategory[];
  /** Likes the current live has received in all. */
  totalLikeCount: number;
  /** Gift totals of the current live. */
  totalGiftsSent: number;
  totalGiftCoins: number;
  totalUniqueGiftSenders: number;
}

const copyCategories = (c: readonly GiftCategory[]): GiftCategory[] =>
  c.map((x) => ({ ...x, extensionInfo: { ...x.extensionInfo }, giftList: x.giftList.map((g) => ({ ...g, extensionInfo: { ...g.extensionInfo } })) }));

/**
 * AtomicX LiveGiftState: the gift catalogue, sending gifts and likes, and the live's totals. Gifts and like totals
 * reach every member in the server's chat batches; like totals at most every 500 ms.
 */
export class LiveGiftStore extends Store<LiveGiftSnapshot, LiveGiftEventMap> {
  #language = '';

  constructor(ctx: OnseatContext) {
    super(ctx, { giftInfoList: [], totalLikeCount: 0, totalGiftsSent: 0, totalGiftCoins: 0, totalUniqueGiftSenders: 0 });
    ctx.addSink({
      liveSnapshot: (snapshot: LiveSnapshot, cause) => {
        const t = snapshot.giftTotals;
        this.setState({
          totalLikeCount: snapshot.totalLikes ?? 0,
          totalGiftsSent: t?.totalGiftsSent ?? 0,
          totalGiftCoins: t?.totalGiftCoins ?? 0,
          totalUniqueGiftSenders: t?.totalUniqueGiftSenders ?? 0,
        });
        if (cause === 'enter') this.refreshGiftList().catch((error: unknown) => this.ctx.logger.warn?.('refreshGiftList failed', error));
      },
      liveEvent: (event: AnyLiveEvent) => this.#onEvent(event),
      liveExit: () => this.setState({ totalLikeCount: 0, totalGiftsSent: 0, totalGiftCoins: 0, totalUniqueGiftSenders: 0 }),
    });
  }

  /** Send `count` of a gift of the catalogue. Rejects with 40040 (no such gift) or 40041 (gifts disabled in this live). */
  async sendGift(params: { giftId: string; count: number }): Promise<void> {
    this.#requireLive();
    await this.ctx.request('gift.send', { giftId: params.giftId, count: params.count });
  }

  /** Like the live `count` times (default 1). */
  async sendLikes(params: { count?: number } = {}): Promise<void> {
    this.#requireLive();
    const { totalLikes } = await this.ctx.request('gift.like', { count: params.count ?? 1 });
    if (totalLikes > this.getSnapshot().totalLikeCount) this.setState({ totalLikeCount: totalLikes });
  }

  /** Like the live once (same as `sendLikes({count: 1})`). */
  sendLike(): Promise<void> {
    return this.sendLikes({ count: 1 });
  }

  /** Read the catalogue into `giftInfoList`. */
  async refreshGiftList(): Promise<void> {
    await this.getGiftList();
  }

  /** Read the catalogue, put it into `giftInfoList` and return it. */
  async getGiftList(): Promise<GiftCategory[]> {
    this.#requireLive();
    const { categories } = await this.ctx.request('gift.list', {});
    this.setState({ giftInfoList: copyCategories(categories) });
    return copyCategories(categories);
  }

  /** Remember the language for gift names; the server's catalogue has one language, so this changes nothing yet. */
  setLanguage(language: string): Promise<void> {
    this.#language = language;
    return Promise.resolve();
  }

  /** The language given to `setLanguage` ('' = none). */
  get language(): string {
    return this.#language;
  }

  #requireLive(): void {
    if (!this.ctx.liveId) throw OnseatError.of('NOT_IN_LIVE', 'Join or start a live first');
  }

  #onEvent(e: AnyLiveEvent): void {
    if (e.type !== 'chat.batch') return;
    const { gifts, giftTotals, likes } = e.payload;
    const liveId = e.liveId;
    if (giftTotals) this.setState({ ...giftTotals });
    if (likes && likes.totalLikesReceived > this.getSnapshot().totalLikeCount) this.setState({ totalLikeCount: likes.totalLikesReceived });
    for (const g of gifts ?? []) {
      this.emit('ON_RECEIVE_GIFT_MESSAGE', {
        liveId,
        giftCount: g.giftCount,
        sender: toUser(g.sender),
        giftInfo: { ...g.giftInfo, extensionInfo: { ...g.giftInfo.extensionInfo } },
      });
    }
    if (giftTotals) this.emit('ON_GIFT_COUNT_CHANGED', { liveId, ...giftTotals });
    if (likes) this.emit('ON_RECEIVE_LIKES_MESSAGE', { liveId, totalLikesReceived: likes.totalLikesReceived, sender: toUser(likes.sender) });
  }
}
