/** Why a store could not be opened at startup (the CLI prints the message and exits with code 3). */
export type StoreOpenErrorCode =
  /** The data dir cannot be created or written (permissions, a file in the way, read-only file system). */
  | 'DATA_DIR_UNWRITABLE'
  /** The database file is not a SQLite database, is damaged, or is not onseat's. */
  | 'DATABASE_CORRUPT'
  /** The database was written by a newer onseat (a schema version this build does not know). */
  | 'DATABASE_TOO_NEW'
  /** Another process (another onseat on the same data dir) holds the database. */
  | 'DATABASE_LOCKED';

/** A store cannot start. Nothing was written to `file` before this was thrown. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
  readonly code: StoreOpenErrorCode;
  /** The file or directory concerned (absolute path). */
  readonly file: string;

  constructor(code: StoreOpenErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(`${message} [${code}]`, options);
    this.code = code;
    this.file = file;
  }
}
