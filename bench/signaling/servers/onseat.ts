/**
 * The onseat server under test, in its own process (started with `--expose-gc`): it calls `createServer`
 * from `@onseat/server` (the built package) and answers the benchmark's IPC probes (RSS after GC, CPU time,
 * engine stats). Nothing here changes the server; the probes exist only in this harness.
 */
import { createServer, silentLogger, type OnseatServer, type ServerOptions } from '@onseat/server';
import { Session } from 'node:inspector/promises';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { serveIpc, REPO_ROOT } from '../lib/ipc.js';
import { serverProbes } from './common.js';

let server: OnseatServer | undefined;
let inspector: Session | undefined;

serveIpc({
  async start(a: { options: ServerOptions }) {
    server = createServer({ port: 0, host: '127.0.0.1', logger: silentLogger, ...a.options });
    const { port } = await server.listen();
    if (!server.devApp) throw new Error('createServer returned no devApp (dev mode expected)');
    return { port, sdkAppId: server.devApp.sdkAppId, secret: server.devApp.secret };
  },
  stats() {
    return server ? { ...server.engine.stats } : null;
  },
  /** `--profile` runs: start a CPU profile of this process (one per phase). */
  async profStart() {
    inspector ??= new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
    return true;
  },
  /** Stop the profile and write it to .bench-tmp/onseat-<name>.cpuprofile. */
  async profStop(a: { name: string }) {
    if (!inspector) throw new Error('no profile running');
    const { profile } = await inspector.post('Profiler.stop');
    inspector.disconnect();
    inspector = undefined;
    const dir = path.join(REPO_ROOT, '.bench-tmp');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `onseat-${a.name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  },
  async close() {
    await server?.close();
    return true;
  },
  ...serverProbes,
});
