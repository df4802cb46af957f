/** @onseat/server: the onseat signalling server as a library. */
export { createServer, type OnseatServer, type CreateServerOptions } from './createServer.js';
export {
  resolveConfig,
  optionsFromCli,
  helpText,
  ConfigError,
  type ServerOptions,
  type ServerConfig,
  type ServerMode,
  type AppCredentials,
  type RateLimitOptions,
  type StoreKind,
} from './config.js';
export { createUserSig, verifyUserSig, type CreateUserSigOptions, type VerifyResult } from './auth/userSig.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export type { ListenInfo } from './transport/TransportServer.js';
export { Engine } from './engine/Engine.js';
export { FakeClock, systemClock, type Clock } from './engine/Clock.js';
export type { Connection, Principal } from './engine/Connection.js';
export type { Reply, EngineRequestType } from './engine/api.js';
export type { LiveStore, LiveChange, CommitBatch, CommitMessage, EndedLive, LoggedEvent, LiveListPage } from './store/LiveStore.js';
export { MemoryLiveStore } from './store/MemoryLiveStore.js';
export { SqliteLiveStore, DATABASE_FILE, type SqliteStoreOptions } from './store/SqliteLiveStore.js';
export { StoreOpenError, type StoreOpenErrorCode } from './store/StoreOpenError.js';
export { openStore } from './store/openStore.js';
export { MIGRATIONS, type Migration } from './store/sqliteSchema.js';
export type { LiveBus, Delivery, Unsubscribe } from './bus/LiveBus.js';
export { MemoryLiveBus } from './bus/MemoryLiveBus.js';
export type { MediaPlane, MediaRequest } from './engine/MediaPlane.js';
export type { LiveRecord, MemberRecord, SeatRecord, OccupantRecord, RequestRecord } from './engine/state.js';
export type { EngineOptions } from './engine/Engine.js';
export { CommitError } from './engine/EventPublisher.js';
export type { EngineLike } from './transport/context.js';
export { liveKeyOf, principalKey } from './engine/Connection.js';
export { liveInfoOf } from './engine/Live.js';
export { parseListCursor } from './engine/LiveIndex.js';
export type { ClusterMembership, ClusterNodeLike, ClusterModule } from './cluster.js';
export { scrapedCounter, scrapedGauge } from './metrics.js';
