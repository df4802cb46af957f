import type { LiveStore } from '@onseat/server';
import type { CommitBatch, LiveListPage, LoggedEvent, LiveRecord, MemberRecord } from '@onseat/server';
import { RedisLink, viaRedis } from './RedisLink.js';
import { channelMessages, type NodesOf } from './deliveries.js';
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
  /**
   * Publish each committed tick's events to the other nodes inside the commit script (atomically with it, one round
   * trip instead of two); the cluster's bus then only delivers on this node. `nodesOf` routes events for some users.
   */
  publishEvents?: { nodesOf: NodesOf };
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

/**
 * A logged event as kept in the live's list: `seq \n recipients \n frame` (recipients `all` or a JSON array of user
 * ids). Neither part contains a raw newline (JSON escapes them), and the frame is stored as it is, not escaped again.
 */
const storedEvent = (e: LoggedEvent): string => `${e.seq}\n${e.to === 'all' ? 'all' : JSON.stringify(e.to)}\n${e.frame}`;

export function parseStoredEvent(s: string): LoggedEvent {
  const a = s.indexOf('\n');
  const b = s.indexOf('\n', a + 1);
  const to = s.slice(a + 1, b);
  return { seq: Number(s.slice(0, a)), to: to === 'all' ? 'all' : (JSON.parse(to) as string[]), frame: s.slice(b + 1) };
}

/**
 * The LiveStore on Redis: the record as one JSON string, members in a hash, the resume window in a capped list; every
 * commit is one Lua script (atomic: all of the tick or nothing), checking the fencing token of each live first.
 */
export class RedisLiveStore implements LiveStore {
  readonly #link: RedisLink;
  readonly #capacity: number;
  readonly #fenceOf: ((liveKey: string) => string | undefined) | undefined;
  readonly #publishEvents: { nodesOf: NodesOf } | undefined;
  readonly #commit;
  readonly #create;
  readonly #list;
  /** Whether each live was last written listed (public) or not: the listing is sent only when that changes. */
  readonly #listed = new Map<string, boolean>();

  constructor(link: RedisLink, options: RedisLiveStoreOptions = {}) {
    this.#link = link;
    this.#capacity = options.eventCapacity ?? 512;
    this.#fenceOf = options.fenceOf;
    this.#publishEvents = options.publishEvents;
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
    // flat arguments for the script (see COMMIT): the record JSON and the frames go as they are
    const args: (string | number)[] = [this.#capacity, batch.changes.length, batch.ended.length];
    for (const ch of batch.changes) {
      let fence = '';
      if (this.#fenceOf) {
        const f = this.#fenceOf(ch.key);
        if (f === undefined) unfenced.push(ch.key);
        else fence = f;
      }
      const events = ch.events ?? [];
      const put = ch.putMembers ?? [];
      const removed = ch.removeMembers ?? [];
      // the listing ('' = unchanged, '1:<score>' = list, '0' = unlist) is sent only when the visibility changed
      let listed = '';
      const rec = ch.record ?? (ch.recordJson !== undefined ? (JSON.parse(ch.recordJson) as LiveRecord) : undefined);
      if (rec && this.#listed.get(ch.key) !== rec.isPublicVisible) {
        listed = rec.isPublicVisible ? `1:${-rec.createTime}` : '0';
        listing.push([ch.key, rec.isPublicVisible]);
      }
      args.push(ch.key, fence, ch.recordJson ?? (ch.record ? JSON.stringify(ch.record) : ''), listed, events.length);
      for (const e of events) args.push(storedEvent(e));
      args.push(put.length);
      for (const m of put) args.push(m.user.userId, JSON.stringify(m));
      args.push(removed.length, ...removed);
      const pubs =
        this.#publishEvents && events.length ? channelMessages(ch.key, events, this.#link.nodeId, this.#link.keys, this.#publishEvents.nodesOf) : [];
      args.push(pubs.length);
      for (const [channel, message] of pubs) args.push(channel, message);
    }
    // A cluster node writes only lives it holds the lease of: one it let go of meanwhile is refused here already.
    if (unfenced.length > 0) throw new FencedError(unfenced);
    for (const e of batch.ended) args.push(e.key, e.reason);
    const messages = batch.messages ?? [];
    args.push(messages.length);
    for (const m of messages)
      args.push(
        this.#link.keys.nodeChannel(m.node),
        m.message,
        m.remember ? `${Math.ceil(m.remember.ttlMs)} ${this.#link.keys.reply(m.remember.id)}` : '',
      );
    try {
      await viaRedis(this.#commit(...args));
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
    const list = (res[1]![1] as string[]).map(parseStoredEvent);
    const first = list[0];
    if (first && first.seq > seq + 1 && list.length >= this.#capacity) return null;
    return list.filter((e) => e.seq > seq);
  }

  async endedReason(key: string): Promise<number | null> {
    const r = await viaRedis(this.#link.cmd.hget(`${this.#link.keys.prefix}ended`, key));
    return r === null ? null : Number(r);
  }

  /** The link is shared with the bus and the node: whoever made it closes it. */
  async close(): Promise<void> {}
}

const listCursor = (r: LiveRecord): string => `${r.createTime}:${r.liveId}`;
