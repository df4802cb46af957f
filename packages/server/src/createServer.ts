import type { LiveBus } from './bus/LiveBus.js';
import { resolveConfig, type AppCredentials, type ServerConfig, type ServerOptions } from './config.js';
import { Engine } from './engine/Engine.js';
import { systemClock } from './engine/Clock.js';
import { createLogger } from './logger.js';
import { WeriftMediaPlane } from './media/WeriftMediaPlane.js';
import type { ServerMetrics } from './metrics.js';
import type { LiveStore } from './store/LiveStore.js';
import { openStore } from './store/openStore.js';
import { TransportServer, type ListenInfo } from './transport/TransportServer.js';

/** `createServer` options: the configuration, plus a store or bus of your own instead of the built-in ones. */
export interface CreateServerOptions extends Omit<ServerOptions, 'store'> {
  /** `sqlite` (durable, in `dataDir`), `memory` (lost on restart; the default here) or your own LiveStore. */
  store?: ServerOptions['store'] | LiveStore;
  /** Carries events to the members of a live. Default: in-process. */
  bus?: LiveBus;
}

/** A server instance returned by `createServer`. */
export interface OnseatServer {
  /** Start listening, then load the stored lives (`/healthz` says `restoring` meanwhile); resolves once both are done. */
  listen(): Promise<ListenInfo>;
  /**
   * Graceful stop: no new sockets or requests, running commands finish and are answered, every socket is closed with
   * CloseCode.SERVER_RESTARTING (clients reconnect and resume), the engine and the store close, then HTTP.
   */
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
 * (SIGNAL_PATH) on one port, around a new engine. Throws `ConfigError` for invalid options and `StoreOpenError` when
 * the SQLite database cannot be used.
 */
export function createServer(options: CreateServerOptions = {}): OnseatServer {
  const { store: storeOption, ...rest } = options;
  const ownStore = typeof storeOption === 'object' ? storeOption : undefined;
  const config = resolveConfig({ ...rest, ...(typeof storeOption === 'string' ? { store: storeOption } : {}) });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  // The werift plane pushes offers through the engine, which is created after it.
  const engineRef: { current?: Engine } = {};
  const media =
    typeof options.media === 'object'
      ? options.media
      : config.media === 'werift'
        ? new WeriftMediaPlane({
            ...config.mediaOptions,
            logger,
            notify: (liveKey, to, type, payload) => engineRef.current?.sendEphemeral(liveKey, to, type, payload) ?? 0,
          })
        : undefined;
  const cluster = options.cluster;
  const store = cluster?.store ?? ownStore ?? openStore(config, logger);
  const bus = cluster?.bus ?? options.bus;
  const engine = new Engine({
    clock,
    store,
    ...(bus ? { bus } : {}),
    ...(cluster ? { onCommitFailed: (e) => cluster.onCommitFailed(e) } : {}),
    reconnectGraceMs: config.reconnectGraceMs,
    abandonedLiveMs: config.abandonedLiveMs,
    maxLivesPerUser: config.maxLivesPerUser,
    maxLivesPerApp: config.maxLivesPerApp,
    chat: config.chat,
    logger,
    ...(media ? { media } : {}),
  });
  engineRef.current = engine;
  const node = cluster?.join(engine);
  const transport = new TransportServer(config, node ?? engine, logger, clock);
  node?.registerMetrics?.(transport.metrics.registry);
  media?.registerMetrics?.(transport.metrics.registry);
  const server: OnseatServer = {
    listen: async () => {
      // A cluster node does not load every stored live: it takes over those nobody holds (before it listens).
      if (node) {
        await node.start();
        return transport.listen();
      }
      const info = await transport.listen();
      const restored = await engine.restore();
      if (restored > 0) logger.info({ lives: restored }, 'lives restored from the store');
      return info;
    },
    close: () => transport.close(),
    engine,
    config,
    metrics: transport.metrics,
  };
  if (config.devApp) return { ...server, devApp: config.devApp };
  return server;
}
