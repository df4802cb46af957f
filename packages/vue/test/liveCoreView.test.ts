// @vitest-environment happy-dom
/**
 * LiveCoreView on happy-dom over stand-in stores with fake streams: seat tiles (remote video, audio-only avatar tile
 * with an <audio>, your own muted preview), layouts, empty-seat clicks, mic-muted and speaking indicators, the
 * loading overlay, the autoplay prompt when play() is refused, and the slots.
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { h, nextTick } from 'vue';
import { LIVE_STREAM_CONTENT_VIEW, LiveCoreView, LiveView } from '../src/index.js';
import { fakeOnseat, fakeStream, live, remoteUser, seats } from './support/fakeOnseat.js';

let playImpl: () => Promise<void> = () => Promise.resolve();
const play = vi.fn(() => playImpl());
beforeEach(() => {
  playImpl = () => Promise.resolve();
  play.mockClear();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A 9-seat live: host with video on seat 0, an audio-only guest on 1, you (with a camera preview) on 2. */
function stage() {
  const f = fakeOnseat('me');
  const hostStream = new MediaStream();
  f.liveList.set({ currentLive: live('L1', 600) });
  f.liveSeat.set({
    seatList: seats(9, {
      0: { userId: 'host', userName: 'Hostess', microphoneStatus: 1, cameraStatus: 1 },
      1: { userId: 'g1', userName: 'Guest One', microphoneStatus: 1 },
      2: { userId: 'me', userName: 'Me', microphoneStatus: 0, cameraStatus: 1 },
    }),
  });
  f.remoteMedia.set({
    subscribed: true,
    users: new Map([
      ['host', remoteUser('host', hostStream, true, true)],
      ['g1', remoteUser('g1', fakeStream(['audio']), true, false)],
    ]),
  });
  f.device.set({ localStream: fakeStream(['audio', 'video']) });
  return { ...f, hostStream };
}

const seatEl = (w: ReturnType<typeof mount>, index: number) => w.get(`[data-seat-index="${index}"]`);

describe('LiveCoreView', () => {
  it('is also exported as LiveView', () => {
    expect(LiveView).toBe(LiveCoreView);
  });

  it('renders every seat: remote video with sound, an audio-only avatar tile, your muted mirrored preview', async () => {
    const s = stage();
    const w = mount(LiveCoreView, { global: s.global });
    await nextTick();
    expect(w.find(`#${LIVE_STREAM_CONTENT_VIEW}`).exists()).toBe(true);
    expect(w.get('.onseat-live-core-view').attributes('data-layout')).toBe('grid');
    expect(w.findAll('.onseat-seat')).toHaveLength(9);
    expect(w.findAll('.onseat-seat.is-empty')).toHaveLength(6);

    const hostVideo = seatEl(w, 0).get('video').element as HTMLVideoElement;
    expect(hostVideo.srcObject).toBe(s.hostStream);
    expect(hostVideo.muted).toBe(false);
    expect(seatEl(w, 0).find('.onseat-avatar').exists()).toBe(false);
    expect(seatEl(w, 0).text()).toContain('Hostess');

    expect(seatEl(w, 1).find('video').exists()).toBe(false);
    expect(seatEl(w, 1).find('audio').exists()).toBe(true);
    expect((seatEl(w, 1).get('audio').element as HTMLAudioElement).muted).toBe(false);
    expect(seatEl(w, 1).get('.onseat-avatar').text()).toBe('G');

    const mine = seatEl(w, 2).get('video').element as HTMLVideoElement;
    expect(mine.muted).toBe(true);
    expect(mine.style.transform).toBe('scaleX(-1)');
    expect(seatEl(w, 2).text()).toContain('Me (you)');
    expect(play).toHaveBeenCalledTimes(3);
    w.unmount();
  });

  it('follows the stores: video appears and goes, output volume applies, leaving the live clears the view', async () => {
    const s = stage();
    const w = mount(LiveCoreView, { global: s.global });
    const g1Video = fakeStream(['audio', 'video']);
    s.remoteMedia.set({ users: new Map([...s.remoteMedia.getSnapshot().users, ['g1', remoteUser('g1', g1Video, true, true)]]) });
    await nextTick();
    expect(seatEl(w, 1).find('video').exists()).toBe(true);
    expect(seatEl(w, 1).find('audio').exists()).toBe(false);
    s.device.set({ outputVolume: 30 });
    await nextTick();
    expect((seatEl(w, 0).get('video').element as HTMLVideoElement).volume).toBeCloseTo(0.3);
    s.device.set({ localStream: null });
    await nextTick();
    expect(seatEl(w, 2).find('video').exists()).toBe(false);
    expect(seatEl(w, 2).find('.onseat-avatar').exists()).toBe(true);
    s.liveList.set({ currentLive: live('', 600) });
    await nextTick();
    expect(w.findAll('.onseat-seat')).toHaveLength(0);
    w.unmount();
    expect(s.liveSeat.listeners).toBe(0);
  });

  it('lays out 601/801 with the host big, 200 as 2×2', async () => {
    const s = stage();
    s.liveList.set({ currentLive: live('L1', 801) });
    s.liveSeat.set({ seatList: s.liveSeat.getSnapshot().seatList.slice(0, 7) });
    const w = mount(LiveCoreView, { global: s.global });
    expect(w.get('.onseat-live-core-view').attributes('data-layout')).toBe('float');
    expect((seatEl(w, 0).element as HTMLElement).style.gridRow).toBe('1 / span 3');
    s.liveList.set({ currentLive: live('L1', 200) });
    s.liveSeat.set({ seatList: s.liveSeat.getSnapshot().seatList.slice(0, 4) });
    await nextTick();
    expect(w.get('.onseat-live-core-view').attributes('data-layout')).toBe('landscape');
    expect((w.get(`#${LIVE_STREAM_CONTENT_VIEW}`).element as HTMLElement).style.gridTemplateColumns).toBe('repeat(2, minmax(0, 1fr))');
    w.unmount();
  });

  it('emits empty-seat-click with the seat index (click or keyboard), not for occupied seats', async () => {
    const s = stage();
    const w = mount(LiveCoreView, { global: s.global });
    await seatEl(w, 4).trigger('click');
    await seatEl(w, 7).trigger('keydown', { key: 'Enter' });
    await seatEl(w, 0).trigger('click');
    expect(w.emitted('empty-seat-click')).toEqual([[4], [7]]);
    w.unmount();
  });

  it('shows who speaks and whose microphone is off', async () => {
    const s = stage();
    const w = mount(LiveCoreView, { global: s.global });
    expect(w.findAll('.onseat-speaking')).toHaveLength(0);
    expect(seatEl(w, 2).find('.onseat-mic-muted').exists()).toBe(true);
    expect(seatEl(w, 0).find('.onseat-mic-muted').exists()).toBe(false);
    s.liveSeat.set({
      speakingUsers: new Map([
        ['g1', 35],
        ['me', 50],
      ]),
    });
    await nextTick();
    expect(seatEl(w, 1).classes()).toContain('is-speaking');
    expect(seatEl(w, 1).find('.onseat-speaking').exists()).toBe(true);
    // A muted microphone never shows as speaking.
    expect(seatEl(w, 2).classes()).not.toContain('is-speaking');
    expect(seatEl(w, 0).classes()).not.toContain('is-speaking');
    s.liveSeat.set({ speakingUsers: new Map() });
    await nextTick();
    expect(w.findAll('.is-speaking')).toHaveLength(0);
    w.unmount();
  });

  it('shows the autoplay prompt when play() is refused; "Click to play" resumes', async () => {
    playImpl = () => Promise.reject(Object.assign(new Error('no gesture'), { name: 'NotAllowedError' }));
    const s = stage();
    const w = mount(LiveCoreView, { global: s.global });
    await vi.waitFor(() => expect(w.find('.onseat-autoplay-prompt').exists()).toBe(true));
    expect(play).toHaveBeenCalledTimes(3);
    playImpl = () => Promise.resolve();
    await w.get('.onseat-autoplay-button').trigger('click');
    expect(play).toHaveBeenCalledTimes(6); // each of the three refused elements is started again
    await vi.waitFor(() => expect(w.find('.onseat-autoplay-prompt').exists()).toBe(false));
    w.unmount();
  });

  it('autoplay-prompt, center-overlay and streamViewUI slots get their props', async () => {
    playImpl = () => Promise.reject(Object.assign(new Error('no gesture'), { name: 'NotAllowedError' }));
    const s = stage();
    s.remoteMedia.set({ subscribed: false });
    const loading: boolean[] = [];
    const w = mount(LiveCoreView, {
      global: s.global,
      slots: {
        streamViewUI: ({ userInfo }: { userInfo: { userId: string } }) => h('span', { class: 'custom-ui' }, `ui:${userInfo.userId}`),
        'center-overlay': ({ isLoading }: { isLoading: boolean }) => (loading.push(isLoading), isLoading ? [h('i', { class: 'spinner' })] : []),
        'autoplay-prompt': ({ resume }: { resume: () => void }) => h('button', { class: 'my-play', onClick: resume }, 'Play'),
      },
    });
    expect(w.findAll('.custom-ui').map((e) => e.text())).toEqual(['ui:host', 'ui:g1', 'ui:me']);
    expect(w.find('.onseat-stream-ui').exists()).toBe(false);
    expect(w.find('.spinner').exists()).toBe(true);
    s.remoteMedia.set({ subscribed: true });
    await nextTick();
    expect(w.find('.spinner').exists()).toBe(false);
    expect(loading.at(0)).toBe(true);
    expect(loading.at(-1)).toBe(false);
    await vi.waitFor(() => expect(w.find('.my-play').exists()).toBe(true));
    playImpl = () => Promise.resolve();
    await w.get('.my-play').trigger('click');
    await vi.waitFor(() => expect(w.find('.my-play').exists()).toBe(false));
    w.unmount();
  });
});
