import { principalKey } from './Connection.js';
import type { LiveRecord } from './state.js';

interface Entry {
  key: string;
  createTime: number;
  liveId: string;
  ownerKey: string;
  listed: boolean;
}

interface AppIndex {
  count: number;
  /** Public lives, newest first (createTime descending, then liveId ascending). */
  listed: Entry[];
}

/** Newest first; equal times by liveId, so the order (and a cursor) is total. */
const order = (a: { createTime: number; liveId: string }, b: { createTime: number; liveId: string }): number =>
  b.createTime - a.createTime || (a.liveId < b.liveId ? -1 : a.liveId > b.liveId ? 1 : 0);

/** First position in `list` whose entry sorts after `probe`. */
function after(list: readonly Entry[], probe: { createTime: number; liveId: string }): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(list[mid]!, probe) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cursor of a page that ends with this live: `createTime:liveId` (keyset, so it survives lives ending). */
export const listCursor = (e: { createTime: number; liveId: string }): string => `${e.createTime}:${e.liveId}`;

/** Parses a list cursor; null when it is not one this index made. */
export function parseListCursor(cursor: string): { createTime: number; liveId: string } | null {
  const i = cursor.indexOf(':');
  const createTime = Number(cursor.slice(0, i));
  if (i <= 0 || !Number.isSafeInteger(createTime)) return null;
  return { createTime, liveId: cursor.slice(i + 1) };
}

/**
 * The lives of this engine indexed for what must not cost a scan of every live: `live.list` (public lives of one
 * app, newest first, O(log n + page)), the number of lives of an app (the per-app cap) and the lives each user owns
 * (the per-user cap). It indexes the lives the engine holds, whatever the store.
 */
export class LiveIndex {
  readonly #apps = new Map<number, AppIndex>();
  readonly #entries = new Map<string, Entry>();
  /** principal key → keys of the lives they own, oldest first. */
  readonly #owned = new Map<string, Set<string>>();

  add(record: LiveRecord): void {
    if (this.#entries.has(record.key)) return;
    const e: Entry = {
      key: record.key,
      createTime: record.createTime,
      liveId: record.liveId,
      ownerKey: principalKey({ sdkAppId: record.sdkAppId, userId: record.owner.userId }),
      listed: false,
    };
    this.#entries.set(record.key, e);
    const app = this.#app(record.sdkAppId);
    app.count++;
    if (record.isPublicVisible) this.#list(app, e);
    let owned = this.#owned.get(e.ownerKey);
    if (!owned) this.#owned.set(e.ownerKey, (owned = new Set()));
    owned.add(record.key);
  }

  remove(record: LiveRecord): void {
    const e = this.#entries.get(record.key);
    if (!e) return;
    this.#entries.delete(record.key);
    const app = this.#app(record.sdkAppId);
    app.count--;
    if (e.listed) this.#unlist(app, e);
    if (app.count === 0) this.#apps.delete(record.sdkAppId);
    const owned = this.#owned.get(e.ownerKey);
    owned?.delete(record.key);
    if (owned?.size === 0) this.#owned.delete(e.ownerKey);
  }

  /** The live's visibility may have changed (live.update): list or unlist it. */
  refresh(record: LiveRecord): void {
    const e = this.#entries.get(record.key);
    if (!e || e.listed === record.isPublicVisible) return;
    const app = this.#app(record.sdkAppId);
    if (record.isPublicVisible) this.#list(app, e);
    else this.#unlist(app, e);
  }

  /** Lives of the app. */
  countOf(sdkAppId: number): number {
    return this.#apps.get(sdkAppId)?.count ?? 0;
  }

  /** Keys of the lives the user owns, oldest first. */
  ownedBy(sdkAppId: number, userId: string): string[] {
    return [...(this.#owned.get(principalKey({ sdkAppId, userId })) ?? [])];
  }

  /** One page of public lives, newest first, after `cursor` ('' = from the newest). */
  page(sdkAppId: number, cursor: { createTime: number; liveId: string } | null, count: number): { keys: string[]; cursor: string } {
    const list = this.#apps.get(sdkAppId)?.listed ?? [];
    const from = cursor ? after(list, cursor) : 0;
    const slice = list.slice(from, from + count);
    const last = slice[slice.length - 1];
    return { keys: slice.map((e) => e.key), cursor: last && from + count < list.length ? listCursor(last) : '' };
  }

  #app(sdkAppId: number): AppIndex {
    let app = this.#apps.get(sdkAppId);
    if (!app) this.#apps.set(sdkAppId, (app = { count: 0, listed: [] }));
    return app;
  }

  #list(app: AppIndex, e: Entry): void {
    app.listed.splice(after(app.listed, e), 0, e);
    e.listed = true;
  }

  #unlist(app: AppIndex, e: Entry): void {
    const i = after(app.listed, e) - 1;
    if (app.listed[i] === e) app.listed.splice(i, 1);
    e.listed = false;
  }
}
