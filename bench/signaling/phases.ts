/**
 * The measurement phases, driven from the parent process. Servers and clients are separate processes
 * (see lib/ipc.ts); every phase here only sends them commands and combines their answers.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, type Child } from './lib/ipc.js';
import { sleep, summarize, type Summary } from './lib/stats.js';
import type { PauseReport } from './lib/pauses.js';
import { fanRounds, type Cpu, cpuMs } from './fanRounds.js';

/** Sizes of one run. */
export interface Config {
  quick: boolean;
  workers: number;
  seatLives: number;
  seatMembers: number;
  seatSamples: number;
  fanAudience: number;
  fanRounds: number;
  fanWarmup: number;
  memAudience: number;
  memExtraLives: number;
  /** Mixed co-guest load (apply/cancel + apply/accept/disconnect), ms. */
  loadMs: number;
  /** apply/cancel-only load, ms. */
  loadMs2: number;
  applyLoops: number;
  acceptLoops: number;
  concurrency: number;
  /** Write a CPU profile of the onseat server per phase to .bench-tmp/ (diagnostics; slows the server a little). */
  profile: boolean;
  /** Abuse phase: lives × seatMembers connected while one user floods, and seat-op samples taken meanwhile. */
  abuseLives: number;
  abuseSamples: number;
  /** Chat phase (in the fan-out live): senders, messages per sender per second, duration (ms). */
  chatSenders: number;
  chatPerSender: number;
  chatMs: number;
}

/** Result of the chat phase. */
export interface ChatResult {
  /** Send → the last audience socket has it (ms), per message. */
  latency: Summary;
  /**
   * apply → an admin gets applicationReceived in the same live during the storm (ms), both sockets in a probe
   * process without load sockets: the server's latency. Undefined when no probe process ran.
   */
  probeSeatOp: Summary | undefined;
  /** The same from the host's socket in the load process that also holds the senders and ~half the audience (ms). */
  seatOp: Summary;
  sent: number;
  /** Messages some audience socket never received. */
  incomplete: number;
  errors: Record<string, number>;
  serverCpuPct: number;
  /** chat.batch frames per audience socket (delivery rounds) and the server's CPU time per socket-frame (µs). */
  roundsPerSocket: number;
  serverCpuUsPerFrame: number;
}

/**
 * The chat storm in the live `liveId`, whose host is in `hostWorker` and whose audience is spread over `workers`.
 * With `probe` (a client process holding no load sockets), two more members join there — one made an admin by the
 * host — and sample seat ops during the storm.
 */
export async function onseatChat(
  cfg: Config,
  server: Child,
  workers: Child[],
  hostWorker: Child,
  liveId: string,
  audience: number,
  probe?: { worker: Child; connect: { url: string; sdkAppId: number; secret: string } },
): Promise<ChatResult> {
  const armed = await Promise.all(workers.map((w) => w.call<{ receivers: number }>('chatSetup', { liveId })));
  const receivers = armed.reduce((s, a) => s + a.receivers, 0);
  if (receivers !== audience) throw new Error(`chat: ${receivers} receivers, expected ${audience}`);
  if (probe) {
    await probe.worker.call('connectOnseat', { ...probe.connect, concurrency: 2, specs: [{ liveId, audience: ['probe_admin', 'probe_applicant'] }] });
    await hostWorker.call('hostRequest', { liveId, type: 'audience.setAdministrator', payload: { userId: 'probe_admin' } });
  }
  const cpu0 = await server.call<Cpu>('cpu');
  const t0 = performance.now();
  const [storm, probed] = await Promise.all([
    hostWorker.call<{ sent: [string, number][]; errors: Record<string, number>; seatOps: number[] }>(
      'chatStorm',
      { liveId, senders: cfg.chatSenders, perSender: cfg.chatPerSender, durationMs: cfg.chatMs },
      cfg.chatMs + 120_000,
    ),
    probe?.worker.call<{ samples: number[]; errors: Record<string, number> }>(
      'probeSeatOps',
      { liveId, durationMs: cfg.chatMs },
      cfg.chatMs + 60_000,
    ),
  ]);
  if (probe) await probe.worker.call('closeOnseat', {});
  await sleep(2000); // let the last batches arrive
  const cpu1 = await server.call<Cpu>('cpu');
  const wallMs = performance.now() - t0;
  const seen = new Map<string, { n: number; last: number }>();
  let frames = 0;
  for (const seenHere of await Promise.all(
    workers.map((w) => w.call<{ messages: [string, number, number][]; frames: number }>('chatArrivals', {}, 60_000)),
  )) {
    frames += seenHere.frames;
    for (const [id, n, last] of seenHere.messages) {
      const e = seen.get(id);
      if (e) {
        e.n += n;
        e.last = Math.max(e.last, last);
      } else seen.set(id, { n, last });
    }
  }
  const latencies: number[] = [];
  let incomplete = 0;
  for (const [id, sentAt] of storm.sent) {
    const e = seen.get(id);
    if (!e || e.n < audience) incomplete++;
    else latencies.push(e.last - sentAt);
  }
  return {
    latency: summarize(latencies),
    probeSeatOp: probed ? summarize(probed.samples) : undefined,
    seatOp: summarize(storm.seatOps),
    sent: storm.sent.length,
    incomplete,
    errors: { ...storm.errors, ...Object.fromEntries(Object.entries(probed?.errors ?? {}).map(([k, v]) => [`probe:${k}`, v])) },
    serverCpuPct: (100 * cpuMs(cpu0, cpu1)) / wallMs,
    roundsPerSocket: frames / audience,
    serverCpuUsPerFrame: (1000 * cpuMs(cpu0, cpu1)) / Math.max(1, frames),
  };
}

export interface ServerInfo {
  port: number;
  sdkAppId: number;
  secret: string;
}

const began = performance.now();
/** Progress line on stderr (stdout carries only the report). */
export function note(msg: string): void {
  process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s]   ${msg}\n`);
}

/** Run `fn` with the onseat server's CPU profiler on when `cfg.profile`. */
async function profiled<T>(cfg: Config, server: Child, name: string, fn: () => Promise<T>): Promise<T> {
  if (!cfg.profile) return fn();
  await server.call('profStart');
  try {
    return await fn();
  } finally {
    await server.call('profStop', { name });
  }
}

/** Split `n` items into `parts` nearly equal counts. */
export function split(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

/** Memory per idle connection: RSS after GC before and after connecting `specsPerWorker`. */
export async function onseatMemoryAndFanout(
  cfg: Config,
  server: Child,
  info: ServerInfo,
  workers: Child[],
  probe?: Child,
): Promise<{
  baseRss: number;
  loadedRss: number;
  connections: number;
  kbPerConn: number;
  connectMs: number;
  fan: Awaited<ReturnType<typeof fanRounds>>;
  frame: string;
  chat: ChatResult | undefined;
  chatError: string | undefined;
}> {
  const url = `ws://127.0.0.1:${info.port}/v1/signal`;
  const common = { url, sdkAppId: info.sdkAppId, secret: info.secret, concurrency: cfg.concurrency };
  const base = await server.call<{ rss: number }>('rss', { settleMs: cfg.quick ? 500 : 1000 });
  const [w0] = workers as [Child];
  const extra = Array.from({ length: cfg.memExtraLives }, (_, i) => `mem${i + 1}`);
  const t0 = performance.now();
  // Hosts first (all in worker 0), so audience in every worker can join.
  await w0.call('connectOnseat', {
    ...common,
    specs: ['fan', ...extra].map((liveId) => ({ liveId, host: `h_${liveId}`, audience: [] })),
  });
  const fanSplit = split(cfg.fanAudience, workers.length);
  const extraSplit = split(cfg.memAudience - cfg.fanAudience, workers.length);
  await profiled(cfg, server, 'connect', () =>
    Promise.all(
      workers.map((w, wi) => {
        const perLive = split(extraSplit[wi] ?? 0, extra.length);
        const specs = [
          { liveId: 'fan', audience: Array.from({ length: fanSplit[wi] ?? 0 }, (_, i) => `f${wi}_${i}`) },
          ...extra.map((liveId, li) => ({
            liveId,
            audience: Array.from({ length: perLive[li] ?? 0 }, (_, i) => `${liveId}_${wi}_${i}`),
          })),
        ];
        return w.call('connectOnseat', { ...common, specs }, 300_000);
      }),
    ),
  );
  const connectMs = performance.now() - t0;
  const connections = cfg.memAudience + 1 + extra.length;
  note(`${connections} sockets connected, authenticated and joined in ${(connectMs / 1000).toFixed(1)} s`);
  await sleep(cfg.quick ? 1000 : 2000);
  const stats = await server.call<{ connections: number } | null>('stats');
  if (stats && stats.connections !== connections) {
    throw new Error(`server reports ${stats.connections} connections, expected ${connections}`);
  }
  const loaded = await server.call<{ rss: number }>('rss', { settleMs: cfg.quick ? 500 : 1500 });
  const kbPerConn = (loaded.rss - base.rss) / 1024 / connections;
  note(`RSS ${(base.rss / 2 ** 20).toFixed(1)} → ${(loaded.rss / 2 ** 20).toFixed(1)} MiB`);
  if (extra.length) await Promise.all(workers.map((w) => w.call('closeOnseat', { liveIds: extra })));
  await sleep(500);
  await Promise.all(workers.map((w) => w.call('fanSetupOnseat', { liveId: 'fan', seatIndex: 1 })));
  const fan = await profiled(cfg, server, 'fanout', () =>
    fanRounds(server, workers, w0, cfg.fanRounds, cfg.fanWarmup, cfg.fanAudience, cfg.quick ? 50 : 100),
  );
  note(`fan-out rounds done`);
  const frames = await Promise.all(workers.map((w) => w.call<string | null>('capturedFrame')));
  const frame = frames.find((f) => f !== null);
  if (!frame) throw new Error('no seat.listChanged frame captured');
  await sleep(500);
  let chat: ChatResult | undefined;
  let chatError: string | undefined;
  try {
    note(`chat storm: ${cfg.chatSenders} senders × ${cfg.chatPerSender}/s for ${cfg.chatMs / 1000} s to ${cfg.fanAudience} sockets`);
    chat = await profiled(cfg, server, 'chat', () =>
      onseatChat(
        cfg,
        server,
        workers,
        w0,
        'fan',
        cfg.fanAudience,
        probe && { worker: probe, connect: { url, sdkAppId: info.sdkAppId, secret: info.secret } },
      ),
    );
    note('chat storm done');
  } catch (e) {
    chatError = e instanceof Error ? e.message : String(e);
  }
  await Promise.all(workers.map((w) => w.call('closeOnseat', {}, 120_000)));
  return { baseRss: base.rss, loadedRss: loaded.rss, connections, kbPerConn, connectMs, fan, frame, chat, chatError };
}

/** Result of one closed-loop throughput run. */
export interface LoadResult {
  ok: number;
  opsPerS: number;
  byType: Record<string, number>;
  errors: Record<string, number>;
  serverCpuPct: number;
  /** Server CPU time per completed op (µs). */
  serverCpuUsPerOp: number;
  clientCpuPct: number;
  /** Mean request round trip by type (ms), over the client processes. */
  rttMs: Record<string, number>;
}

/** One closed-loop throughput run over the lives connected in the clients. */
async function loadRun(server: Child, workers: Child[], ms: number, applyLoops: number, acceptLoops: number): Promise<LoadResult> {
  const cpu0 = await server.call<Cpu>('cpu');
  const wcpu0 = await Promise.all(workers.map((w) => w.call<Cpu>('cpu')));
  const t1 = performance.now();
  const loads = await Promise.all(
    workers.map((w) =>
      w.call<{ ok: number; byType: Record<string, number>; errors: Record<string, number>; rttMs: Record<string, number> }>(
        'load',
        { durationMs: ms, applyLoops, acceptLoops },
        ms + 60_000,
      ),
    ),
  );
  const cpu1 = await server.call<Cpu>('cpu');
  const wallMs = performance.now() - t1;
  const wcpu1 = await Promise.all(workers.map((w) => w.call<Cpu>('cpu')));
  const byType: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let ok = 0;
  for (const l of loads) {
    ok += l.ok;
    for (const [k, v] of Object.entries(l.byType)) byType[k] = (byType[k] ?? 0) + v;
    for (const [k, v] of Object.entries(l.errors)) errors[k] = (errors[k] ?? 0) + v;
  }
  const rttMs: Record<string, number> = {};
  for (const l of loads) for (const [k, v] of Object.entries(l.rttMs)) rttMs[k] = (rttMs[k] ?? 0) + v / loads.length;
  const clientMs = wcpu0.reduce((sum, c, i) => sum + cpuMs(c, wcpu1[i] as Cpu), 0);
  return {
    ok,
    opsPerS: ok / (ms / 1000),
    byType,
    errors,
    serverCpuPct: (100 * cpuMs(cpu0, cpu1)) / wallMs,
    serverCpuUsPerOp: (1000 * cpuMs(cpu0, cpu1)) / Math.max(1, ok),
    clientCpuPct: (100 * clientMs) / wallMs,
    rttMs,
  };
}

/** Seat-op latency and co-guest throughput on `seatLives` × `seatMembers` connected sockets. */
export async function onseatSeatOps(
  cfg: Config,
  server: Child,
  info: ServerInfo,
  workers: Child[],
): Promise<{
  latency: Summary;
  /** The seat-op latencies themselves (ms), to pool several runs. */
  samples: number[];
  applyRtt: Summary;
  seatErrors: Record<string, number>;
  /** GC pauses and event-loop delay of the server and of each client process over the seat-op samples. */
  pauses: { server: PauseReport | null; clients: (PauseReport | null)[] };
  connectMs: number;
  mixed: LoadResult;
  applyCancel: LoadResult;
}> {
  const url = `ws://127.0.0.1:${info.port}/v1/signal`;
  const livesSplit = split(cfg.seatLives, workers.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    workers.map((w, wi) => {
      const specs = Array.from({ length: livesSplit[wi] ?? 0 }, () => {
        const li = next++;
        const audience = Array.from({ length: cfg.seatMembers - 1 }, (_, j) => `s${li}_${j}`);
        return { liveId: `seat${li}`, host: `sh${li}`, audience };
      });
      return w.call('connectOnseat', { url, sdkAppId: info.sdkAppId, secret: info.secret, concurrency: cfg.concurrency, specs }, 300_000);
    }),
  );
  const connectMs = performance.now() - t0;
  note(`${cfg.seatLives * cfg.seatMembers} sockets connected in ${(connectMs / 1000).toFixed(1)} s`);
  await sleep(cfg.quick ? 300 : 1000);
  const perWorker = split(cfg.seatSamples, workers.length);
  // One client process at a time, one sample in flight: the other processes stay idle, so a sample measures the
  // server's path and not the scheduling of competing load generators.
  await Promise.all([server, ...workers].map((c) => c.call('pausesStart')));
  const seat = await profiled(cfg, server, 'seatops', async () => {
    const out: { latencies: number[]; applyRtt: number[]; errors: Record<string, number> }[] = [];
    for (const [wi, w] of workers.entries()) out.push(await w.call('seatOps', { samples: perWorker[wi] }, 300_000));
    return out;
  });
  const [serverPauses, ...clientPauses] = await Promise.all([server, ...workers].map((c) => c.call<PauseReport | null>('pausesStop')));
  const seatErrors: Record<string, number> = {};
  for (const s of seat) for (const [k, v] of Object.entries(s.errors)) seatErrors[k] = (seatErrors[k] ?? 0) + v;
  note('seat-op samples done');
  await sleep(500);
  const mixed = await profiled(cfg, server, 'load', () => loadRun(server, workers, cfg.loadMs, cfg.applyLoops, cfg.acceptLoops));
  await sleep(500);
  const applyCancel = await profiled(cfg, server, 'load-apply-cancel', () =>
    loadRun(server, workers, cfg.loadMs2, cfg.applyLoops + cfg.acceptLoops, 0),
  );
  await Promise.all(workers.map((w) => w.call('closeOnseat', {}, 120_000)));
  return {
    latency: summarize(seat.flatMap((s) => s.latencies)),
    samples: seat.flatMap((s) => s.latencies),
    applyRtt: summarize(seat.flatMap((s) => s.applyRtt)),
    seatErrors,
    pauses: { server: serverPauses ?? null, clients: clientPauses.map((p) => p ?? null) },
    connectMs,
    mixed,
    applyCancel,
  };
}

/** Fan-out against a comparison server (`connectWs` or `connectSio` in the clients). */
export async function comparisonFanout(
  cfg: Config,
  server: Child,
  workers: Child[],
  connectCmd: 'connectWs' | 'connectSio',
  frame: string,
): Promise<{ fan: Awaited<ReturnType<typeof fanRounds>>; connectMs: number }> {
  const { port } = await server.call<{ port: number }>('start');
  await server.call('setFrame', { frame });
  const url = `${connectCmd === 'connectWs' ? 'ws' : 'http'}://127.0.0.1:${port}`;
  const counts = split(cfg.fanAudience, workers.length);
  const t0 = performance.now();
  await Promise.all(workers.map((w, wi) => w.call(connectCmd, { url, count: counts[wi], host: wi === 0, concurrency: cfg.concurrency }, 300_000)));
  const connectMs = performance.now() - t0;
  const { audience } = await server.call<{ audience: number }>('count');
  if (audience !== cfg.fanAudience) throw new Error(`${connectCmd}: server sees ${audience} audience sockets`);
  await sleep(cfg.quick ? 300 : 1000);
  const fan = await fanRounds(server, workers, workers[0] as Child, cfg.fanRounds, cfg.fanWarmup, cfg.fanAudience, cfg.quick ? 50 : 100);
  await Promise.all(workers.map((w) => w.call('closeOthers', {}, 120_000)));
  return { fan, connectMs };
}

/**
 * The flood of the abuse phase: the abuse suite's flooder (packages/server/test/abuse/flooder.ts), one user of a live
 * with 50 members flooding `user.setSelfInfo` (a fan-out to the whole live: the worst case of issue 9) at 5,000/s.
 */
export const ABUSE_FLOOD = 'user.setSelfInfo';

/**
 * Seat ops (apply → host gets applicationReceived) on `abuseLives` × `seatMembers` sockets of a server with the
 * default request budgets, while one user floods it from another process (ABUSE_FLOOD).
 */
export async function onseatAbuse(
  cfg: Config,
  info: ServerInfo,
  workers: Child[],
): Promise<{ latency: Summary; seatErrors: Record<string, number>; flood: string }> {
  const url = `ws://127.0.0.1:${info.port}/v1/signal`;
  const livesSplit = split(cfg.abuseLives, workers.length);
  let next = 0;
  await Promise.all(
    workers.map((w, wi) => {
      const specs = Array.from({ length: livesSplit[wi] ?? 0 }, () => {
        const li = next++;
        const audience = Array.from({ length: cfg.seatMembers - 1 }, (_, j) => `a${li}_${j}`);
        return { liveId: `abuse${li}`, host: `ah${li}`, audience };
      });
      return w.call('connectOnseat', { url, sdkAppId: info.sdkAppId, secret: info.secret, concurrency: cfg.concurrency, specs }, 300_000);
    }),
  );
  const flooder = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'packages/server/test/abuse/flooder.ts'),
      `http://127.0.0.1:${info.port}`,
      String(info.sdkAppId),
      info.secret,
      ABUSE_FLOOD,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ABUSE_PHASE_MS: '600000' } },
  );
  let out = '';
  let err = '';
  flooder.stdout.on('data', (d: Buffer) => (out += d.toString()));
  flooder.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const deadline = performance.now() + 60_000;
    while (!out.includes('"flooding":true')) {
      if (flooder.exitCode !== null || performance.now() > deadline) throw new Error(`flooder did not start: ${err}`);
      await sleep(50);
    }
    await sleep(500);
    note(`flooding ${ABUSE_FLOOD} at 5,000/s from one user`);
    const perWorker = split(cfg.abuseSamples, workers.length);
    const seat: { latencies: number[]; errors: Record<string, number> }[] = [];
    for (const [wi, w] of workers.entries()) seat.push(await w.call('seatOps', { samples: perWorker[wi] }, 300_000));
    const seatErrors: Record<string, number> = {};
    for (const s of seat) for (const [k, v] of Object.entries(s.errors)) seatErrors[k] = (seatErrors[k] ?? 0) + v;
    return { latency: summarize(seat.flatMap((s) => s.latencies)), seatErrors, flood: ABUSE_FLOOD };
  } finally {
    flooder.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.call('closeOnseat', {}, 120_000)));
  }
}
