/** @onseat/redis: onseat on several nodes sharing lives through Redis. The only package that imports a Redis client. */
export { RedisLink, RedisUnavailableError, type RedisLinkOptions } from './RedisLink.js';
export { RedisLiveStore, FencedError, type RedisLiveStoreOptions } from './RedisLiveStore.js';
export { RedisLiveBus } from './RedisLiveBus.js';
export { Keys, DEFAULT_PREFIX } from './keys.js';
