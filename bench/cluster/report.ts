/** The RESULT line of bench/cluster and its section of docs/BENCHMARKS.md (`<!-- cluster:start -->` … `<!-- cluster:end -->`). */
import path from 'node:path';
import { machine, table, writeSection } from '../signaling/lib/report.js';
import type { HopFloor } from './floor.js';
import type { Measured } from './measure.js';
import { REPO_ROOT } from './processes.js';

export interface ClusterResult {
  quick: boolean;
  /** Whether the nodes used direct node links (`--no-links`: everything through Redis). */
  links: boolean;
  clients: number;
  samples: number;
  loadBefore: number;
  loadAfter: number;
  /** CPU used by other processes during the cluster phase (% of the machine). */
  otherPct: number;
  one: Measured;
  sqlite: Measured;
  cluster: Measured;
  /** The same op's message hops with no work (`floor.ts`), run after the cluster phase. */
  floor: HopFloor;
  takeoverMs: number;
  takeoverMedianMs: number;
  p50: number;
  p99: number;
  /** `INFO commandstats` of redis-server over the cluster phase. */
  redisStats: string;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const mark = (ok: boolean) => (ok ? '✓' : '✗');

/** Redis commands per op over the cluster phase, from `INFO commandstats`. */
function redisPerOp(stats: string, ops: number): string {
  const rows = [...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)]
    .filter((m) => m[1] !== 'config|resetstat')
    .map((m) => ({ cmd: m[1]!, calls: Number(m[2]), usec: Number(m[3]) }))
    .sort((a, b) => b.usec - a.usec);
  return rows.map((r) => `${r.cmd} ${r2(r.calls / ops)}/op ${r2(r.usec / ops)} µs/op`).join(', ');
}

/** Writes the section and returns the RESULT line. */
export function writeReport(r: ClusterResult): string {
  const one = r.one.net[0]!;
  const cl = sum(r.cluster.net);
  const ratio = cl / one;
  const m = machine();
  const c = r.cluster;
  const opsInPhase = c.warmOps + r.samples * 2 + c.loadedOps;
  const floor = sum(r.floor.cluster);
  const [fa, fb, fr] = r.floor.cluster.map(n0);
  // what the cluster must pay at least: its hops, plus the work one node does beyond its own hops (the frame parsed,
  // the engine run, events and answer serialised — the same code runs on A and B)
  const bound = floor + Math.max(0, one - r.floor.one);
  const resultLine =
    `RESULT cross_node_seat_op_p50_ms=${r2(r.p50)} cross_node_seat_op_p99_ms=${r2(r.p99)} takeover_resume_ms=${Math.round(r.takeoverMs)} ` +
    `us_per_op_1node=${r2(one)} us_per_op_cluster=${r2(cl)} cluster_vs_1node=${r2(ratio)} ` +
    `us_per_op_1node_gross=${r2(r.one.gross[0]!)} us_per_op_cluster_gross=${r2(sum(c.gross))} ` +
    `us_per_op_1node_loaded=${r2(r.one.loaded[0]!)} us_per_op_cluster_loaded=${r2(sum(c.loaded))} ` +
    `us_per_op_1node_sqlite=${r2(r.sqlite.net[0]!)} us_per_op_cluster_floor=${r2(floor)} cluster_floor_vs_1node=${r2(floor / one)} cluster_bound_vs_1node=${r2(bound / one)} load_avg=${r.loadBefore.toFixed(2)}`;
  const split = (xs: number[]) => `A ${n0(xs[0]!)}, B ${n0(xs[1]!)}, C ${n0(xs[2]!)}, redis-server ${n0(xs[3]!)}`;
  const body = [
    '## Cluster (bench/cluster)',
    '',
    `\`npm run bench:cluster${r.quick ? ' -- --quick' : ''}${r.links ? '' : ' --no-links'}\`: 1 redis-server + 3 \`onseat --redis\` node processes + ${r.clients} clients ` +
      `(in the benchmark process), all on this ${m.cores}-core machine; commands to the owner ${r.links ? 'over direct node links' : 'through Redis (no node links)'}. ` +
      `What is measured: \`bench/cluster/measure.ts\`.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node}; run ${m.date}. ` +
      `1-min load average ${r.loadBefore.toFixed(2)} before, ${r.loadAfter.toFixed(2)} after; other processes used ` +
      `${r.otherPct.toFixed(0)}% of the machine's CPU during the cluster phase.`,
    '',
    'Server CPU per op counts every server process (the node processes, and redis-server for the cluster), user + system ' +
      'time from /proc; never the clients. The same ops on both: one guest applies (host gets `coGuest.applicationReceived`), ' +
      `then cancels; 2 ops per sample, one at a time, after ${r.quick ? 4 : 10} s of load to warm the JIT up. One node has every client; the cluster has the guests on node A, ` +
      'the host on node B (the owner), the audience spread over A, B, C, so every op crosses nodes. "Net" subtracts what the ' +
      'same processes use idle with every client connected (pings, timers, lease renewals; shown below) over the time the ' +
      'samples took; "under load" is 8 guests applying and cancelling at once. The hop floor (`bench/cluster/floor.ts`) ' +
      'moves messages of the same sizes along the same hops — 3 for one node (request in, answer and event out), 7 ' +
      'across nodes (guest → A → B → Redis → B → host, Redis → A → guest) — through relays that do nothing else, ops back ' +
      'to back: what any implementation of this design pays here before doing any work.',
    '',
    table(
      ['metric', 'value', 'target'],
      [
        ['cluster: apply on node A → host on node B, p50 / p99', `${r2(r.p50)} / ${r2(r.p99)} ms`, `p99 ≤ 5 ms ${mark(r.p99 <= 5)}`],
        [`1 node (memory store): apply → host p50 / p99`, `${r2(pct(r.one.lat, 50))} / ${r2(pct(r.one.lat, 99))} ms`, ''],
        [
          `kill -9 of the owner → every client (${r.clients}) served again`,
          `${n0(r.takeoverMs)} ms (median ${n0(r.takeoverMedianMs)})`,
          `≤ 3,000 ms ${mark(r.takeoverMs <= 3000)}`,
        ],
        ['server CPU per op, net: 1 node (memory store)', `${n0(one)} µs`, ''],
        ['server CPU per op, net: cluster', `${n0(cl)} µs (${split(c.net)})`, ''],
        ['cluster vs 1 node (net)', `${r2(ratio)}×`, `≤ 1.5× ${mark(ratio <= 1.5)}`],
        [
          "hop floor: the op's messages moved with no work (`floor.ts`), 1 node / cluster",
          `${n0(r.floor.one)} / ${n0(floor)} µs (A ${fa}, B ${fb}, redis-server ${fr}): the cluster's floor alone is ` +
            `${r2(floor / one)}× one node's whole op`,
          '',
        ],
        ["lower bound for the cluster: its hop floor + one node's work beyond its own floor", `${n0(bound)} µs = ${r2(bound / one)}× one node`, ''],
        [
          'gross (idle share included): 1 node / cluster',
          `${n0(r.one.gross[0]!)} / ${n0(sum(c.gross))} µs (${r2(sum(c.gross) / r.one.gross[0]!)}×)`,
          '',
        ],
        [
          'under load (8 guests at once): 1 node / cluster',
          `${n0(r.one.loaded[0]!)} / ${n0(sum(c.loaded))} µs (${r2(sum(c.loaded) / r.one.loaded[0]!)}×; ${r.one.loadedOps} / ${c.loadedOps} ops)`,
          '',
        ],
        ["1 node on the SQLite store (the command's default): net / under load", `${n0(r.sqlite.net[0]!)} / ${n0(r.sqlite.loaded[0]!)} µs`, ''],
        [
          'idle CPU with every client connected: 1 node / cluster',
          `${n0(r.one.idleUsPerS[0]! / 1000)} / ${n0(sum(c.idleUsPerS) / 1000)} ms per s (${split(c.idleUsPerS.map((x) => x / 1000))})`,
          '',
        ],
      ],
    ),
    '',
    `Redis commands over the cluster phase (${opsInPhase} ops; time inside redis-server): ${redisPerOp(r.redisStats, opsInPhase)}.`,
    '',
    'On a shared machine CPU time is noisy; `node --import tsx bench/cluster/tools/syscalls.ts` counts the system calls ' +
      'per op of every server process for the same ops (strace), which do not depend on the load. ' +
      '`bench/cluster/tools/wakeup.ts [trips] [gap ms]` measures what one wake-up for a small message costs on the machine ' +
      '(two processes bouncing 100 bytes over TCP loopback); `npm run bench:cluster -- --cpu-prof` writes a V8 CPU profile of every node.',
    '',
    '```',
    resultLine,
    '```',
  ].join('\n');
  writeSection(path.join(REPO_ROOT, 'docs/BENCHMARKS.md'), body, 'cluster');
  return resultLine;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
