import type { RequestType } from '@onseat/protocol';
import type { Clock } from '../engine/Clock.js';
import type { RateLimitOptions } from '../config.js';

/**
 * The request budget of the transport: one entry per request type, reviewed for each. Every request draws from two
 * token buckets before it costs the engine anything:
 *
 * - its connection's allowance for the request's class (`CONNECTION_BUDGETS`): reads have their own, larger
 *   allowance (they are served without the idempotency cache and touch no store), writes and fan-outs share one;
 *   `negotiation` (media.answer) draws from none, so a flood of other requests can never starve a media negotiation;
 * - its user's bucket for the type (`perUser`; types naming the same `shared` bucket draw from one), so a user
 *   cannot multiply their budget by opening connections (a new login closes the older one anyway).
 *
 * A request over budget is answered FREQ_LIMIT (-2) at once; it is not queued. Adding a request type to the protocol
 * without a line here is a compile error (the table `satisfies` a mapped type over every `RequestType`).
 */

export type BudgetClass = 'session' | 'read' | 'write' | 'fanout' | 'negotiation';

export interface RequestBudget {
  /**
   * `session`: answered by the transport itself; `read`: answers from memory, changes nothing; `write`: changes state
   * seen by few; `fanout`: every accepted one is sent to the members of a live; `negotiation`: the answer to a server
   * offer (media.answer), exempt from the connection allowance.
   */
  readonly class: BudgetClass;
  /** The per-user bucket; `configured` = the server's `rateLimit` option (flags --rate-limit-*); null = none. */
  readonly perUser: RateLimitOptions | 'configured' | null;
  /** Types naming the same bucket share it (per user). Default: the type's own. */
  readonly shared?: string;
}

const rate = (burst: number, perSecond: number): RateLimitOptions => ({ burst, perSecond });

/** A person's interactive pace: generous bursts (a page load, a click storm), a steady rate no human exceeds. */
const HUMAN = rate(20, 10);
const MEDIA = rate(30, 5);

export const REQUEST_BUDGETS = {
  'session.hello': { class: 'session', perUser: null },
  'session.ping': { class: 'session', perUser: null },
  // Broadcast to every member of the user's live; the broadcasts are also coalesced (latest per user per tick).
  'user.setSelfInfo': { class: 'fanout', perUser: rate(5, 1) },

  // A live is a store record and a bus subscription: few per user (and at most 1 owned active live, see the engine).
  'live.start': { class: 'write', perUser: rate(5, 0.5) },
  'live.join': { class: 'write', perUser: rate(10, 2) },
  'live.leave': { class: 'write', perUser: rate(10, 2) },
  'live.end': { class: 'write', perUser: rate(10, 2) },
  'live.list': { class: 'read', perUser: rate(20, 5) },
  'live.info': { class: 'read', perUser: rate(50, 20) },
  'live.update': { class: 'fanout', perUser: rate(10, 2) },
  'live.setMetadata': { class: 'fanout', perUser: rate(10, 2) },
  'live.getMetadata': { class: 'read', perUser: rate(50, 20) },
  // A reply may be a snapshot of the live: a reconnecting client needs one, not a stream of them.
  'live.sync': { class: 'read', perUser: rate(10, 2) },

  'seat.take': { class: 'fanout', perUser: HUMAN },
  'seat.leave': { class: 'fanout', perUser: HUMAN },
  'seat.lock': { class: 'fanout', perUser: HUMAN },
  'seat.unlock': { class: 'fanout', perUser: HUMAN },
  'seat.kick': { class: 'fanout', perUser: HUMAN },
  'seat.move': { class: 'fanout', perUser: HUMAN },
  'seat.closeRemoteDevice': { class: 'fanout', perUser: HUMAN },
  'seat.openRemoteDevice': { class: 'fanout', perUser: HUMAN },
  'seat.reportDevice': { class: 'fanout', perUser: HUMAN },

  'coGuest.apply': { class: 'write', perUser: 'configured' },
  'coGuest.cancelApplication': { class: 'write', perUser: HUMAN },
  'coGuest.acceptApplication': { class: 'fanout', perUser: HUMAN },
  'coGuest.rejectApplication': { class: 'write', perUser: HUMAN },
  'coGuest.invite': { class: 'write', perUser: 'configured' },
  'coGuest.cancelInvitation': { class: 'write', perUser: HUMAN },
  'coGuest.acceptInvitation': { class: 'fanout', perUser: HUMAN },
  'coGuest.rejectInvitation': { class: 'write', perUser: HUMAN },
  'coGuest.disconnect': { class: 'fanout', perUser: HUMAN },

  'audience.list': { class: 'read', perUser: rate(20, 5) },
  'audience.setAdministrator': { class: 'fanout', perUser: HUMAN },
  'audience.revokeAdministrator': { class: 'fanout', perUser: HUMAN },
  'audience.kick': { class: 'fanout', perUser: HUMAN },
  'audience.disableSendMessage': { class: 'fanout', perUser: HUMAN },
  'audience.messageBannedList': { class: 'read', perUser: rate(20, 5) },

  // Chat, gifts and likes: the chat service applies the product limits (chat 5 at once / 2 per second by default, likes
  // 20 / 10); these buckets are only the transport's ceiling above them.
  'barrage.sendText': { class: 'fanout', perUser: HUMAN, shared: 'chat' },
  'barrage.sendCustom': { class: 'fanout', perUser: HUMAN, shared: 'chat' },
  'gift.list': { class: 'read', perUser: rate(20, 5) },
  'gift.send': { class: 'fanout', perUser: HUMAN },
  'gift.like': { class: 'fanout', perUser: rate(40, 20) },

  // SDP negotiations cost the SFU real CPU: one shared bucket for everything a user starts...
  'media.publish': { class: 'write', perUser: MEDIA, shared: 'media' },
  'media.unpublish': { class: 'write', perUser: MEDIA, shared: 'media' },
  'media.subscribe': { class: 'write', perUser: MEDIA, shared: 'media' },
  'media.unsubscribe': { class: 'write', perUser: MEDIA, shared: 'media' },
  // ...but the answer to the server's own offer has its own, and no connection allowance, so it is never starved.
  'media.answer': { class: 'negotiation', perUser: rate(60, 20) },
  // Turned on/off when an app starts or stops reading network quality: cheap, but no reason to allow more.
  'media.watchStats': { class: 'write', perUser: HUMAN },
  // Sent when a rendered video changes size (clients send at most 2 per second): cheap, a human's pace.
  'media.viewSize': { class: 'write', perUser: HUMAN },
} as const satisfies { readonly [T in RequestType]: RequestBudget };

/** Allowance of one connection per class (requests of any type of that class), before any per-user bucket. */
export const CONNECTION_BUDGETS: { readonly [C in Exclude<BudgetClass, 'negotiation'>]: RateLimitOptions } = {
  session: rate(20, 5),
  read: rate(100, 50),
  write: rate(60, 30),
  fanout: rate(60, 30),
};

const scaled = (r: RateLimitOptions, scale: number): RateLimitOptions =>
  scale === 1 ? r : { burst: Math.max(1, r.burst * scale), perSecond: r.perSecond * scale };
const scaledCache = new Map<number, Map<RequestType, RateLimitOptions>>();

/**
 * The per-user bucket of a request type, resolved against the configured `rateLimit` and the server's
 * `requestBudgetScale`, and its bucket key suffix.
 */
export function userBudget(type: RequestType, configured: RateLimitOptions, scale = 1): { rate: RateLimitOptions; bucket: string } | null {
  const b: RequestBudget = REQUEST_BUDGETS[type];
  if (b.perUser === null) return null;
  if (b.perUser === 'configured') return { rate: configured, bucket: b.shared ?? type };
  let byType = scaledCache.get(scale);
  if (!byType) scaledCache.set(scale, (byType = new Map<RequestType, RateLimitOptions>()));
  let rate = byType.get(type);
  if (!rate) byType.set(type, (rate = scaled(b.perUser, scale)));
  return { rate, bucket: b.shared ?? type };
}

/** One connection's allowances (plain fields, no map: a session holds one of these). */
export class ConnectionBudget {
  readonly #clock: Clock;
  readonly #rates: { readonly [C in keyof typeof CONNECTION_BUDGETS]: RateLimitOptions };
  readonly #buckets = new Map<BudgetClass, { tokens: number; at: number }>();

  constructor(clock: Clock, scale = 1) {
    this.#clock = clock;
    const c = CONNECTION_BUDGETS;
    this.#rates = {
      session: scaled(c.session, scale),
      read: scaled(c.read, scale),
      write: scaled(c.write, scale),
      fanout: scaled(c.fanout, scale),
    };
  }

  /** Takes one token of the type's class; false when it is spent. Negotiations always pass. */
  take(type: RequestType): boolean {
    const cls = REQUEST_BUDGETS[type].class;
    if (cls === 'negotiation') return true;
    const r = this.#rates[cls];
    const now = this.#clock.now();
    let b = this.#buckets.get(cls);
    if (!b) {
      b = { tokens: r.burst, at: now };
      this.#buckets.set(cls, b);
    }
    const tokens = Math.min(r.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * r.perSecond);
    b.at = now;
    if (tokens < 1) {
      b.tokens = tokens;
      return false;
    }
    b.tokens = tokens - 1;
    return true;
  }
}
