/**
 * onseat signalling benchmark. `npm run bench:signaling [-- --quick]`.
 *
 * Processes: the parent (this file) only orchestrates; the server under test, a bare `ws` server and a
 * socket.io server each run in their own process; the client sockets live in `workers` client processes
 * (≤ ~9,500 sockets each: the open-files limit is per process). See README.md for what each number means.
 */
import os from 'node:os';
import path from 'node:path';
import { Child, REPO_ROOT, machineCpuMs, processCpuMs } from './lib/ipc.js';
import { round, summarize } from './lib/stats.js';
import { machine, table, writeSection } from './lib/report.js';
import { comparisonFanout, onseatAbuse, onseatMemoryAndFanout, onseatSeatOps, type Config, type ServerInfo } from './phases.js';
import { syntheticFrame } from './syntheticFrame.js';
import { describePauses } from './lib/pauses.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
/** --seat-pairs=N: how many SQLite / memory runs of the seat phase, alternating (default 2; 1 with --quick). */
const seatPairs = Math.max(1, Number(argv.find((a) => a.startsWith('--seat-pairs='))?.slice(13) ?? (quick ? 1 : 2)));
const only = (argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'onseat,ws,sio').split(',');
const profile = argv.includes('--profile');
// --phases=fanout,seat,abuse runs a subset of the onseat phases (fanout = memory + fan-out + chat; seat = seat ops,
// throughput and restore on both stores; abuse). Diagnostics only: a partial run never writes docs/BENCHMARKS.md.
const phases = (argv.find((a) => a.startsWith('--phases='))?.slice(9) ?? 'fanout,seat,abuse').split(',');
const allPhases = ['fanout', 'seat', 'abuse'].every((p) => phases.includes(p));
const pin = !argv.includes('--no-pin');
const write = allPhases && (argv.includes('--write') || (!quick && !argv.includes('--no-write')));

const cfg: Config = quick
  ? {
      quick,
      workers: 2,
      seatLives: 100,
      seatMembers: 20,
      seatSamples: 400,
      fanAudience: 3_000,
      fanRounds: 8,
      fanWarmup: 1,
      memAudience: 3_000,
      memExtraLives: 0,
      loadMs: 2000,
      loadMs2: 1000,
      applyLoops: 2,
      acceptLoops: 1,
      concurrency: 200,
      profile,
      abuseLives: 50,
      abuseSamples: 300,
      chatSenders: 50,
      chatPerSender: 1,
      chatMs: 3000,
    }
  : {
      quick,
      workers: 2,
      seatLives: 900,
      seatMembers: 20,
      seatSamples: 2000,
      fanAudience: 10_000,
      fanRounds: 30,
      fanWarmup: 2,
      memAudience: 18_000,
      memExtraLives: 3,
      loadMs: 10_000,
      loadMs2: 5000,
      applyLoops: 2,
      acceptLoops: 1,
      concurrency: 200,
      profile,
      abuseLives: 200,
      abuseSamples: 1000,
      chatSenders: 50,
      chatPerSender: 1,
      chatMs: 10_000,
    };

// Developer overrides, e.g. --cfg=applyLoops:4,acceptLoops:0 (not for published numbers).
for (const kv of (argv.find((a) => a.startsWith('--cfg='))?.slice(6) ?? '').split(',').filter(Boolean)) {
  const [k, v] = kv.split(':');
  if (k && v !== undefined && k in cfg) (cfg as unknown as Record<string, number>)[k] = Number(v);
}
const began = performance.now();
// Developer overrides of createServer options, e.g. --server=heartbeatMs:600000,chat.sliceMs:0.5 (diagnostics only;
// a dotted key sets a nested option).
const serverOverrides: Record<string, unknown> = {};
for (const kv of (argv.find((a) => a.startsWith('--server='))?.slice(9) ?? '').split(',').filter(Boolean)) {
  const [key = '', v] = kv.split(':');
  const path = key.split('.');
  let at = serverOverrides;
  for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[path.at(-1) ?? ''] = Number(v);
}
const verbose = argv.includes('--verbose');
const log = (msg: string) => process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${msg}\n`);
const children: Child[] = [];
const spawn = (name: string, script: string, execArgv: string[] = [], cpus?: string) => {
  const c = new Child(name, `bench/signaling/${script}`, { execArgv, ...(pin && cpus !== undefined ? { cpus } : {}) });
  children.push(c);
  return c;
};
const errors: string[] = [];
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  log(`${name}…`);
  try {
    const r = await fn();
    log(`${name} done`);
    return r;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    errors.push(`${name}: ${msg}`);
    log(`${name} FAILED: ${msg}`);
    return undefined;
  }
}

type SeatRun = Awaited<ReturnType<typeof onseatSeatOps>>;

/** Several runs of the seat phase as one: samples pooled, throughput averaged (the rest from the first run). */
function pooled(runs: SeatRun[]): SeatRun | undefined {
  const [first] = runs;
  if (!first) return undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const samples = runs.flatMap((r) => r.samples);
  return {
    ...first,
    samples,
    latency: summarize(samples),
    mixed: { ...first.mixed, opsPerS: mean(runs.map((r) => r.mixed.opsPerS)) },
    applyCancel: { ...first.applyCancel, opsPerS: mean(runs.map((r) => r.applyCancel.opsPerS)) },
  };
}

/** Starts an onseat server process with `options` (plus --server overrides), runs `fn` on it, then stops it. */
async function onServer<T>(name: string, options: Record<string, unknown>, fn: (server: Child, info: ServerInfo) => Promise<T>): Promise<T> {
  const server = spawn(name, 'servers/onseat.ts', ['--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)], '0');
  try {
    const info = await server.call<ServerInfo>('start', { options: { ...options, ...serverOverrides } });
    log(`${name} server (${String(options.store)} store) on port ${info.port}`);
    return await fn(server, info);
  } finally {
    await server.call('close').catch(() => undefined);
    await server.stop();
  }
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const machine0 = machineCpuMs();
  const self0 = processCpuMs(undefined);
  if (loadBefore > 1.5) log(`warning: load average ${loadBefore.toFixed(2)} before the run; other processes will skew the numbers`);
  const workers = Array.from({ length: cfg.workers }, (_, i) => spawn(`client${i}`, 'client/worker.ts', [], '1'));
  // A client process with no load sockets: it samples the seat op during the chat storm (see phases.ts onseatChat).
  const probe =
    only.includes('onseat') && phases.includes('fanout') ? spawn('probe', 'client/worker.ts', [], process.env.PROBE_CPU ?? '1') : undefined;
  // Start every server process now (idle until used), so their start-up overlaps with the first phase.
  const wsServer = only.includes('ws') ? spawn('bare-ws', 'servers/bareWs.ts', ['--expose-gc'], '0') : undefined;
  const sioServer = only.includes('sio') ? spawn('socket.io', 'servers/socketio.ts', ['--expose-gc'], '0') : undefined;
  let mem: Awaited<ReturnType<typeof onseatMemoryAndFanout>> | undefined;
  let seat: Awaited<ReturnType<typeof onseatSeatOps>> | undefined;
  let seatMemory: Awaited<ReturnType<typeof onseatSeatOps>> | undefined;
  const seatRuns: SeatRun[] = [];
  const memoryRuns: SeatRun[] = [];
  let restore: { restored: number; ms: number } | undefined;
  let abuse: Awaited<ReturnType<typeof onseatAbuse>> | undefined;
  if (only.includes('onseat')) {
    // Each group of phases gets a freshly started server, so no phase inherits another's heap or sockets: the
    // fan-out/memory/chat phases on SQLite (the default store); the seat-op and throughput phases on SQLite and then on
    // memory (compared from the same starting point); the abuse phase with the default request budgets (the others
    // have them scaled up for the closed loops).
    if (phases.includes('fanout'))
      mem = await onServer('onseat', { ...SERVER_OPTIONS, store: 'sqlite' }, (s, info) =>
        phase(`onseat memory (${cfg.memAudience} audience) + fan-out (${cfg.fanAudience})`, () =>
          onseatMemoryAndFanout(cfg, s, info, workers, probe),
        ),
      );
    if (phases.includes('seat')) {
      // SQLite and memory alternate (S M S M …): a run-to-run drift of the machine hits both stores alike.
      for (let i = 1; i <= seatPairs; i++) {
        const of = seatPairs > 1 ? ` (pair ${i} of ${seatPairs})` : '';
        const sq = await onServer('onseat-sqlite', { ...SERVER_OPTIONS, store: 'sqlite' }, (s, info) =>
          phase(`onseat seat ops on SQLite (${cfg.seatLives} lives × ${cfg.seatMembers}) + load${of}`, () => onseatSeatOps(cfg, s, info, workers)),
        );
        const me = await onServer('onseat-memory', { ...SERVER_OPTIONS, store: 'memory' }, async (s, info) => {
          const r = await phase(`onseat seat ops on memory (${cfg.seatLives} lives × ${cfg.seatMembers}) + load${of}`, () =>
            onseatSeatOps(cfg, s, info, workers),
          );
          if (i === 1)
            restore = await phase('restore of 1,000 lives × 20 members from SQLite', () =>
              s.call<{ restored: number; ms: number }>('restoreBench', { lives: 1000, members: 20 }),
            );
          return r;
        });
        if (sq) seatRuns.push(sq);
        if (me) memoryRuns.push(me);
      }
      seat = pooled(seatRuns);
      seatMemory = pooled(memoryRuns);
    }
    if (phases.includes('abuse'))
      abuse = await onServer('onseat-abuse', { reconnectGraceMs: 1000, store: 'memory' }, (_s, info) =>
        phase(`onseat abuse (${cfg.abuseLives} lives × ${cfg.seatMembers}, one user flooding)`, () => onseatAbuse(cfg, info, workers)),
      );
  }
  if (verbose && mem) log(`onseat fan-out rounds (ms): ${mem.fan.lastSamples.map((x) => x.toFixed(0)).join(' ')}`);
  const frame = mem?.frame ?? syntheticFrame();
  let ws: Awaited<ReturnType<typeof comparisonFanout>> | undefined;
  let sio: Awaited<ReturnType<typeof comparisonFanout>> | undefined;
  if (wsServer) {
    const s = wsServer;
    ws = await phase(`bare ws fan-out (${cfg.fanAudience})`, () => comparisonFanout(cfg, s, workers, 'connectWs', frame));
    if (ws) log(`bare ws: connected in ${(ws.connectMs / 1000).toFixed(1)} s`);
    if (verbose && ws) log(`bare ws fan-out rounds (ms): ${ws.fan.lastSamples.map((x) => x.toFixed(0)).join(' ')}`);
    await s.stop();
  }
  if (sioServer) {
    const s = sioServer;
    sio = await phase(`socket.io fan-out (${cfg.fanAudience})`, () => comparisonFanout(cfg, s, workers, 'connectSio', frame));
    if (sio) log(`socket.io: connected in ${(sio.connectMs / 1000).toFixed(1)} s`);
    await s.stop();
  }
  await Promise.all(children.map((c) => c.stop()));
  // CPU used on this machine by processes other than the benchmark's during the run (skews everything).
  const machine1 = machineCpuMs();
  const oursMs = children.reduce((sum, c) => sum + c.cpuMsAtStop, 0) + processCpuMs(undefined) - self0;
  const wallMs = machine1.total - machine0.total;
  const foreignPct = wallMs > 0 ? Math.max(0, (100 * (machine1.busy - machine0.busy - oursMs)) / wallMs) : Number.NaN;
  if (foreignPct > 5) log(`warning: other processes used ${foreignPct.toFixed(0)}% of the machine's CPU during the run`);

  const m = machine();
  const loadAfter = os.loadavg()[0] ?? 0;
  const f = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? 'n/a' : String(round(x, d)));
  const rtt = (m: Record<string, number> | undefined) =>
    JSON.stringify(Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k.replace('coGuest.', ''), round(v, 2)])));
  const ours = mem?.fan.last.p99;
  const sqliteVsMemory = seat && seatMemory ? seat.mixed.opsPerS / seatMemory.mixed.opsPerS : undefined;
  const pairRatios = seatRuns.map((r, i) => (memoryRuns[i] ? round(r.mixed.opsPerS / memoryRuns[i].mixed.opsPerS, 2) : 'n/a'));
  const restorePer1k = restore && restore.restored > 0 ? (restore.ms * 1000) / restore.restored : undefined;
  const vsWs = ours && ws ? ws.fan.last.p99 / ours : undefined;
  const vsSio = ours && sio ? sio.fan.last.p99 / ours : undefined;
  const fanRow = (name: string, r: typeof ws) =>
    r
      ? [name, f(r.fan.first.p50), f(r.fan.last.p50), f(r.fan.last.p99), f(r.fan.last.max), f(r.fan.serverCpuUsPerMsg)]
      : [name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
  const body = [
    '## Signalling (bench/signaling)',
    '',
    'Every onseat phase runs on the default store (SQLite, a fresh data dir); the seat-op and throughput phases run on a fresh SQLite server and again on a fresh memory-store server in the same run.',
    '',
    `\`npm run bench:signaling${quick ? ' -- --quick' : ''}\` (${quick ? 'quick run: reduced sizes, see below' : 'full run'}), ` +
      `${((performance.now() - began) / 1000).toFixed(0)} s. What each number means: \`bench/signaling/README.md\`.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node}; run ${m.date}.`,
    `Server, bare-ws server, socket.io server and ${cfg.workers} client processes all on this machine (loopback)` +
      (pin ? '; each server pinned to CPU 0, the client processes to CPU 1' : ', unpinned') +
      `. Other processes used ${f(foreignPct, 0)}% of the machine's CPU during the run (1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after).`,
    '',
    table(
      ['metric', 'value', 'target'],
      [
        [
          `seat op p50 (apply → host gets applicationReceived; ${cfg.seatLives} lives × ${cfg.seatMembers} connected, ${seat?.latency.n ?? 0} samples)`,
          `${f(seat?.latency.p50, 3)} ms`,
          '',
        ],
        ['seat op p99', `${f(seat?.latency.p99, 3)} ms`, '≤ 5 ms'],
        ['apply request round trip p50 / p99', `${f(seat?.applyRtt.p50, 3)} / ${f(seat?.applyRtt.p99, 3)} ms`, ''],
        [
          `seat op p99 while one user floods ${abuse?.flood ?? ''} at 5,000/s (default budgets; ${cfg.abuseLives} lives × ${cfg.seatMembers}, ${abuse?.latency.n ?? 0} samples)`,
          `${f(abuse?.latency.p99, 3)} ms`,
          '≤ 10 ms',
        ],
        [`fan-out to ${cfg.fanAudience} sockets, time to last socket p99 (${cfg.fanRounds} rounds)`, `${f(ours)} ms`, '≤ 100 ms'],
        ['fan-out vs bare ws (ws p99 / ours p99)', f(vsWs), '≥ 0.7'],
        ['fan-out vs socket.io (socket.io p99 / ours p99)', f(vsSio), ''],
        [
          `chat: ${cfg.chatSenders} senders × ${cfg.chatPerSender}/s for ${cfg.chatMs / 1000} s to ${cfg.fanAudience} sockets, send → last socket p99 (${mem?.chat?.sent ?? 0} messages)`,
          `${f(mem?.chat?.latency.p99)} ms`,
          '≤ 150 ms',
        ],
        [
          'seat op during the chat storm p99 (apply → an admin gets applicationReceived, same live; both in a probe process without load sockets)',
          `${f(mem?.chat?.probeSeatOp?.p99, 3)} ms`,
          '≤ 5 ms',
        ],
        [`memory per idle audience connection (${mem?.connections ?? 0} connected, RSS delta after GC)`, `${f(mem?.kbPerConn, 1)} KB`, '≤ 30 KB'],
        [
          `co-guest ops/s, mixed (closed loop ${cfg.loadMs / 1000} s; per live ${cfg.applyLoops} apply→cancel + ${cfg.acceptLoops} apply→accept→disconnect loops)`,
          f(seat?.mixed.opsPerS, 0),
          '≥ 20,000',
        ],
        [
          `co-guest ops/s, apply→cancel only (${cfg.loadMs2 / 1000} s, ${cfg.applyLoops + cfg.acceptLoops} loops per live)`,
          f(seat?.applyCancel.opsPerS, 0),
          '',
        ],
        ['co-guest ops/s, mixed, on the memory store (same load)', f(seatMemory?.mixed.opsPerS, 0), ''],
        ['seat op p99 on the memory store', `${f(seatMemory?.latency.p99, 3)} ms`, ''],
        ['SQLite vs memory (mixed ops/s ratio)', f(sqliteVsMemory), '≥ 0.8'],
        [
          `restore of 1,000 lives × 20 members from SQLite (engine.restore(), ${restore?.restored ?? 0} lives)`,
          `${f(restorePer1k, 0)} ms`,
          '≤ 1,000 ms',
        ],
      ],
    ),
    '',
    'Fan-out, one seat.listChanged frame (' + Buffer.byteLength(frame) + ' bytes) to every socket; ms from the host sending the trigger:',
    '',
    table(
      ['server', 'first p50', 'last p50', 'last p99', 'last max', 'server CPU µs/msg'],
      [fanRow('onseat', mem ? { fan: mem.fan, connectMs: mem.connectMs } : undefined), fanRow('bare ws 8', ws), fanRow('socket.io 4', sio)],
    ),
    '',
    `- memory: server RSS ${f(mem ? mem.baseRss / 2 ** 20 : undefined, 1)} → ${f(mem ? mem.loadedRss / 2 ** 20 : undefined, 1)} MiB with ` +
      `${mem?.connections ?? 0} sockets; connecting, hello and join of them took ${f(mem ? mem.connectMs / 1000 : undefined, 1)} s.`,
    `- chat: send → last socket p50 ${f(mem?.chat?.latency.p50)} ms, max ${f(mem?.chat?.latency.max)} ms; seat op during it (probe) p50 ${f(mem?.chat?.probeSeatOp?.p50, 3)} ms, ` +
      `max ${f(mem?.chat?.probeSeatOp?.max, 3)} ms (${mem?.chat?.probeSeatOp?.n ?? 0} samples); the same seen from the host's socket in the load process that sends ` +
      `and receives the storm: p50 ${f(mem?.chat?.seatOp.p50, 3)} / p99 ${f(mem?.chat?.seatOp.p99, 3)} ms (${mem?.chat?.seatOp.n ?? 0} samples); messages not received by every socket ${mem?.chat?.incomplete ?? 'n/a'}; errors ${JSON.stringify(mem?.chat?.errors ?? {})}; ` +
      `server CPU ${f(mem?.chat?.serverCpuPct, 0)}% of one core; ${f(mem?.chat?.roundsPerSocket, 0)} chat frames per socket (delivery rounds), ` +
      `server CPU ${f(mem?.chat?.serverCpuUsPerFrame)} µs per socket-frame${mem?.chatError ? `; FAILED: ${mem.chatError}` : ''}.`,
    `- seat ops: max ${f(seat?.latency.max, 2)} ms; errors ${JSON.stringify(seat?.seatErrors ?? {})}. ` +
      `${seatRuns.length} SQLite and ${memoryRuns.length} memory-store runs, alternating (seat-op samples pooled, ops/s averaged): ` +
      `SQLite seat-op p99 per run ${seatRuns.map((r) => f(r.latency.p99, 3)).join(' / ')} ms, memory ${memoryRuns.map((r) => f(r.latency.p99, 3)).join(' / ')} ms; ` +
      `mixed ops/s SQLite ${seatRuns.map((r) => f(r.mixed.opsPerS, 0)).join(' / ')}, memory ${memoryRuns.map((r) => f(r.mixed.opsPerS, 0)).join(' / ')} (ratio per pair ${pairRatios.join(' / ')}).`,
    `- seat ops, what paused the processes over the samples (SQLite run): server: ${describePauses(seat?.pauses.server ?? null)}; ` +
      (seat?.pauses.clients ?? []).map((p, i) => `client ${i}: ${describePauses(p)}`).join('; ') +
      `. Memory-store run: server: ${describePauses(seatMemory?.pauses.server ?? null)}.`,
    `- abuse: seat op p50 ${f(abuse?.latency.p50, 3)} ms, max ${f(abuse?.latency.max, 2)} ms under the flood; errors ${JSON.stringify(abuse?.seatErrors ?? {})}.`,
    `- mixed load: ${seat?.mixed.ok ?? 0} ok requests ${JSON.stringify(seat?.mixed.byType ?? {})}, errors ${JSON.stringify(seat?.mixed.errors ?? {})}; ` +
      `server CPU ${f(seat?.mixed.serverCpuPct, 0)}% of one core (${f(seat?.mixed.serverCpuUsPerOp, 0)} µs per op), client processes ${f(seat?.mixed.clientCpuPct, 0)}%; ` +
      `mean round trip (ms) ${rtt(seat?.mixed.rttMs)}.`,
    `- apply→cancel load: errors ${JSON.stringify(seat?.applyCancel.errors ?? {})}; server CPU ${f(seat?.applyCancel.serverCpuPct, 0)}% ` +
      `(${f(seat?.applyCancel.serverCpuUsPerOp, 0)} µs per op), client processes ${f(seat?.applyCancel.clientCpuPct, 0)}%; mean round trip (ms) ${rtt(seat?.applyCancel.rttMs)}.`,
    ...(quick
      ? [
          '',
          `Quick run: ${cfg.seatLives} × ${cfg.seatMembers} instead of 900 × 20 for seat ops, ${cfg.memAudience} instead of 18,000 connections for memory, ${cfg.fanAudience} instead of 10,000 sockets and ${cfg.fanRounds} rounds for fan-out (fanout10k_p99_ms then holds the ${cfg.fanAudience}-socket number), ${cfg.loadMs / 1000} s load.`,
        ]
      : []),
    ...(mem ? [] : ['', 'Comparison servers used a synthetic seat.listChanged frame (onseat phase not run).']),
    ...(errors.length ? ['', 'Errors:', ...errors.map((e) => `- ${e}`)] : []),
  ].join('\n');
  const r = (x: number | undefined, d: number) => (x === undefined || !Number.isFinite(x) ? 'na' : String(round(x, d)));
  const result =
    `RESULT seat_op_p50_ms=${r(seat?.latency.p50, 3)} seat_op_p99_ms=${r(seat?.latency.p99, 3)} fanout10k_p99_ms=${r(ours, 2)} ` +
    `fanout_vs_ws=${r(vsWs, 2)} fanout_vs_socketio=${r(vsSio, 2)} kb_per_conn=${r(mem?.kbPerConn, 1)} ops_per_s=${r(seat?.mixed.opsPerS, 0)} ` +
    `sqlite_vs_memory=${r(sqliteVsMemory, 2)} restore_ms_per_1k_lives=${r(restorePer1k, 0)} ` +
    `abuse_seat_op_p99_ms=${r(abuse?.latency.p99, 3)} ` +
    `chat_p99_ms=${r(mem?.chat?.latency.p99, 2)} chat_seat_op_p99_ms=${r(mem?.chat?.probeSeatOp?.p99, 3)}`;
  process.stdout.write(`\n${body}\n\n`);
  if (write) {
    writeSection(path.join(REPO_ROOT, 'docs/BENCHMARKS.md'), `${body}\n\n\`\`\`\n${result}\n\`\`\``);
    log('wrote docs/BENCHMARKS.md');
  }
  process.stdout.write(`${result}\n`);
}

/**
 * createServer options of the run. The per-user token bucket on coGuest.apply/invite (default burst 10, 1/s) and the
 * request budgets (docs/RELIABILITY.md) are abuse guards; the closed-loop throughput run applies far faster than a
 * person per user, so they are raised here (the abuse phase runs a second server with the defaults). A short reconnect
 * grace lets closed sockets leave promptly between phases.
 */
const SERVER_OPTIONS = { reconnectGraceMs: 1000, rateLimit: { burst: 1_000_000, perSecond: 1_000_000 }, requestBudgetScale: 1_000_000 };

const hardStop = setTimeout(
  () => {
    log('hard time limit reached; stopping');
    for (const c of children) c.proc.kill('SIGKILL');
    process.exit(1);
  },
  quick ? 150_000 : 900_000,
);
hardStop.unref();
main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    for (const c of children) c.proc.kill('SIGKILL');
    process.exit(1);
  },
);
