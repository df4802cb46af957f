import type { Barrage, GiftInfo, ParsedRequestPayload } from '@onseat/protocol';
import type { LiveBus } from '../bus/LiveBus.js';
import type { EngineRequestType, Reply } from '../engine/api.js';
import type { Clock } from '../engine/Clock.js';
import { fail } from '../engine/EngineError.js';
import type { Live } from '../engine/Live.js';
import { addGift, addLikes, giftTotalsOf } from '../engine/ops/gifts.js';
import { RateLimiter } from '../transport/RateLimiter.js';
import { ChatRounds } from './ChatRounds.js';
import { LiveChat } from './LiveChat.js';
import { resolveChatOptions, type ChatOptions, type ResolvedChatOptions } from './options.js';
import { WordFilter } from './wordFilter.js';

/** Requests the chat service answers (the engine hands them over after finding the caller's live). */
export const CHAT_REQUEST_TYPES = [
  'barrage.sendText',
  'barrage.sendCustom',
  'gift.list',
  'gift.send',
  'gift.like',
] as const satisfies readonly EngineRequestType[];
export type ChatRequestType = (typeof CHAT_REQUEST_TYPES)[number];
const CHAT_TYPES: ReadonlySet<string> = new Set(CHAT_REQUEST_TYPES);

/** What the chat service needs from the engine. */
export interface ChatHost {
  readonly clock: Clock;
  /**
   * Runs `fn` on the live as a command: the record change is committed to the store before the promise resolves.
   * `beforeCommit` gets the command's answer (what `fn` returns) before the commit (`Engine.execute`).
   */
  commit<R>(live: Live, fn: () => R, beforeCommit?: (reply: Reply) => void): Promise<R>;
  /** The live's bus: a round reaches members connected to other nodes of a cluster as one delivery per round. */
  readonly bus: LiveBus;
}

/** Runs `fn` once the current tick's other work is done (tests may substitute a synchronous one). */
export type TickScheduler = (fn: () => void) => void;

/**
 * Chat, gifts and likes of every live on this node. Messages do not go through the live's event log: each live has
 * its own history ring (the last `historySize` messages, handed to newcomers in their snapshot) and its own delivery
 * path, straight to the members' connections, batched: everything a live produced while its previous round was being
 * written leaves as one `chat.batch` frame, serialised once and written to every member in slices (ChatRounds). Like
 * totals are coalesced to one per
 * `likeIntervalMs`. Gift and like totals are part of the live's record, so they persist with it.
 */
export class ChatService {
  readonly options: ResolvedChatOptions;
  readonly #host: ChatHost;
  readonly #limiter: RateLimiter;
  /** Likes come in bursts of taps (and are coalesced anyway): their own, larger bucket. */
  readonly #likeLimiter: RateLimiter;
  readonly #filter: WordFilter;
  readonly #gifts = new Map<string, GiftInfo>();
  readonly #schedule: TickScheduler;
  /** Sliced delivery of every live's chat rounds. */
  readonly rounds: ChatRounds;
  #takes = 0;

  constructor(options: ChatOptions, host: ChatHost, schedule: TickScheduler = (fn) => setImmediate(fn)) {
    this.options = resolveChatOptions(options);
    this.#host = host;
    this.#schedule = schedule;
    this.rounds = new ChatRounds(this.options.sliceMs, schedule);
    this.#limiter = new RateLimiter(host.clock, { burst: this.options.rateBurst, perSecond: this.options.ratePerSecond });
    this.#likeLimiter = new RateLimiter(host.clock, { burst: this.options.likeRateBurst, perSecond: this.options.likeRatePerSecond });
    this.#filter = new WordFilter(this.options.blockedWords, this.options.wordFilterMode);
    for (const c of this.options.gifts) for (const g of c.giftList) this.#gifts.set(g.giftID, g);
  }

  handles(type: string): type is ChatRequestType {
    return CHAT_TYPES.has(type);
  }

  /** The last messages of the live, oldest first (for a newcomer's snapshot). */
  history(live: Live): Barrage[] {
    return live.chat?.history.toArray() ?? [];
  }

  /** `beforeCommit`: see `Engine.execute` (only `gift.send` waits for a commit before it answers). */
  execute(type: ChatRequestType, live: Live, userId: string, payload: unknown, beforeCommit?: (reply: Reply) => void): unknown {
    switch (type) {
      case 'barrage.sendText':
        return { message: this.#sendText(live, userId, payload as ParsedRequestPayload<'barrage.sendText'>) };
      case 'barrage.sendCustom':
        return { message: this.#sendCustom(live, userId, payload as ParsedRequestPayload<'barrage.sendCustom'>) };
      case 'gift.list':
        return { categories: this.options.gifts };
      case 'gift.send':
        return this.#sendGift(live, userId, payload as ParsedRequestPayload<'gift.send'>, beforeCommit);
      case 'gift.like':
        return { totalLikes: this.#like(live, userId, (payload as ParsedRequestPayload<'gift.like'>).count ?? 1) };
      default:
        return assertNever(type);
    }
  }

  /** Stops the live's timers; what waits is dropped. */
  liveEnded(live: Live): void {
    const chat = live.chat;
    if (!chat) return;
    chat.ended = true;
    if (chat.likeTimer) this.#host.clock.clearTimer(chat.likeTimer);
    chat.likeTimer = null;
  }

  #chatOf(live: Live): LiveChat {
    return (live.chat ??= new LiveChat(this.options.historySize));
  }

  /** Ban checks, then the per-user rate. */
  #mayChat(live: Live, userId: string): void {
    if ((live.record.messageBanned ?? []).includes(userId)) fail('SEND_MESSAGE_DISABLED_FOR_CURRENT');
    if (live.record.isMessageDisable && !live.isHost(userId)) fail('SEND_MESSAGE_DISABLED_FOR_ALL');
    this.#take(`${live.key}:${userId}:chat`);
  }

  #take(key: string, limiter = this.#limiter): void {
    if (!limiter.take(key)) fail('FREQ_LIMIT', limiter === this.#limiter ? 'Too many chat messages; slow down' : 'Too many likes; slow down');
    if (++this.#takes % 10_000 === 0) {
      this.#limiter.sweep();
      this.#likeLimiter.sweep();
    }
  }

  #message(live: Live, userId: string, fields: Pick<Barrage, 'messageType'> & Partial<Barrage>): Barrage {
    const chat = this.#chatOf(live);
    const message: Barrage = {
      liveId: live.record.liveId,
      sender: { ...live.userInfo(userId) },
      sequence: ++chat.sequence,
      timestampInSecond: Math.floor(this.#host.clock.now() / 1000),
      ...fields,
    };
    chat.history.push(message);
    chat.messages.push(message);
    this.#scheduleBatch(live, chat);
    return message;
  }

  #sendText(live: Live, userId: string, p: ParsedRequestPayload<'barrage.sendText'>): Barrage {
    const length = [...p.text].length;
    if (length > this.options.maxTextLength) {
      fail('MESSAGE_TOO_LONG', `The message has ${length} characters; this server allows at most ${this.options.maxTextLength}`, {
        maxLength: this.options.maxTextLength,
      });
    }
    if (p.text.trim() === '') fail('INVALID_PARAMETER', 'The message is empty');
    this.#mayChat(live, userId);
    const filtered = this.#filter.apply(p.text);
    const text = filtered.ok ? filtered.text : fail('MESSAGE_CONTAINS_BLOCKED_WORD');
    return this.#message(live, userId, { messageType: 0, textContent: text, extensionInfo: p.extensionInfo ?? null });
  }

  #sendCustom(live: Live, userId: string, p: ParsedRequestPayload<'barrage.sendCustom'>): Barrage {
    this.#mayChat(live, userId);
    return this.#message(live, userId, { messageType: 1, businessId: p.businessId, data: p.data });
  }

  async #sendGift(
    live: Live,
    userId: string,
    p: ParsedRequestPayload<'gift.send'>,
    beforeCommit?: (reply: Reply) => void,
  ): Promise<Record<string, never>> {
    if (!live.record.isGiftEnabled) fail('GIFT_DISABLED');
    const giftInfo = this.#gifts.get(p.giftId) ?? fail('GIFT_NOT_EXIST', `No gift "${p.giftId}" in the catalogue`);
    this.#take(`${live.key}:${userId}:gift`);
    const answer = await this.#host.commit(
      live,
      (): Record<string, never> => {
        addGift(live.record, userId, p.count, giftInfo.coins * p.count);
        return {};
      },
      beforeCommit,
    );
    const chat = this.#chatOf(live);
    chat.gifts.push({ sender: { ...live.userInfo(userId) }, giftInfo, giftCount: p.count });
    chat.giftTotalsChanged = true;
    this.#scheduleBatch(live, chat);
    return answer;
  }

  #like(live: Live, userId: string, count: number): number {
    this.#take(`${live.key}:${userId}:like`, this.#likeLimiter);
    const total = addLikes(live.record, count);
    const chat = this.#chatOf(live);
    chat.likeSender = { ...live.userInfo(userId) };
    if (chat.likeTimer) return total;
    const wait = chat.lastLikesAt + this.options.likeIntervalMs - this.#host.clock.now();
    if (wait <= 0) this.#likesDue(live, chat);
    else
      chat.likeTimer = this.#host.clock.setTimer(() => {
        chat.likeTimer = null;
        if (!chat.ended) this.#likesDue(live, chat);
      }, wait);
    return total;
  }

  /** The like total goes into the next batch, and the record (with its new total) is committed. */
  #likesDue(live: Live, chat: LiveChat): void {
    chat.likesDue = true;
    chat.lastLikesAt = this.#host.clock.now();
    this.#scheduleBatch(live, chat);
    void this.#host.commit(live, () => {});
  }

  /**
   * Adaptive batching: a live has at most one delivery round in flight. What arrives meanwhile waits in the live's
   * chat and leaves as one frame when the round finished, so the rounds per second follow the cost of a round (about
   * one frame per member per round, whatever the message rate), and a message waits at most about two rounds.
   */
  #scheduleBatch(live: Live, chat: LiveChat): void {
    if (chat.scheduled || chat.delivering) return;
    chat.scheduled = true;
    this.#schedule(() => {
      chat.scheduled = false;
      if (!chat.ended && !live.ended) this.#deliver(live, chat);
    });
  }

  /** One frame for everything that waits, serialised once, written to every member by a sliced round. */
  #deliver(live: Live, chat: LiveChat): void {
    const payload = chat.take({ giftTotals: giftTotalsOf(live.record), totalLikes: live.record.likes ?? 0 });
    if (!payload) return;
    const json = JSON.stringify({ kind: 'evt', type: 'chat.batch', liveId: live.record.liveId, seq: 0, payload });
    const frame = Buffer.from(json);
    // Members on other nodes of a cluster (remote connections, skipped by the round) get it through the live's bus:
    // one publish per round, and each of those nodes writes it to its own members.
    for (const m of live.members.values()) {
      if (m.conn?.remote) {
        this.#host.bus.publish({ liveKey: live.key, frame: json, to: 'all', elsewhere: true });
        break;
      }
    }
    chat.delivering = true;
    this.rounds.start(
      live.members,
      frame,
      () => !chat.ended && !live.ended,
      () => {
        chat.delivering = false;
        if (chat.waiting) this.#scheduleBatch(live, chat);
      },
    );
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled chat request ${String(x)}`);
}
