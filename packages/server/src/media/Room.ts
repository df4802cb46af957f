import type { ErrorName, SeatInfo } from '@onseat/protocol';
import { Errors } from '@onseat/protocol';
import { EngineError } from '../engine/EngineError.js';
import type { ResolvedMediaOptions } from './options.js';
import { Publisher } from './Publisher.js';
import type { PublishedTrack } from './PublishedTrack.js';
import { sentKinds, type MediaKind } from './sdp.js';
import { Subscriber } from './Subscriber.js';
import { uplinkOf } from './uplinkStats.js';

/** Pushes an ephemeral event to one member or to several, serialised once (the engine's `sendEphemeral`). */
export type Notify = (liveKey: string, to: string | Iterable<string>, type: string, payload: unknown) => unknown;

export interface MediaLogger {
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** What every room of a media plane counts, for its metrics (only ever incremented). */
export interface MediaCounters {
  /** Simulcast layer switches completed (a viewer's decoder got the new layer's keyframe). */
  layerSwitches: number;
  /** Simulcast step ups undone because the viewer NACKed the new layer heavily. */
  stepUpsUndone: number;
  /** Publish and subscribe transports closed after being broken for the reap time. */
  transportsReaped: number;
}

export const newMediaCounters = (): MediaCounters => ({ layerSwitches: 0, stepUpsUndone: 0, transportsReaped: 0 });

/** Why `userId` may not publish `kind` with this seat, or null when they may. */
export function publishRefusal(seat: SeatInfo | undefined, kind: MediaKind): ErrorName | null {
  if (!seat?.userInfo) return kind === 'audio' ? 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN' : 'OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN';
  if (kind === 'audio' && (seat.isAudioLocked || !seat.userInfo.allowOpenMicrophone)) return 'OPEN_MICROPHONE_NEED_SEAT_UNLOCK';
  if (kind === 'video' && (seat.isVideoLocked || !seat.userInfo.allowOpenCamera)) return 'OPEN_CAMERA_NEED_SEAT_UNLOCK';
  return null;
}

/**
 * The router of one live: its publishers, its subscribers and who receives what. Invariant 7 lives here: a track
 * is forwarded only while its publisher sends it, holds a seat, and an admin has not closed that kind; a track
 * stopped by the seat stays stopped until the publisher publishes again.
 */
export class Room {
  readonly publishers = new Map<string, Publisher>();
  readonly subscribers = new Map<string, Subscriber>();
  #seats = new Map<string, SeatInfo>();
  /** Tracks stopped because of the seat; cleared by the next publish of their user. */
  #revoked = new WeakSet<PublishedTrack>();
  #levelTimer: NodeJS.Timeout | undefined;
  #lastLevelsEmpty = true;
  /** Members who asked for `media.networkStats`. */
  #statsWatchers = new Set<string>();
  #statsTimer: NodeJS.Timeout | undefined;
  /** Receiver counters of the previous uplink reading, by stats id. */
  #uplinkPrev = new Map<string, { received: number; lost: number }>();
  /** Rendered video sizes each member reported (`media.viewSize`). */
  #views = new Map<string, readonly { userId: string; width: number; height: number }[]>();
  /** Last offer revision of members whose subscribe transport went away (a new one continues from there). */
  #lastRevision = new Map<string, number>();

  constructor(
    readonly liveKey: string,
    private readonly options: ResolvedMediaOptions,
    private readonly notify: Notify,
    private readonly log: MediaLogger,
    /** Counts of the whole media plane (its metrics), shared by every room. */
    private readonly counters: MediaCounters = newMediaCounters(),
  ) {}

  get empty(): boolean {
    return this.publishers.size === 0 && this.subscribers.size === 0 && this.#statsWatchers.size === 0;
  }

  /** `userId` wants (or no longer wants) `media.networkStats` every `statsIntervalMs`. */
  watchStats(userId: string, on: boolean): void {
    if (on) this.#statsWatchers.add(userId);
    else this.#statsWatchers.delete(userId);
    if (this.#statsWatchers.size > 0 && !this.#statsTimer) {
      this.#statsTimer = setInterval(() => void this.#reportStats(), this.options.statsIntervalMs);
      this.#statsTimer.unref();
    } else if (this.#statsWatchers.size === 0 && this.#statsTimer) {
      clearInterval(this.#statsTimer);
      this.#statsTimer = undefined;
      this.#uplinkPrev.clear();
    }
  }

  async #reportStats(): Promise<void> {
    const pubs = [...this.publishers.values()];
    const users = await Promise.all(
      pubs.map((p) =>
        uplinkOf(p, this.#uplinkPrev).catch((err: unknown) => {
          this.log.warn({ err, live: this.liveKey, userId: p.userId }, 'reading uplink statistics failed');
          return null;
        }),
      ),
    );
    const payload = { users: users.filter((u) => u !== null) };
    this.notify(this.liveKey, this.#statsWatchers, 'media.networkStats', payload);
  }

  /** The caller's seat as the engine sees it now (fresher than the last seat list for this user). */
  setSeat(userId: string, seat: SeatInfo | undefined): void {
    if (seat) this.#seats.set(userId, seat);
    else this.#seats.delete(userId);
  }

  /** A new seat list: stop whatever it no longer allows. */
  setSeats(seats: readonly SeatInfo[]): void {
    this.#seats = new Map();
    for (const s of seats) if (s.userInfo) this.#seats.set(s.userInfo.userId, s);
    let removed = false;
    for (const [userId, pub] of this.publishers) {
      if (!this.#seats.has(userId)) {
        this.#revokeAll(pub);
        this.publishers.delete(userId);
        void pub.close();
        removed = true;
      }
    }
    this.refresh(removed);
  }

  async publish(userId: string, sdp: string): Promise<string> {
    const seat = this.#seats.get(userId);
    for (const kind of sentKinds(sdp)) {
      const refusal = publishRefusal(seat, kind);
      if (refusal) throw new EngineError(refusal);
    }
    let pub = this.publishers.get(userId);
    if (pub && !pub.sameTransport(sdp)) {
      this.publishers.delete(userId);
      await pub.close();
      pub = undefined;
    }
    const fresh = !pub;
    if (!pub) {
      const created: Publisher = new Publisher(
        userId,
        sdp,
        this.options,
        () => this.refresh(),
        (state) => this.#reapPublisher(created, state),
        (err, context) => this.log.warn({ err, live: this.liveKey, userId }, `publisher: ${context} failed`),
      );
      pub = created;
      this.publishers.set(userId, pub);
      this.#startLevels();
    }
    let answer: string;
    try {
      answer = await pub.negotiate(sdp);
    } catch (error) {
      if (fresh && this.publishers.get(userId) === pub) {
        this.publishers.delete(userId);
        await pub.close();
      }
      throw new EngineError('INVALID_PARAMETER', `media.publish: the SDP offer could not be applied (${describe(error)})`);
    }
    for (const t of pub.tracks.values()) this.#revoked.delete(t);
    this.refresh();
    return answer;
  }

  async unpublish(userId: string): Promise<void> {
    const pub = this.publishers.get(userId);
    if (!pub) return;
    this.publishers.delete(userId);
    this.refresh(true);
    await pub.close();
  }

  /** Starts a fresh subscribe transport for `userId`, or with `restart` offers again on the existing one. */
  subscribe(userId: string, restart?: 'offer'): void {
    const existing = this.subscribers.get(userId);
    if (existing && restart) {
      this.log.debug({ live: this.liveKey, userId, restart }, 'subscriber asked for a new offer');
      existing.restart();
      return;
    }
    if (existing) void existing.close();
    const sub: Subscriber = new Subscriber(
      userId,
      this.options,
      (payload) => this.notify(this.liveKey, userId, 'media.offer', payload),
      (err, context) => this.log.warn({ err, live: this.liveKey, userId }, `subscriber: ${context} failed`),
      (state) => this.#reapSubscriber(sub, state),
      existing?.revision ?? this.#lastRevision.get(userId) ?? 0,
      (change) => {
        this.counters.layerSwitches++;
        this.log.debug({ live: this.liveKey, ...change }, 'layer switch');
      },
      (undone) => {
        this.counters.stepUpsUndone++;
        this.log.debug({ live: this.liveKey, ...undone }, 'layer step up undone: the viewer NACKs the new layer');
      },
    );
    const views = this.#views.get(userId);
    if (views) sub.setViews(views);
    this.subscribers.set(userId, sub);
    sub.update(this.#tracksFor(userId));
  }

  /** A publish transport broken for the whole reap time: close it (the seat and its device states stay). */
  #reapPublisher(pub: Publisher, state: string): void {
    if (this.publishers.get(pub.userId) !== pub) return;
    this.counters.transportsReaped++;
    this.log.warn({ live: this.liveKey, userId: pub.userId, state, afterMs: this.options.transportReapMs }, 'reaping a broken publish transport');
    this.publishers.delete(pub.userId);
    this.refresh(true);
    void pub.close();
    this.onEmpty?.();
  }

  /** A subscribe transport broken for the whole reap time: close it. */
  #reapSubscriber(sub: Subscriber, state: string): void {
    if (this.subscribers.get(sub.userId) !== sub) return;
    this.counters.transportsReaped++;
    this.log.warn({ live: this.liveKey, userId: sub.userId, state, afterMs: this.options.transportReapMs }, 'reaping a broken subscribe transport');
    this.subscribers.delete(sub.userId);
    this.#lastRevision.set(sub.userId, sub.revision);
    void sub.close();
    this.onEmpty?.();
  }

  /** The sizes at which `userId` renders each user's video (device pixels); kept across its subscribe transports. */
  viewSize(userId: string, views: readonly { userId: string; width: number; height: number }[]): void {
    this.#views.set(userId, views);
    this.subscribers.get(userId)?.setViews(views);
  }

  /** Called after a reap (the plane drops an empty room). */
  onEmpty: (() => void) | undefined;

  async unsubscribe(userId: string): Promise<void> {
    const sub = this.subscribers.get(userId);
    this.subscribers.delete(userId);
    if (sub) this.#lastRevision.set(userId, sub.revision);
    await sub?.close();
  }

  async answer(userId: string, revision: number, sdp: string): Promise<void> {
    const sub = this.subscribers.get(userId);
    const applied = await sub?.answer(revision, sdp).catch((error: unknown) => {
      throw new EngineError('INVALID_PARAMETER', `media.answer: the SDP answer could not be applied (${describe(error)})`);
    });
    if (!applied) {
      throw new EngineError('INVALID_PARAMETER', `No outstanding media.offer with revision ${revision}`);
    }
  }

  /** Recomputes which tracks are forwarded and tells subscribers and publishers what changed. */
  refresh(force = false): void {
    let changed = force;
    for (const pub of this.publishers.values()) {
      const seat = this.#seats.get(pub.userId);
      for (const t of pub.tracks.values()) {
        const sending = pub.sendingMids.has(t.mid);
        const refusal = publishRefusal(seat, t.kind);
        const wasActive = t.active;
        if (sending && refusal && wasActive) this.#revoke(t, refusal);
        t.active = sending && refusal === null && !this.#revoked.has(t);
        if (t.active !== wasActive) changed = true;
      }
    }
    if (changed) for (const [userId, sub] of this.subscribers) sub.update(this.#tracksFor(userId));
  }

  #revoke(t: PublishedTrack, reason: ErrorName): void {
    t.active = false;
    this.#revoked.add(t);
    this.notify(this.liveKey, t.userId, 'media.publishRevoked', { kind: t.kind, code: Errors[reason].code, message: Errors[reason].message });
  }

  #revokeAll(pub: Publisher): void {
    for (const t of pub.tracks.values()) {
      if (t.active) this.#revoke(t, t.kind === 'audio' ? 'OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN' : 'OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN');
    }
  }

  #tracksFor(userId: string): PublishedTrack[] {
    const out: PublishedTrack[] = [];
    for (const pub of this.publishers.values()) {
      if (pub.userId === userId) continue;
      for (const t of pub.tracks.values()) if (t.active) out.push(t);
    }
    return out;
  }

  memberLeft(userId: string): void {
    const pub = this.publishers.get(userId);
    if (pub) {
      this.publishers.delete(userId);
      this.refresh(true);
      void pub.close();
    }
    void this.unsubscribe(userId);
    this.#lastRevision.delete(userId);
    this.#views.delete(userId);
    this.watchStats(userId, false);
  }

  #startLevels(): void {
    if (this.#levelTimer || this.options.audioLevelIntervalMs <= 0) return;
    this.#levelTimer = setInterval(() => this.#reportLevels(), this.options.audioLevelIntervalMs);
    this.#levelTimer.unref();
  }

  #reportLevels(): void {
    const levels: { userId: string; level: number }[] = [];
    for (const pub of this.publishers.values()) {
      for (const t of pub.tracks.values()) {
        if (t.kind === 'audio' && t.active && t.level > 0) levels.push({ userId: pub.userId, level: t.level });
        t.level = 0;
      }
    }
    if (levels.length === 0 && this.#lastLevelsEmpty) return;
    this.#lastLevelsEmpty = levels.length === 0;
    this.notify(this.liveKey, this.subscribers.keys(), 'media.audioLevels', { levels });
  }

  async close(): Promise<void> {
    if (this.#levelTimer) clearInterval(this.#levelTimer);
    if (this.#statsTimer) clearInterval(this.#statsTimer);
    const all = [...this.publishers.values(), ...this.subscribers.values()];
    this.publishers.clear();
    this.subscribers.clear();
    await Promise.all(all.map((x) => x.close()));
  }
}

/** A short, safe description of a failure from the WebRTC stack. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
