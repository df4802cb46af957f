import type { Database } from 'better-sqlite3';

/** One forward step of the schema. Steps run in order, each in its own transaction with the version bump. */
export interface Migration {
  /** The schema version after this step (1, 2, 3, … without gaps). */
  version: number;
  description: string;
  up(db: Database): void;
}

/**
 * The schema of `onseat.db`. Append new steps, never edit a released one: a database at version N gets steps N+1….
 *
 * - `lives`: one row per live (a rowid table since v2); `record` is the whole LiveRecord as JSON, the other columns
 *   are copies for indexes.
 *   `log_floor` is the highest event seq trimmed from the live's log (eventsAfter a lower seq → null).
 * - `members`: one row per member of a live (user JSON).
 * - `events`: the per-live event log (resume window), trimmed to the newest `eventCapacity` (plus slack).
 * - `ended`: why recently ended lives ended (the newest ≥ 1,000 are kept), `n` orders them.
 * - `meta`: `schema_version`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'lives, members, events, ended reasons, meta',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE lives (
          key TEXT PRIMARY KEY,
          sdk_app_id INTEGER NOT NULL,
          live_id TEXT NOT NULL,
          is_public INTEGER NOT NULL,
          create_time INTEGER NOT NULL,
          log_floor INTEGER NOT NULL DEFAULT 0,
          record TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX lives_by_app_time ON lives (sdk_app_id, is_public, create_time DESC, live_id);
        CREATE TABLE members (
          live_key TEXT NOT NULL,
          user_id TEXT NOT NULL,
          user TEXT NOT NULL,
          joined_at INTEGER NOT NULL,
          PRIMARY KEY (live_key, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE events (
          live_key TEXT NOT NULL,
          seq INTEGER NOT NULL,
          frame TEXT NOT NULL,
          recipients TEXT,
          PRIMARY KEY (live_key, seq)
        ) WITHOUT ROWID;
        CREATE TABLE ended (
          n INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          reason INTEGER NOT NULL,
          ended_at INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    description: 'lives as a rowid table (its record is rewritten by every commit)',
    up(db) {
      // A WITHOUT ROWID table keeps each row in an index b-tree, whose rows spill to overflow pages above ~1 KB: every
      // commit of a live (a 1.5–4 KB record) rewrote the leaf and its overflow chain. A rowid table keeps rows up to
      // ~4 KB on the leaf page (bench/signaling/tools/storeCommits.ts: 300 → 230 µs per commit of 10 lives).
      db.exec(`
        CREATE TABLE lives_rowid (
          key TEXT PRIMARY KEY,
          sdk_app_id INTEGER NOT NULL,
          live_id TEXT NOT NULL,
          is_public INTEGER NOT NULL,
          create_time INTEGER NOT NULL,
          log_floor INTEGER NOT NULL DEFAULT 0,
          record TEXT NOT NULL
        );
        INSERT INTO lives_rowid (key, sdk_app_id, live_id, is_public, create_time, log_floor, record)
          SELECT key, sdk_app_id, live_id, is_public, create_time, log_floor, record FROM lives;
        DROP TABLE lives;
        ALTER TABLE lives_rowid RENAME TO lives;
        CREATE INDEX lives_by_app_time ON lives (sdk_app_id, is_public, create_time DESC, live_id);
      `);
    },
  },
];

/** The version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** What is in a database file: 'empty' (no tables), 'foreign' (tables but not onseat's), or onseat's version. */
export type SchemaState = { kind: 'empty' } | { kind: 'foreign' } | { kind: 'onseat'; version: number };

export function readSchemaState(db: Database): SchemaState {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return { kind: 'empty' };
  if (!tables.includes('meta')) return { kind: 'foreign' };
  const raw = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
  const version = Number(raw);
  return raw !== undefined && Number.isInteger(version) && version >= 1 ? { kind: 'onseat', version } : { kind: 'foreign' };
}

/** Runs the steps after `from`, each in a transaction together with its version bump. */
export function migrate(db: Database, from: number, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i + 1} has version ${m.version}; versions must be 1, 2, 3, …`);
  });
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
        String(m.version),
      );
    })();
  }
}
