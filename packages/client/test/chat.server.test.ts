/** Chat (BarrageStore), gifts and likes (LiveGiftStore) and message bans (LiveAudienceStore) against a real server. */
import { afterEach, describe, expect, it } from 'vitest';
import { BarrageEvent, BarrageType, LiveAudienceEvent, LiveGiftEvents, Role, type Barrage } from '../src/index.js';
import { cleanup, loginAs, nextEvent, startServer, waitFor } from './support/realServer.js';

afterEach(cleanup);

async function threeUsers() {
  const ts = await startServer();
  const host = await loginAs(ts, 'host');
  await host.onseat.liveList.startLive({ liveId: 'L1', liveName: 'Show' });
  const a = await loginAs(ts, 'a');
  await a.onseat.liveList.joinLive({ liveId: 'L1' });
  const b = await loginAs(ts, 'b');
  await b.onseat.liveList.joinLive({ liveId: 'L1' });
  return { ts, host, a, b };
}

const textsOf = (list: readonly Barrage[]) => list.map((m) => m.textContent);

describe('BarrageStore', () => {
  it('text messages land in everyone’s messageList with onBarrageReceived; custom ones only as onCustomMessageReceived', async () => {
    const { host, a, b } = await threeUsers();
    const received = nextEvent(b.onseat.barrage, BarrageEvent.onBarrageReceived);
    await a.onseat.barrage.sendTextMessage({ text: 'hello', extensionInfo: { color: 'red' } });
    expect(await received).toMatchObject({
      liveId: 'L1',
      sender: { userId: 'a', userName: 'a-name' },
      messageType: BarrageType.text,
      textContent: 'hello',
    });
    expect(textsOf(a.onseat.barrage.getSnapshot().messageList)).toEqual(['hello']);
    await waitFor(host.onseat.barrage, (s) => s.messageList.length === 1, 'host message');
    const custom = nextEvent(host.onseat.barrage, BarrageEvent.onCustomMessageReceived);
    await b.onseat.barrage.sendCustomMessage({ businessId: 'poll', data: '{"q":1}' });
    expect(await custom).toMatchObject({ messageType: BarrageType.custom, businessId: 'poll', data: '{"q":1}' });
    expect(textsOf(host.onseat.barrage.getSnapshot().messageList)).toEqual(['hello']);
    a.onseat.barrage.appendLocalTip({
      liveId: 'L1',
      sender: { userId: '', userName: 'system', avatarUrl: '' },
      sequence: 0,
      timestampInSecond: 0,
      messageType: BarrageType.text,
      textContent: 'Welcome',
    });
    expect(textsOf(a.onseat.barrage.getSnapshot().messageList)).toEqual(['hello', 'Welcome']);
  });

  it('a newcomer finds the recent messages in messageList; leaving empties it', async () => {
    const { ts, host, a } = await threeUsers();
    await host.onseat.barrage.sendTextMessage({ text: 'one' });
    await a.onseat.barrage.sendTextMessage({ text: 'two' });
    const c = await loginAs(ts, 'c');
    await c.onseat.liveList.joinLive({ liveId: 'L1' });
    expect(textsOf(c.onseat.barrage.getSnapshot().messageList)).toEqual(['one', 'two']);
    await c.onseat.liveList.leaveLive();
    expect(c.onseat.barrage.getSnapshot().messageList).toEqual([]);
  });

  it('a banned member gets -2381 and everyone sees the ban in messageBannedUserList and onAudienceMessageDisabled', async () => {
    const { host, a, b } = await threeUsers();
    const heard = nextEvent(b.onseat.liveAudience, LiveAudienceEvent.onAudienceMessageDisabled);
    await host.onseat.liveAudience.disableSendMessage({ userId: 'a', isDisable: true });
    expect(await heard).toMatchObject({ audience: { userId: 'a' }, isDisable: true });
    expect(b.onseat.liveAudience.getSnapshot().messageBannedUserList.map((u) => u.userId)).toEqual(['a']);
    await waitFor(host.onseat.liveAudience, (s) => s.audienceList.find((u) => u.userId === 'a')?.isMessageDisabled === true, 'isMessageDisabled');
    await expect(a.onseat.barrage.sendTextMessage({ text: 'hi' })).rejects.toMatchObject({ code: -2381 });
    await expect(b.onseat.liveAudience.disableSendMessage({ userId: 'a', isDisable: false })).rejects.toMatchObject({ code: -2301 });
    await host.onseat.liveList.updateLiveInfo({ isMessageDisableForAllUser: true });
    await waitFor(b.onseat.liveList, (s) => s.currentLive?.isMessageDisableForAllUser === true, 'disabled for all');
    await expect(b.onseat.barrage.sendTextMessage({ text: 'hi' })).rejects.toMatchObject({ code: -2380 });
    await host.onseat.barrage.sendTextMessage({ text: 'the host still talks' });
  });
});

describe('LiveGiftStore', () => {
  it('fetches the catalogue on entering; gifts and likes reach everyone with totals', async () => {
    const { host, a, b } = await threeUsers();
    await waitFor(a.onseat.liveGift, (s) => s.giftInfoList.length > 0, 'catalogue');
    const rose = a.onseat.liveGift
      .getSnapshot()
      .giftInfoList.flatMap((c) => c.giftList)
      .find((g) => g.giftID === 'rose');
    expect(rose).toMatchObject({ name: 'Rose', coins: 1 });
    const gift = nextEvent(host.onseat.liveGift, LiveGiftEvents.ON_RECEIVE_GIFT_MESSAGE);
    await a.onseat.liveGift.sendGift({ giftId: 'rose', count: 3 });
    expect(await gift).toMatchObject({ liveId: 'L1', giftCount: 3, sender: { userId: 'a' }, giftInfo: { giftID: 'rose' } });
    await waitFor(b.onseat.liveGift, (s) => s.totalGiftCoins === 3 && s.totalGiftsSent === 3 && s.totalUniqueGiftSenders === 1, 'gift totals');
    await expect(a.onseat.liveGift.sendGift({ giftId: 'nope', count: 1 })).rejects.toMatchObject({ code: 40040 });
    const likes = nextEvent(host.onseat.liveGift, LiveGiftEvents.ON_RECEIVE_LIKES_MESSAGE);
    await b.onseat.liveGift.sendLikes({ count: 4 });
    expect(await likes).toMatchObject({ totalLikesReceived: 4, sender: { userId: 'b' } });
    await waitFor(a.onseat.liveGift, (s) => s.totalLikeCount === 4, 'like total');
  });
});

describe('LiveAudienceStore v6 events', () => {
  it('onOwnerLeft/onOwnerJoined, onAdminJoined/onAdminLeft, onAudienceJoined', async () => {
    const { ts, host, a } = await threeUsers();
    const ownerLeft = nextEvent(a.onseat.liveAudience, LiveAudienceEvent.onOwnerLeft);
    await host.onseat.liveList.leaveLive();
    expect((await ownerLeft).owner.userId).toBe('host');
    const ownerJoined = nextEvent(a.onseat.liveAudience, LiveAudienceEvent.onOwnerJoined);
    await host.onseat.liveList.joinLive({ liveId: 'L1' });
    expect((await ownerJoined).owner.userId).toBe('host');
    const m = await loginAs(ts, 'm');
    const joined = nextEvent(a.onseat.liveAudience, LiveAudienceEvent.onAudienceJoined);
    await m.onseat.liveList.joinLive({ liveId: 'L1' });
    expect((await joined).audience.userId).toBe('m');
    await host.onseat.liveAudience.setAdministrator({ userId: 'm' });
    await waitFor(a.onseat.liveAudience, (s) => s.audienceList.find((u) => u.userId === 'm')?.userRole === Role.Administrator, 'admin role');
    const adminLeft = nextEvent(a.onseat.liveAudience, LiveAudienceEvent.onAdminLeft);
    await m.onseat.liveList.leaveLive();
    expect((await adminLeft).admin.userId).toBe('m');
    const adminJoined = nextEvent(a.onseat.liveAudience, LiveAudienceEvent.onAdminJoined);
    await m.onseat.liveList.joinLive({ liveId: 'L1' });
    expect((await adminJoined).admin.userId).toBe('m');
  });
});
