/**
 * What stalled a process during a phase: its garbage-collection pauses (by kind) and its event-loop delay. Used to
 * tell whether a latency tail comes from the server or from the client process that measured it.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

export interface PauseReport {
  /** Pauses per GC kind: count, total and longest (ms), and how many took longer than 2 and 5 ms. */
  gc: Record<string, { n: number; totalMs: number; maxMs: number; over2: number; over5: number }>;
  /** Event-loop delay (ms) sampled every 1 ms: p50, p99, max. */
  loop: { p50: number; p99: number; max: number };
  wallMs: number;
}

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

let observer: PerformanceObserver | undefined;
let loop: IntervalHistogram | undefined;
let gc: PauseReport['gc'] = {};
let t0 = 0;

export function pausesStart(): true {
  pausesStop();
  gc = {};
  t0 = performance.now();
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = KINDS[((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind ?? -1] ?? 'other';
      const g = (gc[kind] ??= { n: 0, totalMs: 0, maxMs: 0, over2: 0, over5: 0 });
      g.n++;
      g.totalMs += e.duration;
      g.maxMs = Math.max(g.maxMs, e.duration);
      if (e.duration > 2) g.over2++;
      if (e.duration > 5) g.over5++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  return true;
}

export function pausesStop(): PauseReport | null {
  if (!observer || !loop) return null;
  observer.disconnect();
  loop.disable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const report: PauseReport = {
    gc,
    loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    wallMs: performance.now() - t0,
  };
  for (const g of Object.values(gc)) {
    g.totalMs = Math.round(g.totalMs * 100) / 100;
    g.maxMs = Math.round(g.maxMs * 100) / 100;
  }
  observer = undefined;
  loop = undefined;
  return report;
}

/** One line: "scavenge 18 (max 9.1 ms, 7 > 5 ms), …; loop delay p99 3.1 ms, max 12 ms". */
export function describePauses(r: PauseReport | null): string {
  if (!r) return 'n/a';
  const kinds = Object.entries(r.gc).map(([k, g]) => `${k} ${g.n} (total ${g.totalMs} ms, max ${g.maxMs} ms, ${g.over2} > 2 ms, ${g.over5} > 5 ms)`);
  return `${kinds.join(', ') || 'no GC'}; event-loop delay p50 ${r.loop.p50} / p99 ${r.loop.p99} / max ${r.loop.max} ms over ${(r.wallMs / 1000).toFixed(1)} s`;
}
