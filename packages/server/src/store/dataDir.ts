import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StoreOpenError } from './StoreOpenError.js';

/**
 * Creates the data dir if missing and proves it is writable by writing and removing a probe file (`access()` says yes
 * to root even on a read-only mount). Returns its absolute path. Throws StoreOpenError('DATA_DIR_UNWRITABLE').
 */
export function ensureDataDir(dataDir: string): string {
  const dir = resolve(dataDir);
  const probe = join(dir, `.onseat-write-probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StoreOpenError(
      'DATA_DIR_UNWRITABLE',
      dir,
      `data dir ${dir} cannot be created or written (${why}); fix its permissions or pass another --data-dir`,
      {
        cause: err,
      },
    );
  }
  return dir;
}
