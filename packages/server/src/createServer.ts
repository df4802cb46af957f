import { resolveConfig, type AppCredentials, type ServerConfig, type ServerOptions } from './config.js';
import { Engine } from './engine/Engine.js';
import { systemClock } from './engine/Clock.js';
import { createLogger } from './logger.js';
import { WeriftMediaPlane } from './media/WeriftMediaPlane.js';
import type { ServerMetrics } from './metrics.js';
import { TransportServer, type ListenInfo } from './transport/TransportServer.js';

/** A server instance returned by `createServer`. */
export interface OnseatServer {
  /** Start listening; resolves with the actual port (useful with port 0) and base URL. */
  listen(): Promise<ListenInfo>;
  /** Graceful stop: sockets get CloseCode.SERVER_SHUTDOWN, the engine closes, then HTTP. */
  close(): Promise<void>;
  readonly engine: Engine;
  readonly config: ServerConfig;
  /** The app /dev/user-sig signs for (dev mode only). */
  readonly devApp?: AppCredentials;
  /** This server's Prometheus metrics (own registry). */
  readonly metrics: ServerMetrics;
}

/**
 * Create an onseat server: HTTP (`/healthz`, `/metrics`, dev-only `/dev/user-sig`) and the signalling WebSocket
 * (SIGNAL_PATH) on one port, around a new engine. Throws `ConfigError` for invalid options.
 */
export function createServer(options: ServerOptions = {}): OnseatServer {
  const config = resolveConfig(options);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  // The werift plane pushes offers through the engine, which is created after it.
  let engineRef: Engine | undefined;
  const media =
    typeof options.media === 'object'
      ? options.media
      : config.media === 'werift'
        ? new WeriftMediaPlane({
            ...config.mediaOptions,
            logger,
            notify: (liveKey, userId, type, payload) => engineRef?.sendEphemeral(liveKey, userId, type, payload) ?? false,
          })
        : undefined;
  const engine = new Engine({
    clock,
    reconnectGraceMs: config.reconnectGraceMs,
    abandonedLiveMs: config.abandonedLiveMs,
    logger,
    ...(media ? { media } : {}),
  });
  engineRef = engine;
  const transport = new TransportServer(config, engine, logger, clock);
  const server: OnseatServer = {
    listen: () => transport.listen(),
    close: () => transport.close(),
    engine,
    config,
    metrics: transport.metrics,
  };
  if (config.devApp) return { ...server, devApp: config.devApp };
  return server;
}
