/** @onseat/server: the onseat signalling server as a library. */
export { createServer, type OnseatServer } from './createServer.js';
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
} from './config.js';
export { createUserSig, verifyUserSig, type CreateUserSigOptions, type VerifyResult } from './auth/userSig.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export type { ListenInfo } from './transport/TransportServer.js';
export { Engine } from './engine/Engine.js';
export { FakeClock, systemClock, type Clock } from './engine/Clock.js';
export type { Connection, Principal } from './engine/Connection.js';
export type { Reply, EngineRequestType } from './engine/api.js';
