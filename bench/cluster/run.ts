/**
 * onseat cluster benchmark. `npm run bench:cluster [-- --quick]`.
 *
 * Everything on this machine: one redis-server, three `onseat --redis` node processes, and the clients in this
 * process. Phases: (1) one node alone (memory store): seat-op latency and server CPU per op; (2) the same workload on
 * the cluster with the guest on node A and the host on node B (the live's owner), so every op crosses nodes;
 * (3) kill -9 of the owner: time until every client (those of the dead node reconnect to the others) is served again.
 */
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { BenchClient } from './client.js';
import { cpuMsOf, startNode, startRedis } from './processes.js';

const quick = process.argv.includes('--quick');
const AUDIENCE = quick ? 150 : 600;
const SAMPLES = quick ? 300 : 2000;
const WARMUP = quick ? 30 : 100;
const GUESTS = 40;
const LIVE = 'bench';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function killed(p: ChildProcess, sig: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill(sig);
  await gone;
}

/** host + guest + audience spread over `urls`; the live is started by the host (its node owns it). */
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

/** apply (guest) → applicationReceived (host), then cancel: 2 ops per sample. Returns latencies in ms. */
async function seatOps(host: BenchClient, guests: BenchClient[], n: number): Promise<number[]> {
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

async function measure(pids: number[], host: BenchClient, guests: BenchClient[]) {
  await seatOps(host, guests, WARMUP);
  const cpu0 = pids.map(cpuMsOf);
  const lat = await seatOps(host, guests, SAMPLES);
  const cpu1 = pids.map(cpuMsOf);
  const perProcessUs = cpu0.map((c, i) => ((cpu1[i]! - c) * 1000) / (SAMPLES * 2));
  return { lat, perProcessUs };
}

async function main(): Promise<void> {
  const cores = os.cpus().length;
  console.log(
    `bench:cluster${quick ? ' --quick' : ''}: 1 redis-server + 3 node processes + ${AUDIENCE + GUESTS + 1} clients on this machine (${cores} cores, shared: numbers are noisy)`,
  );

  // (1) one node
  const single = await startNode(['--store', 'memory']);
  const s = await setUp(single.url, single.url, [single.url]);
  const one = await measure([single.proc.pid!], s.host, s.guests);
  for (const c of [s.host, ...s.guests, ...s.audience.map((a) => a.client)]) c.close();
  await killed(single.proc, 'SIGTERM');
  const us1 = one.perProcessUs[0]!;
  console.log(`1 node (memory store): apply→host p50 ${r2(pct(one.lat, 50))} ms, p99 ${r2(pct(one.lat, 99))} ms, server CPU ${r2(us1)} µs/op`);

  // (2) cluster: guest on A, host on B (owner), audience on A, B, C
  const redis = await startRedis();
  const nodes = await Promise.all([0, 1, 2].map(() => startNode(['--redis', redis.url])));
  const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
  const k = await setUp(b.url, a.url, [a.url, b.url, c.url]);
  const cl = await measure([...nodes.map((n) => n.proc.pid!), redis.proc.pid!], k.host, k.guests);
  const nodesUs = cl.perProcessUs.slice(0, 3).reduce((x, y) => x + y, 0);
  const redisUs = cl.perProcessUs[3]!;
  const usCluster = nodesUs + redisUs;
  console.log(
    `cluster: apply on A → host on B p50 ${r2(pct(cl.lat, 50))} ms, p99 ${r2(pct(cl.lat, 99))} ms; CPU per op: nodes ${r2(nodesUs)} µs (A ${r2(cl.perProcessUs[0]!)}, B ${r2(cl.perProcessUs[1]!)}, C ${r2(cl.perProcessUs[2]!)}) + redis-server ${r2(redisUs)} µs = ${r2(usCluster)} µs (${r2(usCluster / us1)}× one node)`,
  );

  // (3) kill -9 the owner (B): its clients reconnect to A or C; everyone resumes by seq
  const everyone = [{ client: k.host, url: b.url }, ...k.guests.map((g) => ({ client: g, url: a.url })), ...k.audience];
  const killedAt = performance.now();
  await killed(b.proc);
  let alt = 0;
  const resumeTimes = await Promise.all(
    everyone.map(async ({ client, url }) => {
      let cur = client;
      for (;;) {
        try {
          if (url === b.url && cur === client) {
            const target = (alt++ % 2 === 0 ? a : c).url;
            cur = await BenchClient.connect(target, client.userId);
          }
          const r = await cur.request('live.sync', { liveId: LIVE, sinceSeq: client.lastSeq }, 15_000);
          if (r.ok) return performance.now() - killedAt;
        } catch {
          /* node not reachable yet */
        }
        await sleep(50);
      }
    }),
  );
  const takeoverMs = Math.max(...resumeTimes);
  console.log(
    `takeover: kill -9 of the owner → all ${everyone.length} clients served again after ${Math.round(takeoverMs)} ms (median ${Math.round(pct(resumeTimes, 50))} ms)`,
  );
  for (const n of nodes) await killed(n.proc);
  await killed(redis.proc);
  console.log(
    `RESULT cross_node_seat_op_p50_ms=${r2(pct(cl.lat, 50))} cross_node_seat_op_p99_ms=${r2(pct(cl.lat, 99))} takeover_resume_ms=${Math.round(takeoverMs)} us_per_op_1node=${r2(us1)} us_per_op_cluster=${r2(usCluster)}`,
  );
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
