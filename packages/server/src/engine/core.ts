import type { LiveEndedReason } from '@onseat/protocol';
import type { LiveBus } from '../bus/LiveBus.js';
import type { LiveStore } from '../store/LiveStore.js';
import type { Clock } from './Clock.js';
import type { Connection } from './Connection.js';
import type { EventPublisher } from './EventPublisher.js';
import type { Live } from './Live.js';
import type { LiveIndex } from './LiveIndex.js';
import type { MediaPlane } from './MediaPlane.js';
import type { EngineHooks } from './ops/context.js';
import type { Presence } from './Presence.js';
import type { SelfInfoCoalescer } from './SelfInfoCoalescer.js';
import type { LiveRecord } from './state.js';

export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Limits and timings of an engine. */
export interface EngineLimits {
  reconnectGraceMs: number;
  countThrottleMs: number;
  abandonedLiveMs: number;
  maxMembersPerLive: number;
  /** Active lives one user may own; starting one more ends the oldest they own (see ops/live.ts). */
  maxLivesPerUser: number;
  /** Lives one app may have at once (live.start beyond: LIVE_COUNT_LIMIT). */
  maxLivesPerApp: number;
}

/**
 * What the live lifecycle operations (ops/live.ts) need from the engine: its parts, and the few engine-level steps
 * that touch more than one live or more than one part.
 */
export interface EngineCore {
  readonly clock: Clock;
  readonly store: LiveStore;
  readonly bus: LiveBus;
  readonly media: MediaPlane | undefined;
  readonly log: EngineLogger;
  readonly limits: EngineLimits;
  readonly lives: Map<string, Live>;
  readonly presence: Presence;
  /** The lives of this engine by app (public ones newest first) and by owner. */
  readonly index: LiveIndex;
  /** Members' profile changes, applied to their live once per tick. */
  readonly selfInfo: SelfInfoCoalescer;
  readonly publisher: EventPublisher;
  readonly hooks: EngineHooks;
  /** Runs a command on a live; resolves after its changes are committed and its events delivered. */
  runOnLive<R>(live: Live, fn: () => R): Promise<R>;
  /** A Live object for a record (deadline timers wired to the engine), registered and subscribed to the bus. */
  adoptLive(record: LiveRecord): Live;
  /** The live the connection's user is in, or NOT_IN_LIVE. */
  currentLive(conn: Connection): Live;
  /** LIVE_NOT_EXIST, with `details.endedReason` when the live ended (kept by the store). */
  noSuchLive(key: string, liveId: string): Promise<never>;
  /** Ends the live with a reason: its requests end, everyone hears live.ended, the store forgets it. */
  finishLive(live: Live, reason: LiveEndedReason): Promise<void>;
  /** Throttled audience.countChanged. */
  countChanged(live: Live): void;
  /** The owner is out of the live: unless they come back within `abandonedLiveMs`, it ends. */
  armAbandon(live: Live): void;
  /** Forgets a recently ended reason cached in memory (a new live takes the key). */
  forgetEnded(key: string): void;
}
