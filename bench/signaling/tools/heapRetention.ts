/**
 * Diagnostics: what the server keeps on its heap per co-guest operation. A server (memory store) and the load's
 * client sockets run in this one process: after a warm-up, a heap snapshot; then the closed-loop co-guest load for a
 * while; then another snapshot. Prints retained bytes per ok operation and the 30 object shapes (constructor and
 * first property names) or string prefixes that grew most. Everything a request leaves on the heap survives young
 * GCs and is copied to the old generation: it is what makes scavenges slow under load.
 * Usage: node --expose-gc --import tsx bench/signaling/tools/heapRetention.ts [seconds=6] [lives=50]
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { coGuestLoad } from '../client/onseatLoad.js';
import { inProcessServer } from './inProcessServer.js';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Count and bytes per shape: `object:Name{prop,prop…}`, `string:<first 40 chars>` or the node type. */
function shapes(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const { node_fields: nf, node_types: nt, edge_fields: ef, edge_types: et } = snap.snapshot.meta;
  const [TYPE, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as [number, number, number, number];
  const out = new Map<string, { count: number; bytes: number }>();
  let edge = 0;
  for (let i = 0; i < snap.nodes.length; i += nf.length) {
    const type = nt[0][snap.nodes[i + TYPE] ?? 0] ?? '?';
    const name = snap.strings[snap.nodes[i + NAME] ?? 0] ?? '';
    const edgeCount = snap.nodes[i + EDGES] ?? 0;
    const props: string[] = [];
    for (let k = 0; k < edgeCount && props.length < 6; k++) {
      const at = (edge + k) * ef.length;
      if (et[0][snap.edges[at] ?? 0] === 'property') props.push(snap.strings[snap.edges[at + 1] ?? 0] ?? '');
    }
    edge += edgeCount;
    const key =
      type === 'object' || type === 'closure' ? `${type}:${name}{${props.join(',')}}` : type === 'string' ? `string:${name.slice(0, 40)}` : type;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + SIZE] ?? 0;
    out.set(key, e);
  }
  return out;
}

const [seconds = 6, liveCount = 50] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const dir = mkdtempSync(path.join(tmpdir(), 'onseat-heap-'));
const { lives } = await inProcessServer({ store: 'memory', lives: liveCount, membersPerLive: 10, raised: true });
const load = (ms: number) => coGuestLoad(lives, { durationMs: ms, applyLoops: 2, acceptLoops: 1 });
await load(2000); // warm-up: event logs and caches fill
gc();
gc();
const before = writeHeapSnapshot(path.join(dir, 'before.heapsnapshot'));
const heap0 = process.memoryUsage().heapUsed;
const r = await load(seconds * 1000);
gc();
gc();
const heap1 = process.memoryUsage().heapUsed;
const after = writeHeapSnapshot(path.join(dir, 'after.heapsnapshot'));
console.log(`${r.ok} ok operations in ${seconds} s, errors ${JSON.stringify(r.errors)}`);
console.log(`heap +${((heap1 - heap0) / 1024).toFixed(0)} KB: ${((heap1 - heap0) / Math.max(1, r.ok)).toFixed(0)} bytes retained per ok operation`);
const a = shapes(before);
const b = shapes(after);
const rows = [...b]
  .map(([k, v]) => ({ k, count: v.count - (a.get(k)?.count ?? 0), bytes: v.bytes - (a.get(k)?.bytes ?? 0) }))
  .sort((x, y) => y.bytes - x.bytes)
  .slice(0, 30);
for (const { k, count, bytes } of rows) console.log(`${(bytes / 1024).toFixed(0).padStart(8)} KB ${String(count).padStart(8)}  ${k}`);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
