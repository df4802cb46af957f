import type { EventPayload } from '@onseat/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, createHarness, type TestConn } from './support/engineHarness.js';

type Batch = EventPayload<'chat.batch'>;
const batches = (c: TestConn) => c.events<Batch>('chat.batch');
const texts = (c: TestConn) => batches(c).flatMap((b) => (b.messages ?? []).filter((m) => m.messageType === 0).map((m) => m.textContent));

describe('chat messages', () => {
  it('a text reaches every member in a chat.batch frame (seq 0, never in the event log) with sender, sequence and time', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const seqBefore = h.live()!.record.seq;
    const { message } = await h.ok(a, 'barrage.sendText', { text: 'hello', extensionInfo: { color: 'red' } });
    expect(message).toMatchObject({
      liveId: 'live-1',
      sender: { userId: 'a', userName: 'name-a' },
      sequence: 1,
      messageType: 0,
      textContent: 'hello',
      extensionInfo: { color: 'red' },
      timestampInSecond: Math.floor(h.clock.now() / 1000),
    });
    await settle();
    for (const c of [host, a, b]) {
      expect(batches(c)).toEqual([{ messages: [message] }]);
      expect(c.frames.find((f) => f.type === 'chat.batch')?.seq).toBe(0);
    }
    expect(h.live()!.record.seq).toBe(seqBefore);
  });

  it('custom messages carry businessId and data, are not filtered and count in the same sequence', async () => {
    const h = createHarness({ chat: { blockedWords: ['secret'] } });
    const { a } = await h.liveWith(['a']);
    await h.ok(a, 'barrage.sendText', { text: 'one' });
    const { message } = await h.ok(a, 'barrage.sendCustom', { businessId: 'poll', data: '{"q":"secret"}' });
    expect(message).toMatchObject({ messageType: 1, businessId: 'poll', data: '{"q":"secret"}', sequence: 2 });
    expect(message.textContent).toBeUndefined();
  });

  it('everything a live produces in one tick leaves as one frame per member', async () => {
    const h = createHarness({ chat: { rateBurst: 100 } });
    const { host, a, b } = await h.liveWith(['a', 'b']);
    await Promise.all(Array.from({ length: 20 }, (_, i) => h.engine.execute(i % 2 ? a : b, 'barrage.sendText', { text: `m${i}` })));
    await settle();
    for (const c of [host, a, b]) {
      expect(batches(c)).toHaveLength(1);
      expect(batches(c)[0]?.messages?.map((m) => m.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  });

  it('a newcomer gets the last 50 messages in its snapshot; the size is configurable; members who left get nothing', async () => {
    const h = createHarness({ chat: { rateBurst: 1000 } });
    const { host, a } = await h.liveWith(['a']);
    for (let i = 1; i <= 60; i++) await h.ok(host, 'barrage.sendText', { text: `m${i}` });
    const c = h.connect('c');
    const { snapshot } = await h.ok(c, 'live.join', { liveId: 'live-1' });
    expect(snapshot.barrage?.map((m) => m.textContent)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 11}`));
    await h.ok(a, 'live.leave');
    a.clear();
    await h.ok(host, 'barrage.sendText', { text: 'after' });
    await settle();
    expect(batches(a)).toEqual([]);
    expect(texts(c)).toContain('after');

    const small = createHarness({ chat: { historySize: 3 } });
    const s = await small.liveWith([]);
    for (const t of ['x', 'y', 'z', 'w']) await small.ok(s.host, 'barrage.sendText', { text: t });
    const d = small.connect('d');
    const joined = await small.ok(d, 'live.join', { liveId: 'live-1' });
    expect(joined.snapshot.barrage?.map((m) => m.textContent)).toEqual(['y', 'z', 'w']);
  });

  it('refuses texts over the length limit (code points, default 200) with MESSAGE_TOO_LONG, and empty texts', async () => {
    const h = createHarness();
    const { a } = await h.liveWith(['a']);
    await h.ok(a, 'barrage.sendText', { text: '😀'.repeat(200) });
    const e = await h.err(a, 'barrage.sendText', { text: 'x'.repeat(201) }, 'MESSAGE_TOO_LONG');
    expect(e.code).toBe(40021);
    expect(e.details).toEqual({ maxLength: 200 });
    await h.err(a, 'barrage.sendText', { text: '   ' }, 'INVALID_PARAMETER');
    const short = createHarness({ chat: { maxTextLength: 5 } });
    const s = await short.liveWith(['a']);
    await short.err(s.a, 'barrage.sendText', { text: 'sixsix' }, 'MESSAGE_TOO_LONG');
  });

  it('rate-limits each user (burst 5, 2 per second by default) without slowing the others', async () => {
    const h = createHarness();
    const { a, b } = await h.liveWith(['a', 'b']);
    for (let i = 0; i < 5; i++) await h.ok(a, 'barrage.sendText', { text: `m${i}` });
    const e = await h.err(a, 'barrage.sendText', { text: 'too fast' }, 'FREQ_LIMIT');
    expect(e.code).toBe(-2);
    await h.err(a, 'barrage.sendCustom', { businessId: 'x', data: '' }, 'FREQ_LIMIT');
    await h.ok(b, 'barrage.sendText', { text: 'b is fine' });
    await h.advance(500);
    await h.ok(a, 'barrage.sendText', { text: 'again' });
    await h.err(a, 'barrage.sendText', { text: 'too fast' }, 'FREQ_LIMIT');
  });

  it('word filter: replace (default) stars the word out, case-insensitively; reject refuses with 80001', async () => {
    const h = createHarness({ chat: { blockedWords: ['darn', 'bad word'] } });
    const { a } = await h.liveWith(['a']);
    const { message } = await h.ok(a, 'barrage.sendText', { text: 'Darn, a BAD WORD here' });
    expect(message.textContent).toBe('****, a ******** here');
    const r = createHarness({ chat: { blockedWords: ['darn'], wordFilterMode: 'reject' } });
    const s = await r.liveWith(['a']);
    const e = await r.err(s.a, 'barrage.sendText', { text: 'oh DARN' }, 'MESSAGE_CONTAINS_BLOCKED_WORD');
    expect(e.code).toBe(80001);
    await settle();
    expect(batches(s.host)).toEqual([]);
    await r.ok(s.a, 'barrage.sendText', { text: 'fine' });
  });

  it('chat requires being in a live', async () => {
    const h = createHarness();
    await h.liveWith([]);
    const x = h.connect('x');
    await h.err(x, 'barrage.sendText', { text: 'hi' }, 'NOT_IN_LIVE');
  });
});

describe('message bans', () => {
  it('a host bans a member: they get -2381 and everyone hears it; the ban survives leaving and rejoining; lifting it works', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    await h.ok(host, 'audience.disableSendMessage', { userId: 'a', isDisable: true });
    for (const c of [host, a, b]) {
      expect(c.last('audience.messageDisabledChanged')).toEqual({ user: { userId: 'a', userName: 'name-a', avatarUrl: '' }, isDisable: true });
    }
    const e = await h.err(a, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');
    expect(e.code).toBe(-2381);
    await h.err(a, 'barrage.sendCustom', { businessId: 'x', data: '' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');
    await h.ok(b, 'barrage.sendText', { text: 'b still talks' });
    expect(await h.ok(b, 'audience.messageBannedList')).toEqual({ users: [{ userId: 'a', userName: 'name-a', avatarUrl: '' }] });
    const list = await h.ok(host, 'audience.list', {});
    expect(list.audience.find((u) => u.userId === 'a')?.isMessageDisabled).toBe(true);
    expect(list.audience.find((u) => u.userId === 'b')?.isMessageDisabled).toBeUndefined();

    await h.ok(a, 'live.leave');
    const { snapshot } = await h.ok(a, 'live.join', { liveId: 'live-1' });
    expect(snapshot.messageBannedUsers?.map((u) => u.userId)).toEqual(['a']);
    await h.err(a, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');

    await h.ok(host, 'audience.disableSendMessage', { userId: 'a', isDisable: false });
    expect(b.last('audience.messageDisabledChanged')).toMatchObject({ isDisable: false });
    await h.ok(a, 'barrage.sendText', { text: 'free again' });
    const n = b.events('audience.messageDisabledChanged').length;
    await h.ok(host, 'audience.disableSendMessage', { userId: 'a', isDisable: false }); // no change, no event
    expect(b.events('audience.messageDisabledChanged')).toHaveLength(n);
  });

  it('privileges: audience cannot ban; admins ban audience but not admins or the owner; the owner bans admins', async () => {
    const h = createHarness();
    const { host, a, b, m } = await h.liveWith(['a', 'b', 'm']);
    expect((await h.err(a, 'audience.disableSendMessage', { userId: 'b', isDisable: true }, 'NEED_ADMIN_PERMISSION')).code).toBe(-2301);
    await h.ok(host, 'audience.setAdministrator', { userId: 'm' });
    await h.ok(m, 'audience.disableSendMessage', { userId: 'b', isDisable: true });
    await h.err(b, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');
    await h.err(m, 'audience.disableSendMessage', { userId: 'host', isDisable: true }, 'NEED_OWNER_PERMISSION');
    await h.ok(host, 'audience.setAdministrator', { userId: 'a' });
    await h.err(m, 'audience.disableSendMessage', { userId: 'a', isDisable: true }, 'NEED_OWNER_PERMISSION');
    await h.ok(host, 'audience.disableSendMessage', { userId: 'a', isDisable: true });
    await h.err(a, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');
    await h.err(host, 'audience.disableSendMessage', { userId: 'nobody', isDisable: true }, 'USER_NOT_IN_LIVE');
  });

  it('revoking an admin lifts nothing else: their bans stay, they cannot ban any more, and they may still chat', async () => {
    const h = createHarness();
    const { host, a, m } = await h.liveWith(['a', 'm']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'm' });
    await h.ok(m, 'audience.disableSendMessage', { userId: 'a', isDisable: true });
    await h.ok(host, 'audience.revokeAdministrator', { userId: 'm' });
    await h.err(a, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');
    await h.err(m, 'audience.disableSendMessage', { userId: 'a', isDisable: false }, 'NEED_ADMIN_PERMISSION');
    await h.ok(m, 'barrage.sendText', { text: 'still here' });
    expect((await h.ok(host, 'audience.messageBannedList')).users.map((u) => u.userId)).toEqual(['a']);
  });

  it('a live with messages disabled for all refuses audience with -2380; the owner and admins still talk', async () => {
    const h = createHarness();
    const { host, a, m } = await h.liveWith(['a', 'm']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'm' });
    const { live } = await h.ok(host, 'live.update', { isMessageDisable: true });
    expect(live.isMessageDisable).toBe(true);
    expect(a.last<{ live: { isMessageDisable: boolean } }>('live.infoChanged')?.live.isMessageDisable).toBe(true);
    expect((await h.err(a, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_ALL')).code).toBe(-2380);
    await h.ok(host, 'barrage.sendText', { text: 'host speaks' });
    await h.ok(m, 'barrage.sendText', { text: 'admin speaks' });
    await h.err(a, 'live.update', { isMessageDisable: false }, 'NEED_ADMIN_PERMISSION');
    await h.ok(host, 'live.update', { isMessageDisable: false });
    await h.ok(a, 'barrage.sendText', { text: 'now I can' });
  });
});

describe('a chat storm and the resume window', () => {
  it('50,000 messages do not evict a single seat event: a client that resumes gets its events, not a snapshot', async () => {
    const h = createHarness({ chat: { rateBurst: 1_000_000, ratePerSecond: 1_000_000 } });
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const since = a.frames.filter((f) => f.seq > 0).at(-1)?.seq ?? 0;
    h.engine.detach(a);
    await h.ok(host, 'seat.lock', { seatIndex: 2 });
    for (let i = 0; i < 50_000; i++) {
      const r = await h.engine.execute(i % 2 ? host : b, 'barrage.sendText', { text: `storm ${i}` });
      if (!r.ok) throw new Error(`message ${i} failed: ${r.error.name}`);
      if (i === 25_000) await h.ok(host, 'seat.unlock', { seatIndex: 2 });
    }
    await h.ok(host, 'seat.lock', { seatIndex: 4 });
    await settle();
    expect(texts(b)).toHaveLength(50_000);
    const a2 = h.connect('a');
    const r = await h.ok(a2, 'live.sync', { liveId: 'live-1', sinceSeq: since });
    if (r.mode !== 'events') throw new Error(`expected events, got ${r.mode}`);
    const seatEvents = r.events.filter((e) => e.type === 'seat.listChanged');
    expect(seatEvents).toHaveLength(3);
    const locked = seatEvents.map((e) => (e.payload as { seats: { isLocked: boolean }[] }).seats.map((s) => s.isLocked));
    expect(locked.map((l) => [l[2], l[4]])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
    expect(r.events.some((e) => e.type === 'chat.batch')).toBe(false);
    // The history ring stays bounded.
    expect(h.live()!.chat?.history.size).toBe(50);
  });
});

describe('likes', () => {
  it('are coalesced: at most one total per 500 ms per live, whatever the like rate; the total is exact', async () => {
    const h = createHarness({ chat: { likeRateBurst: 1000 } });
    const { host, a, b } = await h.liveWith(['a', 'b']);
    expect((await h.ok(a, 'gift.like', {})).totalLikes).toBe(1);
    await settle();
    expect(batches(host).map((x) => x.likes)).toEqual([{ totalLikesReceived: 1, sender: { userId: 'a', userName: 'name-a', avatarUrl: '' } }]);
    for (let i = 0; i < 100; i++) await h.ok(i % 2 ? a : b, 'gift.like', { count: 2 });
    await settle();
    expect(batches(host).filter((x) => x.likes)).toHaveLength(1); // nothing more before 500 ms
    await h.advance(499);
    expect(batches(host).filter((x) => x.likes)).toHaveLength(1);
    await h.advance(1);
    expect(
      batches(host)
        .filter((x) => x.likes)
        .at(-1)?.likes,
    ).toEqual({
      totalLikesReceived: 201,
      sender: { userId: 'a', userName: 'name-a', avatarUrl: '' }, // the last one who liked (i = 99)
    });
    await h.advance(5_000);
    expect(batches(host).filter((x) => x.likes)).toHaveLength(2); // no likes, no frames
    const c = h.connect('c');
    expect((await h.ok(c, 'live.join', { liveId: 'live-1' })).snapshot.totalLikes).toBe(201);
  });
});

describe('gifts', () => {
  it('the catalogue has categories; a gift reaches everyone with its info, and the totals follow', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const { categories } = await h.ok(a, 'gift.list');
    expect(categories.length).toBeGreaterThanOrEqual(2);
    const rose = categories.flatMap((c) => c.giftList).find((g) => g.giftID === 'rose');
    expect(rose).toMatchObject({ name: 'Rose', coins: 1 });
    await h.ok(a, 'gift.send', { giftId: 'rose', count: 3 });
    await h.ok(b, 'gift.send', { giftId: 'rocket', count: 1 });
    await h.ok(a, 'gift.send', { giftId: 'rose', count: 1 });
    await settle();
    const gifts = batches(host).flatMap((x) => x.gifts ?? []);
    expect(gifts.map((g) => [g.sender.userId, g.giftInfo.giftID, g.giftCount])).toEqual([
      ['a', 'rose', 3],
      ['b', 'rocket', 1],
      ['a', 'rose', 1],
    ]);
    expect(
      batches(b)
        .flatMap((x) => (x.giftTotals ? [x.giftTotals] : []))
        .at(-1),
    ).toEqual({
      totalGiftsSent: 5,
      totalGiftCoins: 504,
      totalUniqueGiftSenders: 2,
    });
    await h.err(a, 'gift.send', { giftId: 'unicorn', count: 1 }, 'GIFT_NOT_EXIST');
    await h.ok(host, 'live.update', { isGiftEnabled: false });
    expect((await h.err(a, 'gift.send', { giftId: 'rose', count: 1 }, 'GIFT_DISABLED')).code).toBe(40041);
  });

  it('a catalogue given in the options replaces the default one', async () => {
    const h = createHarness({
      chat: {
        gifts: [
          {
            categoryID: 'c',
            name: 'C',
            desc: '',
            extensionInfo: {},
            giftList: [{ giftID: 'g1', name: 'G', desc: '', iconUrl: '', resourceUrl: '', level: 1, coins: 7, extensionInfo: {} }],
          },
        ],
      },
    });
    const { a } = await h.liveWith(['a']);
    expect((await h.ok(a, 'gift.list')).categories.map((c) => c.categoryID)).toEqual(['c']);
    await h.err(a, 'gift.send', { giftId: 'rose', count: 1 }, 'GIFT_NOT_EXIST');
    await h.ok(a, 'gift.send', { giftId: 'g1', count: 2 });
  });
});

describe('totals and bans after a restart', () => {
  it.each(['memory', 'sqlite'] as const)(
    'gift and like totals and the ban list are part of the live record and survive a restart (%s store)',
    async (kind) => {
      const { MemoryLiveStore } = await import('../src/store/MemoryLiveStore.js');
      const { SqliteLiveStore } = await import('../src/store/SqliteLiveStore.js');
      const { FakeClock } = await import('../src/engine/Clock.js');
      const dir = mkdtempSync(join(tmpdir(), 'onseat-chat-'));
      const memory = new MemoryLiveStore();
      const open = () => (kind === 'memory' ? memory : SqliteLiveStore.open(dir));
      const h1 = createHarness({ store: open() });
      const { host, a } = await h1.liveWith(['a']);
      await h1.ok(a, 'gift.send', { giftId: 'heart', count: 2 });
      await h1.ok(a, 'gift.like', { count: 5 });
      await h1.ok(host, 'audience.disableSendMessage', { userId: 'a', isDisable: true });
      await h1.advance(1_000);
      await h1.engine.close();
      if (kind === 'sqlite') await h1.engine.store.close();
      const h2 = createHarness({ store: open(), clock: new FakeClock(h1.clock.now() + 1_000) });
      expect(await h2.engine.restore()).toBe(1);
      const c = h2.connect('c');
      const { snapshot } = await h2.ok(c, 'live.join', { liveId: 'live-1' });
      expect(snapshot.totalLikes).toBe(5);
      expect(snapshot.giftTotals).toEqual({ totalGiftsSent: 2, totalGiftCoins: 10, totalUniqueGiftSenders: 1 });
      expect(snapshot.messageBannedUsers?.map((u) => u.userId)).toEqual(['a']);
      const a2 = h2.connect('a');
      await h2.ok(a2, 'live.sync', { liveId: 'live-1', sinceSeq: 0 });
      await h2.err(a2, 'barrage.sendText', { text: 'hi' }, 'SEND_MESSAGE_DISABLED_FOR_CURRENT');
      await h2.engine.close();
      if (kind === 'sqlite') await h2.engine.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

describe('owner presence (AtomicX v6 onOwnerLeft/onOwnerJoined)', () => {
  it('everyone hears the owner leave and come back; starting the live sends nothing', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    expect(host.events('audience.ownerJoined')).toEqual([]);
    await h.ok(host, 'live.leave');
    expect(a.last('audience.ownerLeft')).toMatchObject({ user: { userId: 'host', role: 0 } });
    const back = h.connect('host');
    await h.ok(back, 'live.join', { liveId: 'live-1' });
    expect(a.last('audience.ownerJoined')).toMatchObject({ user: { userId: 'host', role: 0 } });
  });
});

describe('like and gift rates', () => {
  it('likes have their own per-user bucket (20 at once, 10 per second); gifts share the chat bucket size', async () => {
    const h = createHarness();
    const { a } = await h.liveWith(['a']);
    for (let i = 0; i < 20; i++) await h.ok(a, 'gift.like', {});
    const e = await h.err(a, 'gift.like', {}, 'FREQ_LIMIT');
    expect(e.message).toMatch(/likes/);
    await h.ok(a, 'barrage.sendText', { text: 'chat is not affected' });
    await h.advance(100);
    await h.ok(a, 'gift.like', {});
    for (let i = 0; i < 5; i++) await h.ok(a, 'gift.send', { giftId: 'rose', count: 1 });
    await h.err(a, 'gift.send', { giftId: 'rose', count: 1 }, 'FREQ_LIMIT');
  });
});
