/**
 * Diagnostics: where the server allocates per co-guest operation. Young-generation GCs come as often as the server
 * allocates, and each one pauses the server (bench/signaling/README "Why the seat-op p99 moves"), so bytes allocated
 * per operation — garbage included — set how often a seat op lands on a pause. A server and the load's client sockets
 * run in this one process; V8's sampling heap profiler records every allocation (also of objects that die young)
 * during an apply→cancel load; the client's own allocations are left out by call stack (frames of the load
 * generator). Prints bytes per ok operation and the functions (and server source files) that allocate most.
 * Usage: node --expose-gc --import tsx bench/signaling/tools/allocationProfile.ts [seconds=5] [lives=50] [store=memory|sqlite] [serial|load] [--survivors]
 * `serial` (default): one apply→cancel at a time in one live, as the seat-op sampler does; `load`: the closed loop
 * on every live (2 apply→cancel loops each), where one turn of the event loop serves many requests.
 */
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coGuestLoad } from '../client/onseatLoad.js';
import { inProcessServer } from './inProcessServer.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
/**
 * `--survivors`: leave out what a young GC collected, i.e. count what survived the young generation (still on the
 * heap at the end, or collected later by a full GC) — the objects a scavenge copies and promotes. Objects V8
 * allocated straight in the old generation (pretenured) are counted too: the profiler cannot tell them apart.
 */
const survivors = process.argv.includes('--survivors');
const [secondsArg = '5', livesArg = '50', store = 'memory', mode = 'serial'] = args;
const seconds = Number(secondsArg);
const liveCount = Number(livesArg);
if (store !== 'memory' && store !== 'sqlite') throw new Error('store must be memory or sqlite');
const dataDir = mkdtempSync(path.join(tmpdir(), 'onseat-alloc-'));
const { server, lives } = await inProcessServer({ store, dataDir, lives: liveCount, membersPerLive: 20, raised: true });
const first = lives.get('l0');
const target = mode === 'serial' && first ? new Map([['l0', first]]) : lives;
const load = (ms: number) => coGuestLoad(target, { durationMs: ms, applyLoops: mode === 'serial' ? 1 : 2, acceptLoops: 0 });
await load(2000); // warm-up: event logs and caches fill, code is optimised

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: !survivors,
});
const r = await load(seconds * 1000);
if (survivors) {
  // Young GCs only: what is left is old (promoted) or survived a scavenge; garbage of the last moments is gone.
  const gc = (globalThis as { gc?: (o: { type: 'minor' }) => void }).gc;
  if (!gc) throw new Error('--survivors needs node --expose-gc');
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
session.disconnect();

/** A frame of the load generator (client side of this process): its allocations are not the server's. */
const isClient = (f: CallFrame) => f.url.includes('/bench/signaling/');
const byFunction = new Map<string, number>();
const byServerFile = new Map<string, number>();
let server_ = 0;
let client = 0;
const walk = (node: ProfileNode, stack: CallFrame[]): void => {
  const frames = [...stack, node.callFrame];
  if (node.selfSize > 0) {
    if (frames.some(isClient)) client += node.selfSize;
    else {
      server_ += node.selfSize;
      const f = node.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${f.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      // The innermost frame in onseat's own code: which part of the server caused the allocation.
      const own = [...frames].reverse().find((x) => x.url.includes('/packages/') && !x.url.includes('node_modules'));
      const file = own ? own.url.replace(/^.*\/packages\//, '') : '(no onseat frame: Node / ws internals)';
      byServerFile.set(file, (byServerFile.get(file) ?? 0) + node.selfSize);
    }
  }
  for (const c of node.children) walk(c, frames);
};
walk(profile.head, []);
const ops = Math.max(1, r.ok);
const kb = (b: number) => `${(b / 1024).toFixed(1).padStart(8)} KB`;
console.log(`${r.ok} ok operations in ${seconds} s (${mode}, ${store} store, ${liveCount} lives × 20), errors ${JSON.stringify(r.errors)}`);
console.log(
  `server ${survivors ? 'kept (survived young GC)' : 'allocated'} ${(server_ / ops).toFixed(0)} bytes per ok operation (load generator: ${(client / ops).toFixed(0)})`,
);
console.log('\nby onseat source file (innermost onseat frame), per operation:');
for (const [k, v] of [...byServerFile].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${kb(v / ops)}  ${k}`);
console.log('\nby allocating function, per operation:');
for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${kb(v / ops)}  ${k}`);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
