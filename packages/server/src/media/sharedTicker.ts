/**
 * Periodic work of many objects on one timer per period: the sender-report checks of every subscriber transport run
 * in one wake-up of the process instead of one each (an idle wake-up costs ~0.1–0.3 ms on a small VM, more than a
 * report). Only for light callbacks: work that grows with the subscribers (layer selection) keeps timers of its own,
 * so it is spread over the period instead of one burst that would delay forwarding.
 */
interface Bucket {
  readonly fns: Set<() => void>;
  readonly timer: NodeJS.Timeout;
}

const buckets = new Map<number, Bucket>();

/** Runs `fn` every `ms` (with every other callback of that period, in one timer); returns its cancel. */
export function everyShared(ms: number, fn: () => void): () => void {
  let bucket = buckets.get(ms);
  if (!bucket) {
    const fns = new Set<() => void>();
    const timer = setInterval(() => runAll(fns), ms);
    timer.unref();
    bucket = { fns, timer };
    buckets.set(ms, bucket);
  }
  // a wrapper per registration: the same function registered twice runs twice, and each cancel removes its own
  const entry = () => fn();
  bucket.fns.add(entry);
  const mine = bucket;
  return () => {
    if (!mine.fns.delete(entry) || mine.fns.size > 0) return;
    clearInterval(mine.timer);
    if (buckets.get(ms) === mine) buckets.delete(ms);
  };
}

/** Every callback runs even if one throws; the first error is thrown afterwards (as a timer of its own would). */
function runAll(fns: Set<() => void>): void {
  let failure: { err: unknown } | undefined;
  for (const fn of [...fns]) {
    try {
      fn();
    } catch (err) {
      failure ??= { err };
    }
  }
  if (failure) throw failure.err;
}
