import type { GiftCategory } from '@onseat/protocol';
import { DEFAULT_GIFTS } from './defaultGifts.js';

/** What a blocked word does to a message: it is replaced by `*`s, or the whole message is refused (80001). */
export type WordFilterMode = 'replace' | 'reject';

/** Chat, gifts and likes. Every field is optional; see {@link resolveChatOptions} for the defaults. */
export interface ChatOptions {
  /** Messages a newcomer receives on join (and the size of the per-live history ring). Default 50; 0 = none. */
  historySize?: number;
  /** Longest chat text in characters (Unicode code points). Default 200, at most 4000. */
  maxTextLength?: number;
  /** Per-user token bucket for chat messages (text and custom together): burst. Default 5. */
  rateBurst?: number;
  /** Per-user token bucket for chat messages: refill per second. Default 2. */
  ratePerSecond?: number;
  /** Words (case-insensitive) the filter looks for in chat texts. Default none. */
  blockedWords?: readonly string[];
  /** What a blocked word does. Default `replace`. */
  wordFilterMode?: WordFilterMode;
  /** Per-user token bucket for `gift.like` requests (taps come in bursts): burst. Default 20. */
  likeRateBurst?: number;
  /** Per-user token bucket for `gift.like` requests: refill per second. Default 10. */
  likeRatePerSecond?: number;
  /** Likes of one live are sent to its members at most this often (ms). Default 500. */
  likeIntervalMs?: number;
  /**
   * A chat round (one batch frame to every member of a live) writes for at most this long per turn of the event loop
   * before it lets other work run (ms). Default 2; between 0.1 and 1000.
   */
  sliceMs?: number;
  /** The gift catalogue. Default: a small built-in one ({@link DEFAULT_GIFTS}). */
  gifts?: readonly GiftCategory[];
}

export type ResolvedChatOptions = Required<ChatOptions>;

export class ChatOptionsError extends Error {
  override name = 'ChatOptionsError';
}

const whole = (name: string, v: number, min: number, max: number): number => {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new ChatOptionsError(`${name} must be an integer between ${min} and ${max}, got ${String(v)}`);
  return v;
};

const range = (name: string, v: number, min: number, max: number): number => {
  if (!(typeof v === 'number' && v >= min && v <= max))
    throw new ChatOptionsError(`${name} must be a number between ${min} and ${max}, got ${String(v)}`);
  return v;
};

/** Applies the defaults and checks the ranges; throws {@link ChatOptionsError} with an operator-friendly message. */
export function resolveChatOptions(o: ChatOptions = {}): ResolvedChatOptions {
  const positive = (name: string, v: number): number => {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new ChatOptionsError(`${name} must be a positive number, got ${String(v)}`);
    return v;
  };
  const perSecond = positive('chat rate per second', o.ratePerSecond ?? 2);
  const mode = o.wordFilterMode ?? 'replace';
  if (mode !== 'replace' && mode !== 'reject') throw new ChatOptionsError(`word filter mode must be "replace" or "reject", got "${String(mode)}"`);
  const words = (o.blockedWords ?? []).map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  return {
    historySize: whole('chat history size', o.historySize ?? 50, 0, 10_000),
    maxTextLength: whole('chat max text length', o.maxTextLength ?? 200, 1, 4000),
    rateBurst: whole('chat rate burst', o.rateBurst ?? 5, 1, 1_000_000),
    ratePerSecond: perSecond,
    likeRateBurst: whole('like rate burst', o.likeRateBurst ?? 20, 1, 1_000_000),
    likeRatePerSecond: positive('like rate per second', o.likeRatePerSecond ?? 10),
    blockedWords: words,
    wordFilterMode: mode,
    likeIntervalMs: whole('like interval (ms)', o.likeIntervalMs ?? 500, 0, 60_000),
    sliceMs: range('chat slice (ms)', o.sliceMs ?? 2, 0.1, 1000),
    gifts: o.gifts ?? DEFAULT_GIFTS,
  };
}
