import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openErrorOf } from './sqliteFile.js';

/** A held data dir lock. */
export interface DataDirLock {
  /** Lets go of the lock (the file stays, for the next start). */
  release(): void;
  /** Lets go of the lock and removes the file if this start created it (a start that was refused). */
  abandon(): void;
}

/** The lock file inside the data dir: held by the onseat process that owns the dir, released when it exits. */
export const LOCK_FILE = 'onseat.lock';

/**
 * Takes the data dir for this process: a tiny SQLite file whose exclusive lock is held until `close()` (or until the
 * process dies: the kernel drops the lock with it). A second onseat on the same dir — or a second store in this
 * process — gets DATABASE_LOCKED naming the database file. The database itself is opened in normal locking mode so
 * that a background thread can checkpoint it; this lock is what keeps other processes out.
 */
export function lockDataDir(dir: string, databaseFile: string): DataDirLock {
  const file = join(dir, LOCK_FILE);
  const existed = existsSync(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    // A real write, so the exclusive lock is taken now and kept (EXCLUSIVE locking mode never releases it).
    db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO owner (id, pid, since) VALUES (1, ?, ?)').run(process.pid, Date.now());
    const held = db;
    return {
      release: () => held.close(),
      // A refused start leaves the data dir as it found it.
      abandon: () => {
        held.close();
        if (!existed) rmSync(file, { force: true });
      },
    };
  } catch (err) {
    db?.close();
    if (!existed) rmSync(file, { force: true });
    throw openErrorOf(err, databaseFile);
  }
}
