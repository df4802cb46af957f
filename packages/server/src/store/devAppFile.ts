import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreOpenError } from './StoreOpenError.js';

/** Where dev mode keeps its generated app (sdkAppId and secret) inside the data dir. */
export const DEV_APP_FILE = 'dev-app.json';

/**
 * The dev app kept in `<dataDir>/dev-app.json` (mode 0600), so userSigs handed out before a restart stay valid after
 * it. A file for another sdkAppId is replaced by a new app. `dataDir` must exist and be writable (ensureDataDir).
 * Throws StoreOpenError('DATABASE_CORRUPT') when the file is unreadable JSON (it is left as it is).
 */
export function loadOrCreateDevApp(dataDir: string, sdkAppId: number, makeSecret: () => string): { sdkAppId: number; secret: string } {
  const file = join(dataDir, DEV_APP_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreOpenError('DATA_DIR_UNWRITABLE', file, `cannot read ${file} (${(err as Error).message})`, { cause: err });
    }
  }
  if (text !== undefined) {
    let kept: unknown;
    try {
      kept = JSON.parse(text);
    } catch {
      kept = undefined;
    }
    const app = kept as { sdkAppId?: unknown; secret?: unknown } | undefined;
    if (!app || typeof app.sdkAppId !== 'number' || typeof app.secret !== 'string' || app.secret.length < 16) {
      throw new StoreOpenError(
        'DATABASE_CORRUPT',
        file,
        `${file} is damaged; delete it to get a new dev secret (tokens signed with the old one stop working)`,
      );
    }
    if (app.sdkAppId === sdkAppId) return { sdkAppId, secret: app.secret };
  }
  const app = { sdkAppId, secret: makeSecret() };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(app)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return app;
}
