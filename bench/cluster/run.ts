/**
 * onseat cluster benchmark. `npm run bench:cluster [-- --quick] [-- --cpu-prof]`.
 *
 * Everything on this machine: one redis-server, three `onseat --redis` node processes, and the clients in this
 * process. Phases: (1) one node alone, memory store, then SQLite (the command's default): seat-op latency and server
 * CPU per op; (2) the same workload on the cluster with the guests on node A and the host on node B (the live's
 * owner), so every op crosses nodes; (3) kill -9 of the owner: time until every client (those of the dead node
 * reconnect to the others) is served again; (4) the hop floor (`floor.ts`). Writes its section of docs/BENCHMARKS.md. CPU figures: `measure.ts`.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineCpuMs } from '../signaling/lib/ipc.js';
import { BenchClient } from './client.js';
import { hopFloor } from './floor.js';
import { measure, type MeasureConfig, type Measured } from './measure.js';
import { REPO_ROOT, cpuMsOf, startNode, startRedis } from './processes.js';
import { writeReport, type ClusterResult } from './report.js';

const quick = process.argv.includes('--quick');
/** `--cpu-prof`: each node process writes a V8 CPU profile to .bench-tmp/cluster-prof/ (no takeover phase, no report). */
const profDir = process.argv.includes('--cpu-prof') ? path.join(REPO_ROOT, '.bench-tmp/cluster-prof') : null;
/** BENCH_NODE_FLAGS: more node flags for every server process (e.g. `--trace-gc`, with BENCH_NODE_LOG to keep the output). */
const nodeFlags = [
  ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
  ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
];
/** `--no-links`: the cluster's nodes send everything through Redis (no direct node links), to compare. */
const noLinks = process.argv.includes('--no-links');
const AUDIENCE = quick ? 150 : 600;
const GUESTS = 40;
const LIVE = 'bench';
const CFG: MeasureConfig = {
  samples: quick ? 1000 : 3000,
  warmMs: quick ? 4000 : 10000,
  warmup: quick ? 30 : 100,
  idleMs: quick ? 3000 : 5000,
  loadMs: quick ? 3000 : 8000,
  loadLoops: 8,
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const redisCli = (url: string, ...args: string[]) => execFileSync('redis-cli', ['-u', url, ...args], { encoding: 'utf8' });
const onWindow = profDir || process.env.BENCH_WINDOW ? (a: bigint, b: bigint) => console.log(`measured window (monotonic µs): ${a} ${b}`) : undefined;

async function killed(p: ChildProcess, sig: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill(sig);
  await gone;
}

/** host + guests + audience spread over `urls`; the live is started by the host (its node owns it). */
async function setUp(hostUrl: string, guestUrl: string, audienceUrls: string[]) {
  const host = await BenchClient.connect(hostUrl, 'host');
  await host.call('live.start', { liveId: LIVE, liveName: 'bench', maxSeatCount: 8 });
  // several guests take turns (each user's and connection's request budget is a person's pace)
  const guests: BenchClient[] = [];
  for (let i = 0; i < GUESTS; i++) {
    const g = await BenchClient.connect(guestUrl, `guest${i}`);
    await g.call('live.join', { liveId: LIVE });
    guests.push(g);
  }
  const audience: { client: BenchClient; url: string }[] = [];
  for (let i = 0; i < AUDIENCE; i++) {
    const url = audienceUrls[i % audienceUrls.length]!;
    const c = await BenchClient.connect(url, `aud${i}`);
    await c.call('live.join', { liveId: LIVE });
    audience.push({ client: c, url });
  }
  return { host, guests, audience };
}

/** One node with every client on it. */
async function oneNode(args: string[]): Promise<Measured> {
  const single = await startNode(args, nodeFlags);
  const s = await setUp(single.url, single.url, [single.url]);
  const m = await measure(CFG, [single.proc.pid!], s.host, s.guests, onWindow);
  for (const c of [s.host, ...s.guests, ...s.audience.map((a) => a.client)]) c.close();
  await killed(single.proc, 'SIGTERM');
  return m;
}

const line = (name: string, m: Measured, us: (xs: number[]) => string) =>
  `${name}: apply→host p50 ${r2(pct(m.lat, 50))} ms, p99 ${r2(pct(m.lat, 99))} ms; server CPU per op: net ${us(m.net)}, gross ${us(m.gross)}, ` +
  `under load ${us(m.loaded)} (${m.loadedOps} ops); idle CPU ${us(m.idleUsPerS.map((x) => x / 1000)).replaceAll('µs', 'ms')} per s`;

async function main(): Promise<void> {
  const cores = os.cpus().length;
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `bench:cluster${quick ? ' --quick' : ''}: 1 redis-server + 3 node processes + ${AUDIENCE + GUESTS + 1} clients on this machine ` +
      `(${cores} cores, shared: numbers are noisy); 1-min load average ${loadBefore.toFixed(2)}`,
  );

  // (1) one node: memory store, then SQLite
  const one = await oneNode(['--store', 'memory']);
  console.log(line('1 node, memory store', one, (xs) => `${r2(xs[0]!)} µs`));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'onseat-bench-cluster-'));
  const sqlite = await oneNode(['--store', 'sqlite', '--data-dir', dataDir]);
  rmSync(dataDir, { recursive: true, force: true });
  console.log(line('1 node, SQLite store', sqlite, (xs) => `${r2(xs[0]!)} µs`));

  // (2) cluster: guests on A, host on B (owner), audience on A, B, C
  const redis = await startRedis();
  const nodes = await Promise.all(
    [0, 1, 2].map(() => startNode(['--redis', redis.url, ...(noLinks ? ['--cluster-link-host', 'off'] : [])], nodeFlags)),
  );
  const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
  const k = await setUp(b.url, a.url, [a.url, b.url, c.url]);
  redisCli(redis.url, 'CONFIG', 'RESETSTAT');
  const pids = [...nodes.map((n) => n.proc.pid!), redis.proc.pid!];
  const machine0 = machineCpuMs();
  const ours0 = sum(pids.map(cpuMsOf)) + process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000;
  const cl = await measure(CFG, pids, k.host, k.guests, onWindow);
  const machine1 = machineCpuMs();
  const ours1 = sum(pids.map(cpuMsOf)) + process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000;
  const otherPct = (100 * Math.max(0, machine1.busy - machine0.busy - (ours1 - ours0))) / (machine1.total - machine0.total);
  const stats = redisCli(redis.url, 'INFO', 'commandstats');
  const us = (xs: number[]) => `${r2(sum(xs))} µs (A ${r2(xs[0]!)}, B ${r2(xs[1]!)}, C ${r2(xs[2]!)}, redis-server ${r2(xs[3]!)})`;
  console.log(line('cluster, apply on A → host on B', cl, us));
  console.log(`other processes on this machine used ${otherPct.toFixed(0)}% of its CPU during the cluster phase`);
  console.log(`redis-server commands during the cluster phase:\n${stats.trim()}`);
  if (profDir) {
    for (const n of nodes) await killed(n.proc, 'SIGTERM');
    await killed(redis.proc);
    console.log(`CPU profiles in ${profDir} (summarise with bench/signaling/tools/profileTop.ts)`);
    process.exit(0);
  }

  // (3) kill -9 the owner (B): its clients reconnect to A or C; everyone resumes by seq. A client whose socket closed
  // (its node cut it: on a loaded machine pings can go unanswered) reconnects too.
  const everyone = [{ client: k.host, url: b.url }, ...k.guests.map((g) => ({ client: g, url: a.url })), ...k.audience];
  const killedAt = performance.now();
  const giveUpAt = killedAt + 60_000;
  await killed(b.proc);
  let alt = 0;
  const resumeTimes = await Promise.all(
    everyone.map(async ({ client, url }) => {
      let cur = client;
      while (performance.now() < giveUpAt) {
        try {
          if (cur.ws.readyState !== cur.ws.OPEN || (url === b.url && cur === client)) {
            if (cur !== client) cur.close();
            const target = url === b.url ? (alt++ % 2 === 0 ? a : c).url : url;
            cur = await BenchClient.connect(target, client.userId);
          }
          const r = await cur.request('live.sync', { liveId: LIVE, sinceSeq: client.lastSeq }, 5_000);
          if (r.ok) return performance.now() - killedAt;
        } catch {
          /* node not reachable yet */
        }
        await sleep(50);
      }
      return Number.POSITIVE_INFINITY;
    }),
  );
  const takeoverMs = Math.max(...resumeTimes);
  console.log(
    `takeover: kill -9 of the owner → all ${everyone.length} clients served again after ${Math.round(takeoverMs)} ms (median ${Math.round(pct(resumeTimes, 50))} ms)`,
  );
  for (const n of nodes) await killed(n.proc);
  await killed(redis.proc);

  // (4) the hop floor: the same op's messages through relays that do nothing else
  const floor = await hopFloor(quick ? 3000 : 10000);
  const [fa, fb, fr] = floor.cluster.map(r2);
  console.log(
    `hop floor (${floor.ops} ops): 1 node ${r2(floor.one)} µs per op; cluster ${r2(sum(floor.cluster))} µs (A ${fa}, B ${fb}, redis-server ${fr})`,
  );

  const result: ClusterResult = {
    quick,
    links: !noLinks,
    clients: everyone.length,
    samples: CFG.samples,
    loadBefore,
    loadAfter: os.loadavg()[0]!,
    otherPct,
    one,
    sqlite,
    cluster: cl,
    floor,
    takeoverMs,
    takeoverMedianMs: pct(resumeTimes, 50),
    p50: pct(cl.lat, 50),
    p99: pct(cl.lat, 99),
    redisStats: stats,
  };
  const resultLine = writeReport(result);
  console.log(resultLine);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
