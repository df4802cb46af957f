import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_PREFIX, Keys } from './keys.js';
import { ACQUIRE, COMMIT, CREATE_LIVE, LIST_LIVES, RELEASE, RENEW } from './scripts.js';

export interface RedisLinkOptions {
  /** `redis://[:password@]host:port[/db]`. */
  url: string;
  /** Prefix of every key and channel. Default `onseat:`. */
  prefix?: string;
  /** A command (a commit, a lease renewal) that got no answer in this time fails (ms). Default 1 000. */
  commandTimeoutMs?: number;
  /**
   * A name for this node (logs); its id is the name plus a random suffix, so every start is a new node: a restarted
   * process never passes for its former self (whose leases, heartbeat and connection ids other nodes may still hold).
   * Default: a random UUID.
   */
  nodeId?: string;
}

/** What Redis failed to do, as an Error the engine maps to STORE_UNAVAILABLE. */
export class RedisUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Redis is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

/**
 * The two Redis connections of one node: `cmd` for commands and publishing (commands fail at once while it is
 * disconnected instead of queueing, so a command gets a clear error rather than a hang), and `sub` for
 * subscriptions (re-subscribed by ioredis after a reconnect). Channel messages are dispatched by channel name.
 */
export class RedisLink {
  readonly cmd: Redis;
  readonly sub: Redis;
  readonly keys: Keys;
  readonly nodeId: string;
  readonly #handlers = new Map<string, (message: string) => void>();
  readonly #subscribed = new Map<string, Promise<unknown>>();
  /** Round-trip time of the last lease renewal (ms); the node's metrics read it. */
  lastRoundTripMs = 0;
  #closed = false;
  /** The last subscribe/unsubscribe sent (they are answered in order). */
  #lastSubChange: Promise<unknown> = Promise.resolve();
  #lastPublish: Promise<unknown> = Promise.resolve();
  readonly #resubscribed = new Set<() => void>();
  /** Times the subscription connection came back after a drop (metrics). */
  resubscriptions = 0;

  constructor(options: RedisLinkOptions) {
    this.keys = new Keys(options.prefix ?? DEFAULT_PREFIX);
    this.nodeId = options.nodeId !== undefined ? `${options.nodeId}-${randomUUID().slice(0, 8)}` : randomUUID();
    const base: RedisOptions = {
      lazyConnect: true,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(50 * times, 500),
    };
    // No auto-pipelining: a tick's commit is one script that also publishes, and commits go one at a time, so there is
    // rarely a second command to share a write with, and wrapping each command in a pipeline cost 17 % of the cluster's
    // CPU per op under load (bench:cluster, alternating runs: 130–138 µs per op without, 158–164 with).
    this.cmd = new Redis(options.url, { ...base, enableOfflineQueue: false, enableAutoPipelining: false });
    this.sub = new Redis(options.url, { ...base, commandTimeout: undefined, enableOfflineQueue: true, autoResubscribe: true });
    for (const c of [this.cmd, this.sub]) c.on('error', () => {}); // reconnects by itself; callers see failed commands
    this.sub.on('message', (channel: string, message: string) => this.#handlers.get(channel)?.(message));
    // After a reconnect ioredis subscribes to every channel again; what was published in between is lost (pub/sub
    // keeps nothing), so listeners catch up once the new subscriptions are confirmed.
    let connectedBefore = false;
    this.sub.on('ready', () => {
      if (!connectedBefore) return void (connectedBefore = true);
      // (after ioredis's own re-subscription, sent on the same connection: confirmed once this is)
      setImmediate(() => {
        const channels = [...this.#subscribed.keys()];
        const confirmed = channels.length > 0 ? this.sub.subscribe(...channels) : Promise.resolve();
        confirmed.then(
          () => {
            this.resubscriptions++;
            for (const l of [...this.#resubscribed]) l();
          },
          () => undefined, // dropped again: the next 'ready' tries again
        );
      });
    });
  }

  /** Calls `listener` each time the subscriptions are back after the connection dropped (not after the first connect). */
  onResubscribed(listener: () => void): void {
    this.#resubscribed.add(listener);
  }

  /** Connects both clients; rejects (with the reason) when Redis cannot be reached. */
  async connect(): Promise<void> {
    await Promise.all([this.cmd.connect(), this.sub.connect()]);
  }

  /** Runs a Lua script (EVALSHA, loading it on first use). */
  script(lua: string): ScriptRunner {
    const name = `onseat_${[ACQUIRE, COMMIT, CREATE_LIVE, RELEASE, RENEW, LIST_LIVES].indexOf(lua)}`;
    const c = this.cmd as unknown as Record<string, ScriptRunner | undefined>;
    if (!c[name]) this.cmd.defineCommand(name, { numberOfKeys: 0, lua });
    const run = (c[name] as ScriptRunner).bind(this.cmd);
    return (...args) => run(this.keys.prefix, ...args);
  }

  /** Handles the messages of one channel (one handler per channel); resolves once Redis confirmed the subscription. */
  listen(channel: string, handler: (message: string) => void): Promise<unknown> {
    this.#handlers.set(channel, handler);
    let ready = this.#subscribed.get(channel);
    if (!ready) {
      ready = this.sub.subscribe(channel).catch(() => undefined);
      this.#subscribed.set(channel, ready);
      this.#lastSubChange = ready;
    }
    return ready;
  }

  unlisten(channel: string): void {
    this.#handlers.delete(channel);
    if (!this.#subscribed.delete(channel) || this.#closed) return;
    this.#lastSubChange = this.sub.unsubscribe(channel).catch(() => undefined);
  }

  /** Resolves when every subscribe and unsubscribe sent so far is confirmed by Redis. */
  subscriptionsSettled(): Promise<unknown> {
    return this.#lastSubChange;
  }

  /** Publishes without waiting; a message lost while Redis is away is covered by resume (the log is in Redis). */
  publish(channel: string, message: string): void {
    this.#lastPublish = this.cmd.publish(channel, message).catch(() => undefined);
  }

  /** Resolves when every publish sent so far was answered by Redis (so it reached every subscriber). */
  publishesSettled(): Promise<unknown> {
    return this.#lastPublish;
  }

  get connected(): boolean {
    return this.cmd.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}

/** Runs a Redis call, turning a connection failure or timeout into RedisUnavailableError. */
export async function viaRedis<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof Error && /^(FENCED|ERR|WRONGTYPE|NOSCRIPT)/.test(e.message)) throw e;
    throw new RedisUnavailableError(e);
  }
}
