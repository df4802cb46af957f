/**
 * A forwarded command that its owner ran and committed, whose answer the forwarding node never heard, and whose owner
 * then died: the forwarder asks again, and whoever runs the live now answers from what the dead owner's commit kept
 * in Redis (`reply:{node/id}`) instead of running the command a second time.
 */
import { liveKeyOf } from '@onseat/server';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { APP } from './support/cluster.js';
import { killableCluster } from './support/killableCluster.js';
import type { KillableNode } from './support/killableNode.js';
import { scrapeMetric } from './support/nodeProcess.js';

const fixture = killableCluster();

const TTL = 1000;

const cluster = (names: string[], forwardTimeoutMs: number) => fixture.start(names, { leaseTtlMs: TTL, forwardTimeoutMs });

/** Nodes a and b; a host on a starts `liveId` (a owns it) and `userId` on b joins it. */
async function liveOnAJoinedFromB(liveId: string, userId: string, forwardTimeoutMs: number) {
  const { prefix, nodes: n, as } = await cluster(['a', 'b'], forwardTimeoutMs);
  const [a, b] = n as [KillableNode, KillableNode];
  const host = await as(a, 'host');
  await host.call('live.start', { liveId, liveName: liveId, maxSeatCount: 3 });
  const user = await as(b, userId);
  await user.call('live.join', { liveId });
  return { prefix, a, b, host, user };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never: ${what}`);
}

/**
 * A forwarding node "f" that the test plays through Redis: it sends commands about `liveId` to `owner`'s channel, as
 * user "far", and reads the answers on its own channel.
 */
async function fakeForwarder(prefix: string, owner: string, liveId: string) {
  const redis = new Redis(fixture.redis.url);
  const sub = new Redis(fixture.redis.url);
  const answers = new Map<number, unknown>();
  await sub.subscribe(`${prefix}ch:node:f`);
  sub.on('message', (_ch: string, m: string) => {
    const a = JSON.parse(m) as { id: number; r?: unknown };
    if (a.r) answers.set(a.id, a);
  });
  return {
    redis,
    async ask(id: number, ty: string, pl: unknown, again: boolean): Promise<unknown> {
      const cmd = {
        t: 'cmd',
        id,
        n: 'f',
        c: 1,
        p: { sdkAppId: APP.sdkAppId, userId: 'far', userName: 'far-name', avatarUrl: '' },
        u: { userName: 'far-name', avatarUrl: '' },
        k: liveKeyOf(APP.sdkAppId, liveId),
        ty,
        pl,
        ...(again ? { again: true } : {}),
      };
      await redis.publish(`${prefix}ch:node:${owner}`, JSON.stringify(cmd));
      return until(
        async () => answers.get(id),
        (a) => a !== undefined,
        `the answer to ${id}`,
      );
    },
    close(): void {
      redis.disconnect();
      sub.disconnect();
    },
  };
}

describe('a forwarded command whose owner died before its answer was heard', () => {
  it('the forwarding node takes the live over and answers from what the dead owner kept: the applicant gets its application, not ALREADY_ON_THE_SEAT_QUEUE', async () => {
    const { prefix, a, b, host, user: guest } = await liveOnAJoinedFromB('k', 'guest', 700);

    // B's subscription goes deaf: the answer A publishes with its commit never reaches B
    expect(b.proxy.mute('subscribe')).toBe(1);
    const r = new Redis(fixture.redis.url);
    try {
      const applied = guest.call('coGuest.apply', { seatIndex: -1, timeout: 60 });
      const received = await host.nextEvent('coGuest.applicationReceived');
      // A ran it and committed: its commit kept the answer
      const kept = await until(
        () => r.keys(`${prefix}reply:*`),
        (ks) => ks.length === 1,
        'the commit kept the answer',
      );
      expect(kept[0]).toMatch(new RegExp(`^${prefix}reply:${b.nodeId}/`));
      await a.kill();
      b.proxy.reset('subscribe'); // B's subscriber reconnects (what was published meanwhile is gone)

      // B asks A again until A's lease expires (≤ 1 s), then takes the live itself, finds the kept answer and returns
      // it (B gives up after TTL + 2 forward timeouts, 2.4 s: its attempts, 0.8 s apart, leave a margin for a slow machine)
      const { application } = await applied;
      expect(application.requestId).toBe(received.payload.application.requestId);
      expect(await r.get(`${prefix}lease:${liveKeyOf(APP.sdkAppId, 'k')}`)).toMatch(new RegExp(`^${b.nodeId}/`));
      expect(await scrapeMetric(b.url, 'onseat_cluster_replies_from_store_total')).toBe(1);
      expect(await scrapeMetric(b.url, 'onseat_cluster_forward_failures_total')).toBeGreaterThan(0);
      // run once: one application pending, and a cancel ends it
      const info = await guest.call('live.sync', { liveId: 'k', sinceSeq: 0 });
      expect(info.mode === 'snapshot' && info.snapshot.applications.map((x) => x.requestId)).toEqual([application.requestId]);
      await guest.call('coGuest.cancelApplication', {});
    } finally {
      r.disconnect();
    }
  }, 20_000);

  it('a gift sent through another node keeps its answer with the commit that counts it', async () => {
    const { prefix, a, b, user: fan } = await liveOnAJoinedFromB('g', 'fan', 1000);
    const { categories } = await fan.call('gift.list', {});
    const giftId = categories[0]!.giftList[0]!.giftID;
    await fan.call('gift.send', { giftId, count: 2 });
    const r = new Redis(fixture.redis.url);
    try {
      const kept = await r.keys(`${prefix}reply:${b.nodeId}/*`);
      expect(kept).toHaveLength(1);
      expect(JSON.parse((await r.get(kept[0]!))!)).toMatchObject({ t: 'reply', r: { ok: true, payload: {} } });
    } finally {
      r.disconnect();
    }
    expect(await scrapeMetric(a.url, 'onseat_cluster_replies_with_commit_total')).toBe(1);
  });

  it('another node that took the live over answers the retry from the kept answer, and runs a first attempt as usual', async () => {
    const { prefix, nodes: n, as } = await cluster(['a', 'c'], 1000);
    const [a, c] = n as [KillableNode, KillableNode];
    const host = await as(a, 'host');
    await host.call('live.start', { liveId: 'q', liveName: 'Q', maxSeatCount: 3 });
    const viewer = await as(c, 'viewer');
    await viewer.call('live.join', { liveId: 'q' });
    await viewer.call('gift.like', { count: 2 });
    await a.kill();
    // C takes the live over once A's lease is gone (its round, or the next command)
    await until(
      () => viewer.request('live.info', { liveId: 'q' }, { timeoutMs: 3000 }),
      (res) => res.ok,
      'C serves the live',
    );

    // A forwarder (a node "f" that the test plays through Redis): its user joins (command 40), then it asks C again
    // for its command 41, which the dead owner had run and whose answer its commit kept, and for 42, never run.
    const f = await fakeForwarder(prefix, c.nodeId, 'q');
    try {
      const kept = { t: 'reply', id: 41, r: { ok: true, payload: { totalLikes: 99 } } };
      await f.redis.set(`${prefix}reply:f/41`, JSON.stringify(kept), 'PX', 10_000);
      expect(await f.ask(40, 'live.join', { liveId: 'q' }, false)).toMatchObject({ id: 40, r: { ok: true } });
      expect(await f.ask(41, 'gift.like', { count: 5 }, true)).toEqual(kept);
      expect(await scrapeMetric(c.url, 'onseat_cluster_replies_from_store_total')).toBe(1);
      // not run again: the likes are still 2 (the viewer's), and a new command runs
      expect((await viewer.call('gift.like', { count: 1 })).totalLikes).toBe(3);
      expect(await f.ask(42, 'gift.like', { count: 5 }, true)).toMatchObject({ id: 42, r: { ok: true, payload: { totalLikes: 8 } } });
    } finally {
      f.close();
    }
  }, 20_000);

  it('an owner that cannot look the kept answer up (Redis away) answers STORE_UNAVAILABLE and does not run the command', async () => {
    const { prefix, nodes, as } = await fixture.start(['c'], { leaseTtlMs: 30_000 });
    const c = nodes[0]!;
    const host = await as(c, 'host');
    await host.call('live.start', { liveId: 'e', liveName: 'E', maxSeatCount: 3 });
    const f = await fakeForwarder(prefix, c.nodeId, 'e');
    try {
      expect(await f.ask(40, 'live.join', { liveId: 'e' }, false)).toMatchObject({ id: 40, r: { ok: true } });
      // C's lookup of the kept answer gets no answer from Redis for longer than its 1 s command timeout; then Redis
      // answers again (a command run after the failed lookup would be committed, and counted)
      c.proxy.holdAnswersAfter('reply:f/41');
      const answer = f.ask(41, 'gift.like', { count: 5 }, true);
      await new Promise((r) => setTimeout(r, 1200));
      c.proxy.release();
      expect(await answer).toMatchObject({ id: 41, r: { ok: false, error: { name: 'STORE_UNAVAILABLE' } } });
      expect((await host.call('gift.like', { count: 1 })).totalLikes).toBe(1);
    } finally {
      f.close();
    }
  }, 20_000);
});
