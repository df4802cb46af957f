/**
 * Load generated against onseat by one client process: connecting lives, the seat-op latency samples and
 * the closed-loop co-guest throughput run. Every live used here has its host in this same process, so the
 * applicant's send time and the host's receive time come from one clock.
 */
import { OnseatConn, type Res } from './onseatConn.js';
import { mapLimit } from '../lib/stats.js';

/** A live as this process holds it. */
export interface LiveConns {
  liveId: string;
  host: OnseatConn | undefined;
  audience: OnseatConn[];
}

/** What to connect: a live (started by `host` when given, else joined only) and its audience user ids. */
export interface LiveSpec {
  liveId: string;
  host?: string;
  audience: string[];
}

type CreateUserSig = (o: { sdkAppId: number; secret: string; userId: string; expiresInSeconds?: number }) => Promise<string>;
let createUserSig: CreateUserSig | undefined;

async function sign(sdkAppId: number, secret: string, userId: string): Promise<string> {
  createUserSig ??= ((await import('@onseat/server')) as unknown as { createUserSig: CreateUserSig }).createUserSig;
  return createUserSig({ sdkAppId, secret, userId, expiresInSeconds: 3600 });
}

async function openWithRetry(url: string, userId: string): Promise<OnseatConn> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await OnseatConn.open(url, userId);
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/** Connect, authenticate and start/join every live of `specs`; hosts first. */
export async function connectLives(
  lives: Map<string, LiveConns>,
  a: { url: string; sdkAppId: number; secret: string; specs: LiveSpec[]; concurrency: number },
): Promise<{ hosts: number; audience: number; ms: number }> {
  const t0 = performance.now();
  const login = async (userId: string) => {
    const [conn, sig] = await Promise.all([openWithRetry(a.url, userId), sign(a.sdkAppId, a.secret, userId)]);
    await conn.hello(a.sdkAppId, sig);
    return conn;
  };
  const entry = (liveId: string): LiveConns => {
    let l = lives.get(liveId);
    if (!l) lives.set(liveId, (l = { liveId, host: undefined, audience: [] }));
    return l;
  };
  const withHost = a.specs.filter((s) => s.host !== undefined);
  await mapLimit(withHost, a.concurrency, async (s) => {
    const host = await login(s.host as string);
    await host.must('live.start', { liveId: s.liveId, liveName: `bench ${s.liveId}`, seatMode: 2, maxSeatCount: 9 });
    entry(s.liveId).host = host;
  });
  const members = a.specs.flatMap((s) => s.audience.map((userId) => ({ liveId: s.liveId, userId })));
  await mapLimit(members, a.concurrency, async (m) => {
    const conn = await login(m.userId);
    await conn.must('live.join', { liveId: m.liveId });
    entry(m.liveId).audience.push(conn);
  });
  return { hosts: withHost.length, audience: members.length, ms: performance.now() - t0 };
}

/** End the given lives (host `live.end`) and close all their sockets. */
export async function closeLives(lives: Map<string, LiveConns>, liveIds: readonly string[]): Promise<number> {
  const conns: OnseatConn[] = [];
  const failures: Record<string, number> = {};
  for (const id of liveIds) {
    const l = lives.get(id);
    if (!l) continue;
    lives.delete(id);
    if (l.host) {
      const r = await l.host.request('live.end');
      if (!r.ok) {
        const why = `${r.error?.name ?? '?'}${l.host.closeInfo ? ` (${l.host.closeInfo})` : ''}`;
        failures[why] = (failures[why] ?? 0) + 1;
      }
      conns.push(l.host);
    }
    conns.push(...l.audience);
  }
  // A host that lost its socket during a phase cannot end its live (the server ends it by the abandoned-live rule).
  if (Object.keys(failures).length > 0) console.error(`[bench client ${process.pid}] live.end failed: ${JSON.stringify(failures)}`);
  await mapLimit(conns, 500, (c) => c.close());
  return conns.length;
}

/**
 * Seat-op latency: one sample at a time, lives round-robin: an audience member sends `coGuest.apply`,
 * the time until the host's socket receives `coGuest.applicationReceived` is the sample; then the member
 * cancels (awaited) and the next sample starts.
 */
export async function seatOps(
  lives: Map<string, LiveConns>,
  a: { samples: number },
): Promise<{ latencies: number[]; applyRtt: number[]; errors: Record<string, number> }> {
  const hosted = [...lives.values()].filter((l) => l.host && l.audience.length > 0);
  if (hosted.length === 0) throw new Error('no hosted lives in this process');
  const waiters = new Map<string, (t: number) => void>();
  for (const l of hosted) {
    (l.host as OnseatConn).onEvent = (evt, t) => {
      if (evt.type !== 'coGuest.applicationReceived') return;
      const app = evt.payload.application as { user: { userId: string } };
      waiters.get(app.user.userId)?.(t);
    };
  }
  const latencies: number[] = [];
  const applyRtt: number[] = [];
  const errors: Record<string, number> = {};
  const fail = (what: string) => (errors[what] = (errors[what] ?? 0) + 1);
  for (let k = 0; k < a.samples; k++) {
    const l = hosted[k % hosted.length] as LiveConns;
    const who = l.audience[Math.floor(k / hosted.length) % l.audience.length] as OnseatConn;
    let timer: NodeJS.Timeout | undefined;
    const received = new Promise<number>((resolve, reject) => {
      waiters.set(who.userId, resolve);
      timer = setTimeout(() => reject(new Error('timeout')), 5000);
    });
    // Handled below; a timeout that fires while the apply is still in flight must not crash the client process.
    received.catch(() => undefined);
    const t0 = performance.now();
    const res = await who.request('coGuest.apply', { seatIndex: -1, timeout: 0 });
    const tRes = performance.now();
    if (!res.ok) {
      clearTimeout(timer);
      received.catch(() => undefined);
      fail(`apply:${res.error?.name}`);
    } else {
      try {
        latencies.push((await received) - t0);
        applyRtt.push(tRes - t0);
      } catch {
        fail('event-timeout');
      }
      clearTimeout(timer);
      const c = await who.request('coGuest.cancelApplication');
      if (!c.ok) fail(`cancel:${c.error?.name}`);
    }
    waiters.delete(who.userId);
  }
  for (const l of hosted) (l.host as OnseatConn).onEvent = undefined;
  return { latencies, applyRtt, errors };
}

/**
 * Closed-loop co-guest throughput for `durationMs`: in every hosted live, `applyLoops` members loop
 * apply → cancelApplication and `acceptLoops` members loop apply → host acceptApplication → disconnect.
 * Counts requests answered ok within the window.
 */
export async function coGuestLoad(
  lives: Map<string, LiveConns>,
  a: { durationMs: number; applyLoops: number; acceptLoops: number },
): Promise<{ ok: number; byType: Record<string, number>; errors: Record<string, number>; windowMs: number; rttMs: Record<string, number> }> {
  const hosted = [...lives.values()].filter((l) => l.host);
  const byType: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let ok = 0;
  const start = performance.now();
  const deadline = start + a.durationMs;
  const rttSum: Record<string, number> = {};
  const rttCount: Record<string, number> = {};
  const run = async (conn: OnseatConn, type: string, payload: object = {}): Promise<boolean> => {
    const sent = performance.now();
    const r: Res = await conn.request(type, payload);
    const now = performance.now();
    if (now > deadline) return false;
    rttSum[type] = (rttSum[type] ?? 0) + (now - sent);
    rttCount[type] = (rttCount[type] ?? 0) + 1;
    if (r.ok) {
      ok++;
      byType[type] = (byType[type] ?? 0) + 1;
    } else {
      const k = `${type}:${r.error?.name}`;
      errors[k] = (errors[k] ?? 0) + 1;
    }
    return true;
  };
  const applyLoop = async (m: OnseatConn) => {
    while (performance.now() < deadline) {
      if (!(await run(m, 'coGuest.apply', { seatIndex: -1, timeout: 0 }))) break;
      if (!(await run(m, 'coGuest.cancelApplication'))) break;
    }
  };
  const acceptLoop = async (host: OnseatConn, m: OnseatConn) => {
    while (performance.now() < deadline) {
      if (!(await run(m, 'coGuest.apply', { seatIndex: -1, timeout: 0 }))) break;
      if (!(await run(host, 'coGuest.acceptApplication', { userId: m.userId }))) break;
      if (!(await run(m, 'coGuest.disconnect'))) break;
    }
  };
  const loops: Promise<void>[] = [];
  const used: OnseatConn[] = [];
  for (const l of hosted) {
    const host = l.host as OnseatConn;
    l.audience.forEach((m, i) => {
      if (i < a.acceptLoops) loops.push(acceptLoop(host, m));
      else if (i < a.acceptLoops + a.applyLoops) loops.push(applyLoop(m));
      else return;
      used.push(m);
    });
  }
  await Promise.all(loops);
  // Leave no member seated or applying (a loop may have stopped mid-cycle at the deadline); not counted.
  await mapLimit(used, 200, async (m) => {
    await m.request('coGuest.cancelApplication');
    await m.request('coGuest.disconnect');
  });
  const rttMs: Record<string, number> = {};
  for (const [type, sum] of Object.entries(rttSum)) rttMs[type] = sum / (rttCount[type] ?? 1);
  return { ok, byType, errors, windowMs: a.durationMs, rttMs };
}
