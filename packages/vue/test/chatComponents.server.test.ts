// @vitest-environment happy-dom
/**
 * BarrageInput, BarrageList, LiveGift and LiveAudienceList mounted for a host and two viewers against a real server:
 * chat, a mute from the host's audience list, the muted viewer's error, gifts and likes.
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BarrageInput, BarrageList, createOnseat, LiveAudienceList, LiveGift, type Onseat } from '../src/index.js';
import { instanceOptions, logoutAll, startServer, type TestServer } from './support/harness.js';

let ts: TestServer;
let users: Onseat[] = [];
beforeEach(async () => {
  ts = await startServer();
});
afterEach(async () => {
  await logoutAll(users);
  users = [];
  await ts.close();
});

async function user(userId: string): Promise<Onseat> {
  const onseat = createOnseat(instanceOptions(ts));
  await onseat.useLoginState().login({ sdkAppId: ts.app.sdkAppId, userId, userSig: await ts.sig(userId) });
  users.push(onseat);
  return onseat;
}

const wait = (fn: () => void) => vi.waitFor(fn, { timeout: 5_000, interval: 20 });

async function say(w: ReturnType<typeof mount>, text: string) {
  await w.get('.onseat-barrage-input-text').setValue(text);
  await w.get('.onseat-barrage-input-text').trigger('keydown', { key: 'Enter' });
}

describe('chat components against a real server', () => {
  it('host and viewers chat; the host mutes a viewer who then sees the error; gifts and likes reach everyone', async () => {
    const host = await user('host');
    const v1 = await user('v1');
    const v2 = await user('v2');
    await host.useLiveListState().startLive({ liveId: 'chat-live' });
    await v1.useLiveListState().joinLive({ liveId: 'chat-live' });
    await v2.useLiveListState().joinLive({ liveId: 'chat-live' });
    const mountAll = (o: Onseat) => ({
      input: mount(BarrageInput, { global: { plugins: [o] } }),
      list: mount(BarrageList, { global: { plugins: [o] }, props: { height: '200px' } }),
      gift: mount(LiveGift, { global: { plugins: [o] } }),
      audience: mount(LiveAudienceList, { global: { plugins: [o] } }),
    });
    const H = mountAll(host);
    const A = mountAll(v1);
    const B = mountAll(v2);

    await say(A.input, 'hello from v1');
    await say(H.input, 'welcome!');
    for (const x of [H, A, B]) {
      await wait(() => expect(x.list.findAll('.onseat-barrage-text').map((e) => e.text())).toEqual(['hello from v1', 'welcome!']));
    }
    expect(A.list.find('.onseat-barrage-mute').exists()).toBe(false); // viewers cannot mute

    // The host mutes v1 from the audience list.
    await wait(() => expect(H.audience.find('[data-user-id="v1"] .onseat-audience-mute').exists()).toBe(true));
    await H.audience.get('[data-user-id="v1"] .onseat-audience-mute').trigger('click');
    await wait(() => expect(B.audience.find('[data-user-id="v1"] .onseat-audience-muted').exists()).toBe(true));
    await say(A.input, 'can I still talk?');
    await wait(() => expect(A.input.get('.onseat-barrage-input-error').text()).toContain('-2381'));
    await say(B.input, 'v2 can');
    await wait(() => expect(H.list.findAll('.onseat-barrage-text').map((e) => e.text())).toContain('v2 can'));
    expect(H.list.findAll('.onseat-barrage-text').map((e) => e.text())).not.toContain('can I still talk?');

    // Gifts and likes.
    await wait(() => expect(B.gift.find('[data-gift-id="rose"]').exists()).toBe(true));
    await B.gift.get('[data-gift-id="rose"]').trigger('click');
    for (const x of [H, A, B]) await wait(() => expect(x.gift.get('.onseat-gift-received').text()).toContain('v2 sent Rose ×1'));
    await A.gift.get('.onseat-like-button').trigger('click');
    for (const x of [H, A, B]) await wait(() => expect(x.gift.get('.onseat-like-count').text()).toBe('1'));

    for (const x of [H, A, B]) for (const w of Object.values(x)) w.unmount();
  });
});
