import type { ServerConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { LiveStore } from './LiveStore.js';
import { MemoryLiveStore } from './MemoryLiveStore.js';
import { SqliteLiveStore } from './SqliteLiveStore.js';

/**
 * The store the configuration asks for: `memory` (lost on restart) or `sqlite` (`<dataDir>/onseat.db`, created if
 * missing). Throws StoreOpenError when the SQLite database cannot be used. A failure of SQLite's checkpoint thread is
 * logged (the store carries on, checkpointing on its own thread).
 */
export function openStore(config: Pick<ServerConfig, 'store' | 'dataDir'>, logger?: Logger): LiveStore {
  if (config.store === 'memory') return new MemoryLiveStore();
  return SqliteLiveStore.open(config.dataDir, {
    onCheckpointFailure: (err) =>
      logger?.warn({ err: err.message, dataDir: config.dataDir }, 'SQLite checkpoint thread failed; commits checkpoint by themselves from now on'),
    onCheckpointWarning: (message) => logger?.warn({ dataDir: config.dataDir }, `SQLite checkpoint thread ${message}`),
  });
}
