/**
 * The chat phase in one client process: every audience socket of the live records when each chat message reaches
 * it (scanning the raw `chat.batch` frame for the message ids, without parsing JSON); the process holding the
 * host also runs the senders and samples a seat op during the storm.
 */
import { epochMs } from '../lib/ipc.js';
import type { LiveConns } from './onseatLoad.js';
import type { OnseatConn } from './onseatConn.js';

const CHAT_MARK = Buffer.from('"chat.batch"');
const TEXT_MARK = Buffer.from('"textContent":"bm');
const QUOTE = 0x22;

/** Message id → receipts in this process and the latest arrival (epoch ms). */
const arrivals = new Map<string, { n: number; last: number }>();
/** chat.batch frames received by the audience sockets of this process. */
let frames = 0;

/** Record chat arrivals on every audience socket of `liveId` in this process. */
export function chatSetup(lives: Map<string, LiveConns>, a: { liveId: string }): { receivers: number } {
  arrivals.clear();
  frames = 0;
  const audience = lives.get(a.liveId)?.audience ?? [];
  const origin = performance.timeOrigin;
  for (const c of audience) {
    c.rawHook = (data, t) => {
      if (data.indexOf(CHAT_MARK) === -1) return false;
      frames++;
      for (let at = data.indexOf(TEXT_MARK); at !== -1; at = data.indexOf(TEXT_MARK, at + 1)) {
        const start = at + TEXT_MARK.length;
        const end = data.indexOf(QUOTE, start);
        const id = data.toString('latin1', start, end);
        const e = arrivals.get(id);
        if (e) {
          e.n++;
          if (origin + t > e.last) e.last = origin + t;
        } else arrivals.set(id, { n: 1, last: origin + t });
      }
      return true;
    };
  }
  return { receivers: audience.length };
}

/** What this process saw: [id, receipts, last arrival] per message, and the number of chat frames. */
export function chatArrivals(): { messages: [string, number, number][]; frames: number } {
  return { messages: [...arrivals].map(([id, e]) => [id, e.n, e.last]), frames };
}

/**
 * Samples seat ops until `over()`: `applicant` applies for a seat, the time until `watcher` (the live's owner or an
 * admin) gets `coGuest.applicationReceived` for it is one sample; then it cancels and waits 50 ms.
 */
export async function seatOpLoop(applicant: OnseatConn, watcher: OnseatConn, over: () => boolean, fail: (k: string) => void): Promise<number[]> {
  const samples: number[] = [];
  let waiter: ((t: number) => void) | undefined;
  const previous = watcher.onEvent;
  watcher.onEvent = (evt, t) => {
    const app = (evt.payload as { application?: { user?: { userId?: string } } }).application;
    if (evt.type === 'coGuest.applicationReceived' && app?.user?.userId === applicant.userId) waiter?.(t);
  };
  await sleep(500);
  while (!over()) {
    const received = new Promise<number>((resolve) => (waiter = resolve));
    const t0 = performance.now();
    const r = await applicant.request('coGuest.apply', { seatIndex: -1, timeout: 0 });
    if (!r.ok) {
      fail(`apply:${r.error?.name}`);
      await sleep(100);
      continue;
    }
    const t = await Promise.race([received, sleep(5000).then(() => -1)]);
    if (t < 0) fail('applicationReceived-timeout');
    else samples.push(t - t0);
    const c = await applicant.request('coGuest.cancelApplication');
    if (!c.ok) fail(`cancel:${c.error?.name}`);
    await sleep(50);
  }
  watcher.onEvent = previous;
  return samples;
}

/**
 * `senders` audience sockets each send one text per `1000 / perSender` ms for `durationMs` (staggered so the total
 * rate is even); meanwhile one other audience member applies for a seat and cancels, over and over, and the time
 * from its apply to the host's `coGuest.applicationReceived` is sampled (both sockets in this loaded process).
 */
export async function chatStorm(
  lives: Map<string, LiveConns>,
  a: { liveId: string; senders: number; perSender: number; durationMs: number },
): Promise<{ sent: [string, number][]; errors: Record<string, number>; seatOps: number[] }> {
  const l = lives.get(a.liveId);
  const host = l?.host;
  if (!l || !host) throw new Error('chatStorm: the live and its host must be in this process');
  const senders = l.audience.slice(0, a.senders);
  const applicant = l.audience[a.senders];
  if (senders.length < a.senders || !applicant) throw new Error(`chatStorm: need ${a.senders + 1} audience sockets in this process`);
  const sent: [string, number][] = [];
  const errors: Record<string, number> = {};
  const fail = (k: string) => (errors[k] = (errors[k] ?? 0) + 1);
  const interval = 1000 / a.perSender;
  const rounds = Math.floor((a.durationMs / 1000) * a.perSender);
  const sendLoop = async (c: OnseatConn, i: number) => {
    await sleep((i * interval) / senders.length);
    const start = performance.now();
    for (let k = 0; k < rounds; k++) {
      const id = `${i}_${k}`;
      const t0 = epochMs();
      const r = await c.request('barrage.sendText', { text: `bm${id}` });
      if (r.ok) sent.push([id, t0]);
      else fail(`send:${r.error?.name}`);
      const next = start + (k + 1) * interval - performance.now();
      if (next > 0) await sleep(next);
    }
  };
  let stormOver = false;
  const seat = seatOpLoop(applicant, host, () => stormOver, fail);
  await Promise.all(senders.map((c, i) => sendLoop(c, i)));
  stormOver = true;
  const seatOps = await seat;
  return { sent, errors, seatOps };
}

/**
 * The probe process (no load sockets of its own): its two members of the live, an admin and an applicant, sample seat
 * ops for `durationMs` — the server's latency during the storm without the load generator's own backlog.
 */
export async function probeSeatOps(
  lives: Map<string, LiveConns>,
  a: { liveId: string; durationMs: number },
): Promise<{ samples: number[]; errors: Record<string, number> }> {
  const [admin, applicant] = lives.get(a.liveId)?.audience ?? [];
  if (!admin || !applicant) throw new Error('probeSeatOps: the probe needs two members of the live');
  const errors: Record<string, number> = {};
  const end = performance.now() + a.durationMs;
  const samples = await seatOpLoop(
    applicant,
    admin,
    () => performance.now() >= end,
    (k) => (errors[k] = (errors[k] ?? 0) + 1),
  );
  return { samples, errors };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
