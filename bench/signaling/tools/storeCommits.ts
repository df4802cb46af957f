/**
 * Diagnostics: time the SQLite store's commit path alone (no sockets, no engine): `lives` lives with a realistic
 * record (9 seats, 3 guests, one pending application: ~1.6 KB of JSON), then `commits` commits of `perCommit` lives,
 * each with its record and two events — what one busy tick of the engine hands the store.
 * Usage: node --import tsx bench/signaling/tools/storeCommits.ts [commits=5000] [perCommit=1] [lives=900]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteLiveStore } from '../../../packages/server/src/store/SqliteLiveStore.js';
import { sampleLive } from '../../../packages/server/src/testing/sampleLive.js';
import type { LiveRecord } from '../../../packages/server/src/engine/state.js';

const [commits = 5000, perCommit = 1, lives = 900] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(path.join(tmpdir(), 'onseat-commits-'));
const store = SqliteLiveStore.open(dir);
await store.checkpointerReady();
const now = Date.now();
const records: LiveRecord[] = [];
for (let i = 0; i < lives; i++) {
  const r = sampleLive(`l${i}`, {
    owner: { userId: `host${i}`, userName: `Host ${i}`, avatarUrl: 'https://example.com/avatar.png' },
    totalViewerCount: 20,
    seats: Array.from({ length: 9 }, (_, s) => ({
      index: s,
      locked: false,
      occupant: s < 3 ? { userId: `u${s}`, microphoneOn: true, cameraOn: true, microphoneLocked: false, cameraLocked: false, since: now } : null,
    })),
    applications: [
      { kind: 'application', requestId: `r${i}`, userId: 'x', hostId: '', seatIndex: -1, createdAt: now, deadline: now + 30_000, status: 'pending' },
    ],
  });
  records.push(r);
  await store.createLive(r);
}
const frame = JSON.stringify({
  t: 'event',
  type: 'coGuest.applicationReceived',
  seq: 1,
  payload: { requestId: 'r', user: { userId: 'x', userName: 'X' } },
});
const lat: number[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let k = 0; k < commits; k++) {
  const changes = [];
  for (let b = 0; b < perCommit; b++) {
    const r = records[(k * perCommit + b) % lives] as LiveRecord;
    r.seq += 2;
    changes.push({
      key: r.key,
      record: r,
      recordJson: JSON.stringify(r),
      events: [
        { seq: r.seq - 1, frame, to: 'all' as const },
        { seq: r.seq, frame, to: ['host'] },
      ],
    });
  }
  const s = performance.now();
  await store.commit({ changes, ended: [] });
  lat.push(performance.now() - s);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await store.close();
rmSync(dir, { recursive: true, force: true });
lat.sort((a, b) => a - b);
const q = (p: number) => (lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? NaN).toFixed(3);
process.stdout.write(
  `${commits} commits × ${perCommit} lives (${lives} lives, record ${JSON.stringify(records[0]).length} B): ` +
    `wall ${((wallMs * 1000) / commits).toFixed(0)} µs/commit, process CPU ${((cpu.user + cpu.system) / commits).toFixed(0)} µs/commit ` +
    `(both threads), p50 ${q(0.5)} p99 ${q(0.99)} max ${q(1)} ms\n`,
);
