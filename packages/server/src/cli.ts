#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, helpText, optionsFromCli } from './config.js';
import { createServer, type OnseatServer } from './createServer.js';
import { StoreOpenError } from './store/StoreOpenError.js';

/** A graceful shutdown that takes longer than this exits anyway (code 1). */
const SHUTDOWN_LIMIT_MS = 5_000;
import type { ClusterMembership, ClusterModule } from './cluster.js';
import type { RedisClusterSettings } from './clusterConfig.js';

/** The demo app as `npm run build` leaves it (`apps/demo/dist`, relative to this file in `src/` or `dist/`). */
function builtDemoDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../apps/demo/dist/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : undefined;
}

/** Loads @onseat/redis (by name: the server package does not depend on it) and connects to the cluster's Redis. */
async function joinCluster(settings: RedisClusterSettings): Promise<ClusterMembership> {
  const name = '@onseat/redis';
  let mod: ClusterModule;
  try {
    mod = (await import(name)) as ClusterModule;
  } catch (err) {
    process.stderr.write(`onseat: --redis needs the @onseat/redis package (npm install @onseat/redis): ${(err as Error).message}\n`);
    process.exit(2);
  }
  try {
    return await mod.createRedisCluster(settings);
  } catch (err) {
    process.stderr.write(`onseat: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  let server: OnseatServer;
  let clusterUrl: string | undefined;
  try {
    const parsed = optionsFromCli(process.argv.slice(2), process.env);
    if (parsed.help) {
      process.stdout.write(`${helpText()}\n`);
      return;
    }
    const options = parsed.options;
    if (options.staticDir === undefined) options.staticDir = builtDemoDir() ?? null;
    if (options.redis) {
      options.cluster = await joinCluster(options.redis);
      clusterUrl = options.redis.url;
    }
    server = createServer(options);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`onseat: ${err.message}\nRun "onseat --help" for the options.\n`);
      process.exit(2);
    }
    if (err instanceof StoreOpenError) {
      process.stderr.write(`onseat: cannot use the data in ${err.file}: ${err.message}\nThe file was not changed.\n`);
      process.exit(3);
    }
    throw err;
  }
  let info;
  try {
    info = await server.listen();
  } catch (err) {
    process.stderr.write(`onseat: cannot listen on ${server.config.host}:${server.config.port}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const { config } = server;
  const what =
    config.mode === 'dev' ? `dev mode, sdkAppId ${server.devApp?.sdkAppId ?? ''}` : `production mode, sdkAppId ${[...config.apps.keys()].join(',')}`;
  const where = config.store === 'sqlite' ? `, data in ${config.dataDir}` : ', in-memory store (nothing survives a restart)';
  process.stdout.write(`onseat listening on ${info.url} (${what}${clusterUrl ? `, cluster node via Redis ${clusterUrl}` : where})\n`);
  if (config.staticDir) process.stdout.write(`onseat serving ${config.staticDir} at ${info.url}/\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`onseat: ${signal}, shutting down (clients will reconnect)\n`);
    setTimeout(() => {
      process.stderr.write(`onseat: shutdown took more than ${SHUTDOWN_LIMIT_MS} ms, exiting\n`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`onseat: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`onseat: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
