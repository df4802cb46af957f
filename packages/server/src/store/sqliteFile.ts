import { existsSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readSchemaState } from './sqliteSchema.js';
import { StoreOpenError } from './StoreOpenError.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function readHeader(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** Maps a SQLite error met while opening `file` to the startup error an operator can act on. */
export function openErrorOf(err: unknown, file: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const code = (err as { code?: unknown }).code;
  const msg = (err as Error).message;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreOpenError(
      'DATABASE_LOCKED',
      file,
      `database ${file} is in use by another process (is another onseat running on this data dir?)`,
      {
        cause: err,
      },
    );
  }
  if (typeof code === 'string' && /^SQLITE_(CANTOPEN|READONLY|PERM|IOERR|AUTH|FULL)/.test(code)) {
    return new StoreOpenError('DATA_DIR_UNWRITABLE', file, `database ${file} cannot be opened for writing (${msg})`, { cause: err });
  }
  return new StoreOpenError('DATABASE_CORRUPT', file, `database ${file} is damaged or not a SQLite database (${msg}); move it away to start empty`, {
    cause: err,
  });
}

/**
 * Checks an existing database file before anything writes to it: SQLite header, `PRAGMA quick_check`, and that it is
 * onseat's at a schema version this build knows (≤ `latest`). Opens it read-only and removes the `-wal`/`-shm` files
 * the read-only connection creates, so a refused file and its folder are left as they were.
 * Throws StoreOpenError ('DATABASE_CORRUPT', 'DATABASE_TOO_NEW', 'DATABASE_LOCKED').
 */
export function inspectDatabaseFile(file: string, latest: number): void {
  if (!existsSync(file) || statSync(file).size === 0) return; // a new database
  if (readHeader(file) !== SQLITE_MAGIC) {
    throw new StoreOpenError('DATABASE_CORRUPT', file, `${file} is not a SQLite database; move it away to start empty`);
  }
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f));
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new StoreOpenError(
        'DATABASE_CORRUPT',
        file,
        `database ${file} is damaged (quick_check: ${problems.join('; ')}); restore a backup or move it away`,
      );
    }
    const state = readSchemaState(db);
    if (state.kind === 'foreign') {
      throw new StoreOpenError('DATABASE_CORRUPT', file, `${file} is a SQLite database but not onseat's; move it away or choose another --data-dir`);
    }
    if (state.kind === 'onseat' && state.version > latest) {
      throw new StoreOpenError(
        'DATABASE_TOO_NEW',
        file,
        `database ${file} has schema version ${state.version}, written by a newer onseat; this build knows up to ${latest}. Run the newer onseat`,
      );
    }
  } catch (err) {
    throw openErrorOf(err, file);
  } finally {
    db?.close();
    for (const f of sidecars) if (existsSync(f) && (!f.endsWith('-wal') || statSync(f).size === 0)) rmSync(f, { force: true });
  }
}
