/** The cluster options of the `onseat` command: `--redis` makes the process a node of a cluster (see @onseat/redis). */
import type { CliOption, ServerOptions } from './config.js';

/** Thrown for bad cluster settings (the CLI wraps it as a ConfigError). */
export class ClusterConfigError extends Error {
  override name = 'ClusterConfigError';
}

/** Where a node finds its cluster (read by the CLI, which builds `ServerOptions.cluster` from it). */
export interface RedisClusterSettings {
  url: string;
  prefix?: string;
  leaseTtlMs?: number;
}

export const CLUSTER_CLI_OPTIONS: readonly CliOption[] = [
  {
    flag: 'redis',
    env: 'ONSEAT_REDIS_URL',
    type: 'string',
    defaultText: 'none (a single node)',
    description: 'redis://host:port of the Redis shared by every node of a cluster',
  },
  {
    flag: 'redis-prefix',
    env: 'ONSEAT_REDIS_PREFIX',
    type: 'string',
    defaultText: 'onseat:',
    description: 'prefix of every Redis key and channel (several deployments on one Redis)',
  },
  {
    flag: 'lease-ttl-ms',
    env: 'ONSEAT_LEASE_TTL_MS',
    type: 'string',
    defaultText: '2000',
    description: 'live ownership lease (500-60000 ms): lives of a dead node are taken over this long after it died',
  },
];

export function applyClusterCli(options: ServerOptions, str: (flag: string, env: string) => string | undefined): void {
  const url = str('redis', 'ONSEAT_REDIS_URL')?.trim();
  const prefix = str('redis-prefix', 'ONSEAT_REDIS_PREFIX');
  const ttlText = str('lease-ttl-ms', 'ONSEAT_LEASE_TTL_MS');
  if (!url) {
    if (prefix || ttlText) throw new ClusterConfigError('--redis-prefix and --lease-ttl-ms need --redis (ONSEAT_REDIS_URL)');
    return;
  }
  if (!/^rediss?:\/\/[^/\s]+/.test(url)) throw new ClusterConfigError(`--redis must be a redis://host:port URL, got "${url}"`);
  const settings: RedisClusterSettings = { url };
  if (prefix) settings.prefix = prefix;
  if (ttlText !== undefined && ttlText.trim() !== '') {
    const ttl = Number(ttlText);
    if (!Number.isInteger(ttl) || ttl < 500 || ttl > 60_000)
      throw new ClusterConfigError(`--lease-ttl-ms must be an integer from 500 to 60000, got "${ttlText}"`);
    settings.leaseTtlMs = ttl;
  }
  options.redis = settings;
}
