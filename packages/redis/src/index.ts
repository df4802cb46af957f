/** @onseat/redis: onseat on several nodes sharing lives through Redis. The only package that imports a Redis client. */
export { RedisLink, RedisUnavailableError, type RedisLinkOptions } from './RedisLink.js';
export { RedisLiveStore, FencedError, type RedisLiveStoreOptions } from './RedisLiveStore.js';
export { RedisLiveBus } from './RedisLiveBus.js';
export type { NodesOf } from './deliveries.js';
export { Keys, DEFAULT_PREFIX } from './keys.js';
export { ClusterNode, type ClusterNodeOptions, type ClusterStats } from './cluster/ClusterNode.js';
export { createRedisCluster, type RedisClusterOptions } from './cluster/createRedisCluster.js';
