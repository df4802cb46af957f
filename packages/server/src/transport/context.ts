import type { Reply, EngineRequestType } from '../engine/api.js';
import type { Clock } from '../engine/Clock.js';
import type { Connection } from '../engine/Connection.js';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import type { IdempotencyCache } from './IdempotencyCache.js';
import type { RateLimiter } from './RateLimiter.js';

/** What the transport needs from the engine (the `Engine` class satisfies it). */
export interface EngineLike {
  attach(conn: Connection): void;
  detach(conn: Connection): void;
  execute(conn: Connection, type: EngineRequestType, payload: never): Promise<Reply>;
  readonly stats: { lives: number; connections: number; members: number };
  /** Delivery rounds (chat rounds, seat-event broadcasts) being written in slices right now. */
  readonly deliveryRounds: number;
  /** A plain audience member of a live (pinged every `audienceHeartbeatMs`); absent: everyone is pinged alike. */
  isAudienceOnly?(conn: Connection): boolean;
  /** True while lives are being loaded from the store after a start. */
  readonly restoring: boolean;
  /** Resolves when no command runs and everything queued is committed and delivered. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Shared by every session of one server. */
export interface TransportContext {
  readonly engine: EngineLike;
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  readonly clock: Clock;
  readonly idempotency: IdempotencyCache;
  /** Per-user token buckets of every request type (budgets.ts). */
  readonly rateLimiter: RateLimiter;
  /** A fresh connection id. */
  nextConnectionId(): number;
  /** Set once a graceful shutdown began: new requests are left for the client to send again after reconnecting. */
  readonly lifecycle: { draining: boolean };
}

/**
 * Requests that only read, or are idempotent by nature: a repeated id runs again and gets the current answer (a
 * replayed snapshot would be stale), and their large replies are not kept in the idempotency cache.
 */
export const NOT_CACHED_TYPES: ReadonlySet<string> = new Set([
  'live.join',
  'live.sync',
  'live.info',
  'live.list',
  'live.getMetadata',
  'audience.list',
  'audience.messageBannedList',
  'gift.list',
]);

/** A socket is closed after more than this many bad frames within BAD_FRAME_WINDOW_MS. */
export const BAD_FRAME_LIMIT = 20;
export const BAD_FRAME_WINDOW_MS = 10_000;
/** A socket whose unsent output exceeds this is too slow to keep up and is terminated. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Largest WebSocket message `ws` accepts at all (it closes the socket beyond it, code 1009). */
export const MAX_WS_PAYLOAD = 1024 * 1024;
