import { pausesStart, pausesStop } from '../lib/pauses.js';

/** Commands every benchmark server process answers besides its own (memory, CPU). */
export function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export const serverProbes = {
  /** RSS after a full GC and a short settle (needs `--expose-gc`). */
  async rss(args: { settleMs?: number }): Promise<{ rss: number; heapUsed: number; external: number; gc: boolean }> {
    gcNow();
    await new Promise((r) => setTimeout(r, args.settleMs ?? 1000));
    gcNow();
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, gc: typeof (globalThis as { gc?: unknown }).gc === 'function' };
  },
  /** Process CPU time so far (µs), to compute utilisation over a phase. */
  cpu(): NodeJS.CpuUsage {
    return process.cpuUsage();
  },
  pausesStart,
  pausesStop,
};
