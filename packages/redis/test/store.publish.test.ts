/**
 * In a cluster the commit script also publishes the tick's events to the other nodes: atomically with the writes (a
 * fenced commit publishes nothing), one message per channel per tick, events for some users to their nodes' channels.
 */
import { sampleLive } from '@onseat/server/testing';
import type { LoggedEvent } from '@onseat/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeDeliveries, encodeDeliveries } from '../src/deliveries.js';
import { RedisLink } from '../src/RedisLink.js';
import { FencedError, RedisLiveStore } from '../src/RedisLiveStore.js';
import { TestRedis, uniquePrefix } from './support/redisServer.js';

let redis: TestRedis;
const links: RedisLink[] = [];
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(() => redis.stop());
afterEach(async () => {
  for (const l of links.splice(0)) await l.close();
});

async function link(prefix: string, nodeId: string): Promise<RedisLink> {
  const l = new RedisLink({ url: redis.url, prefix, nodeId });
  await l.connect();
  links.push(l);
  return l;
}

/** Messages arriving on a channel, on another node's link. */
async function listen(l: RedisLink, channel: string): Promise<string[]> {
  const got: string[] = [];
  await l.listen(channel, (m) => got.push(m));
  return got;
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('events published by the commit', () => {
  it('one message per channel: events for everyone on the live channel, events for a user on another node to that node', async () => {
    const prefix = uniquePrefix();
    const owner = await link(prefix, 'A');
    const other = await link(prefix, 'B');
    const store = new RedisLiveStore(owner, {
      // node ids are the given names plus a suffix unique to this start
      publishEvents: { nodesOf: (_key, to) => (to.includes('bob') ? new Set([other.nodeId]) : to.includes('amy') ? new Set([owner.nodeId]) : null) },
    });
    const rec = sampleLive('p');
    await store.createLive(rec);
    const onLive = await listen(other, owner.keys.liveChannel(rec.key));
    const onB = await listen(other, owner.keys.nodeChannel(other.nodeId));
    const onA = await listen(other, owner.keys.nodeChannel(owner.nodeId));
    // a frame may hold anything, newlines included: it is length-prefixed
    // (after the first event on the live channel, the tick's later ones go there too: deliveries.test.ts)
    const events: LoggedEvent[] = [
      { seq: 1, to: ['bob'], frame: 'line one\nline two' },
      { seq: 2, to: ['amy'], frame: '{"only":"local"}' },
      { seq: 3, to: 'all', frame: '{"a":3}' },
      { seq: 4, to: ['amy'], frame: '{"only":"local"}' },
      { seq: 5, to: ['carl'], frame: '{"unknown":"node"}' },
    ];
    await store.commit({ changes: [{ key: rec.key, recordJson: JSON.stringify({ ...rec, seq: 5 }), events }], ended: [] });
    await until(() => onLive.length > 0 && onB.length > 0);
    expect(onLive).toHaveLength(1);
    expect(onB).toHaveLength(1);
    expect(onA).toHaveLength(0); // the owner's own users get their events in process
    const live = onLive[0]!;
    expect(live.slice(0, live.indexOf('\n'))).toBe(owner.nodeId);
    expect(decodeDeliveries(live, rec.key, live.indexOf('\n') + 1).map((d) => [d.seq, d.delivery.frame])).toEqual([
      [3, '{"a":3}'],
      [5, '{"unknown":"node"}'],
    ]);
    const direct = onB[0]!;
    expect(direct.slice(0, direct.indexOf('\n'))).toBe(`D${rec.key}`);
    expect(decodeDeliveries(direct, rec.key, direct.indexOf('\n') + 1)).toEqual([
      { seq: 1, delivery: { liveKey: rec.key, to: ['bob'], frame: 'line one\nline two' } },
    ]);
  });

  it('a fenced commit publishes nothing', async () => {
    const prefix = uniquePrefix();
    const owner = await link(prefix, 'A');
    const other = await link(prefix, 'B');
    const store = new RedisLiveStore(owner, { fenceOf: () => 'A/1', publishEvents: { nodesOf: () => null } });
    const rec = sampleLive('f');
    await store.createLive(rec);
    await owner.cmd.set(owner.keys.lease(rec.key), 'B/2'); // another node holds the lease now
    const onLive = await listen(other, owner.keys.liveChannel(rec.key));
    const commit = store.commit({
      changes: [{ key: rec.key, recordJson: JSON.stringify(rec), events: [{ seq: 1, to: 'all', frame: '{}' }] }],
      ended: [],
    });
    await expect(commit).rejects.toBeInstanceOf(FencedError);
    await other.cmd.publish(owner.keys.liveChannel(rec.key), encodeDeliveries('marker', [{ seq: 0, to: 'all', frame: 'after' }]));
    await until(() => onLive.length > 0);
    expect(onLive.map((m) => decodeDeliveries(m, rec.key, m.indexOf('\n') + 1)[0]?.delivery.frame)).toEqual(['after']);
  });

  it("a message to remember (a forwarded command's answer) is kept with the commit, for its TTL; a fenced commit keeps none", async () => {
    const prefix = uniquePrefix();
    const owner = await link(prefix, 'A');
    const other = await link(prefix, 'B');
    let fence = '';
    const store = new RedisLiveStore(owner, { fenceOf: () => fence, publishEvents: { nodesOf: () => null } });
    const rec = sampleLive('m');
    await store.createLive(rec);
    const onB = await listen(other, owner.keys.nodeChannel(other.nodeId));
    const answer = '{"t":"reply","id":7,"r":{"ok":true,"payload":{}}}';
    await store.commit({
      changes: [{ key: rec.key, recordJson: JSON.stringify(rec), events: [{ seq: 1, to: 'all', frame: '{}' }] }],
      ended: [],
      messages: [
        { node: other.nodeId, message: answer, remember: { id: `${other.nodeId}/7`, ttlMs: 5000 } },
        { node: other.nodeId, message: 'not kept' },
      ],
    });
    await until(() => onB.length > 1);
    expect(onB).toEqual([answer, 'not kept']);
    expect(await owner.cmd.get(owner.keys.reply(`${other.nodeId}/7`))).toBe(answer);
    const ttl = await owner.cmd.pttl(owner.keys.reply(`${other.nodeId}/7`));
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(5000);
    expect(await owner.cmd.keys(`${prefix}reply:*`)).toHaveLength(1);

    fence = 'A/1';
    await owner.cmd.set(owner.keys.lease(rec.key), 'B/2');
    const fenced = store.commit({
      changes: [{ key: rec.key, recordJson: JSON.stringify(rec), events: [{ seq: 2, to: 'all', frame: '{}' }] }],
      ended: [],
      messages: [{ node: other.nodeId, message: 'lost', remember: { id: `${other.nodeId}/8`, ttlMs: 5000 } }],
    });
    await expect(fenced).rejects.toBeInstanceOf(FencedError);
    expect(await owner.cmd.get(owner.keys.reply(`${other.nodeId}/8`))).toBeNull();
  });
});
