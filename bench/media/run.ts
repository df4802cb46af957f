/**
 * bench/media: time to first frame and accept-to-frame in Chromium, and the SFU's CPU cost per forwarded packet
 * (1 publisher → 20/50/100 werift subscribers in another process; the server in its own process reports
 * `process.cpuUsage()` over IPC). Prints a table, writes the media block of docs/BENCHMARKS.md, and ends with one
 * `RESULT …` line. `--quick` keeps it under a minute.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBrowserPhases } from './browser.js';
import { runLayerSwitchPhase } from './layers.js';
import { runRecoverPhase } from './recover.js';
import { writeMediaBlock } from './report.js';

const quick = process.argv.includes('--quick');
const VIEWERS = quick ? 5 : 9;
const GUESTS = quick ? 2 : 5;
const LEVELS = [20, 50, 100];
const WINDOW_MS = quick ? 2000 : 5000;
const VIDEO_KBPS = 1000;
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

type Msg = { type: string; [k: string]: unknown };
function child(file: string, args: string[] = []): ChildProcess {
  return fork(here(file), args, { execArgv: ['--conditions=source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
function next(c: ChildProcess, type: string, timeoutMs = 120_000): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${type} from child within ${timeoutMs} ms`)), timeoutMs);
    const on = (m: Msg) => {
      if (m.type !== type) return;
      clearTimeout(t);
      c.off('message', on);
      resolve(m);
    };
    c.on('message', on);
    c.once('exit', (code) => code !== 0 && reject(new Error(`child exited with ${code}`)));
  });
}
const ask = (c: ChildProcess, type: string) => {
  const p = next(c, type);
  c.send({ type });
  return p;
};
const cpuUs = (m: Msg) => {
  const u = m['cpu'] as NodeJS.CpuUsage;
  return u.user + u.system;
};

interface Level {
  subscribers: number;
  pktPerSec: number;
  /** Packets/s every subscriber should get (what the publisher sends). */
  nominalPps: number;
  /** Delivered ÷ nominal: below ~0.9 the machine is saturated (server and peers share its cores). */
  delivered: number;
  serverCpuPct: number;
  usPerPacket: number;
  peersCpuPct: number;
}

async function fanout(): Promise<Level[]> {
  const server = child('server.ts');
  const ready = await next(server, 'ready');
  const out: Level[] = [];
  try {
    for (const n of LEVELS) {
      const peers = child('peers.ts', [String(ready['url']), JSON.stringify(ready['app']), String(n), String(VIDEO_KBPS), `fan${n}`]);
      const peersReady = await next(peers, 'ready');
      await new Promise((r) => setTimeout(r, 500));
      const [s0, p0] = [await ask(server, 'cpu'), await ask(peers, 'count')];
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const [s1, p1] = [await ask(server, 'cpu'), await ask(peers, 'count')];
      const secs = (Date.now() - t0) / 1000;
      const packets = (p1['packets'] as number) - (p0['packets'] as number);
      const serverUs = cpuUs(s1) - cpuUs(s0);
      const level = {
        subscribers: n,
        pktPerSec: Math.round(packets / secs),
        nominalPps: peersReady['pps'] as number,
        delivered: packets / secs / ((peersReady['pps'] as number) * n),
        serverCpuPct: Math.round(serverUs / 1e4 / secs),
        usPerPacket: serverUs / Math.max(1, packets),
        peersCpuPct: Math.round((cpuUs(p1) - cpuUs(p0)) / 1e4 / secs),
      };
      out.push(level);
      log(
        `  ${n} subscribers: ${level.pktPerSec} packets/s forwarded (${Math.round(level.delivered * 100)}% of nominal), server CPU ${level.serverCpuPct}% → ${level.usPerPacket.toFixed(1)} µs/packet (peers process ${level.peersCpuPct}%)`,
      );
      peers.send({ type: 'close' });
      await new Promise((r) => peers.once('exit', r));
    }
  } finally {
    server.send({ type: 'close' });
    await new Promise((r) => server.once('exit', r));
  }
  return out;
}

const startedAt = Date.now();
log(
  `bench/media${quick ? ' --quick' : ''}: ${VIEWERS} viewers, ${GUESTS} guests in Chromium; fan-out ${LEVELS.join('/')} subscribers at ${VIDEO_KBPS} kbit/s video`,
);
log('browser phases:');
const b = await runBrowserPhases(VIEWERS, GUESTS, log);
log("recovery phase (a viewer's media path cut for 5 s, then restored):");
const recovers = await runRecoverPhase(quick ? 1 : 3, 5000, log);
log("layer-switch phase (a viewer's tile shrinks from 1280 to 160 px wide):");
const layerSwitches = await runLayerSwitchPhase(quick ? 3 : 5, log);
log('fan-out phase:');
const levels = await fanout();
const ttff = median(b.ttffMs);
const accept = median(b.acceptToFrameMs);
const recover = Math.max(...recovers);
const layerSwitch = median(layerSwitches);
// Subscribers per core at the fixed bitrate: from the largest point that still delivered ≥ 90 % of the packets.
const top = [...levels].reverse().find((l) => l.delivered >= 0.9) ?? levels[0];
const usPerPacket = top ? top.usPerPacket : NaN;
const perSubPps = top ? top.nominalPps : NaN;
const subsPerCore = Math.floor(1e6 / (usPerPacket * perSubPps));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const rows = [
  ['audience joinLive → first decoded frame (median of ' + b.ttffMs.length + ')', `${ttff} ms`, '≤ 400 ms', ttff <= 400 ? 'met' : 'missed'],
  [
    'host accept → audience decodes the guest (median of ' + b.acceptToFrameMs.length + ')',
    `${accept} ms`,
    '≤ 700 ms',
    accept <= 700 ? 'met' : 'missed',
  ],
  [
    `media path cut for 5 s and restored → the viewer decodes again (worst of ${recovers.length})`,
    `${recover} ms`,
    '≤ 3000 ms',
    recover <= 3000 ? 'met' : 'missed',
  ],
  [
    `view shrinks 1280 → 160 px wide → the viewer decodes the 320 px simulcast layer (median of ${layerSwitches.length})`,
    `${layerSwitch} ms`,
    'keyframe asked at the decision; no freeze (old layer until then)',
    '',
  ],
  ...levels.map((l) => [
    `SFU, 1 → ${l.subscribers} subscribers: server CPU per forwarded packet`,
    `${l.usPerPacket.toFixed(1)} µs`,
    `${l.pktPerSec} packets/s (${Math.round(l.delivered * 100)}% of nominal${l.delivered < 0.9 ? ', saturated' : ''}), server ${l.serverCpuPct}% CPU, peers ${l.peersCpuPct}%`,
    '',
  ]),
  [
    `subscribers per core at ${VIDEO_KBPS} kbit/s video + audio, ${perSubPps} packets/s each (from the ${top?.subscribers ?? '?'}-subscriber point)`,
    String(subsPerCore),
    '',
    '',
  ],
];
const table = ['| measure | value | note | target |', '|---|---:|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
process.stdout.write(`\n${table}\n\n`);
await writeMediaBlock({ table, machine, quick, ttffMs: b.ttffMs, acceptMs: b.acceptToFrameMs, seconds: Math.round((Date.now() - startedAt) / 1000) });
process.stdout.write(
  `RESULT ttff_ms=${ttff} accept_to_frame_ms=${accept} us_per_packet=${usPerPacket.toFixed(1)} subs_per_core=${subsPerCore} recover_ms=${recover} layer_switch_ms=${layerSwitch}\n`,
);
