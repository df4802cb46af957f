/**
 * What bench/cluster measures on one deployment (one node or the cluster): seat-op latency and server CPU per op.
 *
 * CPU is read from /proc for every server process (node processes and, for the cluster, redis-server), so it counts
 * user + system time of those processes only, never the clients'. Nothing is measured before a warm-up under load
 * (`warmMs`): a server runs warm. Three figures:
 * - gross: CPU used while the latency samples ran (one op at a time), divided by the ops;
 * - net: the same minus what the processes use idle with every client connected (pings, timers, lease renewals),
 *   measured just before for the same processes — a slower deployment is not charged for idling longer per op;
 * - loaded: CPU per op while several guests apply and cancel at once (closed loops), where the idle share is small.
 */
import type { BenchClient } from './client.js';
import { cpuMsOf } from './processes.js';

export interface MeasureConfig {
  samples: number;
  /**
   * Load (ms, closed loops as in the loaded phase) before anything is measured, until V8 has compiled the hot paths:
   * with 60 ops of warm-up, a quarter of node A's CPU in the sequential samples was TurboFan compiling and most of the
   * rest ran in baseline code, so the figures (and a p99 of 4–7 ms) measured the JIT, not the server.
   */
  warmMs: number;
  warmup: number;
  idleMs: number;
  loadMs: number;
  loadLoops: number;
}

export interface Measured {
  lat: number[];
  /** µs per op for each process: gross, net of idle, and under load. */
  gross: number[];
  net: number[];
  loaded: number[];
  /** Idle CPU of each process (µs per second). */
  idleUsPerS: number[];
  loadedOps: number;
  /** Ops of the warm-up (load and sequential) before the measured ones. */
  warmOps: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** apply (guest) → applicationReceived (host), then cancel: 2 ops per sample. Returns latencies in ms. */
export async function seatOps(host: BenchClient, guests: BenchClient[], n: number): Promise<number[]> {
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const guest = guests[i % guests.length]!;
    const received = new Promise<number>((resolve) => host.on('coGuest.applicationReceived', () => resolve(performance.now())));
    const t0 = performance.now();
    const applied = guest.call('coGuest.apply', { seatIndex: -1, timeout: 60 });
    const t1 = await Promise.race([received, applied.then(() => received)]);
    await applied;
    lat.push(t1 - t0);
    await guest.call('coGuest.cancelApplication', {});
  }
  return lat;
}

/** `loops` guests apply and cancel in closed loops for `ms`; returns the number of ops done. */
async function loadOps(guests: BenchClient[], loops: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let ops = 0;
  await Promise.all(
    guests.slice(0, loops).map(async (g) => {
      while (performance.now() < until) {
        await g.call('coGuest.apply', { seatIndex: -1, timeout: 60 });
        await g.call('coGuest.cancelApplication', {});
        ops += 2;
      }
    }),
  );
  return ops;
}

const perOp = (before: number[], after: number[], ops: number) => before.map((c, i) => ((after[i]! - c) * 1000) / ops);

export async function measure(
  cfg: MeasureConfig,
  pids: number[],
  host: BenchClient,
  guests: BenchClient[],
  onWindow?: (fromUs: bigint, toUs: bigint) => void,
): Promise<Measured> {
  const warmOps = (await loadOps(guests, cfg.loadLoops, cfg.warmMs)) + cfg.warmup * 2;
  await seatOps(host, guests, cfg.warmup);
  const idle0 = pids.map(cpuMsOf);
  const i0 = performance.now();
  await sleep(cfg.idleMs);
  const idleUsPerS = pids.map((pid, i) => ((cpuMsOf(pid) - idle0[i]!) * 1e6) / (performance.now() - i0));

  const cpu0 = pids.map(cpuMsOf);
  const t0 = performance.now();
  const m0 = process.hrtime.bigint() / 1000n;
  const lat = await seatOps(host, guests, cfg.samples);
  const cpu1 = pids.map(cpuMsOf);
  const seqMs = performance.now() - t0;
  // the same monotonic clock (µs) as the timestamps of V8 CPU profiles, to cut them to this window
  onWindow?.(m0, process.hrtime.bigint() / 1000n);
  const ops = cfg.samples * 2;
  const gross = perOp(cpu0, cpu1, ops);
  const net = gross.map((g, i) => Math.max(0, g - (idleUsPerS[i]! * seqMs) / 1000 / ops));

  const l0 = pids.map(cpuMsOf);
  const loadedOps = await loadOps(guests, cfg.loadLoops, cfg.loadMs);
  const loaded = perOp(l0, pids.map(cpuMsOf), loadedOps);
  return { lat, gross, net, loaded, idleUsPerS, loadedOps, warmOps };
}
