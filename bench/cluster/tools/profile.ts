/**
 * Where the CPU of a cross-node op goes, per node: V8 CPU profiles of node A (the guests' node) and node B (the owner,
 * the host's node) over bench:cluster's ops (apply → host gets it, then cancel), written to a folder and summed up by
 * function (self time, idle left out). Usage: `npm run build && node --import tsx bench/cluster/tools/profile.ts
 * [dir] [ops]` (default /tmp/onseat-cluster-prof, 2000 ops); open the .cpuprofile files in Chrome DevTools for more.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BenchClient } from '../client.js';
import { seatOps } from '../measure.js';
import { startNode, startRedis } from '../processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const dir = process.argv[2] ?? '/tmp/onseat-cluster-prof';
const ops = Number(process.argv[3] ?? 2000);

/** Self time by function, busiest first, as lines. */
function summary(file: string, top = 20): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === '(idle)') return;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/packages\//, '')}:${f.lineNumber}`;
    const dt = p.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    busy += dt;
  });
  return [
    `busy ${(busy / 1000).toFixed(0)} ms (${((busy / ops) | 0).toString()} µs per op, profiler included)`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`),
  ];
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const redis = await startRedis();
  const flags = (name: string) => ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`];
  const a = await startNode(['--redis', redis.url], flags('node-A'));
  const b = await startNode(['--redis', redis.url], flags('node-B'));
  const host = await BenchClient.connect(b.url, 'host');
  await host.call('live.start', { liveId: 'bench', liveName: 'bench', maxSeatCount: 8 });
  const guests: BenchClient[] = [];
  for (let i = 0; i < 10; i++) {
    const g = await BenchClient.connect(a.url, `guest${i}`);
    await g.call('live.join', { liveId: 'bench' });
    guests.push(g);
  }
  await seatOps(host, guests, 50); // warm-up
  await seatOps(host, guests, ops / 2);
  // A graceful stop writes the profiles.
  await Promise.all([a, b].map((n) => new Promise((r) => (n.proc.once('exit', r), n.proc.kill('SIGTERM')))));
  redis.proc.kill('SIGKILL');
  for (const name of ['node-A', 'node-B']) {
    const files = readdirSync(path.join(dir, name)).filter((f) => f.endsWith('.cpuprofile'));
    for (const f of files) console.log(`\n${name} (${f}):\n${summary(path.join(dir, name, f)).join('\n')}`);
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
