import type { LiveStore } from '@onseat/server';
import type { CommitBatch, LiveListPage, LoggedEvent, LiveRecord, MemberRecord } from '@onseat/server';
import { RedisLink, viaRedis } from './RedisLink.js';
import { channelMessages, type NodesOf } from './deliveries.js';
import { COMMIT, CREATE_LIVE } from './scripts.js';

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

  constructor(link: RedisLink, options: RedisLiveStoreOptions = {}) {
    this.#link = link;
    this.#capacity = options.eventCapacity ?? 512;
    this.#fenceOf = options.fenceOf;
    this.#publishEvents = options.publishEvents;
    this.#commit = link.script(COMMIT);
    this.#create = link.script(CREATE_LIVE);
  }

  async createLive(record: LiveRecord): Promise<boolean> {
    return (await viaRedis(this.#create(record.key, JSON.stringify(record)))) === 1;
  }

  async commit(batch: CommitBatch): Promise<void> {
    const unfenced: string[] = [];
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
      args.push(ch.key, fence, ch.recordJson ?? (ch.record ? JSON.stringify(ch.record) : ''), events.length);
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
    try {
      await viaRedis(this.#commit(...args));
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
    const prefix = `${sdkAppId}:`;
    const keys = (await this.liveKeys()).filter((k) => k.startsWith(prefix));
    const jsons = keys.length ? await viaRedis(this.#link.cmd.mget(keys.map((k) => this.#link.keys.live(k)))) : [];
    const all = jsons
      .filter((j): j is string => j !== null)
      .map((j) => JSON.parse(j) as LiveRecord)
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
