import { createLogger, createServer, silentLogger, type LogLevel, type Clock, type FakeClock, type OnseatServer } from '@onseat/server';

type TimerHandle = ReturnType<Clock['setTimer']>;
import { createRedisCluster } from '../../src/cluster/createRedisCluster.js';
import { APP } from './cluster.js';
import type { TestRedis } from './redisServer.js';
import { TcpProxy } from './tcpProxy.js';

/**
 * One node's view of a clock shared by every node of the test (so "two seconds pass" means the same for all). When
 * the node is killed its timers never fire again, as if its process were gone.
 */
export class NodeClock implements Clock {
  #dead = false;
  constructor(readonly shared: FakeClock) {}
  now(): number {
    return this.shared.now();
  }
  setTimer(fn: () => void, delayMs: number): TimerHandle {
    return this.shared.setTimer(() => {
      if (!this.#dead) fn();
    }, delayMs);
  }
  clearTimer(handle: TimerHandle): void {
    this.shared.clearTimer(handle);
  }
  kill(): void {
    this.#dead = true;
  }
}

export interface KillableNodeOptions {
  /** A name; the node's id is this plus a random suffix (every start is a new node). */
  name: string;
  prefix: string;
  clock: FakeClock;
  leaseTtlMs: number;
  forwardTimeoutMs?: number;
  /** Events kept per live for resume (default 512). */
  eventCapacity?: number;
  /** Whether the node runs an SFU (default none). */
  media?: 'werift' | 'none';
}

/**
 * A cluster node in this process that can die abruptly: it reaches Redis through its own TCP proxy, and `kill()`
 * cuts that proxy first (no lease is given back, no last write gets through), stops its timers, then closes its
 * sockets. The engine runs on the test's shared fake clock; heartbeats are off (the fake clock would make every
 * socket look silent), request budgets are generous (the fake clock does not refill them).
 */
export class KillableNode {
  #alive = true;

  private constructor(
    readonly nodeId: string,
    readonly server: OnseatServer,
    readonly url: string,
    readonly proxy: TcpProxy,
    readonly clock: NodeClock,
  ) {}

  static async start(redis: TestRedis, o: KillableNodeOptions): Promise<KillableNode> {
    const proxy = await TcpProxy.start(redis.port);
    const cluster = await createRedisCluster({
      url: proxy.url,
      prefix: o.prefix,
      nodeId: o.name,
      leaseTtlMs: o.leaseTtlMs,
      ...(o.eventCapacity !== undefined ? { eventCapacity: o.eventCapacity } : {}),
      ...(o.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: o.forwardTimeoutMs } : {}),
    });
    const clock = new NodeClock(o.clock);
    const server = createServer({
      port: 0,
      logger: process.env.CLUSTER_TEST_LOG_LEVEL ? createLogger(process.env.CLUSTER_TEST_LOG_LEVEL as LogLevel) : silentLogger,
      apps: [APP],
      cluster,
      media: o.media ?? 'none',
      clock,
      reconnectGraceMs: 20_000,
      abandonedLiveMs: 0,
      heartbeatMs: 1_000_000,
      requestBudgetScale: 1000,
      rateLimit: { burst: 10_000 },
    });
    const { url } = await server.listen();
    return new KillableNode(cluster.nodeId, server, url, proxy, clock);
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Dies abruptly: Redis cut off first, then its timers stop and its sockets close. */
  async kill(): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
    await this.proxy.cut();
    this.clock.kill();
    await this.server.close();
  }

  /** A clean stop at the end of a test. */
  async stop(): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
    await this.server.close();
    await this.proxy.cut();
  }
}
