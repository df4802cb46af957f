import type { ServerConfig } from '../config.js';
import type { LiveStore } from './LiveStore.js';
import { MemoryLiveStore } from './MemoryLiveStore.js';
import { SqliteLiveStore } from './SqliteLiveStore.js';

/**
 * The store the configuration asks for: `memory` (lost on restart) or `sqlite` (`<dataDir>/onseat.db`, created if
 * missing). Throws StoreOpenError when the SQLite database cannot be used.
 */
export function openStore(config: Pick<ServerConfig, 'store' | 'dataDir'>): LiveStore {
  return config.store === 'memory' ? new MemoryLiveStore() : SqliteLiveStore.open(config.dataDir);
}
