/**
 * The durability contract on the real SQLite store: replies and events leave only after the tick's changes are
 * committed; commands from several connections in one tick end in one consistent outcome that a restarted engine
 * finds as it was announced; a failed commit announces nothing and answers STORE_UNAVAILABLE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/engine/Clock.js';
import type { CommitBatch, LiveStore } from '../src/store/LiveStore.js';
import { SqliteLiveStore } from '../src/store/SqliteLiveStore.js';
import { createHarness } from './support/engineHarness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'onseat-durable-'));
  dirs.push(d);
  return d;
}

/** The SQLite store, with a switch that makes its next commits fail (a full disk, an I/O error). */
class FlakyStore implements LiveStore {
  failing = false;
  commits = 0;
  constructor(readonly inner: SqliteLiveStore) {}
  createLive = (r: Parameters<LiveStore['createLive']>[0]) => this.inner.createLive(r);
  async commit(batch: CommitBatch): Promise<void> {
    if (this.failing) throw new Error('SQLITE_FULL: database or disk is full');
    this.commits++;
    return this.inner.commit(batch);
  }
  loadLive = (k: string) => this.inner.loadLive(k);
  liveKeys = () => this.inner.liveKeys();
  listLives = (a: number, c: string, n: number) => this.inner.listLives(a, c, n);
  members = (k: string) => this.inner.members(k);
  eventsAfter = (k: string, s: number) => this.inner.eventsAfter(k, s);
  endedReason = (k: string) => this.inner.endedReason(k);
  close = () => this.inner.close();
}

/** A second engine on the same data dir, as after a restart: what it finds is what was committed. */
async function restarted(dir: string, clock: FakeClock) {
  const h = createHarness({ clock, store: SqliteLiveStore.open(dir) });
  await h.engine.restore();
  return h;
}

describe('the durability contract on SQLite', () => {
  it('one commit per tick: every command of the tick in one transaction, replies after it', async () => {
    const store = new FlakyStore(SqliteLiveStore.open(dataDir()));
    const h = createHarness({ store });
    const ids: string[] = ['a', 'b', 'c', 'd', 'e'];
    const conns = await h.liveWith(ids);
    const before = store.commits;
    await Promise.all(ids.map((id) => h.ok(conns[id]!, 'coGuest.apply', { seatIndex: -1, timeout: 30 })));
    expect(store.commits - before).toBe(1);
  });

  it('end vs join in the same tick: the joiner either is in the live that then ends, or hears it does not exist', async () => {
    const dir = dataDir();
    const clock = new FakeClock();
    const h = createHarness({ clock, store: SqliteLiveStore.open(dir) });
    const { host } = await h.liveWith(['a']);
    const late = h.connect('late');
    const [end, join] = await Promise.all([h.send(host, 'live.end', {}), h.send(late, 'live.join', { liveId: 'live-1' })]);
    expect(end.ok).toBe(true);
    if (join.ok) expect(late.last('live.ended')).toMatchObject({ liveId: 'live-1' });
    else expect(join.error.name).toBe('LIVE_NOT_EXIST');
    await h.engine.close();
    const h2 = await restarted(dir, clock);
    expect(h2.live()).toBeUndefined();
    const again = await h2.send(h2.connect('late'), 'live.join', { liveId: 'live-1' });
    expect(!again.ok && again.error).toMatchObject({ name: 'LIVE_NOT_EXIST', details: { endedReason: 1 } });
  });

  it('accept vs cancel, and two accepts, in the same tick: one outcome, and a restarted engine finds that outcome', async () => {
    const dir = dataDir();
    const clock = new FakeClock();
    const h = createHarness({ clock, store: SqliteLiveStore.open(dir) });
    const { host, adm, a, b } = await h.liveWith(['adm', 'a', 'b']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    await h.ok(b, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    const [acc, cancel] = await Promise.all([h.send(host, 'coGuest.acceptApplication', { userId: 'a' }), h.send(a, 'coGuest.cancelApplication', {})]);
    expect([acc.ok, cancel.ok].filter(Boolean)).toHaveLength(1);
    const [x, y] = await Promise.all([
      h.send(host, 'coGuest.acceptApplication', { userId: 'b' }),
      h.send(adm, 'coGuest.acceptApplication', { userId: 'b' }),
    ]);
    expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
    const seatsAnnounced = host
      .last<{ seats: { userInfo: { userId: string } | null }[] }>('seat.listChanged')!
      .seats.map((s) => s.userInfo?.userId ?? null);
    const record = h.live()!.record;
    await h.engine.close();
    const h2 = await restarted(dir, clock);
    expect(h2.seatUserIds()).toEqual(seatsAnnounced);
    expect(h2.live()!.record.seq).toBe(record.seq);
    expect(h2.live()!.record.applications).toEqual([]);
  });

  it('a failed commit: STORE_UNAVAILABLE, nobody hears of the change, the live is back as it was stored', async () => {
    const inner = SqliteLiveStore.open(dataDir());
    const store = new FlakyStore(inner);
    const h = createHarness({ store });
    const { host, a } = await h.liveWith(['a']);
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    host.clear();
    a.clear();
    store.failing = true;
    const r = await h.send(host, 'coGuest.acceptApplication', { userId: 'a' });
    expect(!r.ok && r.error).toMatchObject({ name: 'STORE_UNAVAILABLE', code: 40020 });
    expect(host.frames).toEqual([]);
    expect(a.frames).toEqual([]);
    store.failing = false;
    await new Promise((resolve) => setImmediate(resolve));
    // The engine reloaded the live from the store: the application is still pending, nobody is seated.
    expect(h.seatUserIds()).not.toContain('a');
    expect(h.live()!.record.applications.map((x) => x.userId)).toEqual(['a']);
    // And it works again, on the same connections.
    await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' });
    expect(h.seatUserIds()).toContain('a');
    expect(a.last('coGuest.applicationResponded')).toMatchObject({ isAccept: true });
  });
});
