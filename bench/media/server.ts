/**
 * The SFU under test in its own process (for the fan-out phase): an onseat server in dev mode with the werift
 * media plane on 127.0.0.1. Tells the parent its URL and app over IPC and answers `cpu` with `process.cpuUsage()`
 * and `forwarded`: Σ over the fan-out lives' published tracks of packets received × subscribers it forwards to
 * (what the SFU sent, whether or not the peers process kept up with receiving it).
 */
import { createServer, silentLogger } from '@onseat/server';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WeriftMediaPlane } from '../../packages/server/src/media/WeriftMediaPlane.js';

const server = createServer({ port: 0, logger: silentLogger, reconnectGraceMs: 1000 });
const { url } = await server.listen();
const app = server.devApp;
process.send?.({ type: 'ready', url, app });

function forwarded(liveId: string): number {
  const room = (server.engine.media as WeriftMediaPlane).roomForTesting(`${app?.sdkAppId ?? 0}:${liveId}`);
  let n = 0;
  for (const pub of room?.publishers.values() ?? []) for (const t of pub.tracks.values()) n += t.packets * t.sinks.size;
  return n;
}

/** BENCH_SFU_PROFILE=dir: a CPU profile of each measured window (`prof` start / stop messages) is written there. */
const profileDir = process.env.BENCH_SFU_PROFILE;
let inspector: Session | undefined;
async function profile(m: { start: boolean; name?: string }): Promise<void> {
  if (!profileDir) return;
  if (m.start) {
    inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
  } else if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    inspector.disconnect();
    inspector = undefined;
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(path.join(profileDir, `sfu-${m.name ?? 'window'}.cpuprofile`), JSON.stringify(profile));
  }
}

process.on('message', (m: { type: string; liveId?: string; start?: boolean; name?: string }) => {
  if (m.type === 'prof') void profile({ start: m.start === true, ...(m.name ? { name: m.name } : {}) }).then(() => process.send?.({ type: 'prof' }));
  if (m.type === 'cpu') {
    process.send?.({ type: 'cpu', cpu: process.cpuUsage(), rss: process.memoryUsage().rss, forwarded: m.liveId ? forwarded(m.liveId) : undefined });
  }
  if (m.type === 'close') void server.close().then(() => process.exit(0));
});
