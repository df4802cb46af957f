/**
 * The owner answers a forwarded command on a live inside the commit of its tick (the same Redis step as its events):
 * the answer goes out only if that commit is kept. A command whose commit is fenced (another node holds the lease now)
 * is answered STORE_UNAVAILABLE, never "ok", and nothing of it is stored.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { inProcessCluster, APP, type TestNode } from './support/cluster.js';
import { scrapeMetric } from './support/nodeProcess.js';
import { loggedEvents } from './support/redisLog.js';
import { uniquePrefix } from './support/redisServer.js';

const fixture = inProcessCluster();
const { clients, start } = fixture;

const metric = (n: TestNode, name: string) => scrapeMetric(n.url, name);
const withCommit = (n: TestNode) => metric(n, 'onseat_cluster_replies_with_commit_total');

describe('answers to forwarded commands', () => {
  it("go out with their tick's commit, after its events: an acceptance, a refusal; a command on no live's tick is posted", async () => {
    const [a, b] = (await start(2)) as [TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'w', liveName: 'W', maxSeatCount: 3 });
    const guest = await clients.as(b, 'guest');
    await guest.call('live.join', { liveId: 'w' });
    const before = await withCommit(a);

    const { application } = await guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
    expect((await host.nextEvent('coGuest.applicationReceived')).payload.application.requestId).toBe(application.requestId);
    expect(await withCommit(a)).toBe(before + 1);
    // a refusal answers the same way (the second application while one is pending)
    await expect(guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 })).rejects.toMatchObject({ error: { name: 'ALREADY_ON_THE_SEAT_QUEUE' } });
    expect(await withCommit(a)).toBe(before + 2);
    // the host accepts: the guest hears of its seat before its next answer (events of a tick come before its answers)
    await host.call('coGuest.acceptApplication', { userId: 'guest' });
    await guest.nextEvent('seat.listChanged', (p) => p.seats.some((s) => s.userInfo?.userId === 'guest'));
    // live.info is not a command on the live's tick: answered by a publish of its own
    await guest.call('live.info', { liveId: 'w' });
    expect(await withCommit(a)).toBe(before + 2);
    expect(await withCommit(b)).toBe(0);
  });

  it('a commit refused by fencing sends no answer with it: the applicant gets STORE_UNAVAILABLE and nothing is stored', async () => {
    const prefix = uniquePrefix();
    const [a, b] = (await start(2, { prefix, leaseTtlMs: 30_000 })) as [TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'f', liveName: 'F', maxSeatCount: 3 });
    const guest = await clients.as(b, 'guest');
    await guest.call('live.join', { liveId: 'f' });
    const key = `${APP.sdkAppId}:f`;
    const logged = (await loggedEvents(fixture.redis.url, key, prefix)).length;
    // Another node's lease now (as if A had been paused past its TTL and B took over): A's next commit is fenced.
    const r = new Redis(fixture.redis.url);
    try {
      await r.set(`${prefix}lease:${key}`, 'someone-else/999', 'PX', 30_000);
    } finally {
      r.disconnect();
    }
    const before = await withCommit(a);
    await expect(guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 })).rejects.toMatchObject({ error: { name: 'STORE_UNAVAILABLE' } });
    expect(await withCommit(a)).toBe(before);
    expect(await loggedEvents(fixture.redis.url, key, prefix)).toHaveLength(logged);
    expect(host.events('coGuest.applicationReceived')).toHaveLength(0);
  });

  it('an owner slower than the forward timeout runs a command once: asked again, it answers from the first run', async () => {
    const { a, b, guest, proxy } = await fixture.stallableOwner('slow');
    await guest.call('live.join', { liveId: 'slow' });
    const failures = await metric(b, 'onseat_cluster_forward_failures_total');
    proxy.freeze(); // A's commit of the likes waits for Redis; B asks again a few times meanwhile
    const liked = guest.call('gift.like', { count: 5 });
    await new Promise((r) => setTimeout(r, 600));
    proxy.thaw();
    expect((await liked).totalLikes).toBe(5);
    expect(await metric(b, 'onseat_cluster_forward_failures_total')).toBeGreaterThan(failures);
    // the likes counted once: the next like makes 6 (each run of the repeated command would have added 5)
    expect((await guest.call('gift.like', { count: 1 })).totalLikes).toBe(6);
    expect(await metric(a, 'onseat_cluster_repeated_commands_total')).toBeGreaterThan(0);
  });
});
