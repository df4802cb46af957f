/**
 * bench/media: time to first frame and accept-to-frame in Chromium, recovery after a cut media path, a simulcast layer switch, and the SFU's
 * CPU cost per forwarded packet (1 publisher → 1/20/50/100 werift subscribers in another process; the server in its
 * own process reports `process.cpuUsage()` over IPC) next to the floor (SRTP protect + connected UDP send of the same
 * packets, measured in the same run). Prints a table, writes the media block of docs/BENCHMARKS.md, and ends with one
 * `RESULT …` line. `--quick` keeps it short; `--fanout-only` runs only the fan-out phase and its floor.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { runBrowserPhases } from './browser.js';
import { runFanoutPhase } from './fanout.js';
import { runLayerSwitchPhase } from './layers.js';
import { runRecoverPhase } from './recover.js';
import { writeFanoutBlock, writeMediaBlock } from './report.js';

const quick = process.argv.includes('--quick');
/** Only the fan-out phase and its floor (no Chromium); writes its own block of docs/BENCHMARKS.md. */
const fanoutOnly = process.argv.includes('--fanout-only');
/** Only the Chromium phases (TTFF, accept → frame); prints their figures, writes nothing (a quick check of the client path). */
const browserOnly = process.argv.includes('--browser-only');
const VIEWERS = quick ? 5 : 9;
const GUESTS = quick ? 2 : 5;
const LEVELS = [1, 20, 50, 100];
const WINDOW_MS = quick ? 2000 : 5000;
const VIDEO_KBPS = 1000;
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const startedAt = Date.now();
log(
  `bench/media${quick ? ' --quick' : ''}: ${VIEWERS} viewers, ${GUESTS} guests in Chromium; fan-out ${LEVELS.join('/')} subscribers at ${VIDEO_KBPS} kbit/s video`,
);
// A phase that fails (e.g. no frame in time on an overloaded machine) is reported and leaves NaN; the others still run.
const failed = (phase: string) => (err: unknown) => {
  log(`  ${phase} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
};
let b: { ttffMs: number[]; acceptToFrameMs: number[] } = { ttffMs: [], acceptToFrameMs: [] };
let recovers: number[] = [];
let layerSwitches: number[] = [];
if (!fanoutOnly) {
  log('browser phases:');
  b = (await runBrowserPhases(VIEWERS, GUESTS, log).catch(failed('browser phases'))) ?? b;
  if (browserOnly) {
    process.stdout.write(
      `RESULT ttff_ms=${median(b.ttffMs)} accept_to_frame_ms=${median(b.acceptToFrameMs)} load=${(loadavg()[0] ?? NaN).toFixed(1)}\n`,
    );
    process.exit(0);
  }
  log("recovery phase (a viewer's media path cut for 5 s, then restored):");
  recovers = (await runRecoverPhase(quick ? 1 : 3, 5000, log).catch(failed('recovery phase'))) ?? [NaN];
  log("layer-switch phase (a viewer's tile shrinks from 1280 to 160 px wide):");
  layerSwitches = (await runLayerSwitchPhase(quick ? 3 : 5, log).catch(failed('layer-switch phase'))) ?? [];
}
log('fan-out phase (each level followed by its floor: SRTP protect + connected UDP send of the same packets):');
const loadBefore = loadavg()[0] ?? NaN;
const levels = await runFanoutPhase(LEVELS, WINDOW_MS, VIDEO_KBPS, log);
const loadAfter = loadavg()[0] ?? NaN;
const ttff = median(b.ttffMs);
const accept = median(b.acceptToFrameMs);
const recover = recovers.length > 0 ? Math.max(...recovers) : NaN;
const layerSwitch = median(layerSwitches);
// Subscribers per core at the fixed bitrate: from the largest point where the SFU still forwarded ≥ 90 % of the packets.
// On a machine too loaded for any level to keep up, the level that forwarded the most packets per second.
const top = [...levels].reverse().find((l) => l.delivered >= 0.9) ?? [...levels].sort((a, b) => b.forwardedPerSec - a.forwardedPerSec)[0];
const usPerPacket = top ? top.usPerPacket : NaN;
const floorUs = top ? top.floorUsPerPacket : NaN;
const sfuVsFloor = usPerPacket / floorUs;
const marginalUs = top ? top.marginalUsPerPacket : NaN;
const floorMarginalUs = top ? top.floorMarginalUsPerPacket : NaN;
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
    `${l.usPerPacket.toFixed(1)} µs (marginal ${l.marginalUsPerPacket.toFixed(1)})`,
    `${l.forwardedPerSec} packets/s sent (${Math.round(l.delivered * 100)}% of nominal${l.delivered < 0.9 ? ', saturated' : ''}; ${Math.round(l.received * 100)}% received), server ${l.serverCpuPct}% CPU, peers ${l.peersCpuPct}%; floor ${l.floorUsPerPacket.toFixed(1)} µs (marginal ${l.floorMarginalUsPerPacket.toFixed(1)}) → ${(l.usPerPacket / l.floorUsPerPacket).toFixed(2)}× the floor (marginal ${(l.marginalUsPerPacket / l.floorMarginalUsPerPacket).toFixed(2)}×)`,
    l.subscribers === 1 ? '' : '≤ 12 µs',
  ]),
  [
    `SFU ÷ floor (SRTP protect + connected UDP send of the same packets, same run) at the ${top?.subscribers ?? '?'}-subscriber point`,
    `${sfuVsFloor.toFixed(2)}×`,
    `floor ${floorUs.toFixed(1)} µs/packet; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} during the fan-out phase`,
    '≤ 1.5×',
  ],
  [
    `subscribers per core at ${VIDEO_KBPS} kbit/s video + audio, ${perSubPps} packets/s each (from the ${top?.subscribers ?? '?'}-subscriber point)`,
    String(subsPerCore),
    '',
    '',
  ],
];
const table = ['| measure | value | note | target |', '|---|---:|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
process.stdout.write(`\n${table}\n\n`);
if (fanoutOnly) {
  // Without the browser, recovery and layer-switch rows (not measured).
  const fanoutTable = ['| measure | value | note | target |', '|---|---:|---|---|', ...rows.slice(4).map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const load = `load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`;
  await writeFanoutBlock({ table: fanoutTable, machine, quick, load, seconds: Math.round((Date.now() - startedAt) / 1000) });
} else
  await writeMediaBlock({
    table,
    machine,
    quick,
    ttffMs: b.ttffMs,
    acceptMs: b.acceptToFrameMs,
    seconds: Math.round((Date.now() - startedAt) / 1000),
  });
process.stdout.write(
  `RESULT ttff_ms=${ttff} accept_to_frame_ms=${accept} us_per_packet=${usPerPacket.toFixed(1)} subs_per_core=${subsPerCore} recover_ms=${recover} floor_us_per_packet=${floorUs.toFixed(1)} sfu_vs_floor=${sfuVsFloor.toFixed(2)} marginal_us_per_packet=${marginalUs.toFixed(1)} floor_marginal_us_per_packet=${floorMarginalUs.toFixed(1)} layer_switch_ms=${layerSwitch} load=${loadBefore.toFixed(1)}\n`,
);
