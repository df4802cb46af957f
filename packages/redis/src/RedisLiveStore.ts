import type { LiveStore } from '@onseat/server';
import type { CommitBatch, LiveListPage, LoggedEvent, LiveRecord, MemberRecord } from '@onseat/server';
import { RedisLink, viaRedis } from './RedisLink.js';
import { COMMIT, CREATE_LIVE, LIST_LIVES } from './scripts.js';

export interface RedisLiveStoreOptions {
  /** Events kept per live for resume (at least). Default 512. */
  eventCapacity?: number;
  /**
   * The fencing token of each live this node owns ('nodeId/epoch'); a commit carries it and Redis refuses the whole
   * commit (FencedError) when a live's lease is no longer exactly that, or when this node holds no token for it. Without
   * it (one node, tests) nothing is fenced.
   */
  fenceOf?: (liveKey: string) => string | undefined;
}

/** A commit refused because this node no longer holds the lease of these lives (another node took them over). */
export class FencedError extends Error {
  constructor(readonly liveKeys: string[]) {
    super(`lease lost for ${liveKeys.join(', ')}: this node may no longer write these lives`);
  }
}

/** One page of an app's public lives with their audience counts (what `live.list` answers on any node). */
export interface ListedPage {
  lives: { record: LiveRecord; audienceCount: number }[];
  /** '' when there are no more. */
  cursor: string;
}

interface StoredEvent {
  s: number;
  t: 'all' | string[];
  f: string;
}

/**
 * The LiveStore on Redis: the record as one JSON string, members in a hash, the resume window in a capped list; every
 * commit is one Lua script (atomic: all of the tick or nothing), checking the fencing token of each live first.
 */
export class RedisLiveStore implements LiveStore {
  readonly #link: RedisLink;
  readonly #capacity: number;
  readonly #fenceOf: ((liveKey: string) => string | undefined) | undefined;
  readonly #commit;
  readonly #create;
  readonly #list;
  /** Whether each live was last written listed (public) or not: the listing is sent only when that changes. */
  readonly #listed = new Map<string, boolean>();

  constructor(link: RedisLink, options: RedisLiveStoreOptions = {}) {
    this.#link = link;
    this.#capacity = options.eventCapacity ?? 512;
    this.#fenceOf = options.fenceOf;
    this.#commit = link.script(COMMIT);
    this.#create = link.script(CREATE_LIVE);
    this.#list = link.script(LIST_LIVES);
  }

  async createLive(record: LiveRecord): Promise<boolean> {
    const score = record.isPublicVisible ? String(-record.createTime) : '';
    const created = (await viaRedis(this.#create(record.key, JSON.stringify(record), score, record.sdkAppId, record.liveId))) === 1;
    if (created) this.#listed.set(record.key, record.isPublicVisible);
    return created;
  }

  async commit(batch: CommitBatch): Promise<void> {
    const unfenced: string[] = [];
    const listing: [string, boolean][] = [];
    const c = batch.changes.map((ch) => {
      const out: Record<string, unknown> = { k: ch.key };
      const r = ch.recordJson ?? (ch.record ? JSON.stringify(ch.record) : undefined);
      if (r !== undefined) out.r = r;
      if (ch.events?.length) out.e = ch.events.map((e) => JSON.stringify({ s: e.seq, t: e.to, f: e.frame } satisfies StoredEvent));
      if (ch.putMembers?.length) out.pm = ch.putMembers.map((m) => [m.user.userId, JSON.stringify(m)]);
      if (ch.removeMembers?.length) out.rm = ch.removeMembers;
      const rec = ch.record ?? (ch.recordJson !== undefined ? (JSON.parse(ch.recordJson) as LiveRecord) : undefined);
      if (rec && this.#listed.get(ch.key) !== rec.isPublicVisible) {
        out.l = { on: rec.isPublicVisible, s: -rec.createTime };
        listing.push([ch.key, rec.isPublicVisible]);
      }
      if (this.#fenceOf) {
        const f = this.#fenceOf(ch.key);
        if (f === undefined) unfenced.push(ch.key);
        else out.f = f;
      }
      return out;
    });
    // A cluster node writes only lives it holds the lease of: one it let go of meanwhile is refused here already.
    if (unfenced.length > 0) throw new FencedError(unfenced);
    const x = batch.ended.map((e) => [e.key, e.reason]);
    try {
      await viaRedis(this.#commit(JSON.stringify({ c, x }), this.#capacity));
      for (const [key, on] of listing) this.#listed.set(key, on);
      for (const e of batch.ended) this.#listed.delete(e.key);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('FENCED ')) throw new FencedError(e.message.slice(7).split(' '));
      throw e;
    }
  }

  async loadLive(key: string): Promise<LiveRecord | null> {
    const json = await viaRedis(this.#link.cmd.get(this.#link.keys.live(key)));
    return json === null ? null : (JSON.parse(json) as LiveRecord);
  }

  async liveKeys(): Promise<string[]> {
    return viaRedis(this.#link.cmd.smembers(this.#link.keys.lives));
  }

  async listLives(sdkAppId: number, cursor: string, count: number): Promise<LiveListPage> {
    const page = await this.listPage(sdkAppId, cursor, count);
    return { lives: page.lives.map((l) => l.record), cursor: page.cursor };
  }

  /**
   * One page of the app's public lives, newest first, with their audience counts, from `listed:{app}` (one script:
   * O(log n + page)). Every node answers `live.list` with it, so each lists every live of the cluster. A cursor is
   * `createTime:liveId` of the last live of the previous page; one this store did not make lists nothing.
   */
  async listPage(sdkAppId: number, cursor: string, count: number): Promise<ListedPage> {
    let score = '-inf';
    let after = '';
    if (cursor) {
      const i = cursor.indexOf(':');
      const t = Number(cursor.slice(0, i));
      if (i <= 0 || !Number.isSafeInteger(t)) return { lives: [], cursor: '' };
      score = String(-t);
      after = cursor.slice(i + 1);
      // a first page never has an empty liveId after the cursor, so '' stays "from the start"
      if (after === '') return { lives: [], cursor: '' };
    }
    const out = (await viaRedis(this.#list(sdkAppId, score, after, count))) as [number, ...(string | number)[]];
    const lives: ListedPage['lives'] = [];
    for (let i = 1; i < out.length; i += 2) {
      const record = JSON.parse(out[i] as string) as LiveRecord;
      if (record.sdkAppId === sdkAppId && record.isPublicVisible) lives.push({ record, audienceCount: out[i + 1] as number });
    }
    const last = lives[lives.length - 1];
    return { lives, cursor: last && out[0] === 1 ? listCursor(last.record) : '' };
  }

  async members(key: string): Promise<MemberRecord[]> {
    const values = await viaRedis(this.#link.cmd.hvals(this.#link.keys.members(key)));
    return values.map((v) => JSON.parse(v) as MemberRecord);
  }

  async eventsAfter(key: string, seq: number): Promise<LoggedEvent[] | null> {
    const { keys } = this.#link;
    const res = await viaRedis(this.#link.cmd.multi().exists(keys.live(key)).lrange(keys.events(key), 0, -1).exec());
    if (!res || res.some(([err]) => err)) throw new Error('eventsAfter: transaction failed');
    if (res[0]![1] !== 1) return null;
    const list = (res[1]![1] as string[]).map((s) => JSON.parse(s) as StoredEvent);
    const first = list[0];
    if (first && first.s > seq + 1 && list.length >= this.#capacity) return null;
    return list.filter((e) => e.s > seq).map((e) => ({ seq: e.s, frame: e.f, to: e.t }));
  }

  async endedReason(key: string): Promise<number | null> {
    const r = await viaRedis(this.#link.cmd.hget(`${this.#link.keys.prefix}ended`, key));
    return r === null ? null : Number(r);
  }

  /** The link is shared with the bus and the node: whoever made it closes it. */
  async close(): Promise<void> {}
}

const listCursor = (r: LiveRecord): string => `${r.createTime}:${r.liveId}`;
