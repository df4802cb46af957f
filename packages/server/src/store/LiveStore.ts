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

/**
 * Where lives are kept. Shaped around the domain: the engine says what happened to a live, the store decides how to
 * keep it. The in-memory store is the embedded default; a Redis store implements the same interface and runs the same
 * contract tests (test/store.contract.ts).
 */
export interface LiveStore {
  /** Creates the live; false if a live with that key exists. */
  createLive(record: LiveRecord): Promise<boolean>;
  /** Replaces the live's record (after a command changed it). */
  saveLive(record: LiveRecord): Promise<void>;
  loadLive(key: string): Promise<LiveRecord | null>;
  /** Removes the live, its members and its event log. */
  deleteLive(key: string): Promise<void>;
  /** Keys of every live (for restoring after a restart). */
  liveKeys(): Promise<string[]>;
  /** Public lives of one app, newest first, `count` per page; `cursor` from the previous page. */
  listLives(sdkAppId: number, cursor: string, count: number): Promise<LiveListPage>;

  putMember(key: string, member: MemberRecord): Promise<void>;
  removeMember(key: string, userId: string): Promise<void>;
  members(key: string): Promise<MemberRecord[]>;

  /** Appends events (seq ascending). Keeps at least the last `capacity` events of each live. */
  appendEvents(key: string, events: LoggedEvent[]): Promise<void>;
  /** The events after `seq`, or null when some of them are no longer kept. */
  eventsAfter(key: string, seq: number): Promise<LoggedEvent[] | null>;
}
