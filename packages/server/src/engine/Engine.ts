import { randomUUID } from 'node:crypto';
import {
  CloseCode,
  LiveEndedReason,
  wireError,
  type EventFrame,
  type LiveUserInfo,
  type ParsedRequestPayload,
  type RequestResult,
} from '@onseat/protocol';
import { MemoryLiveBus } from '../bus/MemoryLiveBus.js';
import type { Delivery, LiveBus, Unsubscribe } from '../bus/LiveBus.js';
import { MemoryLiveStore } from '../store/MemoryLiveStore.js';
import type { LiveStore, LoggedEvent } from '../store/LiveStore.js';
import type { EngineRequestType, Reply } from './api.js';
import { systemClock, type Clock } from './Clock.js';
import { liveKeyOf, principalKey, type Connection } from './Connection.js';
import { EngineError, fail } from './EngineError.js';
import { Live, type Audience } from './Live.js';
import { newLiveRecord } from './newLive.js';
import { timeoutRequest } from './ops/coGuest.js';
import type { EngineHooks, OpContext } from './ops/context.js';
import { LIVE_OPS } from './ops/index.js';
import { membershipAudience, removeMember } from './ops/members.js';
import { endRequest } from './ops/requests.js';
import type { MediaPlane } from './MediaPlane.js';
import type { LiveRecord } from './state.js';

export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EngineOptions {
  clock?: Clock;
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
  logger?: EngineLogger;
  /** Request ids (tests may make them predictable). */
  newId?: () => string;
  /** The media backend, if any; `media.*` requests fail without one. */
  media?: MediaPlane;
}

const silent: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The room engine: the one authority over lives, seats, applications and invitations. Commands for one live run
 * one at a time (each is synchronous over the in-memory state), emit events that are serialised once and fanned out,
 * and are written through to the store before the reply goes back.
 */
export class Engine {
  readonly clock: Clock;
  readonly store: LiveStore;
  readonly bus: LiveBus;
  readonly reconnectGraceMs: number;
  readonly media: MediaPlane | undefined;
  readonly #countThrottleMs: number;
  readonly #abandonedLiveMs: number;
  readonly #maxMembers: number;
  readonly #log: EngineLogger;
  readonly #newId: () => string;
  readonly #lives = new Map<string, Live>();
  /** principal key → its current connection. */
  readonly #conns = new Map<string, Connection>();
  /** principal key → key of the live the user is in. */
  readonly #userLive = new Map<string, string>();
  readonly #profiles = new Map<string, LiveUserInfo>();
  readonly #subs = new Map<string, Unsubscribe>();
  readonly #chains = new Map<string, Promise<void>>();
  /** Recently ended lives → why, so a client that was away learns who ended it. */
  readonly #endedReasons = new Map<string, LiveEndedReason>();
  readonly #hooks: EngineHooks;

  constructor(options: EngineOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store ?? new MemoryLiveStore();
    this.bus = options.bus ?? new MemoryLiveBus();
    this.reconnectGraceMs = options.reconnectGraceMs ?? 20_000;
    this.#countThrottleMs = options.countThrottleMs ?? 1_000;
    this.#abandonedLiveMs = options.abandonedLiveMs ?? 300_000;
    this.#maxMembers = options.maxMembersPerLive ?? 100_000;
    this.#log = options.logger ?? silent;
    this.#newId = options.newId ?? randomUUID;
    this.media = options.media;
    this.#hooks = {
      newRequestId: () => this.#newId(),
      userLeftLive: (live, userId) => this.#userLeftLive(live, userId),
    };
  }

  get stats(): { lives: number; connections: number; members: number } {
    let members = 0;
    for (const l of this.#lives.values()) members += l.members.size;
    return { lives: this.#lives.size, connections: this.#conns.size, members };
  }

  // ---- connections -------------------------------------------------------------------------------------------

  /** A connection authenticated. An older connection of the same user is told and closed; its live membership waits for a resume. */
  attach(conn: Connection): void {
    const k = principalKey(conn.principal);
    const old = this.#conns.get(k);
    this.#conns.set(k, conn);
    if (!this.#profiles.has(k)) {
      const { userId, userName, avatarUrl } = conn.principal;
      this.#profiles.set(k, { userId, userName, avatarUrl });
    }
    if (old && old !== conn) {
      const frame: EventFrame = { kind: 'evt', type: 'session.kickedOffline', liveId: '', seq: 0, payload: { reason: 'loggedInElsewhere' } };
      old.send(JSON.stringify(frame));
      old.close(CloseCode.KICKED_OFFLINE, 'logged in elsewhere');
      this.#connectionLost(k, old);
    }
  }

  /** A connection closed. Its member (if any) keeps everything for the grace period. */
  detach(conn: Connection): void {
    const k = principalKey(conn.principal);
    if (this.#conns.get(k) !== conn) return;
    this.#conns.delete(k);
    this.#connectionLost(k, conn);
  }

  #connectionLost(k: string, conn: Connection): void {
    const live = this.#liveOfKey(k);
    const member = live?.members.get(conn.principal.userId);
    if (!live || !member || member.conn !== conn) return;
    member.conn = null;
    this.#armGrace(live, conn.principal.userId);
  }

  /** The member has no connection: after the grace period they leave the live. */
  #armGrace(live: Live, userId: string): void {
    const member = live.members.get(userId);
    if (!member) return;
    if (member.graceTimer) this.clock.clearTimer(member.graceTimer);
    member.graceTimer = this.clock.setTimer(() => {
      member.graceTimer = null;
      if (member.conn || live.members.get(userId) !== member) return;
      // Connected again but never resumed explicitly: keep them, on the connection they have now.
      const current = this.#conns.get(`${live.record.sdkAppId}:${userId}`);
      if (current) {
        member.conn = current;
        return;
      }
      this.#log.debug({ live: live.key, userId }, 'grace period over');
      void this.#runOnLive(live, () => removeMember(live, userId, this.#hooks));
    }, this.reconnectGraceMs);
  }

  // ---- commands ----------------------------------------------------------------------------------------------

  async execute<T extends EngineRequestType>(conn: Connection, type: T, payload: ParsedRequestPayload<T>): Promise<Reply<T>> {
    if (this.#conns.get(principalKey(conn.principal)) !== conn) {
      return { ok: false, error: wireError('NOT_LOGGED_IN', 'This connection was replaced by a newer login') };
    }
    try {
      const result = await this.#dispatch(conn, type, payload as never);
      return { ok: true, payload: result as RequestResult<T> };
    } catch (e) {
      if (e instanceof EngineError) return { ok: false, error: e.wire };
      this.#log.error({ err: e, type }, 'command failed');
      return { ok: false, error: wireError('SERVER_PROCESS_FAILED') };
    }
  }

  async #dispatch(conn: Connection, type: EngineRequestType, payload: never): Promise<unknown> {
    switch (type) {
      case 'user.setSelfInfo':
        return this.#setSelfInfo(conn, payload);
      case 'live.start':
        return this.#start(conn, payload);
      case 'live.join':
        return this.#join(conn, payload);
      case 'live.list':
        return this.#list(conn, payload);
      case 'live.info':
        return this.#info(conn, payload);
      case 'live.sync':
        return this.#sync(conn, payload);
      case 'live.leave': {
        const live = this.#currentLive(conn);
        await this.#runOnLive(live, () => removeMember(live, conn.principal.userId, this.#hooks));
        return {};
      }
      case 'live.end': {
        const live = this.#currentLive(conn);
        if (live.record.owner.userId !== conn.principal.userId) fail('NEED_OWNER_PERMISSION', 'Only the owner may end the live');
        await this.#end(live, LiveEndedReason.EndedByHost);
        return {};
      }
      default: {
        if (type.startsWith('media.')) return this.#media(conn, type, payload);
        const op = LIVE_OPS[type] ?? fail('UNKNOWN_REQUEST_TYPE');
        const live = this.#currentLive(conn);
        this.#reattach(live, conn);
        const ctx: OpContext = { live, userId: conn.principal.userId, now: this.clock.now(), hooks: this.#hooks };
        return this.#runOnLive(live, () => op(ctx, payload));
      }
    }
  }

  /** Runs a command on a live, then flushes its events and persists it, even when the command refuses. */
  async #runOnLive<R>(live: Live, fn: () => R): Promise<R> {
    let result: R;
    try {
      result = fn();
    } finally {
      this.#flush(live);
    }
    await this.#chains.get(live.key);
    return result;
  }

  async #media(conn: Connection, type: string, payload: unknown): Promise<unknown> {
    const media = this.media ?? fail('FAILED', 'This server has no media backend');
    const live = this.#currentLive(conn);
    this.#reattach(live, conn);
    const { userId } = conn.principal;
    const seat = live.seatsWire().find((s) => s.userInfo?.userId === userId);
    return media.handle({ liveKey: live.key, liveId: live.record.liveId, userId, conn, type, payload, seat });
  }

  #currentLive(conn: Connection): Live {
    const live = this.#liveOfKey(principalKey(conn.principal));
    return live ?? fail('NOT_IN_LIVE');
  }

  #liveOfKey(principal: string): Live | undefined {
    const key = this.#userLive.get(principal);
    return key === undefined ? undefined : this.#lives.get(key);
  }

  /** A member acting through a new connection (after a reconnect) gets its events there again. */
  #reattach(live: Live, conn: Connection): void {
    const m = live.members.get(conn.principal.userId);
    if (!m || m.conn === conn) return;
    m.conn = conn;
    if (m.graceTimer) this.clock.clearTimer(m.graceTimer);
    m.graceTimer = null;
  }

  #setSelfInfo(conn: Connection, p: ParsedRequestPayload<'user.setSelfInfo'>) {
    const k = principalKey(conn.principal);
    const prev = this.#profiles.get(k) ?? { userId: conn.principal.userId, userName: conn.principal.userName, avatarUrl: conn.principal.avatarUrl };
    const user: LiveUserInfo = { userId: prev.userId, userName: p.userName ?? prev.userName, avatarUrl: p.avatarUrl ?? prev.avatarUrl };
    this.#profiles.set(k, user);
    const live = this.#liveOfKey(k);
    const member = live?.members.get(user.userId);
    if (live && member) {
      member.user = user;
      if (user.userId === live.record.owner.userId) live.record.owner = { ...user };
      void this.#runOnLive(live, () => {
        if (live.seatOf(user.userId)) live.emitSeats();
        if (user.userId !== live.record.owner.userId) {
          live.emit('audience.memberChanged', { user: live.audienceWire(user.userId) }, membershipAudience(live));
        }
      });
    }
    return { user };
  }

  async #start(conn: Connection, p: ParsedRequestPayload<'live.start'>) {
    const k = principalKey(conn.principal);
    const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
    if (this.#userLive.get(k) === key) fail('ALREADY_IN_ROOM', 'You are already in this live');
    if (this.#userLive.has(k)) fail('ALREADY_IN_OTHER_LIVE');
    if (this.#lives.has(key)) fail('LIVE_ID_OCCUPIED');
    const owner = this.#profiles.get(k) ?? conn.principal;
    const record = newLiveRecord(key, conn.principal.sdkAppId, owner, p, this.clock.now());
    const live = this.#newLive(record);
    this.#lives.set(key, live); // reserve before the first await
    this.#endedReasons.delete(key);
    if (!(await this.store.createLive(record))) {
      this.#lives.delete(key);
      fail('LIVE_ID_OCCUPIED');
    }
    return { snapshot: await this.#enter(live, conn) };
  }

  async #join(conn: Connection, p: ParsedRequestPayload<'live.join'>) {
    const k = principalKey(conn.principal);
    const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
    const live = this.#lives.get(key);
    if (!live || live.ended) return this.#noSuchLive(key, p.liveId);
    const current = this.#userLive.get(k);
    if (current === key) {
      this.#reattach(live, conn);
      await this.#chains.get(key);
      return { snapshot: live.snapshotFor(conn.principal.userId) };
    }
    if (current !== undefined) fail('ALREADY_IN_OTHER_LIVE');
    if (live.members.size >= this.#maxMembers) fail('LIVE_USER_FULL');
    return { snapshot: await this.#enter(live, conn) };
  }

  async #enter(live: Live, conn: Connection) {
    const { userId } = conn.principal;
    const k = principalKey(conn.principal);
    const user = this.#profiles.get(k) ?? { userId, userName: conn.principal.userName, avatarUrl: conn.principal.avatarUrl };
    const joinedAt = this.clock.now();
    live.members.set(userId, { user, joinedAt, conn, graceTimer: null });
    this.#userLive.set(k, live.key);
    if (userId === live.record.owner.userId && live.abandonTimer) {
      this.clock.clearTimer(live.abandonTimer);
      live.abandonTimer = null;
    }
    if (!this.#subs.has(live.key))
      this.#subs.set(
        live.key,
        this.bus.subscribe(live.key, (d) => this.#deliverLocal(live, d)),
      );
    void this.store.putMember(live.key, { user, joinedAt });
    await this.#runOnLive(live, () => {
      if (userId === live.record.owner.userId) return;
      live.record.totalViewerCount++;
      live.emit('audience.joined', { user: live.audienceWire(userId) }, membershipAudience(live));
      this.#countChanged(live);
    });
    return live.snapshotFor(userId);
  }

  #userLeftLive(live: Live, userId: string): void {
    this.#userLive.delete(`${live.record.sdkAppId}:${userId}`);
    this.media?.memberLeft(live.key, userId);
    void this.store.removeMember(live.key, userId);
    if (userId !== live.record.owner.userId) this.#countChanged(live);
    else this.#armAbandon(live);
    if (live.members.size === 0) {
      this.#subs.get(live.key)?.();
      this.#subs.delete(live.key);
    }
  }

  /** The owner left: unless they come back within `abandonedLiveMs`, the live ends. */
  #armAbandon(live: Live): void {
    if (this.#abandonedLiveMs <= 0 || live.abandonTimer || live.ended) return;
    live.abandonTimer = this.clock.setTimer(() => {
      live.abandonTimer = null;
      if (live.ended || live.members.has(live.record.owner.userId)) return;
      this.#log.info({ live: live.key }, 'owner gone too long: ending the live');
      void this.#end(live, LiveEndedReason.EndedByServer);
    }, this.#abandonedLiveMs);
  }

  async #end(live: Live, reason: LiveEndedReason): Promise<void> {
    await this.#runOnLive(live, () => {
      for (const r of [...live.record.applications, ...live.record.invitations]) {
        endRequest(live, r, 'supersede', { byUserId: '', reason: 'liveEnded' });
      }
      live.emit('live.ended', { liveId: live.record.liveId, reason }, 'all');
    });
    live.ended = true;
    this.#endedReasons.set(live.key, reason);
    if (this.#endedReasons.size > 1000) this.#endedReasons.delete(this.#endedReasons.keys().next().value as string);
    live.disarmAll();
    this.media?.liveEnded(live.key);
    for (const userId of live.members.keys()) this.#userLive.delete(`${live.record.sdkAppId}:${userId}`);
    live.members.clear();
    this.#subs.get(live.key)?.();
    this.#subs.delete(live.key);
    this.#lives.delete(live.key);
    await this.#chains.get(live.key);
    this.#chains.delete(live.key);
    await this.store.deleteLive(live.key);
  }

  /**
   * Sends an event to one member's current connection without a seq and without logging it (for media signalling,
   * which must not be replayed on resume). Returns false when the member is not connected.
   */
  sendEphemeral(liveKey: string, userId: string, type: string, payload: unknown): boolean {
    const live = this.#lives.get(liveKey);
    const conn = live?.members.get(userId)?.conn;
    if (!live || !conn) return false;
    conn.send(JSON.stringify({ kind: 'evt', type, liveId: live.record.liveId, seq: 0, payload }));
    return true;
  }

  /** Ends a live on the server's behalf (administration, shutdown of a live by policy). */
  async endLive(sdkAppId: number, liveId: string): Promise<boolean> {
    const live = this.#lives.get(liveKeyOf(sdkAppId, liveId));
    if (!live) return false;
    await this.#end(live, LiveEndedReason.EndedByServer);
    return true;
  }

  async #list(conn: Connection, p: ParsedRequestPayload<'live.list'>) {
    const page = await this.store.listLives(conn.principal.sdkAppId, p.cursor ?? '', p.count ?? 20);
    return { lives: page.lives.map((r) => this.#infoOf(r)), cursor: page.cursor };
  }

  async #info(conn: Connection, p: ParsedRequestPayload<'live.info'>) {
    const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
    const live = this.#lives.get(key);
    if (!live) return this.#noSuchLive(key, p.liveId);
    return { live: live.infoWire() };
  }

  /** LIVE_NOT_EXIST, with `details.endedReason` when the live ended recently. */
  #noSuchLive(key: string, liveId: string): never {
    const endedReason = this.#endedReasons.get(key);
    if (endedReason !== undefined) return fail('LIVE_NOT_EXIST', `Live ${liveId} has ended`, { endedReason });
    return fail('LIVE_NOT_EXIST', `Live ${liveId} does not exist`);
  }

  #infoOf(record: LiveRecord) {
    const live = this.#lives.get(record.key);
    return live ? live.infoWire() : new Live(record, this.clock, () => {}).infoWire();
  }

  async #sync(conn: Connection, p: ParsedRequestPayload<'live.sync'>) {
    const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
    const live = this.#lives.get(key);
    if (!live) return this.#noSuchLive(key, p.liveId);
    const { userId } = conn.principal;
    if (!live.members.has(userId)) return fail('USER_NOT_IN_LIVE', 'You are no longer in this live; join it again');
    this.#reattach(live, conn);
    await this.#chains.get(live.key);
    const snapshot = () => ({ mode: 'snapshot' as const, snapshot: live.snapshotFor(userId) });
    if (p.sinceSeq === 0 || p.sinceSeq > live.record.seq) return snapshot();
    const logged = await this.store.eventsAfter(live.key, p.sinceSeq);
    if (!logged) return snapshot();
    const events = logged.filter((e) => e.to === 'all' || e.to.includes(userId)).map((e) => JSON.parse(e.frame) as EventFrame);
    return { mode: 'events' as const, events };
  }

  // ---- events ------------------------------------------------------------------------------------------------

  /** Assigns seqs, serialises each event once, publishes it and appends it to the log; then persists the live. */
  #flush(live: Live): void {
    if (live.outbox.length > 0) {
      const logged: LoggedEvent[] = [];
      let seats: unknown = null;
      for (const ev of live.outbox) {
        if (ev.type === 'seat.listChanged') seats = (ev.payload as { seats: unknown }).seats;
        const seq = ++live.record.seq;
        const frame = JSON.stringify({ kind: 'evt', type: ev.type, liveId: live.record.liveId, seq, payload: ev.payload });
        const to = this.#resolve(live, ev.to);
        logged.push({ seq, frame, to });
        this.bus.publish({ liveKey: live.key, frame, to });
      }
      live.outbox.length = 0;
      live.departed.clear();
      this.#persist(live, logged);
      if (seats && this.media) this.media.seatsChanged(live.key, seats as Parameters<MediaPlane['seatsChanged']>[1]);
    } else {
      live.departed.clear();
      this.#persist(live, null);
    }
  }

  #resolve(live: Live, to: Audience): 'all' | string[] {
    if (to === 'all') return 'all';
    if ('users' in to) return to.users;
    const ids = new Set(live.hostIds());
    for (const id of to.plus ?? []) ids.add(id);
    return [...ids];
  }

  #deliverLocal(live: Live, d: Delivery): void {
    if (d.to === 'all') {
      if (live.members.size > 1) {
        const buf = Buffer.from(d.frame);
        for (const m of live.members.values()) m.conn?.send(buf);
      } else {
        for (const m of live.members.values()) m.conn?.send(d.frame);
      }
      return;
    }
    for (const id of d.to) (live.members.get(id)?.conn ?? live.departed.get(id))?.send(d.frame);
  }

  #persist(live: Live, logged: LoggedEvent[] | null): void {
    if (live.ended) return;
    const key = live.key;
    const prev = this.#chains.get(key) ?? Promise.resolve();
    const next = prev
      .then(async () => {
        if (logged) await this.store.appendEvents(key, logged);
        if (!live.ended) await this.store.saveLive(live.record);
      })
      .catch((err: unknown) => this.#log.error({ err, live: key }, 'persisting the live failed'));
    this.#chains.set(key, next);
  }

  #countChanged(live: Live): void {
    if (live.countTimer || live.ended) return;
    live.countTimer = this.clock.setTimer(() => {
      live.countTimer = null;
      if (live.ended) return;
      const count = live.audienceCount();
      if (count === live.lastEmittedCount) return;
      live.lastEmittedCount = count;
      void this.#runOnLive(live, () => live.emit('audience.countChanged', { count }, 'all'));
    }, this.#countThrottleMs);
  }

  #newLive(record: LiveRecord): Live {
    return new Live(record, this.clock, (live, requestId) => {
      void this.#runOnLive(live, () => timeoutRequest(live, requestId));
    });
  }

  // ---- restart / takeover ------------------------------------------------------------------------------------

  /**
   * Loads every live from the store (after a restart, or on a node taking over): members come back in their grace
   * period (they resume with live.sync), and every stored deadline is re-armed (a deadline already past fires at once).
   */
  async restore(): Promise<number> {
    let n = 0;
    for (const key of await this.store.liveKeys()) {
      if (this.#lives.has(key)) continue;
      const record = await this.store.loadLive(key);
      if (!record) continue;
      const live = this.#newLive(record);
      this.#lives.set(key, live);
      this.#subs.set(
        key,
        this.bus.subscribe(key, (d) => this.#deliverLocal(live, d)),
      );
      for (const m of await this.store.members(key)) {
        live.members.set(m.user.userId, { user: m.user, joinedAt: m.joinedAt, conn: null, graceTimer: null });
        this.#userLive.set(`${record.sdkAppId}:${m.user.userId}`, key);
        this.#armGrace(live, m.user.userId);
      }
      for (const r of [...record.applications, ...record.invitations]) live.armDeadline(r);
      if (!live.members.has(record.owner.userId)) this.#armAbandon(live);
      n++;
    }
    return n;
  }

  /** For tests and diagnostics: the live with this key, if this node has it. */
  liveForTesting(sdkAppId: number, liveId: string): Live | undefined {
    return this.#lives.get(liveKeyOf(sdkAppId, liveId));
  }

  /** For invariant checks: which live each user is in. */
  userLiveForTesting(): ReadonlyMap<string, string> {
    return this.#userLive;
  }

  livesForTesting(): Iterable<Live> {
    return this.#lives.values();
  }

  /** Stops all timers. Lives stay in the store. */
  async close(): Promise<void> {
    for (const live of this.#lives.values()) live.disarmAll();
    await this.media?.close();
    await Promise.all([...this.#chains.values()]);
    for (const u of this.#subs.values()) u();
    this.#subs.clear();
  }
}
