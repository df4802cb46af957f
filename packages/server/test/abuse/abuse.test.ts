import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TYPES } from '@onseat/protocol';
import { connectAs, type TestApp, type WsClient } from '../support/wsClient.js';

/**
 * The abuse suite: the real CLI process (memory store), a hostile user in another process flooding every request
 * type at 5,000/s (bounded: PHASE_MS each), an owner creating lives in a loop, live.list over many lives and live.sync
 * from the oldest seq — while this process measures seat operations in another live. Asserts: the server survives,
 * its memory stays bounded, the budgets answer the flood, and the other live's seat-op p99 stays ≤ 10 ms.
 */

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const FLOODER = fileURLToPath(new URL('./flooder.ts', import.meta.url));
const APP: TestApp = { sdkAppId: 1400000001, secret: 'abuse-suite-secret-0123456789' };
const SEAT_OP_P99_GOAL_MS = 10;
const RSS_LIMIT_MB = 400;
/** Most requests of one type a flood can get past the budgets in a phase: the largest burst (100 reads) and change. */
const BUDGETS_WORTH = 120;

/** Destructive types last: the flooding administrator leaves the live at the very end. */
const LAST = ['audience.kick', 'seat.kick', 'live.end', 'live.start', 'live.leave'];
const TYPE_PHASES = [...REQUEST_TYPES.filter((t) => !LAST.includes(t)), ...LAST];
const PHASES = [...TYPE_PHASES, 'start-loop', 'sync', 'list'];

interface PhaseReport {
  phase: string;
  sent: number;
  answered: number;
  outcomes: Record<string, number>;
  ms: number;
  started?: number;
}

/** The server under attack, and an identical one nobody floods (the control: same machine, same moment). */
let server: ChildProcess;
let control: ChildProcess;
let controlUrl = '';
const stamps: [number, number, string][] = [];
/** Server CPU ms when each line of the flooder arrived (ABUSE_DEBUG). */
const cpuAt: number[] = [];
let url = '';
const exited: { code: number | null; signal: string | null }[] = [];

/** CPU time (user + system) the process used so far, ms. */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : NaN;
}

/** Starts the CLI (memory store, no media, no static files); resolves with its base URL. */
async function startCli(): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ONSEAT_') && k !== 'PORT') env[k] = v;
  const child = spawn(
    process.execPath,
    [
      ...(process.env['ABUSE_TRACE_GC'] ? ['--trace-gc'] : []),
      '--conditions=source',
      '--import',
      'tsx',
      CLI,
      '--port',
      '0',
      '--store',
      'memory',
      '--media',
      'none',
      '--static-dir',
      'none',
    ],
    {
      env: { ...env, ONSEAT_LOG_LEVEL: 'error', ONSEAT_SDK_APP_ID: String(APP.sdkAppId), ONSEAT_SECRET: APP.secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (process.env['ABUSE_TRACE_GC'])
        for (const l of d.toString().split('\n'))
          if (/(\d+\.\d+) \/ /.test(l) && Number(/(\d+\.\d+) \/ /.exec(l)?.[1]) > 5) process.stdout.write(`gc ${child.pid}: ${l}\n`);
      const m = /onseat listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  return { child, url };
}

beforeAll(async () => {
  [{ child: server, url }, { child: control, url: controlUrl }] = await Promise.all([startCli(), startCli()]);
  server.once('exit', (code, signal) => exited.push({ code, signal }));
}, 30_000);

afterAll(() => {
  for (const c of [server, control]) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Seat take/leave round trips of 4 guests in their own live, paced within their budget, until `stop()`. */
async function measureSeatOps(url: string): Promise<{ record: (into: number[]) => void; stop: () => Promise<void> }> {
  const host = await connectAs(url, APP, 'm-host');
  await host.call('live.start', { liveId: 'measured', seatMode: 1 });
  const guests: WsClient[] = [];
  for (let i = 1; i <= 4; i++) {
    const g = await connectAs(url, APP, `m-guest${i}`);
    await g.call('live.join', { liveId: 'measured' });
    guests.push(g);
  }
  let samples: number[] | null = null;
  let running = true;
  const loops = guests.map(async (g, i) => {
    while (running) {
      for (const [type, payload] of [
        ['seat.take', { seatIndex: i + 1 }],
        ['seat.leave', {}],
      ] as const) {
        const t = performance.now();
        const r = await g.request(type, payload, { timeoutMs: 10_000 });
        samples?.push(performance.now() - t);
        if (samples && process.env['ABUSE_DEBUG']) stamps.push([Date.now(), performance.now() - t, type]);
        if (!r.ok) throw new Error(`${type}: ${r.error.name}`);
        // 4 ops/s per type and guest: inside the HUMAN budget, so every one is a real seat change.
        await new Promise((resolve) => setTimeout(resolve, 125 + Math.random() * 50));
      }
    }
  });
  return {
    record: (into) => (samples = into),
    stop: async () => {
      running = false;
      await Promise.all(loops);
      for (const c of [host, ...guests]) await c.close();
    },
  };
}

function runFlooder(phases: string[], on: (signal: 'ready' | 'flooding') => void): Promise<PhaseReport[]> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', FLOODER, url, String(APP.sdkAppId), APP.secret, ...phases], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    const before = out;
    out += d.toString();
    if (process.env['ABUSE_DEBUG']) for (let i = before.split('\n').length - 1; i < out.split('\n').length - 1; i++) cpuAt.push(cpuMs(server.pid!));
    for (const signal of ['ready', 'flooding'] as const) if (!before.includes(`"${signal}":true`) && out.includes(`"${signal}":true`)) on(signal);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`flooder exited ${code}: ${err}`));
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as PhaseReport & { done?: boolean; ready?: boolean; flooding?: boolean });
      resolve(lines.filter((l) => !l.done && !l.ready && !l.flooding));
    });
  });
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

describe('abuse: one hostile user against the real server', { timeout: 120_000 }, () => {
  it('survives every flood with bounded memory; the budgets answer it; another live keeps its seat-op p99 ≤ 10 ms', async () => {
    const pid = server.pid!;
    const rssBefore = rssMb(pid);
    const measure = await measureSeatOps(url);
    const measureControl = await measureSeatOps(controlUrl);
    const samples: number[] = [];
    const controlSamples: number[] = [];
    let floodStart = { cpu: 0, at: 0 };
    const reports = await runFlooder(PHASES, (signal) => {
      if (signal !== 'flooding') return;
      measure.record(samples);
      measureControl.record(controlSamples);
      floodStart = { cpu: cpuMs(pid), at: performance.now() };
    });
    const serverCpu = (cpuMs(pid) - floodStart.cpu) / (performance.now() - floodStart.at);
    await Promise.all([measure.stop(), measureControl.stop()]);

    const health = await fetch(`${url}/healthz`);
    expect(exited).toEqual([]);
    expect(health.status).toBe(200);
    const rssAfter = rssMb(pid);

    const byPhase = new Map(reports.map((r) => [r.phase, r]));
    expect([...byPhase.keys()].sort()).toEqual([...PHASES].sort());
    for (const type of TYPE_PHASES) {
      const r = byPhase.get(type)!;
      // The flood was refused (at most a budget's worth got through), and the server stopped reading the flooding
      // connection: part of the flood was never even read.
      expect(r.answered - (r.outcomes['FREQ_LIMIT'] ?? 0), type).toBeLessThanOrEqual(BUDGETS_WORTH);
      expect(r.answered, type).toBeLessThan(r.sent);
    }
    // An owner looping live.start + live.leave: a handful of lives started (its budget), and only one is kept.
    const loop = byPhase.get('start-loop')!;
    expect(loop.started).toBeLessThanOrEqual(8);
    const { lives } = (await health.json()) as { lives: number };
    // flood live + measured live + list lives + at most one of the looper's.
    expect(lives).toBeLessThanOrEqual(2 + (byPhase.get('list') as PhaseReport & { lives: number }).lives + 1);
    for (const phase of ['sync', 'list']) {
      const r = byPhase.get(phase)!;
      expect(r.answered - (r.outcomes['FREQ_LIMIT'] ?? 0), phase).toBeLessThanOrEqual(BUDGETS_WORTH);
    }

    if (process.env['ABUSE_DEBUG']) {
      // Lines: ready, flooding, then one per phase.
      for (const [i, r] of reports.entries()) {
        const cpu = (cpuAt[i + 2] ?? NaN) - (cpuAt[i + 1] ?? NaN);
        process.stdout.write(`phase ${r.phase}: ${r.sent} in ${r.ms} ms, server CPU ${cpu.toFixed(0)} ms ${JSON.stringify(r.outcomes)}\n`);
      }
      const ends = reports.map((r) => [(r as PhaseReport & { end: number }).end, r.phase] as const);
      for (const [at, ms, type] of stamps.filter((x) => x[1] > 10)) {
        process.stdout.write(`slow ${type} ${ms.toFixed(1)} ms during ${ends.find(([end]) => end >= at)?.[1] ?? 'setup/after'}\n`);
      }
    }
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    const controlP99 = percentile(controlSamples, 99);
    process.stdout.write(
      `abuse: ${samples.length} seat ops under flood: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${percentile(samples, 100).toFixed(1)} ms; ` +
        `control server, not flooded (${controlSamples.length}): p50 ${percentile(controlSamples, 50).toFixed(2)} ms, p99 ${controlP99.toFixed(2)} ms; ` +
        `server RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB, server CPU during the floods ${(serverCpu * 100).toFixed(0)}% of a core\n`,
    );
    expect(rssAfter).toBeLessThan(RSS_LIMIT_MB);
    // 5,000 requests a second cost the server little: the budgets answer them before any real work.
    expect(serverCpu).toBeLessThan(0.5);
    expect(samples.length).toBeGreaterThan(300);
    // The goal is 10 ms. On a machine so busy that seat ops on the control server (same machine, same moment, no flood)
    // miss half of it already, the machine and not the flood is what makes both slow; there the flooded server may be
    // at most 3 × the control's p99 + 10 ms (a flood that stalled the server would still exceed it by far).
    const busy = controlP99 > SEAT_OP_P99_GOAL_MS / 2;
    expect(p99).toBeLessThanOrEqual(busy ? 3 * controlP99 + SEAT_OP_P99_GOAL_MS : SEAT_OP_P99_GOAL_MS);
  });
});
