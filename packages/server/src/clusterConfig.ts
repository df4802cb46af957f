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
  /** Where the node listens for direct links from the other nodes (see @onseat/redis); false: none. */
  link?: { host?: string; port?: number } | false;
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
  {
    flag: 'cluster-link-host',
    env: 'ONSEAT_CLUSTER_LINK_HOST',
    type: 'string',
    defaultText: '127.0.0.1',
    description: 'address the other nodes reach this one at for direct node links (listened on and announced); off = Redis only',
  },
  {
    flag: 'cluster-link-port',
    env: 'ONSEAT_CLUSTER_LINK_PORT',
    type: 'string',
    defaultText: '0 (any free port)',
    description: 'TCP port of the direct node link listener',
  },
];

export function applyClusterCli(options: ServerOptions, str: (flag: string, env: string) => string | undefined): void {
  const url = str('redis', 'ONSEAT_REDIS_URL')?.trim();
  const prefix = str('redis-prefix', 'ONSEAT_REDIS_PREFIX');
  const ttlText = str('lease-ttl-ms', 'ONSEAT_LEASE_TTL_MS');
  const linkHost = str('cluster-link-host', 'ONSEAT_CLUSTER_LINK_HOST')?.trim();
  const linkPort = str('cluster-link-port', 'ONSEAT_CLUSTER_LINK_PORT')?.trim();
  if (!url) {
    if (prefix || ttlText || linkHost || linkPort)
      throw new ClusterConfigError('--redis-prefix, --lease-ttl-ms and --cluster-link-* need --redis (ONSEAT_REDIS_URL)');
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
  if (linkHost === 'off') {
    if (linkPort) throw new ClusterConfigError('--cluster-link-port has no use with --cluster-link-host off');
    settings.link = false;
  } else if (linkHost || linkPort) {
    const port = linkPort ? Number(linkPort) : 0;
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new ClusterConfigError(`--cluster-link-port must be a port number (0-65535), got "${linkPort ?? ''}"`);
    if (linkHost !== undefined && !/^[\w.:-]+$/.test(linkHost))
      throw new ClusterConfigError(`--cluster-link-host must be a host name or IP address (or off), got "${linkHost}"`);
    settings.link = { ...(linkHost ? { host: linkHost } : {}), port };
  }
  options.redis = settings;
}
