import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LiveRecord, MemberRecord } from '../engine/state.js';
import { ensureDataDir } from './dataDir.js';
import { ENDED_REASONS_KEPT, type CommitBatch, type LiveListPage, type LiveStore, type LoggedEvent } from './LiveStore.js';
import { lockDataDir, type DataDirLock } from './dataDirLock.js';
import { SqliteCheckpointer, type CheckpointReport } from './sqliteCheckpointer.js';
import { inspectDatabaseFile, openErrorOf } from './sqliteFile.js';
import { migrate, MIGRATIONS, readSchemaState, type Migration } from './sqliteSchema.js';
import { StoreOpenError } from './StoreOpenError.js';

/** The database file inside the data dir. */
export const DATABASE_FILE = 'onseat.db';

export interface SqliteStoreOptions {
  /** Events kept per live for resume (at least; trimmed in steps of a quarter more). Default 512. */
  eventCapacity?: number;
  /** The schema steps (tests pass a longer list to test upgrades). Default MIGRATIONS. */
  migrations?: readonly Migration[];
  /** Time between two background checkpoints (WAL → database file, on a thread of its own). Default 1,000 ms. */
  checkpointIntervalMs?: number;
  /** SQLite page cache of the writer, in KiB. Default 32,768 (32 MiB). */
  cacheKiB?: number;
  /** After each background checkpoint (tests, diagnostics). */
  onCheckpoint?: (report: CheckpointReport) => void;
  /** The checkpoint thread failed: the writer checkpoints by itself from then on (slower commits, still correct). */
  onCheckpointFailure?: (err: Error) => void;
  /** The checkpoint thread could not do something that does not stop it (it keeps checkpointing). */
  onCheckpointWarning?: (message: string) => void;
}

/** Size the WAL file is cut back to after the background checkpoint caught up (bytes). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/** The writer's own checkpoint threshold (pages) when the checkpoint thread is not running. */
const FALLBACK_AUTOCHECKPOINT = 1000;

/** How many ended reasons may pile up above ENDED_REASONS_KEPT before the oldest are trimmed in one go. */
const ENDED_SLACK = 100;

/** What this process knows of a stored live (it is the only writer): its log size and its indexed columns. */
interface LiveState {
  /** Events stored for the live. */
  count: number;
  /** Highest seq trimmed from its log (0: none). */
  floor: number;
  isPublic: boolean;
  createTime: number;
}

const ok = <T>(fn: () => T): Promise<T> => {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
};

function statements(db: Database.Database) {
  return {
    insertLive: db.prepare(
      'INSERT INTO lives (key, sdk_app_id, live_id, is_public, create_time, record) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
    ),
    // Only the record in the common case: rewriting indexed columns costs an index page per commit.
    updateRecord: db.prepare('UPDATE lives SET record = ? WHERE key = ?'),
    updateListed: db.prepare('UPDATE lives SET is_public = ?, create_time = ?, record = ? WHERE key = ?'),
    setFloor: db.prepare('UPDATE lives SET log_floor = ? WHERE key = ?'),
    deleteLive: db.prepare('DELETE FROM lives WHERE key = ?'),
    loadLive: db.prepare('SELECT record FROM lives WHERE key = ?').pluck(),
    floorOf: db.prepare('SELECT log_floor FROM lives WHERE key = ?').pluck(),
    stateOf: db.prepare('SELECT log_floor, is_public, create_time FROM lives WHERE key = ?').raw(),
    liveKeys: db.prepare('SELECT key FROM lives').pluck(),
    // Newest first, liveId ascending on ties: one index range per query (same createTime after the cursor, then older).
    listFirst: db.prepare('SELECT record FROM lives WHERE sdk_app_id = ? AND is_public = 1 ORDER BY create_time DESC, live_id ASC LIMIT ?').pluck(),
    listSameTime: db
      .prepare('SELECT record FROM lives WHERE sdk_app_id = ? AND is_public = 1 AND create_time = ? AND live_id > ? ORDER BY live_id ASC LIMIT ?')
      .pluck(),
    listOlder: db
      .prepare('SELECT record FROM lives WHERE sdk_app_id = ? AND is_public = 1 AND create_time < ? ORDER BY create_time DESC, live_id ASC LIMIT ?')
      .pluck(),
    putMember: db.prepare(
      'INSERT INTO members (live_key, user_id, user, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT (live_key, user_id) DO UPDATE SET user = excluded.user, joined_at = excluded.joined_at',
    ),
    removeMember: db.prepare('DELETE FROM members WHERE live_key = ? AND user_id = ?'),
    members: db.prepare('SELECT user, joined_at FROM members WHERE live_key = ?').raw(),
    deleteMembers: db.prepare('DELETE FROM members WHERE live_key = ?'),
    insertEvent: db.prepare('INSERT INTO events (live_key, seq, frame, recipients) VALUES (?, ?, ?, ?)'),
    eventsAfter: db.prepare('SELECT seq, frame, recipients FROM events WHERE live_key = ? AND seq > ? ORDER BY seq').raw(),
    countEvents: db.prepare('SELECT count(*) FROM events WHERE live_key = ?').pluck(),
    nthEvent: db.prepare('SELECT seq FROM events WHERE live_key = ? ORDER BY seq LIMIT 1 OFFSET ?').pluck(),
    trimEvents: db.prepare('DELETE FROM events WHERE live_key = ? AND seq <= ?'),
    deleteEvents: db.prepare('DELETE FROM events WHERE live_key = ?'),
    endedReason: db.prepare('SELECT reason FROM ended WHERE key = ?').pluck(),
    forgetEnded: db.prepare('DELETE FROM ended WHERE key = ?'),
    insertEnded: db.prepare('INSERT INTO ended (key, reason, ended_at) VALUES (?, ?, ?)'),
    countEnded: db.prepare('SELECT count(*) FROM ended').pluck(),
    trimEnded: db.prepare('DELETE FROM ended WHERE n IN (SELECT n FROM ended ORDER BY n LIMIT ?)'),
  };
}

/**
 * The embedded durable store: one SQLite file, `<dataDir>/onseat.db` in WAL mode, owned by this process (the lock file
 * `onseat.lock`: a second onseat on the same data dir gets DATABASE_LOCKED). One transaction per `commit`; the WAL is
 * copied back into the database file by a checkpoint thread, so commits never stall on a checkpoint.
 */
export class SqliteLiveStore implements LiveStore {
  /** Absolute path of the database file. */
  readonly file: string;
  readonly #db: Database.Database;
  /** Holds the data dir's lock file (see lockDataDir) until close. */
  readonly #lock: DataDirLock;
  readonly #checkpointer: SqliteCheckpointer;
  readonly #st: ReturnType<typeof statements>;
  readonly #eventCapacity: number;
  readonly #eventSlack: number;
  /** Per existing live, what commits need to know (loaded on first use; this process is the only writer). */
  readonly #lives = new Map<string, LiveState>();
  #endedCount: number;
  #closed = false;
  readonly #commitTx: (batch: CommitBatch) => void;
  readonly #createTx: (record: LiveRecord) => boolean;

  /**
   * Opens (or creates) `<dataDir>/onseat.db`, creating the data dir if missing, and brings its schema up to date.
   * Throws StoreOpenError (DATA_DIR_UNWRITABLE, DATABASE_CORRUPT, DATABASE_TOO_NEW, DATABASE_LOCKED) without having
   * written to an existing file.
   */
  static open(dataDir: string, options: SqliteStoreOptions = {}): SqliteLiveStore {
    const dir = ensureDataDir(dataDir);
    const file = join(dir, DATABASE_FILE);
    const migrations = options.migrations ?? MIGRATIONS;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    const lock = lockDataDir(dir, file); // before anything reads the file: another onseat may be writing it
    let db: Database.Database | undefined;
    try {
      inspectDatabaseFile(file, latest);
      db = new Database(file, { timeout: 0 });
      db.pragma('journal_mode = WAL');
      // Checkpoints run on the checkpoint thread (see SqliteCheckpointer), never inside a commit.
      db.pragma('wal_autocheckpoint = 0');
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      db.pragma(`cache_size = -${options.cacheKiB ?? 32 * 1024}`);
      // Durability contract: "when commit resolves, the batch survives a crash of this process". In WAL mode a
      // committed transaction is in the -wal file (the OS page cache) before commit returns, which survives the
      // process being killed; NORMAL only skips the fsync per commit (it syncs at checkpoints), so a power loss or
      // kernel crash may lose the last commits. FULL would fsync every tick and cost far more than it buys here.
      db.pragma('synchronous = NORMAL');
      const state = readSchemaState(db);
      if (state.kind === 'foreign') throw new StoreOpenError('DATABASE_CORRUPT', file, `${file} is a SQLite database but not onseat's`);
      const version = state.kind === 'onseat' ? state.version : 0;
      if (version > latest)
        throw new StoreOpenError('DATABASE_TOO_NEW', file, `database ${file} has schema version ${version}; this build knows up to ${latest}`);
      migrate(db, version, migrations);
      return new SqliteLiveStore(db, lock, file, options);
    } catch (err) {
      db?.close();
      lock.abandon();
      throw openErrorOf(err, file);
    }
  }

  private constructor(db: Database.Database, lock: DataDirLock, file: string, options: SqliteStoreOptions) {
    const eventCapacity = options.eventCapacity ?? 512;
    if (!Number.isInteger(eventCapacity) || eventCapacity < 1) throw new RangeError(`eventCapacity must be a positive integer, got ${eventCapacity}`);
    this.file = file;
    this.#db = db;
    this.#lock = lock;
    this.#checkpointer = new SqliteCheckpointer({
      file,
      intervalMs: options.checkpointIntervalMs ?? 1000,
      ...(options.onCheckpoint ? { onReport: options.onCheckpoint } : {}),
      ...(options.onCheckpointWarning ? { onWarning: options.onCheckpointWarning } : {}),
      onFailure: (err) => {
        if (!this.#closed) db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT}`);
        options.onCheckpointFailure?.(err);
      },
    });
    this.#st = statements(db);
    this.#eventCapacity = eventCapacity;
    this.#eventSlack = Math.max(1, Math.ceil(eventCapacity / 4));
    this.#endedCount = this.#st.countEnded.get() as number;
    this.#commitTx = db.transaction((batch: CommitBatch) => this.#apply(batch));
    this.#createTx = db.transaction((record: LiveRecord) => this.#create(record));
  }

  createLive(record: LiveRecord): Promise<boolean> {
    return ok(() => this.#createTx(record));
  }

  commit(batch: CommitBatch): Promise<void> {
    return ok(() => {
      try {
        this.#commitTx(batch);
      } catch (err) {
        // Rolled back: forget what the cache learnt inside the transaction.
        this.#lives.clear();
        this.#endedCount = this.#st.countEnded.get() as number;
        throw err;
      }
    });
  }

  loadLive(key: string): Promise<LiveRecord | null> {
    return ok(() => {
      const json = this.#st.loadLive.get(key) as string | undefined;
      return json === undefined ? null : (JSON.parse(json) as LiveRecord);
    });
  }

  liveKeys(): Promise<string[]> {
    return ok(() => this.#st.liveKeys.all() as string[]);
  }

  listLives(sdkAppId: number, cursor: string, count: number): Promise<LiveListPage> {
    return ok(() => {
      const want = Math.max(0, Math.floor(count)) + 1; // one more than asked: is there a next page?
      let rows: string[];
      if (cursor === '') rows = this.#st.listFirst.all(sdkAppId, want) as string[];
      else {
        const m = /^(-?\d+):([\s\S]*)$/.exec(cursor);
        if (!m) return { lives: [], cursor: '' };
        const time = Number(m[1]);
        const liveId = m[2] ?? '';
        rows = this.#st.listSameTime.all(sdkAppId, time, liveId, want) as string[];
        if (rows.length < want) rows = rows.concat(this.#st.listOlder.all(sdkAppId, time, want - rows.length) as string[]);
      }
      const more = rows.length === want;
      const lives = (more ? rows.slice(0, -1) : rows).map((r) => JSON.parse(r) as LiveRecord);
      const last = lives[lives.length - 1];
      return { lives, cursor: more && last ? `${last.createTime}:${last.liveId}` : '' };
    });
  }

  members(key: string): Promise<MemberRecord[]> {
    return ok(() =>
      (this.#st.members.all(key) as [string, number][]).map(([user, joinedAt]) => ({ user: JSON.parse(user) as MemberRecord['user'], joinedAt })),
    );
  }

  eventsAfter(key: string, seq: number): Promise<LoggedEvent[] | null> {
    return ok(() => {
      const floor = this.#st.floorOf.get(key) as number | undefined;
      if (floor === undefined || floor > seq) return null; // unknown live, or some events after seq were trimmed
      return (this.#st.eventsAfter.all(key, seq) as [number, string, string | null][]).map(([s, frame, to]) => ({
        seq: s,
        frame,
        to: to === null ? 'all' : (JSON.parse(to) as string[]),
      }));
    });
  }

  endedReason(key: string): Promise<number | null> {
    return ok(() => (this.#st.endedReason.get(key) as number | undefined) ?? null);
  }

  /** Resolves once the checkpoint thread has its connection open (tests). */
  checkpointerReady(): Promise<void> {
    return this.#checkpointer.ready();
  }

  /** Asks the checkpoint thread for a checkpoint now instead of at its next round (tests). */
  checkpointNow(): void {
    this.#checkpointer.runNow();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#checkpointer.close();
    // The last connection to close checkpoints what is left and removes the WAL; then the data dir is free.
    this.#db.close();
    this.#lock.release();
  }

  #create(record: LiveRecord): boolean {
    const st = this.#st;
    const json = JSON.stringify(record);
    if (st.insertLive.run(record.key, record.sdkAppId, record.liveId, record.isPublicVisible ? 1 : 0, record.createTime, json).changes === 0)
      return false;
    this.#endedCount -= st.forgetEnded.run(record.key).changes;
    this.#lives.set(record.key, { count: 0, floor: 0, isPublic: record.isPublicVisible, createTime: record.createTime });
    return true;
  }

  /** The state of an existing live, or null when there is no such live. */
  #live(key: string): LiveState | null {
    let live = this.#lives.get(key);
    if (live) return live;
    const row = this.#st.stateOf.get(key) as [number, number, number] | undefined;
    if (row === undefined) return null;
    live = { count: this.#st.countEvents.get(key) as number, floor: row[0], isPublic: row[1] === 1, createTime: row[2] };
    this.#lives.set(key, live);
    return live;
  }

  #apply(batch: CommitBatch): void {
    const st = this.#st;
    for (const c of batch.changes) {
      const log = this.#live(c.key);
      if (!log) continue; // the live is gone (or never was): ignored, as the contract says
      const r = c.record;
      const json = r ? (c.recordJson ?? JSON.stringify(r)) : '';
      if (r && r.isPublicVisible === log.isPublic && r.createTime === log.createTime) st.updateRecord.run(json, c.key);
      else if (r) {
        st.updateListed.run(r.isPublicVisible ? 1 : 0, r.createTime, json, c.key);
        log.isPublic = r.isPublicVisible;
        log.createTime = r.createTime;
      }
      if (c.events && c.events.length > 0) {
        for (const e of c.events) st.insertEvent.run(c.key, e.seq, e.frame, e.to === 'all' ? null : JSON.stringify(e.to));
        log.count += c.events.length;
        if (log.count > this.#eventCapacity + this.#eventSlack) this.#trimLog(c.key, log);
      }
      for (const m of c.putMembers ?? []) st.putMember.run(c.key, m.user.userId, JSON.stringify(m.user), m.joinedAt);
      for (const id of c.removeMembers ?? []) st.removeMember.run(c.key, id);
    }
    for (const x of batch.ended) {
      st.deleteLive.run(x.key);
      st.deleteMembers.run(x.key);
      st.deleteEvents.run(x.key);
      this.#lives.delete(x.key);
      this.#endedCount -= st.forgetEnded.run(x.key).changes;
      st.insertEnded.run(x.key, x.reason, x.endedAt);
      this.#endedCount++;
    }
    if (this.#endedCount > ENDED_REASONS_KEPT + ENDED_SLACK) {
      st.trimEnded.run(this.#endedCount - ENDED_REASONS_KEPT);
      this.#endedCount = ENDED_REASONS_KEPT;
    }
  }

  /** Drops the oldest events down to eventCapacity and remembers the highest seq dropped. */
  #trimLog(key: string, log: LiveState): void {
    const drop = log.count - this.#eventCapacity;
    const upTo = this.#st.nthEvent.get(key, drop - 1) as number;
    this.#st.trimEvents.run(key, upTo);
    this.#st.setFloor.run(upTo, key);
    log.count = this.#eventCapacity;
    log.floor = upTo;
  }
}
