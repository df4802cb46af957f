import type { LiveRecord, MemberRecord } from '../engine/state.js';

/** An event as kept for resume: its frame and who may see it ('all' or the user ids it went to). */
export interface LoggedEvent {
  seq: number;
  frame: string;
  to: 'all' | string[];
}

export interface LiveListPage {
  lives: LiveRecord[];
  /** '' when there are no more. */
  cursor: string;
}

/** What one tick of commands did to one live. */
export interface LiveChange {
  key: string;
  /**
   * The whole record as it is after the tick (absent: unchanged). From the engine it is a top-level copy whose nested
   * values may be shared with the live: read it during the call, and serialise from `recordJson` when present.
   */
  record?: LiveRecord;
  /** The same record as JSON, serialised once at the end of the tick; stores that keep JSON store this string as is. */
  recordJson?: string;
  /** Events of the tick, seq ascending, to append to the live's log. */
  events?: LoggedEvent[];
  /** Members who joined (or whose profile changed). */
  putMembers?: MemberRecord[];
  /** Members who left. */
  removeMembers?: string[];
}

/** A live that ended in this tick: it is removed (record, members, log) and its reason kept for late comers. */
export interface EndedLive {
  key: string;
  reason: number;
  endedAt: number;
}

/** Everything one tick changed, committed as one unit: all of it or none of it. */
export interface CommitBatch {
  changes: LiveChange[];
  ended: EndedLive[];
  /**
   * Messages for other nodes of a cluster (a forwarded command's reply) that must go out only if this commit is kept,
   * after the tick's events. A store that publishes events with its commit (Redis) sends them in the same atomic step;
   * a single node never has any.
   */
  messages?: CommitMessage[];
}

/** A message for another node that goes out with a commit (`CommitBatch.messages`). */
export interface CommitMessage {
  node: string;
  message: string;
  /**
   * Keep the message, with the commit, under this id for `ttlMs`: a forwarded command's answer, so that whoever runs
   * the live next can answer the command's retry from it instead of running the command again.
   */
  remember?: { id: string; ttlMs: number };
}

/**
 * Where lives are kept. Shaped around the domain: the engine says what happened to its lives in one tick, the store
 * decides how to keep it. The in-memory store is for tests and throwaway runs, SQLite is the embedded default; any
 * store runs the same contract tests (`@onseat/server/testing`).
 *
 * Durability contract: when `commit` resolves, the batch survives a crash of this process; when it rejects, none of
 * it was kept. The engine sends a command's reply and its events only after the commit of its tick resolved.
 */
export interface LiveStore {
  /** Creates the live (and forgets an ended reason under the same key); false if a live with that key exists. */
  createLive(record: LiveRecord): Promise<boolean>;
  /** Commits one tick's changes atomically. Changes for lives that do not exist (any more) are ignored. */
  commit(batch: CommitBatch): Promise<void>;
  loadLive(key: string): Promise<LiveRecord | null>;
  /** Keys of every live (for restoring after a restart). */
  liveKeys(): Promise<string[]>;
  /** Public lives of one app, newest first, `count` per page; `cursor` from the previous page. */
  listLives(sdkAppId: number, cursor: string, count: number): Promise<LiveListPage>;
  members(key: string): Promise<MemberRecord[]>;
  /** The events after `seq`, or null when some of them are no longer kept. Keeps at least the last `capacity`. */
  eventsAfter(key: string, seq: number): Promise<LoggedEvent[] | null>;
  /** Why a live that is gone ended (kept for at least the last 1,000 ended lives), or null. */
  endedReason(key: string): Promise<number | null>;
  /** Releases files and connections. Idempotent. */
  close(): Promise<void>;
}

/** How many ended-live reasons a store keeps at least. */
export const ENDED_REASONS_KEPT = 1000;
