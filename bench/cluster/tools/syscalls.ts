/**
 * System calls per op of every server process (strace -c), one node against the cluster, on the ops of
 * bench:cluster (apply → host gets it, then cancel; guests on node A, host on node B). Counts do not depend on the
 * machine's load, unlike CPU time. `wakeups`: voluntary context switches of each process's main thread over the ops
 * alone (each is a sleep and a wake-up, the costly part on a VM), counted on a run of its own without strace; the syscall counts also include 1.5 s idle
 * windows. Needs strace. Usage: `npm run build && node --import tsx bench/cluster/tools/syscalls.ts`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BenchClient } from '../client.js';
import { seatOps } from '../measure.js';
import { startNode, startRedis } from '../processes.js';

const SAMPLES = 200;
const TRACED = 'trace=read,write,writev,readv,epoll_wait,epoll_pwait,sendto,recvfrom,sendmsg,recvmsg';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setUp(hostUrl: string, guestUrl: string) {
  const host = await BenchClient.connect(hostUrl, 'host');
  await host.call('live.start', { liveId: 'bench', liveName: 'bench', maxSeatCount: 8 });
  const guests: BenchClient[] = [];
  for (let i = 0; i < 10; i++) {
    const g = await BenchClient.connect(guestUrl, `guest${i}`);
    await g.call('live.join', { liveId: 'bench' });
    guests.push(g);
  }
  await seatOps(host, guests, 20);
  return { host, guests };
}

/** Times the main thread of `pid` went to sleep (voluntary context switches): each is a wake-up later. */
const sleepsOf = (pid: number): number => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/**
 * `run` once untraced, counting the sleeps of each process's main thread (`wakeups`: a traced process stops at every
 * system call), then once under strace -c: calls per syscall name.
 */
async function traced(pids: number[], run: () => Promise<unknown>): Promise<Record<string, number>[]> {
  const sleeps0 = pids.map(sleepsOf);
  await run();
  const wakeups = pids.map((pid, i) => sleepsOf(pid) - sleeps0[i]!);
  const st = pids.map((pid) => {
    const p = spawn('strace', ['-f', '-c', '-p', String(pid), '-e', TRACED], { stdio: ['ignore', 'ignore', 'pipe'] });
    let out = '';
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return { p, out: () => out };
  });
  await sleep(1500);
  await run();
  for (const s of st) s.p.kill('SIGINT');
  await sleep(1500);
  return st.map((s, i) => {
    const calls: Record<string, number> = { wakeups: wakeups[i]! };
    for (const l of s.out().split('\n')) {
      const f = l.trim().split(/\s+/);
      if (f.length >= 5 && /^\d+$/.test(f[3]!)) calls[f[f.length - 1]!] = Number(f[3]);
    }
    return calls;
  });
}

const perOp = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${(v / (2 * SAMPLES)).toFixed(2)}`)
    .join(', ');

async function main(): Promise<void> {
  const one = await startNode(['--store', 'memory']);
  const s = await setUp(one.url, one.url);
  const [single] = await traced([one.proc.pid!], () => seatOps(s.host, s.guests, SAMPLES));
  console.log(`1 node: syscalls per op: ${perOp(single!)}`);
  one.proc.kill('SIGKILL');

  const redis = await startRedis();
  const noLinks = process.argv.includes('--no-links'); // everything through Redis, to compare
  const nodes = await Promise.all([0, 1, 2].map(() => startNode(['--redis', redis.url, ...(noLinks ? ['--cluster-link-host', 'off'] : [])])));
  const k = await setUp(nodes[1]!.url, nodes[0]!.url);
  const viewer = await BenchClient.connect(nodes[2]!.url, 'viewer');
  await viewer.call('live.join', { liveId: 'bench' });
  const counts = await traced([...nodes.map((n) => n.proc.pid!), redis.proc.pid!], () => seatOps(k.host, k.guests, SAMPLES));
  ['node A (guests)', 'node B (owner, host)', 'node C (a viewer)', 'redis-server'].forEach((name, i) =>
    console.log(`cluster ${name}: syscalls per op: ${perOp(counts[i]!)}`),
  );
  for (const n of nodes) n.proc.kill('SIGKILL');
  redis.proc.kill('SIGKILL');
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
