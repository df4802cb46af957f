/**
 * The onseat server under test, in its own process (started with `--expose-gc`): it calls `createServer`
 * from `@onseat/server` (the built package) and answers the benchmark's IPC probes (RSS after GC, CPU time,
 * engine stats). Nothing here changes the server; the probes exist only in this harness.
 */
import { createServer, Engine, silentLogger, SqliteLiveStore, type CreateServerOptions, type Logger, type OnseatServer } from '@onseat/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Session } from 'node:inspector/promises';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { serveIpc, REPO_ROOT } from '../lib/ipc.js';
import { serverProbes } from './common.js';

let server: OnseatServer | undefined;
let dataDir: string | undefined;

/** A live as the engine keeps it: 9 seats (owner on seat 0), an application pending with a deadline. */
function sampleRecord(key: string, liveId: string, i: number) {
  const seats = Array.from({ length: 9 }, (_, index) => ({ index, locked: false, occupant: null as null | Record<string, unknown> }));
  seats[0]!.occupant = { userId: `u${i}-0`, microphoneOn: true, cameraOn: true, microphoneLocked: false, cameraLocked: false, since: 1 };
  return {
    key,
    sdkAppId: 1400000001,
    liveId,
    liveName: `Live ${i}`,
    notice: '',
    coverUrl: '',
    backgroundUrl: '',
    categoryList: [],
    activityStatus: 0,
    isPublicVisible: true,
    isMessageDisable: false,
    isGiftEnabled: true,
    isSeatEnabled: true,
    keepOwnerOnSeat: true,
    seatMode: 1,
    layoutTemplate: 600,
    owner: { userId: `u${i}-0`, userName: 'Owner', avatarUrl: '' },
    createTime: 1_700_000_000_000 + i,
    totalViewerCount: 19,
    admins: [],
    metadata: {},
    seats,
    applications: [
      {
        kind: 'application',
        requestId: `r${i}`,
        userId: `u${i}-1`,
        hostId: '',
        seatIndex: -1,
        createdAt: 1,
        deadline: Date.now() + 600_000,
        status: 'pending',
      },
    ],
    invitations: [],
    seq: 40,
  } as Parameters<SqliteLiveStore['createLive']>[0];
}
/**
 * The server's warnings, errors and heartbeat cuts go to stderr (the first few of each message, then a count every 1,000): a socket
 * the server cut (slow reader, silent peer) or a failed commit explains a phase's errors; info and debug stay silent.
 */
const seen = new Map<string, number>();
const report =
  (level: string) =>
  (obj: unknown, msg?: string): void => {
    const key = `${level} ${msg ?? ''}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= 5) console.error(`[onseat server ${level}] ${msg ?? ''} ${JSON.stringify(obj)}`);
    else if (n % 1000 === 0) console.error(`[onseat server ${level}] ${msg ?? ''} (${n} so far)`);
  };
const cut = report('debug');
const benchLogger: Logger = {
  ...silentLogger,
  warn: report('warn'),
  error: report('error'),
  // Sockets the heartbeat cuts are a debug line in the server (a normal event in production), a bench anomaly here.
  debug: (obj, msg) => (msg === 'silent socket: terminating' ? cut(obj, msg) : undefined),
};

let inspector: Session | undefined;
/** The store of the running server, part of profile file names (the SQLite and memory runs profile the same phases). */
let storeName = 'memory';

serveIpc({
  async start(a: { options: CreateServerOptions }) {
    // The SQLite store writes to a fresh data dir of its own (removed on close).
    storeName = typeof a.options.store === 'string' ? a.options.store : a.options.store ? 'custom' : 'memory';
    if (a.options.store === 'sqlite') dataDir = mkdtempSync(path.join(tmpdir(), 'onseat-bench-'));
    server = createServer({ port: 0, host: '127.0.0.1', logger: benchLogger, ...a.options, ...(dataDir ? { dataDir } : {}) });
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
  /** Stop the profile and write it to .bench-tmp/onseat-<store>-<name>.cpuprofile. */
  async profStop(a: { name: string }) {
    if (!inspector) throw new Error('no profile running');
    const { profile } = await inspector.post('Profiler.stop');
    inspector.disconnect();
    inspector = undefined;
    const dir = path.join(REPO_ROOT, '.bench-tmp');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `onseat-${storeName}-${a.name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  },
  async close() {
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    return true;
  },
  /** Writes `lives` lives × `members` members to a fresh SQLite store, then times a new engine's restore() of them. */
  async restoreBench(a: { lives: number; members: number }) {
    const dir = mkdtempSync(path.join(tmpdir(), 'onseat-restore-'));
    try {
      const writer = SqliteLiveStore.open(dir);
      for (let i = 0; i < a.lives; i++) {
        const key = `1400000001:live-${i}`;
        await writer.createLive(sampleRecord(key, `live-${i}`, i));
        const putMembers = Array.from({ length: a.members }, (_, j) => ({
          user: { userId: `u${i}-${j}`, userName: `User ${j}`, avatarUrl: '' },
          joinedAt: 1_700_000_000_000 + j,
        }));
        await writer.commit({ changes: [{ key, putMembers }], ended: [] });
      }
      await writer.close();
      const t0 = performance.now();
      const engine = new Engine({ store: SqliteLiveStore.open(dir) });
      const restored = await engine.restore();
      const ms = performance.now() - t0;
      await engine.close();
      return { restored, ms };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  ...serverProbes,
});
