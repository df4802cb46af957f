import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { TestConn, createHarness, settle, APP } from './support/engineHarness.js';

describe('lives per user', () => {
  it('starting a live ends (endedByServer) the live the owner walked away from; its audience hears live.ended', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(host, 'live.leave');
    await h.ok(host, 'live.start', { liveId: 'live-2' });
    expect(h.live('live-1')).toBeUndefined();
    expect(h.live('live-2')).toBeDefined();
    expect(a.last('live.ended')).toEqual({ liveId: 'live-1', reason: 2 });
    expect(await h.err(a, 'live.info', { liveId: 'live-1' }, 'LIVE_NOT_EXIST')).toMatchObject({ details: { endedReason: 2 } });
  });

  it('an owner looping start + leave holds one live at a time, not one per iteration', async () => {
    const h = createHarness();
    const owner = h.connect('owner');
    for (let i = 0; i < 200; i++) {
      await h.ok(owner, 'live.start', { liveId: `l${i}` });
      await h.ok(owner, 'live.leave');
    }
    expect(h.engine.stats.lives).toBe(1);
    expect(h.engine.index.ownedBy(APP, 'owner')).toEqual([`${APP}:l199`]);
  });

  it('with maxLivesPerUser 2 an owner keeps one other live; the oldest is ended first', async () => {
    const h = createHarness({ maxLivesPerUser: 2 });
    const owner = h.connect('owner');
    for (const id of ['x', 'y', 'z']) {
      await h.ok(owner, 'live.start', { liveId: id });
      await h.ok(owner, 'live.leave');
    }
    expect([h.live('x'), h.live('y') !== undefined, h.live('z') !== undefined]).toEqual([undefined, true, true]);
  });

  it('refuses live.start beyond maxLivesPerApp with LIVE_COUNT_LIMIT (40030); other apps are not counted', async () => {
    const h = createHarness({ maxLivesPerApp: 2 });
    await h.ok(h.connect('u1'), 'live.start', { liveId: 'a' });
    await h.ok(h.connect('u2'), 'live.start', { liveId: 'b' });
    const e = await h.err(h.connect('u3'), 'live.start', { liveId: 'c' }, 'LIVE_COUNT_LIMIT');
    expect(e).toMatchObject({ code: 40030, details: { limit: 2 } });
    await h.ok(h.connect('u3', APP + 1), 'live.start', { liveId: 'c' });
    // The owner of one of the two starting again ends their old one first, so it fits.
    const u1 = h.connect('u1');
    await h.ok(u1, 'live.leave');
    await h.ok(u1, 'live.start', { liveId: 'a2' });
  });
});

describe('live.list from the index', () => {
  it('pages public lives newest first with a keyset cursor; a live made private leaves the list', async () => {
    const h = createHarness();
    for (let i = 0; i < 5; i++) {
      await h.ok(h.connect(`u${i}`), 'live.start', { liveId: `l${i}`, isPublicVisible: i !== 3 });
      await h.advance(10);
    }
    const viewer = h.connect('viewer');
    const p1 = await h.ok(viewer, 'live.list', { count: 2 });
    expect(p1.lives.map((l) => l.liveId)).toEqual(['l4', 'l2']);
    const p2 = await h.ok(viewer, 'live.list', { count: 2, cursor: p1.cursor });
    expect(p2.lives.map((l) => l.liveId)).toEqual(['l1', 'l0']);
    expect(p2.cursor).toBe('');
    const owner1 = h.connect('u1');
    await h.ok(owner1, 'live.join', { liveId: 'l1' });
    await h.ok(owner1, 'live.update', { isPublicVisible: false });
    expect((await h.ok(viewer, 'live.list', {})).lives.map((l) => l.liveId)).toEqual(['l4', 'l2', 'l0']);
    expect(await h.err(viewer, 'live.list', { cursor: 'nonsense' }, 'INVALID_PARAMETER')).toMatchObject({ code: -1001 });
  });

  it('costs a page, not the world: a page at 100,000 lives takes well under a millisecond', async () => {
    const h = createHarness({ maxLivesPerApp: 200_000 });
    const starts: Promise<unknown>[] = [];
    for (let i = 0; i < 100_000; i++) {
      starts.push(h.engine.execute(new TestConn({ sdkAppId: APP, userId: `u${i}`, userName: '', avatarUrl: '' }), 'live.start', { liveId: `l${i}` }));
      if (starts.length === 2000) await Promise.all(starts.splice(0));
    }
    await Promise.all(starts);
    const viewer = h.connect('viewer');
    let cursor = '';
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      const page = await h.ok(viewer, 'live.list', { count: 20, cursor });
      times.push(performance.now() - t);
      cursor = page.cursor;
    }
    times.sort((a, b) => a - b);
    expect(times[25]).toBeLessThan(1);
  });
});

describe('self-info coalescing', () => {
  it('renames in one tick reach the live as one event per user, with the latest name', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    host.clear();
    const sent = [
      h.engine.execute(a, 'user.setSelfInfo', { userName: 'A1' }),
      h.engine.execute(a, 'user.setSelfInfo', { userName: 'A2' }),
      h.engine.execute(b, 'user.setSelfInfo', { userName: 'B1' }),
      h.engine.execute(a, 'user.setSelfInfo', { userName: 'A3' }),
    ];
    const replies = await Promise.all(sent);
    expect(replies.map((r) => r.ok && (r.payload as { user: { userName: string } }).user.userName)).toEqual(['A1', 'A2', 'B1', 'A3']);
    const changed = host.events<{ user: { userId: string; userName: string } }>('audience.memberChanged');
    expect(changed.map((c) => `${c.user.userId}=${c.user.userName}`)).toEqual(['a=A3', 'b=B1']);
    expect((await h.ok(host, 'audience.list', {})).audience.map((u) => u.userName)).toEqual(['A3', 'B1']);
  });
});

describe('profiles', () => {
  it('a new token with another name refreshes the profile (and the live hears of it); the same token keeps a set name', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    await h.ok(a, 'user.setSelfInfo', { userName: 'Chosen' });
    // Same token again (a reconnect): the chosen name stays.
    const again = new TestConn({ ...a.principal });
    h.engine.attach(again);
    await settle();
    expect(h.live()?.members.get('a')?.user.userName).toBe('Chosen');
    host.clear();
    const renamed = new TestConn({ ...a.principal, userName: 'From the new token' });
    h.engine.attach(renamed);
    await settle();
    await settle();
    expect(host.last('audience.memberChanged')).toMatchObject({ user: { userId: 'a', userName: 'From the new token' } });
    expect((await h.ok(renamed, 'user.setSelfInfo', {})).user.userName).toBe('From the new token');
  });

  it('remembers at most profileCacheSize users (least recently used dropped: back to their token)', async () => {
    const h = createHarness({ profileCacheSize: 3 });
    for (const id of ['p', 'q', 'r', 's']) await h.ok(h.connect(id), 'user.setSelfInfo', { userName: `set-${id}` });
    expect(h.engine.presence.profiles.size).toBe(3);
    expect((await h.ok(h.connect('p'), 'user.setSelfInfo', {})).user.userName).toBe('name-p');
    expect((await h.ok(h.connect('s'), 'user.setSelfInfo', {})).user.userName).toBe('set-s');
  });
});

describe('live.sync size', () => {
  it('answers a snapshot when the client is more than SYNC_MAX_EVENTS behind, events when it is close', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a'], { seatMode: 1 });
    const from = h.live()!.record.seq;
    for (let i = 0; i < 60; i++) {
      await h.ok(a, 'seat.take', { seatIndex: 1 });
      await h.ok(a, 'seat.leave');
    }
    expect((await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: from })).mode).toBe('snapshot');
    const close = h.live()!.record.seq - 4;
    const near = await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: close });
    expect(near).toMatchObject({ mode: 'events' });
    expect(host).toBeDefined();
  });

  it('answers a snapshot when the events would exceed SYNC_MAX_BYTES', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const from = h.live()!.record.seq;
    for (let i = 0; i < 40; i++) await h.ok(host, 'live.update', { notice: `${i}`.padEnd(500, 'x'), coverUrl: 'c'.padEnd(2000, 'y') });
    expect((await h.ok(a, 'live.sync', { liveId: 'live-1', sinceSeq: from })).mode).toBe('snapshot');
  });
});

describe('audience.list paging', () => {
  it('pages in join order with a cursor that survives members leaving, even with equal join times', async () => {
    const h = createHarness();
    const ids = ['m5', 'm1', 'm4', 'm2', 'm3'] as const;
    const { host, ...m } = await h.liveWith(ids);
    const p1 = await h.ok(host, 'audience.list', { count: 2 });
    expect(p1.audience.map((u) => u.userId)).toEqual(['m5', 'm1']);
    expect(p1.total).toBe(5);
    const p2 = await h.ok(host, 'audience.list', { count: 2, cursor: p1.cursor });
    expect(p2.audience.map((u) => u.userId)).toEqual(['m4', 'm2']);
    await h.advance(5);
    await h.ok(m.m2, 'live.leave');
    await h.ok(m.m2, 'live.join', { liveId: 'live-1' });
    const p3 = await h.ok(host, 'audience.list', { count: 2, cursor: p2.cursor });
    // m2 left (its cursor is gone) and came back later: the page goes on after everyone who joined before.
    expect(p3.audience.map((u) => u.userId)).toEqual(['m3', 'm2']);
    expect(p3.cursor).toBe('');
  });
});
