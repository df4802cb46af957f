#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, helpText, optionsFromCli } from './config.js';
import { createServer, type OnseatServer } from './createServer.js';

/** The demo app as `npm run build` leaves it (`apps/demo/dist`, relative to this file in `src/` or `dist/`). */
function builtDemoDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../apps/demo/dist/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : undefined;
}

async function main(): Promise<void> {
  let server: OnseatServer;
  try {
    const parsed = optionsFromCli(process.argv.slice(2), process.env);
    if (parsed.help) {
      process.stdout.write(`${helpText()}\n`);
      return;
    }
    const options = parsed.options;
    if (options.staticDir === undefined) options.staticDir = builtDemoDir() ?? null;
    server = createServer(options);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`onseat: ${err.message}\nRun "onseat --help" for the options.\n`);
      process.exit(2);
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
  process.stdout.write(`onseat listening on ${info.url} (${what})\n`);
  if (config.staticDir) process.stdout.write(`onseat serving ${config.staticDir} at ${info.url}/\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`onseat: ${signal}, shutting down\n`);
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
