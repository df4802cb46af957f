/** Writes the `<!-- media:start -->`…`<!-- media:end -->` block of docs/BENCHMARKS.md (nothing else in the file). */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));
const START = '<!-- media:start -->';
const END = '<!-- media:end -->';
const FANOUT_START = '<!-- media-fanout:start -->';
const FANOUT_END = '<!-- media-fanout:end -->';

/** Replaces the block between `start` and `end` in docs/BENCHMARKS.md (appends it when absent). */
async function replaceBlock(start: string, end: string, block: string): Promise<void> {
  let text = '';
  try {
    text = await readFile(FILE, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const next = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(FILE, next);
}

/** `--fanout-only` runs: the fan-out table alone, in its own block, with the machine and its load. */
export async function writeFanoutBlock(r: { table: string; machine: string; quick: boolean; load: string; seconds: number }): Promise<void> {
  const block = [
    FANOUT_START,
    '### Media fan-out and floor only (bench/media --fanout-only)',
    '',
    `\`npm run bench:media -- ${r.quick ? '--quick ' : ''}--fanout-only\` on ${r.machine}, ${new Date().toISOString().slice(0, 10)}, ${r.seconds} s, ${r.load}.`,
    'Same fan-out as above; each level is followed by its floor (SRTP protect + connected UDP send of the same packets, see',
    'bench/media/README.md). On a loaded machine compare the SFU with the floor of the same level, not absolute µs.',
    '',
    r.table,
    FANOUT_END,
  ].join('\n');
  await replaceBlock(FANOUT_START, FANOUT_END, block);
}

export async function writeMediaBlock(r: {
  table: string;
  machine: string;
  quick: boolean;
  ttffMs: number[];
  acceptMs: number[];
  seconds: number;
}): Promise<void> {
  const block = [
    START,
    '## Media (bench/media)',
    '',
    `\`npm run bench:media${r.quick ? ' -- --quick' : ''}\` on ${r.machine}, ${new Date().toISOString().slice(0, 10)}, ${r.seconds} s.`,
    'Browser phases: headless Chromium (fake camera ~20 fps) running the real client SDK against an in-process server with',
    'the werift SFU on loopback. Fan-out: the server in its own process (CPU from `process.cpuUsage()` over IPC); one werift',
    'publisher sending synthetic RTP (audio 50 packets/s + ~1 Mbit/s video in 1100-byte packets) and N werift subscribers in a',
    'second process on the same machine, so both compete for the same cores. "Subscribers per core" = 10⁶ µs ÷',
    '(µs per packet × packets per second per subscriber) at the largest point.',
    '',
    r.table,
    '',
    `Samples: ttff ${r.ttffMs.join(', ')} ms; accept → frame ${r.acceptMs.join(', ')} ms.`,
    END,
  ].join('\n');
  await replaceBlock(START, END, block);
}
