import type { LiveRecord, MemberRecord } from '../engine/state.js';
import { ENDED_REASONS_KEPT, type CommitBatch, type LiveListPage, type LiveStore, type LoggedEvent } from './LiveStore.js';

/** Ring buffer of the most recent events of one live. */
class EventRing {
  readonly #buf: (LoggedEvent | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#buf = new Array<LoggedEvent | undefined>(capacity);
  }

  push(e: LoggedEvent): void {
    const cap = this.#buf.length;
    if (this.#size < cap) {
      this.#buf[(this.#start + this.#size) % cap] = e;
      this.#size++;
    } else {
      this.#buf[this.#start] = e;
      this.#start = (this.#start + 1) % cap;
    }
  }

  after(seq: number): LoggedEvent[] | null {
    const cap = this.#buf.length;
    const out: LoggedEvent[] = [];
    for (let i = 0; i < this.#size; i++) {
      const e = this.#buf[(this.#start + i) % cap];
      if (!e) continue;
      if (i === 0 && e.seq > seq + 1 && this.#size === cap) return null; // the ones in between were dropped
      if (e.seq > seq) out.push(e);
    }
    return out;
  }
}

interface Entry {
  record: string; // JSON: the store hands out copies, like a remote store would
  members: Map<string, MemberRecord>;
  events: EventRing;
}

/** Everything in this process's memory (tests, throwaway runs: `--store memory`). Lost on restart. */
export class MemoryLiveStore implements LiveStore {
  readonly #lives = new Map<string, Entry>();
  readonly #ended = new Map<string, number>();
  readonly #eventCapacity: number;

  constructor(options: { eventCapacity?: number } = {}) {
    this.#eventCapacity = options.eventCapacity ?? 512;
  }

  async createLive(record: LiveRecord): Promise<boolean> {
    if (this.#lives.has(record.key)) return false;
    this.#lives.set(record.key, { record: JSON.stringify(record), members: new Map(), events: new EventRing(this.#eventCapacity) });
    this.#ended.delete(record.key);
    return true;
  }

  async commit(batch: CommitBatch): Promise<void> {
    for (const c of batch.changes) {
      const e = this.#lives.get(c.key);
      if (!e) continue;
      if (c.recordJson !== undefined) e.record = c.recordJson;
      else if (c.record) e.record = JSON.stringify(c.record);
      for (const ev of c.events ?? []) e.events.push(ev);
      for (const m of c.putMembers ?? []) e.members.set(m.user.userId, { user: { ...m.user }, joinedAt: m.joinedAt });
      for (const id of c.removeMembers ?? []) e.members.delete(id);
    }
    for (const x of batch.ended) {
      this.#lives.delete(x.key);
      this.#ended.delete(x.key);
      this.#ended.set(x.key, x.reason);
      if (this.#ended.size > ENDED_REASONS_KEPT) this.#ended.delete(this.#ended.keys().next().value as string);
    }
  }

  async loadLive(key: string): Promise<LiveRecord | null> {
    const e = this.#lives.get(key);
    return e ? (JSON.parse(e.record) as LiveRecord) : null;
  }

  async liveKeys(): Promise<string[]> {
    return [...this.#lives.keys()];
  }

  async listLives(sdkAppId: number, cursor: string, count: number): Promise<LiveListPage> {
    const all = [...this.#lives.values()]
      .map((e) => JSON.parse(e.record) as LiveRecord)
      .filter((r) => r.sdkAppId === sdkAppId && r.isPublicVisible)
      .sort((a, b) => b.createTime - a.createTime || (a.liveId < b.liveId ? -1 : a.liveId > b.liveId ? 1 : 0));
    let from = 0;
    if (cursor) {
      const i = all.findIndex((r) => listCursor(r) === cursor);
      from = i < 0 ? all.length : i + 1;
    }
    const lives = all.slice(from, from + count);
    const last = lives[lives.length - 1];
    return { lives, cursor: last && from + count < all.length ? listCursor(last) : '' };
  }

  async members(key: string): Promise<MemberRecord[]> {
    return [...(this.#lives.get(key)?.members.values() ?? [])].map((m) => ({ user: { ...m.user }, joinedAt: m.joinedAt }));
  }

  async eventsAfter(key: string, seq: number): Promise<LoggedEvent[] | null> {
    const e = this.#lives.get(key);
    return e ? e.events.after(seq) : null;
  }

  async endedReason(key: string): Promise<number | null> {
    return this.#ended.get(key) ?? null;
  }

  async close(): Promise<void> {}
}

const listCursor = (r: LiveRecord): string => `${r.createTime}:${r.liveId}`;
