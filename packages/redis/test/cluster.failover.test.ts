/**
 * Three real node processes (`onseat --redis`) on one redis-server. The owner of a live is killed (kill -9) or
 * paused (SIGSTOP) mid-live; another node takes the live over from Redis and the clients resume on another node.
 */
import type { SeatInfo } from '@onseat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAs, type WsClient } from '../../server/test/support/wsClient.js';
import { APP } from './support/cluster.js';
import { metricValue, NodeProcess } from './support/nodeProcess.js';
import { TestRedis } from './support/redisServer.js';
import { loggedEvents } from './support/redisLog.js';

const TTL = 2000;
const KEY = `${APP.sdkAppId}:fo`;
let redis: TestRedis;
let nodes: NodeProcess[] = [];
const clients: WsClient[] = [];

beforeEach(async () => {
  redis = await TestRedis.start();
  // the default lease TTL (2 000 ms)
  nodes = await Promise.all([0, 1, 2].map(() => NodeProcess.start(redis.url)));
}, 60_000); // three processes compiling TypeScript at once on a 2-core machine
afterEach(async (ctx) => {
  if (process.env.CLUSTER_TEST_LOG_LEVEL && ctx.task.result?.state === 'fail') {
    for (const n of nodes) console.log(`---- node ${n.url}\n${n.output()}`);
    console.log(JSON.stringify(await loggedEvents(redis.url, KEY)).slice(0, 5000));
  }
  for (const n of nodes) n.signal('SIGCONT');
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(nodes.map((n) => n.kill()));
  await redis.stop();
}, 30_000);

async function as(node: NodeProcess, userId: string): Promise<WsClient> {
  const c = await connectAs(node.url, APP, userId, { userName: `${userId}-name` });
  clients.push(c);
  return c;
}

const seated = (seats: SeatInfo[]) => seats.map((s) => s.userInfo?.userId ?? null);
const lastSeq = (c: WsClient) => Math.max(0, ...c.events().map((e) => e.seq));

/** Reconnects a user to another node and resumes by seq, retrying until the live is served again. */
async function resume(node: NodeProcess, userId: string, sinceSeq: number, until: number) {
  for (;;) {
    const c = await as(node, userId);
    const r = await c.request('live.sync', { liveId: 'fo', sinceSeq }, { timeoutMs: 6000 });
    if (r.ok) return { client: c, result: r.payload as { mode: string; events?: { seq: number }[] } };
    if (Date.now() > until) throw new Error(`resume failed: ${JSON.stringify(r.error)}`);
    await c.close();
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** host on A (the owner) with g2 seated, g1 (on B) seated, a viewer on C, `app1` (on B) with an application pending. */
async function liveWithGuests(applicationTimeoutS: number) {
  const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
  const host = await as(a, 'host');
  await host.call('live.start', { liveId: 'fo', liveName: 'Failover', maxSeatCount: 4 });
  const g1 = await as(b, 'g1');
  const g2 = await as(a, 'g2');
  const viewer = await as(c, 'viewer');
  const app1 = await as(b, 'app1');
  for (const cl of [g1, g2, viewer, app1]) await cl.call('live.join', { liveId: 'fo' });
  for (const g of [g1, g2]) {
    await g.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
    await host.nextEvent('coGuest.applicationReceived', (p) => p.application.user.userId === (g === g1 ? 'g1' : 'g2'));
    await host.call('coGuest.acceptApplication', { userId: g === g1 ? 'g1' : 'g2' });
  }
  const { application } = await app1.call('coGuest.apply', { seatIndex: -1, timeout: applicationTimeoutS });
  await host.nextEvent('coGuest.applicationReceived', (p) => p.application.user.userId === 'app1');
  await viewer.nextEvent('seat.listChanged', (p) => seated(p.seats).includes('g2'));
  return { a, b, c, host, g1, g2, viewer, app1, application };
}

function expectContiguous(seqs: number[]): void {
  expect(seqs.length).toBeGreaterThan(0);
  seqs.forEach((s, i) => expect(s).toBe(seqs[0]! + i));
}

describe('takeover', () => {
  it(
    'kill -9 the owner: no seat or application lost, clients resume ≤ 3 s, the timeout fires once, seq has no gap',
    { timeout: 40_000 },
    async () => {
      const { a, b, c, host, g1, g2, viewer, app1, application } = await liveWithGuests(5);
      const hostSeq = lastSeq(host);
      const killedAt = Date.now();
      await a.kill();

      // host and g2 were on the dead node: they reconnect to the others and resume by seq
      const [h2, g22] = await Promise.all([resume(b, 'host', hostSeq, killedAt + 8000), resume(c, 'g2', lastSeq(g2), killedAt + 8000)]);
      const resumedMs = Date.now() - killedAt;
      expect(resumedMs).toBeLessThanOrEqual(3000);
      expect(h2.result.mode).toBe('events'); // the log covered the gap: no snapshot needed
      const snap = await h2.client.call('live.sync', { liveId: 'fo', sinceSeq: 0 });
      if (snap.mode !== 'snapshot') throw new Error('expected a snapshot');
      expect(seated(snap.snapshot.seats)).toEqual(['host', 'g1', 'g2', null]);
      expect(snap.snapshot.applications.map((x) => x.requestId)).toEqual([application.requestId]);
      expect(snap.snapshot.audienceCount).toBe(4);

      // the application's deadline (5 s after it was made) fires on the new owner, exactly once
      const timedOut = await app1.nextEvent('coGuest.applicationTimedOut', undefined, 8000);
      expect(timedOut.payload.application.requestId).toBe(application.requestId);
      await h2.client.nextEvent('coGuest.applicationTimedOut', undefined, 3000);
      await new Promise((r) => setTimeout(r, 500));
      expect(app1.events('coGuest.applicationTimedOut')).toHaveLength(1);
      const log = await loggedEvents(redis.url, KEY);
      expect(log.filter((e) => e.type === 'coGuest.applicationTimedOut')).toHaveLength(1);
      expectContiguous(log.map((e) => e.seq));
      // the clients that never moved kept receiving, in order
      for (const cl of [g1, viewer]) {
        const seqs = cl.events().map((e) => e.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
      }
      // one of the survivors owns the live now, and says so on /metrics
      const owned = await Promise.all([b, c].map(async (n) => metricValue(await n.metrics(), 'onseat_cluster_lives_owned')));
      expect(owned.sort()).toEqual([0, 1]);
      const takeovers = await Promise.all([b, c].map(async (n) => metricValue(await n.metrics(), 'onseat_cluster_takeovers_total')));
      expect(takeovers.reduce((x, y) => x + y)).toBe(1);
      void g22;
    },
  );

  it(
    'SIGSTOP the owner past its lease, another node takes over, SIGCONT: the old owner cannot write and steps down',
    { timeout: 40_000 },
    async () => {
      const { a, b, host, g1, app1, application } = await liveWithGuests(3);
      a.signal('SIGSTOP');
      const stoppedAt = Date.now();
      // g1 (on B) asks while A is paused: B waits for the lease to expire, takes the live and answers
      const moved = await g1.request('live.info', { liveId: 'fo' }, { timeoutMs: 8000 });
      expect(moved.ok).toBe(true);
      // the application's deadline passes on the new owner while A is still paused
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(TTL - 700); // not before A's lease ran out
      await app1.nextEvent('coGuest.applicationTimedOut', undefined, 8000);
      // the host's command sits in A's socket while it is paused; A wakes with its stale copy of the live
      const pending = host.request('seat.lock', { seatIndex: 3 }, { timeoutMs: 8000 });
      a.signal('SIGCONT');
      const reply = await pending;
      if (!reply.ok) expect(reply.error.code).toBe(40020); // STORE_UNAVAILABLE: A was fenced and answered nothing else
      let metrics = await a.metrics();
      for (let i = 0; i < 30 && metricValue(metrics, 'onseat_cluster_lives_owned') !== 0; i++) {
        await new Promise((res) => setTimeout(res, 100));
        metrics = await a.metrics();
      }
      expect(metricValue(metrics, 'onseat_cluster_lives_owned')).toBe(0);
      expect(metricValue(metrics, 'onseat_cluster_step_downs_total')).toBeGreaterThanOrEqual(1);
      // the host, still connected to A, now goes through A to the new owner
      const again = await host.request('seat.lock', { seatIndex: 3 }, { timeoutMs: 8000 });
      expect(again.ok).toBe(true);
      const log = await loggedEvents(redis.url, KEY);
      expectContiguous(log.map((e) => e.seq));
      const timeouts = log.filter((e) => e.type === 'coGuest.applicationTimedOut');
      expect(timeouts).toHaveLength(1);
      expect((timeouts[0]!.payload as { application: { requestId: string } }).application.requestId).toBe(application.requestId);
      // every client sees one history: what the host received are logged events with the same seq
      const logged = new Map(log.map((e) => [e.seq, e.type]));
      for (const e of host.events()) if (logged.has(e.seq)) expect(logged.get(e.seq)).toBe(e.type);
      void b;
    },
  );
});
