import type { LiveRecord, MemberRecord } from '../engine/state.js';
import type { LiveListPage, LiveStore, LoggedEvent } from './LiveStore.js';

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

/** The embedded default store: everything in this process's memory. */
export class MemoryLiveStore implements LiveStore {
  readonly #lives = new Map<string, Entry>();
  readonly #eventCapacity: number;

  constructor(options: { eventCapacity?: number } = {}) {
    this.#eventCapacity = options.eventCapacity ?? 512;
  }

  async createLive(record: LiveRecord): Promise<boolean> {
    if (this.#lives.has(record.key)) return false;
    this.#lives.set(record.key, { record: JSON.stringify(record), members: new Map(), events: new EventRing(this.#eventCapacity) });
    return true;
  }

  async saveLive(record: LiveRecord): Promise<void> {
    const e = this.#lives.get(record.key);
    if (e) e.record = JSON.stringify(record);
  }

  async loadLive(key: string): Promise<LiveRecord | null> {
    const e = this.#lives.get(key);
    return e ? (JSON.parse(e.record) as LiveRecord) : null;
  }

  async deleteLive(key: string): Promise<void> {
    this.#lives.delete(key);
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

  async putMember(key: string, member: MemberRecord): Promise<void> {
    this.#lives.get(key)?.members.set(member.user.userId, { user: { ...member.user }, joinedAt: member.joinedAt });
  }

  async removeMember(key: string, userId: string): Promise<void> {
    this.#lives.get(key)?.members.delete(userId);
  }

  async members(key: string): Promise<MemberRecord[]> {
    return [...(this.#lives.get(key)?.members.values() ?? [])].map((m) => ({ user: { ...m.user }, joinedAt: m.joinedAt }));
  }

  async appendEvents(key: string, events: LoggedEvent[]): Promise<void> {
    const e = this.#lives.get(key);
    if (!e) return;
    for (const ev of events) e.events.push(ev);
  }

  async eventsAfter(key: string, seq: number): Promise<LoggedEvent[] | null> {
    const e = this.#lives.get(key);
    return e ? e.events.after(seq) : null;
  }
}

const listCursor = (r: LiveRecord): string => `${r.createTime}:${r.liveId}`;
