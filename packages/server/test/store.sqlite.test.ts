import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLiveStore, DATABASE_FILE } from '../src/store/SqliteLiveStore.js';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from '../src/store/sqliteSchema.js';
import { StoreOpenError, type StoreOpenErrorCode } from '../src/store/StoreOpenError.js';
import { openStore } from '../src/store/openStore.js';
import { MemoryLiveStore } from '../src/store/MemoryLiveStore.js';
import { runLiveStoreContract, sampleLive } from '../src/testing/index.js';

const dirs: string[] = [];
const stores: SqliteLiveStore[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'onseat-sqlite-'));
  dirs.push(d);
  return d;
}
function open(dir: string, options?: Parameters<typeof SqliteLiveStore.open>[1]): SqliteLiveStore {
  const s = SqliteLiveStore.open(dir, options);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

runLiveStoreContract(
  'SqliteLiveStore',
  ({ eventCapacity }) => SqliteLiveStore.open(tempDir(), { eventCapacity }),
  async (s) => {
    await s.close();
    rmSync(dirname((s as SqliteLiveStore).file), { recursive: true, force: true });
  },
);

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const member = (userId: string) => ({ user: { userId, userName: `n-${userId}`, avatarUrl: '' }, joinedAt: 1 });

function expectOpenError(fn: () => unknown, code: StoreOpenErrorCode, file: string): StoreOpenError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(StoreOpenError);
  const err = caught as StoreOpenError;
  expect(err.code).toBe(code);
  expect(err.file).toBe(file);
  expect(err.message).toContain(file);
  return err;
}

/** A closed v1 database holding one live, in a fresh data dir. */
async function writtenDatabase(): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const s = SqliteLiveStore.open(dir);
  await s.createLive(sampleLive('kept'));
  await s.close();
  return { dir, file: join(dir, DATABASE_FILE) };
}

describe('SqliteLiveStore on disk', () => {
  it('keeps lives, members, events and ended reasons across close and reopen', async () => {
    const dir = tempDir();
    const s1 = SqliteLiveStore.open(dir, { eventCapacity: 8 });
    const a = sampleLive('a');
    const b = sampleLive('b');
    await s1.createLive(a);
    await s1.createLive(b);
    const events = Array.from({ length: 20 }, (_, i) => ({ seq: i + 1, frame: `{"seq":${i + 1}}`, to: 'all' as const }));
    await s1.commit({ changes: [{ key: a.key, record: { ...a, seq: 20 }, events, putMembers: [member('u1'), member('u2')] }], ended: [] });
    await s1.commit({ changes: [], ended: [{ key: b.key, reason: 3, endedAt: 9 }] });
    await s1.close();
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);

    const s2 = open(dir, { eventCapacity: 8 });
    expect(await s2.liveKeys()).toEqual([a.key]);
    expect((await s2.loadLive(a.key))?.seq).toBe(20);
    expect((await s2.members(a.key)).map((m) => m.user.userId).sort()).toEqual(['u1', 'u2']);
    expect((await s2.eventsAfter(a.key, 14))?.map((e) => e.seq)).toEqual([15, 16, 17, 18, 19, 20]);
    expect(await s2.eventsAfter(a.key, 0)).toBeNull(); // trimmed before the restart: still known to be gone
    expect(await s2.endedReason(b.key)).toBe(3);
    // the log keeps going where it was
    await s2.commit({ changes: [{ key: a.key, events: [{ seq: 21, frame: '{"seq":21}', to: ['u1'] }] }], ended: [] });
    expect((await s2.eventsAfter(a.key, 19))?.map((e) => e.seq)).toEqual([20, 21]);
  });

  it('a committed batch survives the process being killed (SIGKILL right after commit resolved)', async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        fileURLToPath(new URL('./support/sqliteCrashChild.ts', import.meta.url)),
        dir,
        JSON.stringify(sampleLive('crash')),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(err).toBe('');
    expect(out).toBe('committed\n');
    expect(signal).toBe('SIGKILL');
    const s = open(dir);
    const key = sampleLive('crash').key;
    expect((await s.loadLive(key))?.liveName).toBe('after commit');
    expect(await s.members(key)).toEqual([{ user: { userId: 'guest', userName: 'G', avatarUrl: '' }, joinedAt: 5 }]);
    expect(await s.eventsAfter(key, 0)).toEqual([
      { seq: 1, frame: '{"seq":1}', to: 'all' },
      { seq: 2, frame: '{"seq":2}', to: ['guest'] },
    ]);
  });

  it('a commit that fails is rolled back as a whole and the store carries on', async () => {
    const s = open(tempDir(), { eventCapacity: 4 });
    const a = sampleLive('a');
    await s.createLive(a);
    await s.commit({ changes: [{ key: a.key, events: [{ seq: 1, frame: '1', to: 'all' }] }], ended: [] });
    // seq 1 again violates the log's key: nothing of this batch may stay
    await expect(
      s.commit({
        changes: [
          {
            key: a.key,
            record: { ...a, liveName: 'no' },
            putMembers: [member('x')],
            events: [
              { seq: 2, frame: '2', to: 'all' },
              { seq: 1, frame: 'dup', to: 'all' },
            ],
          },
        ],
        ended: [],
      }),
    ).rejects.toThrow();
    expect((await s.loadLive(a.key))?.liveName).toBe(a.liveName);
    expect(await s.members(a.key)).toEqual([]);
    expect(await s.eventsAfter(a.key, 0)).toEqual([{ seq: 1, frame: '1', to: 'all' }]);
    for (let seq = 2; seq <= 10; seq++) await s.commit({ changes: [{ key: a.key, events: [{ seq, frame: String(seq), to: 'all' }] }], ended: [] });
    expect((await s.eventsAfter(a.key, 6))?.map((e) => e.seq)).toEqual([7, 8, 9, 10]);
  });

  it('keeps the newest ended reasons (at least 1,000) and drops the oldest', async () => {
    const s = open(tempDir());
    const ended = Array.from({ length: 1200 }, (_, i) => ({ key: `1:l${i}`, reason: 1 + (i % 3), endedAt: i }));
    await s.commit({ changes: [], ended });
    expect(await s.endedReason('1:l1199')).toBe(1 + (1199 % 3));
    expect(await s.endedReason('1:l200')).toBe(1 + (200 % 3));
    expect(await s.endedReason('1:l0')).toBeNull();
  });

  it('listLives walks an index (no full scan) with a keyset cursor', () => {
    // the plan depends on the schema only: ask an in-memory database built by the same migrations
    const mem = new Database(':memory:');
    for (const m of MIGRATIONS) m.up(mem);
    const plans = [
      'SELECT record FROM lives WHERE sdk_app_id = 1 AND is_public = 1 ORDER BY create_time DESC, live_id ASC LIMIT 5',
      "SELECT record FROM lives WHERE sdk_app_id = 1 AND is_public = 1 AND create_time = 5 AND live_id > 'x' ORDER BY live_id ASC LIMIT 5",
      'SELECT record FROM lives WHERE sdk_app_id = 1 AND is_public = 1 AND create_time < 5 ORDER BY create_time DESC, live_id ASC LIMIT 5',
    ].map((q) => (mem.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' | '));
    mem.close();
    for (const p of plans) {
      expect(p).toContain('USING INDEX lives_by_app_time');
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe('SqliteLiveStore schema migrations', () => {
  it('a new database is created at the current version', async () => {
    const { file } = await writtenDatabase();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    db.close();
  });

  it('a v1 database (lives WITHOUT ROWID) is upgraded to the current version with its lives, members and events', async () => {
    const dir = tempDir();
    const v1 = SqliteLiveStore.open(dir, { migrations: MIGRATIONS.slice(0, 1) });
    const a = sampleLive('a');
    const b = { ...sampleLive('b'), isPublicVisible: false };
    for (const r of [a, b]) await v1.createLive(r);
    await v1.commit({
      changes: [
        {
          key: a.key,
          record: { ...a, seq: 2 },
          events: [
            { seq: 1, frame: '{"e":1}', to: 'all' },
            { seq: 2, frame: '{"e":2}', to: ['u'] },
          ],
          putMembers: [{ user: { userId: 'u', userName: 'U', avatarUrl: '' }, joinedAt: 5 }],
        },
      ],
      ended: [],
    });
    await v1.close();
    const file = join(dir, DATABASE_FILE);
    const schemaOf = () => {
      const db = new Database(file, { readonly: true });
      const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'lives'").pluck().get() as string;
      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
      db.close();
      return { sql, version };
    };
    expect(schemaOf()).toMatchObject({ version: '1', sql: expect.stringContaining('WITHOUT ROWID') as string });
    const s = SqliteLiveStore.open(dir);
    expect((await s.liveKeys()).sort()).toEqual([a.key, b.key].sort());
    expect((await s.loadLive(a.key))?.seq).toBe(2);
    expect((await s.eventsAfter(a.key, 0))?.map((e) => [e.seq, e.to])).toEqual([
      [1, 'all'],
      [2, ['u']],
    ]);
    expect((await s.members(a.key)).map((m) => m.user.userId)).toEqual(['u']);
    // the listing index came back with the table: only the public live is listed
    expect((await s.listLives(a.sdkAppId, '', 10)).lives.map((l) => l.key)).toEqual([a.key]);
    await s.commit({ changes: [{ key: b.key, record: { ...b, seq: 7 } }], ended: [] });
    expect((await s.loadLive(b.key))?.seq).toBe(7);
    await s.close();
    expect(schemaOf()).toMatchObject({ version: String(SCHEMA_VERSION) });
    expect(schemaOf().sql).not.toContain('WITHOUT ROWID');
  });

  it('a database opened by a build with a later migration is upgraded once and keeps its data', async () => {
    const { dir, file } = await writtenDatabase();
    const next: Migration = {
      version: SCHEMA_VERSION + 1,
      description: 'test: a table counting how often the step ran',
      up(db) {
        db.exec('CREATE TABLE IF NOT EXISTS v2_runs (n INTEGER)');
        db.exec('INSERT INTO v2_runs VALUES (1)');
        db.exec("ALTER TABLE lives ADD COLUMN region TEXT NOT NULL DEFAULT 'here'");
      },
    };
    const later = [...MIGRATIONS, next];
    for (let i = 0; i < 2; i++) {
      const s = SqliteLiveStore.open(dir, { migrations: later });
      expect(await s.liveKeys()).toEqual([sampleLive('kept').key]);
      await s.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM v2_runs').pluck().get()).toBe(1);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION + 1));
    expect(db.prepare('SELECT region FROM lives').pluck().all()).toEqual(['here']);
    db.close();
    // and this build (SCHEMA_VERSION) now refuses it, untouched
    const before = sha(file);
    expectOpenError(() => SqliteLiveStore.open(dir), 'DATABASE_TOO_NEW', file);
    expect(sha(file)).toBe(before);
  });

  it('refuses a migration list with gaps', () => {
    const bad: Migration[] = [...MIGRATIONS, { version: SCHEMA_VERSION + 2, description: 'gap', up: () => undefined }];
    expect(() => SqliteLiveStore.open(tempDir(), { migrations: bad })).toThrow(/versions must be 1, 2, 3/);
  });
});

describe('SqliteLiveStore startup errors leave the file untouched', () => {
  const listing = (dir: string) => readdirSync(dir).sort();

  it('DATABASE_TOO_NEW: a database from a newer onseat', async () => {
    const { dir, file } = await writtenDatabase();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    const before = sha(file);
    const files = listing(dir);
    const err = expectOpenError(() => SqliteLiveStore.open(dir), 'DATABASE_TOO_NEW', file);
    expect(err.message).toMatch(/schema version 99.*newer onseat/);
    expect(sha(file)).toBe(before);
    expect(listing(dir)).toEqual(files);
  });

  it('DATABASE_CORRUPT: a file that is not a SQLite database', () => {
    const dir = tempDir();
    const file = join(dir, DATABASE_FILE);
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    const before = sha(file);
    expect(expectOpenError(() => SqliteLiveStore.open(dir), 'DATABASE_CORRUPT', file).message).toMatch(/not a SQLite database/);
    expect(sha(file)).toBe(before);
    expect(listing(dir)).toEqual([DATABASE_FILE]);
  });

  it('DATABASE_CORRUPT: a SQLite database whose pages are damaged', async () => {
    const { dir, file } = await writtenDatabase();
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(4096 * 3);
    // wipe everything after the first page (the schema page stays, the tables' pages become garbage)
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
    writeFileSync(file, bytes);
    const before = sha(file);
    const files = listing(dir); // the database and the lock file of the run that wrote it
    expectOpenError(() => SqliteLiveStore.open(dir), 'DATABASE_CORRUPT', file);
    expect(sha(file)).toBe(before);
    expect(listing(dir)).toEqual(files);
  });

  it("DATABASE_CORRUPT: some other program's SQLite database", () => {
    const dir = tempDir();
    const file = join(dir, DATABASE_FILE);
    const db = new Database(file);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)');
    db.close();
    const before = sha(file);
    expect(expectOpenError(() => SqliteLiveStore.open(dir), 'DATABASE_CORRUPT', file).message).toMatch(/not onseat's/);
    expect(sha(file)).toBe(before);
    expect(listing(dir)).toEqual([DATABASE_FILE]);
  });

  it('DATA_DIR_UNWRITABLE: the data dir cannot be created (a file is in the way — fails for root too)', () => {
    const base = tempDir();
    const blocker = join(base, 'afile');
    writeFileSync(blocker, 'I am a file');
    const before = sha(blocker);
    const dir = join(blocker, 'data');
    expect(expectOpenError(() => SqliteLiveStore.open(dir), 'DATA_DIR_UNWRITABLE', dir).message).toMatch(/ENOTDIR|ENOENT|EEXIST/);
    expect(sha(blocker)).toBe(before);
    // the data dir itself being a file
    expectOpenError(() => SqliteLiveStore.open(blocker), 'DATA_DIR_UNWRITABLE', blocker);
    expect(sha(blocker)).toBe(before);
  });

  it('DATABASE_LOCKED: a second store on the same data dir while the first is open; fine once it is closed', async () => {
    const dir = tempDir();
    const first = SqliteLiveStore.open(dir);
    await first.createLive(sampleLive('a'));
    expectOpenError(() => SqliteLiveStore.open(dir), 'DATABASE_LOCKED', join(dir, DATABASE_FILE));
    expect(await first.liveKeys()).toEqual([sampleLive('a').key]); // the first one is unaffected
    await first.close();
    expect(await open(dir).liveKeys()).toEqual([sampleLive('a').key]);
  });

  it('creates a missing data dir, nested', async () => {
    const dir = join(tempDir(), 'a', 'b', 'data');
    const s = open(dir);
    expect(s.file).toBe(join(dir, DATABASE_FILE));
    expect(await s.createLive(sampleLive('x'))).toBe(true);
    mkdirSync(join(dir, 'unrelated')); // the dir is usable as a dir
  });
});

describe('openStore', () => {
  it('memory → MemoryLiveStore, sqlite → SqliteLiveStore in the data dir', async () => {
    const dir = tempDir();
    const mem = openStore({ store: 'memory', dataDir: join(dir, 'unused') });
    expect(mem).toBeInstanceOf(MemoryLiveStore);
    expect(existsSync(join(dir, 'unused'))).toBe(false);
    const sql = openStore({ store: 'sqlite', dataDir: dir });
    expect(sql).toBeInstanceOf(SqliteLiveStore);
    stores.push(sql as SqliteLiveStore);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
  });
});
