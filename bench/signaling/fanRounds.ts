/** Fan-out rounds: one broadcast at a time to every receiving socket of every client process. */
import type { Child } from './lib/ipc.js';
import { sleep, summarize, type Summary } from './lib/stats.js';

/** `process.cpuUsage()` of a child (µs). */
export type Cpu = { user: number; system: number };
/** CPU milliseconds between two `Cpu` readings. */
export const cpuMs = (a: Cpu, b: Cpu): number => (b.user - a.user + b.system - a.system) / 1000;

/**
 * Arm every client, trigger from the host's client, wait until all receivers have it; `rounds` measured rounds
 * after `warmup` unmeasured ones. Sample = last arrival over all processes − the trigger's send time.
 */
export async function fanRounds(
  server: Child,
  workers: Child[],
  hostWorker: Child,
  rounds: number,
  warmup: number,
  expected: number,
  pauseMs = 100,
): Promise<{ last: Summary; first: Summary; serverCpuUsPerMsg: number; lastSamples: number[] }> {
  const lastSamples: number[] = [];
  const firstSamples: number[] = [];
  let serverCpu = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    const notes: { n: number; first: number; last: number }[] = [];
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((res) => (resolveAll = res));
    const offs = workers.map((w) =>
      w.on('fan', (d) => {
        const note = d as { round: number; n: number; first: number; last: number };
        if (note.round !== r) return;
        notes.push(note);
        if (notes.length === workers.length) resolveAll();
      }),
    );
    const armed = await Promise.all(workers.map((w) => w.call<{ receivers: number }>('fanArm', { round: r })));
    const receivers = armed.reduce((s, a) => s + a.receivers, 0);
    if (receivers !== expected) throw new Error(`fan-out: ${receivers} receivers armed, expected ${expected}`);
    const cpu0 = await server.call<Cpu>('cpu');
    const trig = await hostWorker.call<{ t0: number; ok: boolean; error?: string }>('fanTrigger');
    if (!trig.ok) throw new Error(`fan-out trigger failed: ${trig.error}`);
    const timeout = sleep(15_000).then(() => 'timeout' as const);
    if ((await Promise.race([all, timeout])) === 'timeout') {
      const st = await Promise.all(workers.map((w) => w.call('fanStatus')));
      throw new Error(`fan-out round ${r} incomplete after 15 s: ${JSON.stringify(st)}`);
    }
    const cpu1 = await server.call<Cpu>('cpu');
    offs.forEach((off) => off());
    if (r >= warmup) {
      lastSamples.push(Math.max(...notes.map((n) => n.last)) - trig.t0);
      firstSamples.push(Math.min(...notes.map((n) => n.first)) - trig.t0);
      serverCpu += cpuMs(cpu0, cpu1);
    }
    await sleep(pauseMs);
  }
  return {
    last: summarize(lastSamples),
    first: summarize(firstSamples),
    serverCpuUsPerMsg: (serverCpu * 1000) / (rounds * expected),
    lastSamples,
  };
}
