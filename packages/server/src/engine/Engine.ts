import { randomUUID } from 'node:crypto';
import { LiveEndedReason, wireError, type ParsedRequestPayload, type RequestResult, type SeatInfo } from '@onseat/protocol';
import { MemoryLiveBus } from '../bus/MemoryLiveBus.js';
import type { Delivery, LiveBus, Unsubscribe } from '../bus/LiveBus.js';
import { MemoryLiveStore } from '../store/MemoryLiveStore.js';
import type { LiveStore } from '../store/LiveStore.js';
import type { EngineRequestType, Reply } from './api.js';
import { systemClock, type Clock } from './Clock.js';
import { liveKeyOf, principalKey, type Connection } from './Connection.js';
import type { EngineCore, EngineLimits, EngineLogger } from './core.js';
import { EngineError, fail } from './EngineError.js';
import { CommitError, EventPublisher } from './EventPublisher.js';
import { Live, type Audience } from './Live.js';
import { LiveIndex } from './LiveIndex.js';
import type { MediaPlane, MediaRequestType } from './MediaPlane.js';
import { timeoutRequest } from './ops/coGuest.js';
import type { EngineHooks, OpContext } from './ops/context.js';
import { LIVE_OPS } from './ops/index.js';
import * as lifecycle from './ops/live.js';
import { removeMember } from './ops/members.js';
import { endRequest } from './ops/requests.js';
import { Presence } from './Presence.js';
import { SelfInfoCoalescer } from './SelfInfoCoalescer.js';
import type { LiveRecord } from './state.js';
import type { ChatRounds } from '../chat/ChatRounds.js';
import { ChatService, type ChatRequestType } from '../chat/ChatService.js';
import type { ChatOptions } from '../chat/options.js';

export type { EngineLogger } from './core.js';

export interface EngineOptions {
  clock?: Clock;
  /** Where lives are kept. Default: in memory (lost on restart). */
  store?: LiveStore;
  bus?: LiveBus;
  /** How long a dropped member keeps their seat, application and membership (ms). Default 20 000. */
  reconnectGraceMs?: number;
  /** Minimum interval between audience.countChanged events of one live (ms). Default 1 000. */
  countThrottleMs?: number;
  /** A live whose owner has been out of it this long ends (reason endedByServer); 0 = never. Default 300 000. */
  abandonedLiveMs?: number;
  /** Members per live. Default 100 000. */
  maxMembersPerLive?: number;
  /** Active lives one user may own; starting one more ends the oldest they own. Default 1. */
  maxLivesPerUser?: number;
  /** Lives one app may have at once (live.start beyond: LIVE_COUNT_LIMIT). Default 10 000. */
  maxLivesPerApp?: number;
  /** Users whose profile (name, avatar) is remembered, least recently used dropped. Default 100 000. */
  profileCacheSize?: number;
  logger?: EngineLogger;
  /** Request ids (tests may make them predictable). */
  newId?: () => string;
  /** The media backend, if any; `media.*` requests fail without one. */
  media?: MediaPlane;
  /** Chat, gifts and likes: history size, limits, word filter, gift catalogue. */
  chat?: ChatOptions;
  /**
   * A commit failed. Return true when handled (a cluster node steps down from those lives) instead of the default:
   * reloading them from the store.
   */
  onCommitFailed?: (error: CommitError) => boolean;
}

const silent: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

type Handler<T extends EngineRequestType> = (conn: Connection, payload: ParsedRequestPayload<T>) => Promise<unknown>;
type LiveOpType = keyof typeof LIVE_OPS;
type MediaType = MediaRequestType;
/** Request types the engine handles itself (not a plain command on the caller's live). */
type EngineOwnType = Exclude<EngineRequestType, LiveOpType | MediaType | ChatRequestType>;

/**
 * The room engine: the one authority over lives, seats, applications and invitations. It composes the parts:
 * `Presence` (connections, which live each user is in, grace periods), the `EventPublisher` (seq, serialise once,
 * commit the tick to the store, then deliver), the commands in `ops/` and the store, bus and media plane it is given.
 * Commands of one live run one at a time (each is synchronous over the in-memory state); replies and events leave
 * only after the tick's changes are committed.
 */
export class Engine implements EngineCore {
  readonly clock: Clock;
  readonly store: LiveStore;
  readonly bus: LiveBus;
  readonly media: MediaPlane | undefined;
  readonly log: EngineLogger;
  readonly limits: EngineLimits;
  readonly lives = new Map<string, Live>();
  readonly presence: Presence;
  readonly index = new LiveIndex();
  readonly selfInfo: SelfInfoCoalescer;
  readonly publisher: EventPublisher;
  readonly hooks: EngineHooks;
  /** Chat, gifts and likes: their own history ring and delivery path, outside the event log. */
  readonly chat: ChatService;
  readonly #newId: () => string;
  readonly #onCommitFailed: ((error: CommitError) => boolean) | undefined;
  readonly #subs = new Map<string, Unsubscribe>();
  /** Recently ended lives → why (the store keeps them too; this saves a read for the common case). */
  readonly #endedReasons = new Map<string, LiveEndedReason>();
  /** Commands being executed (graceful shutdown waits for them). */
  #inFlight = 0;
  #drained: (() => void) | null = null;
  #restored: Promise<number> | null = null;
  #restoring = false;
  readonly #handlers: { [T in EngineOwnType]: Handler<T> };

  constructor(options: EngineOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store ?? new MemoryLiveStore();
    this.bus = options.bus ?? new MemoryLiveBus();
    this.media = options.media;
    this.log = options.logger ?? silent;
    this.limits = {
      reconnectGraceMs: options.reconnectGraceMs ?? 20_000,
      countThrottleMs: options.countThrottleMs ?? 1_000,
      abandonedLiveMs: options.abandonedLiveMs ?? 300_000,
      maxMembersPerLive: options.maxMembersPerLive ?? 100_000,
      maxLivesPerUser: options.maxLivesPerUser ?? 1,
      maxLivesPerApp: options.maxLivesPerApp ?? 10_000,
    };
    this.#newId = options.newId ?? randomUUID;
    this.#onCommitFailed = options.onCommitFailed;
    this.presence = new Presence({
      clock: this.clock,
      reconnectGraceMs: this.limits.reconnectGraceMs,
      ...(options.profileCacheSize !== undefined ? { profileCacheSize: options.profileCacheSize } : {}),
      onGraceOver: (live, userId) => {
        this.log.debug({ live: live.key, userId }, 'grace period over');
        this.#background(live, () => removeMember(live, userId, this.hooks), 'grace expiry');
      },
    });
    this.publisher = new EventPublisher({
      store: this.store,
      bus: this.bus,
      now: () => this.clock.now(),
      onCommitFailed: (e) => this.#commitFailed(e),
    });
    this.selfInfo = new SelfInfoCoalescer((live, users) => lifecycle.applyProfiles(this, live, users));
    this.hooks = {
      newRequestId: () => this.#newId(),
      userLeftLive: (live, userId) => this.#userLeftLive(live, userId),
    };
    this.chat = new ChatService(options.chat ?? {}, {
      clock: this.clock,
      commit: (live, fn, beforeCommit) => this.runOnLive(live, fn, beforeCommit),
      bus: this.bus,
    });
    this.#handlers = {
      'user.setSelfInfo': (c, p) => lifecycle.setSelfInfo(this, c, p),
      'live.start': (c, p) => lifecycle.startLive(this, c, p),
      'live.join': (c, p) => lifecycle.joinLive(this, c, p),
      'live.leave': (c) => lifecycle.leaveLive(this, c),
      'live.end': (c) => lifecycle.endLiveByOwner(this, c),
      'live.list': (c, p) => lifecycle.listLives(this, c, p),
      'live.info': (c, p) => lifecycle.liveInfo(this, c, p),
      'live.sync': (c, p) => lifecycle.syncLive(this, c, p),
    };
  }

  /** True while `restore()` is loading lives. */
  get restoring(): boolean {
    return this.#restoring;
  }

  get reconnectGraceMs(): number {
    return this.limits.reconnectGraceMs;
  }

  /**
   * Whether the connection's user is a plain audience member of a live on this engine: not its owner, an admin,
   * seated, applying or invited. Their silent drop only changes the audience list, so the heartbeat may ping them
   * less often (`audienceHeartbeatMs`). False for anyone else, and for users in no live here.
   */
  isAudienceOnly(conn: Connection): boolean {
    const key = this.presence.userLive.get(principalKey(conn.principal));
    const live = key === undefined ? undefined : this.lives.get(key);
    const id = conn.principal.userId;
    if (!live || live.members.get(id)?.conn !== conn) return false;
    const r = live.record;
    return (
      r.owner.userId !== id &&
      !r.admins.includes(id) &&
      !r.seats.some((s) => s.occupant?.userId === id) &&
      !r.applications.some((a) => a.userId === id) &&
      !r.invitations.some((i) => i.userId === id)
    );
  }

  /** Delivery rounds (chat rounds, seat-event broadcasts) being written in slices right now. */
  get deliveryRounds(): number {
    return this.chat.rounds.active;
  }

  get stats(): { lives: number; connections: number; members: number } {
    let members = 0;
    for (const l of this.lives.values()) members += l.members.size;
    return { lives: this.lives.size, connections: this.presence.connectionCount, members };
  }

  // ---- connections -------------------------------------------------------------------------------------------

  /** A connection authenticated. An older connection of the same user is told and closed; its live membership waits for a resume. */
  attach(conn: Connection): void {
    const { old, profile } = this.presence.attach(conn);
    if (old) this.presence.connectionLost(this.#liveOf(old), old);
    // A new token changed the user's name or avatar: their live hears of it like of a user.setSelfInfo.
    const live = profile ? this.#liveOf(conn) : undefined;
    if (profile && live?.members.has(profile.userId)) {
      this.selfInfo.submit(live, profile).catch((err: unknown) => this.log.error({ err, live: live.key }, 'profile refresh failed'));
    }
  }

  /** A connection closed. Its member (if any) keeps everything for the grace period. */
  detach(conn: Connection): void {
    if (this.presence.detach(conn)) this.presence.connectionLost(this.#liveOf(conn), conn);
  }

  #liveOf(conn: Connection): Live | undefined {
    const key = this.presence.liveKeyOf(conn.principal);
    return key === undefined ? undefined : this.lives.get(key);
  }

  // ---- commands ----------------------------------------------------------------------------------------------

  /**
   * Runs a command; the reply comes once its tick is committed. `beforeCommit` (a cluster node answering a forwarded
   * command) is given the reply of a live's command as soon as it is known, before its tick's commit, so it can go out
   * with that commit (`EventPublisher.sendWithCommit`); the reply returned is then the same unless the commit failed.
   */
  async execute<T extends EngineRequestType>(
    conn: Connection,
    type: T,
    payload: ParsedRequestPayload<T>,
    beforeCommit?: (reply: Reply<T>) => void,
  ): Promise<Reply<T>> {
    if (this.#restored) await this.#restored;
    if (!this.presence.isCurrent(conn)) {
      return { ok: false, error: wireError('NOT_LOGGED_IN', 'This connection was replaced by a newer login') };
    }
    this.#inFlight++;
    try {
      const result = await this.#dispatch(conn, type, payload, beforeCommit as ((reply: Reply) => void) | undefined);
      return { ok: true, payload: result as RequestResult<T> };
    } catch (e) {
      if (e instanceof EngineError) return { ok: false, error: e.wire };
      if (e instanceof CommitError) return { ok: false, error: wireError('STORE_UNAVAILABLE') };
      this.log.error({ err: e, type }, 'command failed');
      return { ok: false, error: wireError('SERVER_PROCESS_FAILED') };
    } finally {
      if (--this.#inFlight === 0) this.#drained?.();
    }
  }

  #dispatch<T extends EngineRequestType>(
    conn: Connection,
    type: T,
    payload: ParsedRequestPayload<T>,
    beforeCommit?: (reply: Reply) => void,
  ): Promise<unknown> {
    if (isMediaType(type)) return this.#media(conn, type, payload);
    if (this.chat.handles(type)) {
      const live = this.currentLive(conn);
      this.presence.reattach(live, conn);
      return Promise.resolve(this.chat.execute(type, live, conn.principal.userId, payload, beforeCommit));
    }
    if (isLiveOpType(type)) {
      const op = LIVE_OPS[type] as (ctx: OpContext, p: unknown) => unknown;
      const live = this.currentLive(conn);
      this.presence.reattach(live, conn);
      const ctx: OpContext = { live, userId: conn.principal.userId, now: this.clock.now(), hooks: this.hooks };
      return this.runOnLive(live, () => op(ctx, payload), beforeCommit);
    }
    const handlers: Partial<Record<string, Handler<EngineOwnType>>> = this.#handlers;
    const handler = handlers[type];
    return handler ? handler(conn, payload as never) : fail('UNKNOWN_REQUEST_TYPE');
  }

  /**
   * Runs a command on a live, then queues its events and record for the tick's commit, even when it refuses.
   * `beforeCommit` gets the command's reply before the tick is committed (see `execute`).
   */
  async runOnLive<R>(live: Live, fn: () => R, beforeCommit?: (reply: Reply) => void): Promise<R> {
    let result: R;
    try {
      result = fn();
    } catch (refusal) {
      if (beforeCommit && refusal instanceof EngineError) beforeCommit({ ok: false, error: refusal.wire });
      // A refusal may have queued events (applicationFailed): they are committed and delivered before the reply.
      await this.#flush(live);
      throw refusal;
    }
    beforeCommit?.({ ok: true, payload: result } as Reply);
    await this.#flush(live);
    return result;
  }

  /** A command not started by a request (timer, grace expiry): a failure is logged, never thrown. */
  #background(live: Live, fn: () => void, what: string): void {
    this.runOnLive(live, fn).catch((err: unknown) => this.log.error({ err, live: live.key }, `${what} failed`));
  }

  #flush(live: Live): Promise<void> {
    this.index.refresh(live.record);
    const seats = lastSeatList(live);
    const committed = this.publisher.flush(live, resolveAudience);
    // Media is not durable: a publisher that lost its seat stops at once, not after the commit.
    if (seats && this.media) this.media.seatsChanged(live.key, seats);
    return committed;
  }

  async #media(conn: Connection, type: MediaRequestType, payload: unknown): Promise<unknown> {
    const media = this.media ?? fail('FAILED', 'This server has no media backend');
    const live = this.currentLive(conn);
    this.presence.reattach(live, conn);
    const { userId } = conn.principal;
    const seat = live.seatsWire().find((s) => s.userInfo?.userId === userId);
    return media.handle({ liveKey: live.key, liveId: live.record.liveId, userId, conn, type, payload, seat });
  }

  currentLive(conn: Connection): Live {
    return this.#liveOf(conn) ?? fail('NOT_IN_LIVE');
  }

  async noSuchLive(key: string, liveId: string): Promise<never> {
    const endedReason = this.#endedReasons.get(key) ?? (await this.store.endedReason(key));
    if (endedReason !== null) return fail('LIVE_NOT_EXIST', `Live ${liveId} has ended`, { endedReason });
    return fail('LIVE_NOT_EXIST', `Live ${liveId} does not exist`);
  }

  forgetEnded(key: string): void {
    this.#endedReasons.delete(key);
  }

  #userLeftLive(live: Live, userId: string): void {
    const conn = live.departed.get(userId);
    if (conn?.leftLive) void this.publisher.idle().then(() => conn.leftLive?.(live.key));
    this.presence.leaveLive(live.record.sdkAppId, userId);
    this.publisher.memberLeft(live, userId);
    this.media?.memberLeft(live.key, userId);
    if (userId !== live.record.owner.userId) this.countChanged(live);
    else this.armAbandon(live);
  }

  armAbandon(live: Live): void {
    if (this.limits.abandonedLiveMs <= 0 || live.abandonTimer || live.ended) return;
    live.abandonTimer = this.clock.setTimer(() => {
      live.abandonTimer = null;
      if (live.ended || live.members.has(live.record.owner.userId)) return;
      this.log.info({ live: live.key }, 'owner gone too long: ending the live');
      this.finishLive(live, LiveEndedReason.EndedByServer).catch((err: unknown) =>
        this.log.error({ err, live: live.key }, 'ending an abandoned live failed'),
      );
    }, this.limits.abandonedLiveMs);
  }

  async finishLive(live: Live, reason: LiveEndedReason): Promise<void> {
    if (live.ended) return;
    await this.runOnLive(live, () => {
      for (const r of [...live.record.applications, ...live.record.invitations]) {
        endRequest(live, r, 'supersede', { byUserId: '', reason: 'liveEnded' });
      }
      live.emit('live.ended', { liveId: live.record.liveId, reason }, 'all');
      live.ended = true;
      void this.publisher.liveEnded(live, reason);
    });
    this.#endedReasons.set(live.key, reason);
    if (this.#endedReasons.size > 1000) this.#endedReasons.delete(this.#endedReasons.keys().next().value as string);
    this.#dropLive(live);
  }

  /** Forgets a live on this node: timers, members' mapping, media, bus subscription. Idempotent. */
  #dropLive(live: Live, ended = true): void {
    live.close();
    this.chat.liveEnded(live);
    this.media?.liveEnded(live.key);
    for (const [userId, m] of live.members) {
      this.presence.leaveLive(live.record.sdkAppId, userId);
      const conn = m.conn;
      if (ended && conn?.leftLive) void this.publisher.idle().then(() => conn.leftLive?.(live.key));
    }
    live.members.clear();
    this.#subs.get(live.key)?.();
    this.#subs.delete(live.key);
    if (this.lives.get(live.key) === live) {
      this.lives.delete(live.key);
      this.index.remove(live.record);
    }
  }

  /**
   * Sends an event to members' current connections without a seq and without logging it (for media signalling,
   * which must not be replayed on resume). The frame is serialised once per call, and the same Buffer goes to every
   * recipient (encoded once as a WebSocket frame, see wireFrame): audio levels reach every subscriber of a live every
   * 300 ms. Returns how many members got it (members not connected are skipped).
   */
  sendEphemeral(liveKey: string, to: string | Iterable<string>, type: string, payload: unknown): number {
    const live = this.lives.get(liveKey);
    if (!live) return 0;
    let frame: Buffer | undefined;
    let sent = 0;
    for (const userId of typeof to === 'string' ? [to] : to) {
      const conn = live.members.get(userId)?.conn;
      if (!conn) continue;
      frame ??= Buffer.from(JSON.stringify({ kind: 'evt', type, liveId: live.record.liveId, seq: 0, payload }));
      conn.send(frame);
      sent++;
    }
    return sent;
  }

  /** Ends a live on the server's behalf (administration, shutdown of a live by policy). */
  async endLive(sdkAppId: number, liveId: string): Promise<boolean> {
    const live = this.lives.get(liveKeyOf(sdkAppId, liveId));
    if (!live) return false;
    await this.finishLive(live, LiveEndedReason.EndedByServer);
    return true;
  }

  countChanged(live: Live): void {
    if (live.countTimer || live.ended) return;
    live.countTimer = this.clock.setTimer(() => {
      live.countTimer = null;
      if (live.ended) return;
      const count = live.audienceCount();
      if (count === live.lastEmittedCount) return;
      live.lastEmittedCount = count;
      this.#background(live, () => live.emit('audience.countChanged', { count }, 'all'), 'audience count');
    }, this.limits.countThrottleMs);
  }

  adoptLive(record: LiveRecord): Live {
    const live = new Live(record, this.clock, (l, requestId) => this.#background(l, () => timeoutRequest(l, requestId), 'request timeout'));
    this.lives.set(record.key, live);
    this.index.add(record);
    this.#subs.set(
      record.key,
      this.bus.subscribe(record.key, (d) => deliverLocal(live, d, this.chat.rounds)),
    );
    return live;
  }

  /**
   * A commit failed: the lives of that tick are ahead of the store in memory. Their events were not delivered and
   * their commands were answered STORE_UNAVAILABLE; reload them from the store so memory agrees with it again.
   */
  #commitFailed(e: CommitError): void {
    if (this.#onCommitFailed?.(e)) return;
    this.log.error({ err: e.cause, lives: e.liveKeys }, 'commit failed: reloading the lives from the store');
    for (const key of e.liveKeys) {
      const live = this.lives.get(key);
      if (!live) continue;
      const conns = new Map([...live.members].map(([id, m]) => [id, m.conn]));
      this.#dropLive(live, false);
      this.#restoreLive(key, conns).catch((err: unknown) => this.log.error({ err, live: key }, 'reloading a live failed'));
    }
  }

  // ---- restart / takeover ------------------------------------------------------------------------------------

  /**
   * Loads every live from the store (after a restart, or on a node taking over): members come back in their grace
   * period counted from now (they resume with live.sync), and every stored deadline is re-armed at its instant (one
   * already past fires at once). Commands wait until it is done.
   */
  restore(): Promise<number> {
    this.#restoring = true;
    this.#restored = (async () => {
      try {
        let n = 0;
        for (const key of await this.store.liveKeys()) {
          if (this.lives.has(key)) continue;
          if (await this.#restoreLive(key, new Map())) n++;
        }
        return n;
      } finally {
        this.#restoring = false;
      }
    })();
    return this.#restored;
  }

  /**
   * Loads one live from the store (a cluster node that just took its lease). Members whose connection is given are
   * attached to it; the others get their grace period counted from now. False when the store has no such live.
   */
  loadLive(key: string, conns: Map<string, Connection | null> = new Map()): Promise<boolean> {
    return this.#restoreLive(key, conns);
  }

  /**
   * This node lets go of a live without ending it (another node owns it now): its timers stop and it is forgotten
   * here. Returns the members' connections, for the node to keep serving them.
   */
  releaseLive(key: string): Connection[] {
    const live = this.lives.get(key);
    if (!live) return [];
    const conns = [...live.members.values()].flatMap((m) => (m.conn ? [m.conn] : []));
    this.#dropLive(live, false);
    return conns;
  }

  async #restoreLive(key: string, conns: Map<string, Connection | null>): Promise<boolean> {
    const [record, members] = await Promise.all([this.store.loadLive(key), this.store.members(key)]);
    if (!record || this.lives.has(key)) return false;
    const live = this.adoptLive(record);
    // Members in join order (audience.list pages in it).
    for (const m of members.sort((a, b) => a.joinedAt - b.joinedAt)) {
      const conn = conns.get(m.user.userId) ?? null;
      live.members.set(m.user.userId, { user: m.user, joinedAt: m.joinedAt, joinNo: ++live.joins, conn, graceTimer: null });
      this.presence.enterLive(record.sdkAppId, m.user.userId, key);
      if (!conn) this.presence.armGrace(live, m.user.userId);
    }
    for (const r of [...record.applications, ...record.invitations]) live.armDeadline(r);
    if (!live.members.has(record.owner.userId)) this.armAbandon(live);
    return true;
  }

  /** Resolves when no command is executing and everything queued is committed and delivered. */
  async drain(): Promise<void> {
    while (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    this.#drained = null;
    await this.publisher.idle();
  }

  /** For tests and diagnostics: the live with this key, if this node has it. */
  liveForTesting(sdkAppId: number, liveId: string): Live | undefined {
    return this.lives.get(liveKeyOf(sdkAppId, liveId));
  }

  /** For invariant checks: which live each user is in. */
  userLiveForTesting(): ReadonlyMap<string, string> {
    return this.presence.userLive;
  }

  livesForTesting(): Iterable<Live> {
    return this.lives.values();
  }

  /** Stops all timers after what is queued is committed. Lives stay in the store. */
  async close(): Promise<void> {
    await this.publisher.idle();
    for (const live of this.lives.values()) live.close();
    await this.media?.close();
    for (const u of this.#subs.values()) u();
    this.#subs.clear();
    await this.store.close();
  }
}

const LIVE_OP_TYPES = new Set<string>(Object.keys(LIVE_OPS));
const isLiveOpType = (t: EngineRequestType): t is LiveOpType => LIVE_OP_TYPES.has(t);
const isMediaType = (t: EngineRequestType): t is MediaType => t.startsWith('media.');

function resolveAudience(live: Live, to: Audience): 'all' | string[] {
  if (to === 'all') return 'all';
  if ('users' in to) return to.users;
  const ids = new Set(live.hostIds());
  for (const id of to.plus ?? []) ids.add(id);
  return [...ids];
}

/** The seats of the last seat.listChanged the live queued in this command, if any. */
function lastSeatList(live: Live): readonly SeatInfo[] | null {
  for (let i = live.outbox.length - 1; i >= 0; i--) {
    const ev = live.outbox[i]!;
    if (ev.type === 'seat.listChanged') return (ev.payload as { seats: SeatInfo[] }).seats;
  }
  return null;
}

/** What a sliced broadcast round does for each recipient: write what was held back for it. */
const flushDeferred = (conn: Connection): void => conn.flushDeferred?.();

/**
 * The bus handler of a live on this node: writes a delivery to the connections of its recipients here. A frame to
 * every member is written at once for one slice, then held back on each remaining connection and written in slices
 * by `rounds` (the same sliced rounds as chat), so a broadcast to 10,000 members does not stop the server for the
 * ~150 ms it takes to write: commands and events of other lives, and targeted events of this one, run in between.
 * Anything written to a connection writes what is held back for it first, so each member still gets the live's
 * frames in seq order.
 */
function deliverLocal(live: Live, d: Delivery, rounds: ChatRounds): void {
  if (d.to === 'all') {
    if (live.members.size > 1) {
      const buf = Buffer.from(d.frame);
      // The first slice is written at once; the members after it hold the frame until the round reaches them.
      const deadline = performance.now() + rounds.sliceMs;
      let held: Connection[] | null = null;
      let written = 0;
      for (const m of live.members.values()) {
        const conn = m.conn;
        if (!conn || conn.remote) continue;
        if (held === null || !conn.defer) {
          conn.send(buf);
          if (held === null && ++written % 32 === 0 && performance.now() >= deadline) held = [];
        } else {
          conn.defer(buf);
          held.push(conn);
        }
      }
      if (held !== null && held.length > 0) rounds.startWrites(held, flushDeferred);
    } else {
      for (const m of live.members.values()) if (m.conn && !m.conn.remote) m.conn.send(d.frame);
    }
    return;
  }
  for (const id of d.to) {
    const conn = live.members.get(id)?.conn ?? live.departed.get(id);
    if (conn && !conn.remote) conn.send(d.frame);
  }
}
