import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '../config.js';
import type { Clock } from '../engine/Clock.js';
import type { Logger } from '../logger.js';
import { ServerMetrics } from '../metrics.js';
import type { EngineLike, TransportContext } from './context.js';
import { handleHttp } from './httpRoutes.js';
import { IdempotencyCache } from './IdempotencyCache.js';
import { RateLimiter } from './RateLimiter.js';
import { WsGateway } from './WsGateway.js';
import type { HealthStatus } from './httpRoutes.js';

/** Where a server listens. */
export interface ListenInfo {
  port: number;
  /** `http://host:port` (the WebSocket endpoint is `ws://host:port` + SIGNAL_PATH). */
  url: string;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** One `http.Server` carrying HTTP routes and the WebSocket gateway, around a given engine. */
export class TransportServer {
  readonly metrics: ServerMetrics;
  readonly gateway: WsGateway;
  readonly http: Server;
  readonly #engine: EngineLike;
  readonly #config: ServerConfig;
  readonly #logger: Logger;
  #closing: Promise<void> | undefined;

  constructor(config: ServerConfig, engine: EngineLike, logger: Logger, clock: Clock) {
    this.#engine = engine;
    this.#config = config;
    this.#logger = logger;
    let connectionId = 0;
    // The gateway is created below; the gauges only read it at scrape time.
    this.metrics = new ServerMetrics({
      connections: () => this.gateway.connectionCount,
      lives: () => engine.stats.lives,
      members: () => engine.stats.members,
    });
    const ctx: TransportContext = {
      engine,
      config,
      logger,
      metrics: this.metrics,
      clock,
      idempotency: new IdempotencyCache(clock),
      rateLimiter: new RateLimiter(clock, config.rateLimit),
      nextConnectionId: () => ++connectionId,
      lifecycle: { draining: false },
    };
    this.gateway = new WsGateway(ctx);
    const startedAt = Date.now();
    const httpCtx = {
      config,
      clock,
      logger,
      metrics: this.metrics,
      startedAt,
      stats: () => ({ lives: engine.stats.lives, connections: this.gateway.connectionCount }),
      status: (): HealthStatus => (ctx.lifecycle.draining ? 'stopping' : engine.restoring ? 'restoring' : 'ok'),
    };
    this.http = createHttpServer((req, res) => void handleHttp(httpCtx, req, res));
    this.http.on('upgrade', (req, socket, head: Buffer) => this.gateway.handleUpgrade(req, socket, head));
    this.http.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Start listening on the configured host and port. */
  listen(): Promise<ListenInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.http.once('error', onError);
      this.http.listen(this.#config.port, this.#config.host, () => {
        this.http.off('error', onError);
        const port = (this.http.address() as AddressInfo).port;
        resolve({ port, url: `http://${urlHost(this.#config.host)}:${port}` });
      });
    });
  }

  /**
   * Graceful stop: refuse new sockets and requests, let the running commands finish and their changes be committed
   * and answered (at most `drainMs`), close every socket with SERVER_RESTARTING, close the engine, then HTTP.
   * Idempotent.
   */
  close(drainMs = 2_000): Promise<void> {
    this.#closing ??= (async () => {
      const httpClosed = this.http.listening ? new Promise<void>((resolve) => this.http.close(() => resolve())) : Promise.resolve();
      this.gateway.stopAccepting();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        this.#engine.drain().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
      ]);
      clearTimeout(timer);
      if (!drained) this.#logger.warn({ drainMs }, 'commands still running at shutdown: closing anyway');
      // Replies written in this tick leave with it (sockets are corked until the next tick).
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.gateway.close();
      try {
        await this.#engine.close();
      } catch (err) {
        this.#logger.error({ err }, 'engine.close failed');
      }
      this.http.closeAllConnections();
      await httpClosed;
    })();
    return this.#closing;
  }
}
