/**
 * The hop floor: what the message hops of one seat op cost the server processes when they do nothing else.
 *
 * A seat op on one node is 3 hops: the guest's frame in, the answer and the host's event out. Across nodes it is 7:
 * guest → A, A → B (the forward), B → Redis (the commit), Redis → B (its reply: only then may the host hear of it),
 * B → host, Redis → A (the answer, published by the commit), A → guest. The relays of `floorRelay.ts` move messages
 * of the real sizes along exactly those hops (Redis is a real redis-server running a one-line script), with no
 * parsing, JSON or engine, and ops come back to back (a gap between ops would make every wake-up dearer). What they
 * use is a lower bound of what any implementation of this design costs here: the work of a real node comes on top.
 * On a VM a wake-up from idle and a loopback write (which runs the receiver's TCP processing and may wake its core)
 * cost tens of µs each, so this floor is a large share of bench:cluster's figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIZES, onMessages } from './floorRelay.js';
import { cpuMsOf, startRedis } from './processes.js';

const RELAY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floorRelay.ts');

export interface HopFloor {
  /** µs of CPU per op of the single relay node. */
  one: number;
  /** µs of CPU per op of A, B and redis-server. */
  cluster: number[];
  ops: number;
}

async function relay(role: string, ...args: number[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = fork(RELAY, [role, ...args.map(String)], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve(m.port));
    proc.once('exit', (code) => reject(new Error(`floor relay ${role} exited (${code})`)));
  });
  return { proc, port };
}

async function socket(port: number, kind: 'g' | 'h'): Promise<Socket> {
  const s = createConnection({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  await new Promise((r) => s.once('connect', r));
  s.write(kind);
  return s;
}

/** `n` ops one after the other: the guest's frame, then both the answer (guest) and the event (host) are back. */
async function ops(guest: Socket, host: Socket, n: number): Promise<void> {
  const request = Buffer.alloc(SIZES.request, 5);
  let answers = 0;
  let events = 0;
  let wake: (() => void) | undefined;
  onMessages(guest, SIZES.answer, () => {
    answers++;
    wake?.();
  });
  onMessages(host, SIZES.event, () => {
    events++;
    wake?.();
  });
  for (let i = 1; i <= n; i++) {
    guest.write(request);
    await new Promise<void>((resolve) => {
      wake = () => {
        if (answers >= i && events >= i) resolve();
      };
      wake();
    });
  }
  guest.removeAllListeners('data');
  host.removeAllListeners('data');
}

async function measureOps(pids: number[], guest: Socket, host: Socket, n: number, warmup: number): Promise<number[]> {
  await ops(guest, host, warmup);
  const cpu0 = pids.map(cpuMsOf);
  await ops(guest, host, n);
  return pids.map((pid, i) => ((cpuMsOf(pid) - cpu0[i]!) * 1000) / n);
}

const stop = async (p: ChildProcess) => {
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
};

export async function hopFloor(n: number, warmup = 300): Promise<HopFloor> {
  const one = await relay('one');
  const oneHost = await socket(one.port, 'h');
  const oneGuest = await socket(one.port, 'g');
  const [oneUs] = await measureOps([one.proc.pid!], oneGuest, oneHost, n, warmup);
  oneGuest.destroy();
  oneHost.destroy();
  await stop(one.proc);

  const redis = await startRedis();
  const redisPort = Number(new URL(redis.url).port);
  const b = await relay('b', redisPort);
  const a = await relay('a', b.port, redisPort);
  const host = await socket(b.port, 'h');
  const guest = await socket(a.port, 'g');
  const cluster = await measureOps([a.proc.pid!, b.proc.pid!, redis.proc.pid!], guest, host, n, warmup);
  guest.destroy();
  host.destroy();
  for (const p of [a.proc, b.proc, redis.proc]) await stop(p);
  return { one: oneUs!, cluster, ops: n };
}

// `node --import tsx bench/cluster/floor.ts [ops]`: the floor alone
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await hopFloor(Number(process.argv[2] ?? 3000));
  const total = f.cluster.reduce((x, y) => x + y, 0);
  const [a, b, r] = f.cluster.map((x) => x.toFixed(1));
  console.log(
    `hop floor over ${f.ops} ops: one node ${f.one.toFixed(1)} µs per op; cluster ${total.toFixed(1)} µs (A ${a}, B ${b}, redis-server ${r})`,
  );
}
