// @vitest-environment happy-dom
/**
 * LiveCoreView wired to real stores: a real server with its werift SFU, users publishing through werift transports
 * (capture faked), the component mounted for a viewer and for the host. Checks the wiring from published media to
 * tiles; decoding real video is the demo's browser e2e.
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOnseat, LiveCoreView, TUISeatMode, type Onseat } from '../src/index.js';
import { instanceOptions, logoutAll, startServer, until, type TestServer } from './support/harness.js';
import { WeriftMedia } from './support/weriftMedia.js';

let ts: TestServer;
let users: Onseat[] = [];
let media: WeriftMedia[] = [];
beforeEach(async () => {
  ts = await startServer();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
});
afterEach(async () => {
  vi.restoreAllMocks();
  await logoutAll(users);
  await Promise.all(media.map((m) => m.close()));
  users = [];
  media = [];
  await ts.close();
});

async function user(userId: string): Promise<Onseat> {
  const m = new WeriftMedia();
  media.push(m);
  const onseat = createOnseat(instanceOptions(ts, { media: { env: m.env, gatherTimeoutMs: 1000 } }));
  await onseat.useLoginState().login({ sdkAppId: ts.app.sdkAppId, userId, userSig: await ts.sig(userId) });
  users.push(onseat);
  return onseat;
}

describe('LiveCoreView against a real server', () => {
  it('a viewer sees the host video and an audio-only guest; the host sees its preview and the guest', async () => {
    const host = await user('host');
    const guest = await user('guest');
    const viewer = await user('viewer');
    await host.useLiveListState().startLive({ liveId: 'lcv-live', seatTemplate: 600, seatMode: TUISeatMode.kFreeToTake });
    await host.useDeviceState().openLocalMicrophone();
    await host.useDeviceState().openLocalCamera();
    await guest.useLiveListState().joinLive({ liveId: 'lcv-live' });
    await viewer.useLiveListState().joinLive({ liveId: 'lcv-live' });

    const v = mount(LiveCoreView, { global: { plugins: [viewer] } });
    const h = mount(LiveCoreView, { global: { plugins: [host] } });
    const hostSeat = () => v.find('[data-user-id="host"]');
    await vi.waitFor(() => expect(hostSeat().classes()).toContain('has-video'), { timeout: 10_000, interval: 20 });
    expect(hostSeat().get('video').attributes('data-user-id')).toBe('host');
    expect((hostSeat().get('video').element as HTMLVideoElement).muted).toBe(false);
    expect(v.findAll('.onseat-seat.is-empty').length).toBe(8);

    await guest.useLiveSeatState().takeSeat({ seatIndex: 3 });
    await until(guest.useLiveSeatState().seatList, (l) => l[3]?.userInfo.userId === 'guest', 'guest seated');
    await guest.useDeviceState().openLocalMicrophone();
    const guestSeat = () => v.find('[data-seat-index="3"]');
    await vi.waitFor(() => expect(guestSeat().find('audio').exists()).toBe(true), { timeout: 10_000, interval: 20 });
    expect(guestSeat().classes()).toContain('no-video');
    expect(guestSeat().find('.onseat-avatar').exists()).toBe(true);
    await vi.waitFor(() => expect(guestSeat().find('.onseat-mic-muted').exists()).toBe(false), { timeout: 5_000, interval: 20 });

    // The host: its own seat is the muted local preview; the guest's audio plays.
    const own = h.get('[data-user-id="host"]');
    expect((own.get('video').element as HTMLVideoElement).muted).toBe(true);
    expect(own.text()).toContain('(you)');
    await vi.waitFor(() => expect(h.find('[data-seat-index="3"] audio').exists()).toBe(true), { timeout: 10_000, interval: 20 });

    await guest.useLiveSeatState().leaveSeat();
    await vi.waitFor(() => expect(guestSeat().classes()).toContain('is-empty'), { timeout: 10_000, interval: 20 });
    await viewer.useLiveListState().leaveLive();
    await vi.waitFor(() => expect(v.findAll('.onseat-seat')).toHaveLength(0));
    v.unmount();
    h.unmount();
  });
});
