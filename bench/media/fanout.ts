/**
 * Fan-out phase of bench/media: the SFU in its own process (`server.ts`), one werift publisher and N werift
 * subscribers in another (`peers.ts`), and at each level the floor (`floor.ts`: SRTP protect + connected UDP send of
 * the same packets to N sockets) measured right after it in the same run. CPU comes from `process.cpuUsage()` of the
 * measured process over IPC. A level that fails (a peer process that dies, a timeout under load) is reported and
 * skipped; the phase goes on with the next one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

export interface Level {
  subscribers: number;
  /** Packets/s the subscribers received. */
  pktPerSec: number;
  /** Packets/s the SFU sent (received packets × subscribers of each track). */
  forwardedPerSec: number;
  /** Packets/s every subscriber should get (what the publisher sends). */
  nominalPps: number;
  /** Forwarded ÷ nominal: below ~0.9 the SFU did not keep up (server and peers share the machine's cores). */
  delivered: number;
  /** Received ÷ nominal: below `delivered` when the peers process could not keep up with receiving. */
  received: number;
  serverCpuPct: number;
  usPerPacket: number;
  peersCpuPct: number;
  /** SRTP protect + connected UDP send, µs per packet, same packets and fan-out (NaN when not measured). */
  floorUsPerPacket: number;
  /** Both minus what the process costs per second while not sending (fixed costs: timers, ICE consent, RTCP). */
  marginalUsPerPacket: number;
  floorMarginalUsPerPacket: number;
}

type Msg = { type: string; [k: string]: unknown };
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function child(file: string, args: string[] = []): ChildProcess {
  const c = fork(here(file), args, { execArgv: ['--conditions=source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  c.on('error', () => undefined); // reported through `next()` (exit) instead of crashing the bench
  return c;
}

/** The next message of `type` from `c`; rejects on timeout or when the child exits first (listeners removed either way). */
function next(c: ChildProcess, type: string, timeoutMs = 120_000): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(t);
      c.off('message', on);
      c.off('exit', onExit);
    };
    const t = setTimeout(() => {
      done();
      reject(new Error(`no ${type} from ${c.spawnfile} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (m: Msg) => {
      if (m.type !== type) return;
      done();
      resolve(m);
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`child exited (code ${code}, signal ${signal}) before sending ${type}`));
    };
    c.on('message', on);
    c.once('exit', onExit);
  });
}

const ask = (c: ChildProcess, type: string, extra: object = {}) => {
  const p = next(c, type);
  if (c.connected) c.send({ type, ...extra });
  return p;
};
const cpuUs = (m: Msg) => {
  const u = m['cpu'] as NodeJS.CpuUsage;
  return u.user + u.system;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  if (c.connected) c.send({ type: 'close' });
  const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/**
 * µs of the floor process per packet sent to `n` receiving sockets (in this process) over `windowMs`: gross, and
 * marginal (minus what the process costs per second with the sending paused).
 */
async function measureFloor(n: number, kbps: number, windowMs: number): Promise<{ gross: number; marginal: number }> {
  const sinks: Socket[] = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve) => {
          const s = createSocket('udp4');
          s.on('message', () => undefined);
          s.bind(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const floor = child('floor.ts', [JSON.stringify(sinks.map((s) => s.address().port)), String(kbps)]);
  try {
    await next(floor, 'ready', 30_000);
    await sleep(300);
    const a = await ask(floor, 'cpu');
    const t0 = performance.now();
    await sleep(windowMs);
    const b = await ask(floor, 'cpu');
    const busyMs = performance.now() - t0;
    const idlePerMs = await idleCpuPerMs(floor, windowMs);
    const packets = Math.max(1, (b['packets'] as number) - (a['packets'] as number));
    const us = cpuUs(b) - cpuUs(a);
    return { gross: us / packets, marginal: (us - idlePerMs * busyMs) / packets };
  } finally {
    await stop(floor);
    for (const s of sinks) s.close();
  }
}

/** The server's CPU µs per ms while the peers' publisher is paused. */
async function idleServerCpuPerMs(server: ChildProcess, peers: ChildProcess, windowMs: number, liveId: string): Promise<number> {
  await ask(peers, 'pause');
  try {
    await sleep(300);
    await ask(server, 'prof', { start: true });
    const a = await ask(server, 'cpu', { liveId });
    const t0 = performance.now();
    await sleep(windowMs);
    const b = await ask(server, 'cpu', { liveId });
    await ask(server, 'prof', { start: false, name: `${liveId}-idle` });
    return (cpuUs(b) - cpuUs(a)) / (performance.now() - t0);
  } finally {
    await ask(peers, 'resume');
  }
}

/** CPU µs per ms of `c` with its sending paused for `windowMs` (then resumed): its fixed cost per unit of time. */
async function idleCpuPerMs(c: ChildProcess, windowMs: number): Promise<number> {
  await ask(c, 'pause');
  await sleep(300); // packets in flight land
  const a = await ask(c, 'cpu');
  const t0 = performance.now();
  await sleep(windowMs);
  const b = await ask(c, 'cpu');
  const ms = performance.now() - t0;
  await ask(c, 'resume');
  return (cpuUs(b) - cpuUs(a)) / ms;
}

export async function runFanoutPhase(levels: number[], windowMs: number, kbps: number, log: (s: string) => void): Promise<Level[]> {
  // BENCH_SFU_PROFILE=dir writes a CPU profile of the SFU for each measured window (bench/media/README.md).
  const server = child('server.ts');
  const ready = await next(server, 'ready');
  const out: Level[] = [];
  try {
    for (const n of levels) {
      const peers = child('peers.ts', [String(ready['url']), JSON.stringify(ready['app']), String(n), String(kbps), `fan${n}`]);
      try {
        // Every subscriber does ICE + DTLS in werift (CPU-heavy): allow for a loaded machine.
        const peersReady = await next(peers, 'ready', 90_000 + n * 2_000);
        await sleep(500);
        const liveId = `fan${n}`;
        await ask(server, 'prof', { start: true });
        const [s0, p0] = [await ask(server, 'cpu', { liveId }), await ask(peers, 'count')];
        const t0 = Date.now();
        await sleep(windowMs);
        const [s1, p1] = [await ask(server, 'cpu', { liveId }), await ask(peers, 'count')];
        await ask(server, 'prof', { start: false, name: `${n}-busy` });
        const secs = (Date.now() - t0) / 1000;
        const packets = (p1['packets'] as number) - (p0['packets'] as number);
        // Per packet the SFU sent (the peers process may not keep up with receiving on a loaded machine).
        const forwarded = typeof s1['forwarded'] === 'number' ? s1['forwarded'] - (s0['forwarded'] as number) : packets;
        const serverUs = cpuUs(s1) - cpuUs(s0);
        // The SFU's cost per second with the same transports up and the publisher paused (ICE consent, RTCP, timers).
        const serverIdlePerMs = await idleServerCpuPerMs(server, peers, windowMs, liveId);
        await stop(peers);
        const floor = await measureFloor(n, kbps, windowMs).catch((err: unknown) => {
          log(`  ${n} subscribers: floor not measured (${String(err)})`);
          return { gross: NaN, marginal: NaN };
        });
        const floorUs = floor.gross;
        const level: Level = {
          subscribers: n,
          pktPerSec: Math.round(packets / secs),
          forwardedPerSec: Math.round(forwarded / secs),
          nominalPps: peersReady['pps'] as number,
          delivered: forwarded / secs / ((peersReady['pps'] as number) * n),
          received: packets / secs / ((peersReady['pps'] as number) * n),
          serverCpuPct: Math.round(serverUs / 1e4 / secs),
          usPerPacket: serverUs / Math.max(1, forwarded),
          marginalUsPerPacket: (serverUs - serverIdlePerMs * secs * 1000) / Math.max(1, forwarded),
          peersCpuPct: Math.round((cpuUs(p1) - cpuUs(p0)) / 1e4 / secs),
          floorUsPerPacket: floorUs,
          floorMarginalUsPerPacket: floor.marginal,
        };
        out.push(level);
        log(
          `  ${n} subscribers: ${level.forwardedPerSec} packets/s forwarded, ${level.pktPerSec} received (${Math.round(level.delivered * 100)}% / ${Math.round(level.received * 100)}% of nominal), server CPU ${level.serverCpuPct}% → ${level.usPerPacket.toFixed(1)} µs/packet, ${level.marginalUsPerPacket.toFixed(1)} marginal (peers process ${level.peersCpuPct}%); floor ${floorUs.toFixed(1)} µs/packet, ${floor.marginal.toFixed(1)} marginal`,
        );
      } catch (err) {
        log(`  ${n} subscribers: level failed, skipped (${err instanceof Error ? err.message : String(err)})`);
      } finally {
        await stop(peers);
        await sleep(1000); // let the server reap the level's transports before the next one
      }
    }
  } finally {
    await stop(server);
  }
  return out;
}
