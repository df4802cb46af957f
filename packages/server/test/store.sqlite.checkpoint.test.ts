/**
 * The SQLite store's background checkpoints: commits append to the WAL only; a thread of its own copies the WAL back
 * into the database file, after which the writer reuses the WAL from its start (the file stays bounded).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLiveStore, DATABASE_FILE } from '../src/store/SqliteLiveStore.js';
import { SqliteCheckpointer, type CheckpointReport } from '../src/store/sqliteCheckpointer.js';
import { sampleLive } from '../src/testing/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'onseat-ckpt-'));
  dirs.push(d);
  return d;
};

/** Resolves with the first report that `ok` accepts. */
function nextReport(reports: CheckpointReport[], ok: (r: CheckpointReport) => boolean, timeoutMs = 10_000): Promise<CheckpointReport> {
  const seen = reports.length;
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      const hit = reports.slice(seen).find(ok);
      if (hit) return resolve(hit);
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`no checkpoint report in ${timeoutMs} ms: ${JSON.stringify(reports)}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe('SQLite background checkpoints', () => {
  it('commits only append to the WAL; the checkpoint thread moves it into the database file and the WAL is reused, not grown', async () => {
    const dir = tempDir();
    const reports: CheckpointReport[] = [];
    // A round only when asked, so the test decides when checkpoints happen.
    const store = SqliteLiveStore.open(dir, { checkpointIntervalMs: 3_600_000, onCheckpoint: (r) => reports.push(r) });
    await store.checkpointerReady();
    const live = sampleLive('ck');
    await store.createLive(live);
    const file = join(dir, DATABASE_FILE);
    const wal = `${file}-wal`;
    const dbSize0 = statSync(file).size;
    const commitMany = async (from: number, n: number) => {
      for (let seq = from; seq < from + n; seq++) {
        await store.commit({
          changes: [{ key: live.key, record: { ...live, seq, notice: 'x'.repeat(2000) }, events: [{ seq, frame: 'f'.repeat(300), to: 'all' }] }],
          ended: [],
        });
      }
    };
    await commitMany(1, 300);
    const wal1 = statSync(wal).size;
    expect(wal1).toBeGreaterThan(300 * 4096); // every commit appended pages; nothing was checkpointed inside a commit
    expect(statSync(file).size).toBe(dbSize0);

    store.checkpointNow();
    const r = await nextReport(reports, (x) => 'log' in x && x.log > 0);
    expect(r).toMatchObject({ busy: 0 });
    if ('log' in r) expect(r.checkpointed).toBe(r.log); // all of it
    await commitMany(301, 300);
    expect(statSync(wal).size).toBeLessThan(wal1 * 1.2); // started over at the beginning of the WAL

    await store.close();
    // The last connection's close folds the rest in; a new process sees every commit.
    const again = SqliteLiveStore.open(dir);
    expect((await again.loadLive(live.key))?.seq).toBe(600);
    expect((await again.eventsAfter(live.key, 590))?.map((e) => e.seq)).toEqual([591, 592, 593, 594, 595, 596, 597, 598, 599, 600]);
    await again.close();
  });

  it('the checkpoint thread rounds on its own at the configured interval', async () => {
    const dir = tempDir();
    const reports: CheckpointReport[] = [];
    const store = SqliteLiveStore.open(dir, { checkpointIntervalMs: 50, onCheckpoint: (r) => reports.push(r) });
    const live = sampleLive('auto');
    await store.createLive(live);
    await store.commit({ changes: [{ key: live.key, record: { ...live, seq: 1 }, events: [{ seq: 1, frame: 'e', to: 'all' }] }], ended: [] });
    const r = await nextReport(reports, (x) => 'log' in x && x.checkpointed > 0);
    expect('error' in r).toBe(false);
    await store.close();
  });

  it.runIf(process.platform === 'linux')('the checkpoint thread runs at the lowest CPU priority; the event loop keeps its own', async () => {
    const nice = (tid: string): number => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
    const mainNice = nice(String(process.pid));
    const niced = () => readdirSync(`/proc/${process.pid}/task`).filter((tid) => nice(tid) === 19);
    const before = niced().length;
    const store = SqliteLiveStore.open(tempDir());
    await store.checkpointerReady();
    expect(niced().length).toBe(before + 1);
    expect(nice(String(process.pid))).toBe(mainNice);
    await store.close();
  });

  it('a checkpoint thread that cannot open the database reports the failure (the store then checkpoints by itself)', async () => {
    const missing = join(tempDir(), 'nope', DATABASE_FILE);
    const failure = await new Promise<Error>((resolve) => {
      const c = new SqliteCheckpointer({ file: missing, intervalMs: 1000, onFailure: resolve });
      c.ready().catch(() => undefined);
    });
    expect(failure.message).toMatch(/unable to open|directory does not exist|no such file/i);
  });
});
