import type { Registry } from 'prom-client';
import type { LiveBus } from './bus/LiveBus.js';
import type { Engine } from './engine/Engine.js';
import type { CommitError } from './engine/EventPublisher.js';
import type { LiveStore } from './store/LiveStore.js';
import type { EngineLike } from './transport/context.js';

/**
 * What makes a server one node of a cluster (`@onseat/redis` provides it; `--redis` builds it): the shared store and
 * bus, and a node that stands between the transport and the engine (it forwards commands about lives owned elsewhere).
 */
export interface ClusterMembership {
  /** This node's id in the cluster (unique to this start). */
  readonly nodeId: string;
  readonly store: LiveStore;
  readonly bus: LiveBus;
  /** The engine's commit-failure hook (the node steps down from those lives). */
  onCommitFailed(error: CommitError): boolean;
  /** Wraps the engine; called once. */
  join(engine: Engine): ClusterNodeLike;
}

export interface ClusterNodeLike extends EngineLike {
  /** Joins the cluster (takes over lives nobody holds); before the server listens. */
  start(): Promise<void>;
  /** Adds the node's gauges and counters (lives owned, forwarded commands, takeovers, Redis round trip). */
  registerMetrics?(registry: Registry): void;
}

/** The shape of `@onseat/redis` the CLI loads when `--redis` is given (loaded by name, so the server does not depend on it). */
export interface ClusterModule {
  createRedisCluster(options: { url: string; leaseTtlMs?: number; prefix?: string; logger?: unknown }): Promise<ClusterMembership>;
}
