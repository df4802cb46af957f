// @vitest-environment happy-dom
/**
 * The kit components other than CoGuestPanel: Avatar (props, fallback, badge, keyboard), LiveList against a real
 * server (columns, live-room-click by mouse and keyboard, i18n), AudioSettingPanel and VideoSettingPanel over a
 * DeviceState with faked capture devices (selects, sliders, tests, visibility props, keyboard-reachable controls).
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import {
  AudioSettingPanel,
  Avatar,
  createOnseat,
  DEFAULT_USER_AVATAR,
  LiveList,
  MirrorType,
  ONSEAT_KEY,
  setLanguage,
  VideoQuality,
  VideoSettingPanel,
  type LiveInfo,
  type Onseat,
} from '../src/index.js';
import { loggedIn, logoutAll, startServer, until, type TestServer } from './support/harness.js';
import { WeriftMedia } from './support/weriftMedia.js';

const mounted: VueWrapper[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const w of mounted.splice(0)) w.unmount();
  for (const c of cleanups.splice(0)) await c();
  setLanguage('en-US');
});
const provide = (onseat: Onseat) => ({ provide: { [ONSEAT_KEY as symbol]: onseat } });

describe('Avatar', () => {
  it('shows src, falls back to the default picture on error, sizes and shapes', async () => {
    const w = mount(Avatar, { props: { src: 'https://example.invalid/a.png', size: 'lg', shape: 'square', alt: 'Alice' } });
    mounted.push(w);
    const img = w.find('img');
    expect(img.attributes('src')).toBe('https://example.invalid/a.png');
    expect(img.attributes('alt')).toBe('Alice');
    expect((w.element as HTMLElement).style.width).toBe('48px');
    await img.trigger('error');
    expect(w.find('img').attributes('src')).toBe(DEFAULT_USER_AVATAR);
    await w.setProps({ size: 20, src: undefined });
    expect((w.element as HTMLElement).style.width).toBe('20px');
    expect(w.find('img').attributes('src')).toBe(DEFAULT_USER_AVATAR);
  });

  it('shows the online dot and the unread badge (capped, or a dot)', async () => {
    const w = mount(Avatar, { props: { isShowOnlineStatus: true, isOnline: true, unreadCount: 120, maxUnreadCount: 99 } });
    mounted.push(w);
    expect(w.find('.onseat-avatar-status').classes()).toContain('is-online');
    expect(w.find('.onseat-avatar-badge').text()).toBe('99+');
    await w.setProps({ isDotUnreadCount: true });
    expect(w.find('.onseat-avatar-badge').text()).toBe('');
    await w.setProps({ unreadCount: 0 });
    expect(w.find('.onseat-avatar-badge').exists()).toBe(false);
  });

  it('is a button only with onClick: click, Enter and Space call it', async () => {
    let clicks = 0;
    const w = mount(Avatar, { props: { onClick: () => (clicks += 1) } });
    mounted.push(w);
    expect(w.attributes('role')).toBe('button');
    expect(w.attributes('tabindex')).toBe('0');
    await w.trigger('click');
    await w.trigger('keydown', { key: 'Enter' });
    await w.trigger('keydown', { key: ' ' });
    await w.trigger('keydown', { key: 'a' });
    expect(clicks).toBe(3);
    const plain = mount(Avatar);
    mounted.push(plain);
    expect(plain.attributes('role')).toBeUndefined();
  });
});

describe('LiveList against a real server', () => {
  it('lists the lives in column-count columns and emits live-room-click by mouse and keyboard', async () => {
    const ts: TestServer = await startServer();
    const users: Onseat[] = [];
    cleanups.push(async () => {
      await logoutAll(users);
      await ts.close();
    });
    for (const id of ['anna', 'ben']) {
      const host = await loggedIn(ts, id);
      users.push(host);
      await host.useLiveListState().startLive({ liveId: `live-${id}`, liveName: `${id}'s live` });
    }
    const viewer = await loggedIn(ts, 'viewer');
    users.push(viewer);
    const w = mount(LiveList, { props: { columnCount: 3 }, attachTo: document.body, global: provide(viewer) });
    mounted.push(w);
    await until(
      () => viewer.useLiveListState().liveList.value.length,
      (n) => n === 2,
      'two lives listed',
    );
    await nextTick();
    const cards = w.findAll('.onseat-live-card');
    expect(cards.map((c) => c.attributes('data-live-id')).sort()).toEqual(['live-anna', 'live-ben']);
    expect((w.find('ul').element as HTMLElement).style.gridTemplateColumns).toBe('repeat(3, minmax(0, 1fr))');
    expect(w.find('[data-live-id="live-anna"] .onseat-live-name').text()).toBe("anna's live");
    await w.find('[data-live-id="live-anna"]').trigger('click');
    await w.find('[data-live-id="live-ben"]').trigger('keydown', { key: 'Enter' });
    const emitted = (w.emitted('live-room-click') ?? []).map((args) => (args[0] as LiveInfo).liveId);
    expect(emitted).toEqual(['live-anna', 'live-ben']);
    setLanguage('zh-CN');
    await nextTick();
    expect(w.find('[data-live-id="live-anna"] .onseat-live-viewers').text()).toMatch(/人观看$/);
  });

  it('says so when there is no live (and fetches only once logged in)', async () => {
    const onseat = createOnseat({ logger: {} });
    const w = mount(LiveList, { global: provide(onseat) });
    mounted.push(w);
    await nextTick();
    expect(w.find('.onseat-live-list-empty').text()).toBe('No live right now');
    expect(onseat.useLiveListState().liveList.value).toEqual([]);
  });
});

function deviceInstance(): { onseat: Onseat; media: WeriftMedia } {
  const media = new WeriftMedia();
  cleanups.push(() => media.close());
  // happy-dom's <video> only takes its own MediaStream class: the preview element gets one of those.
  const env = { ...media.env, createMediaStream: () => new (globalThis as unknown as { MediaStream: new () => MediaStream }).MediaStream() };
  return { onseat: createOnseat({ logger: {}, media: { env } }), media };
}

describe('AudioSettingPanel', () => {
  it('selects the microphone and speaker, sets volumes, runs the microphone test with a meter', async () => {
    const { onseat } = deviceInstance();
    const d = onseat.useDeviceState();
    const w = mount(AudioSettingPanel, { attachTo: document.body, global: provide(onseat) });
    mounted.push(w);
    await until(
      () => d.microphoneList.value.length,
      (n) => n === 2,
      'microphones listed',
    );
    await until(
      () => d.speakerList.value.length,
      (n) => n === 1,
      'speakers listed',
    );
    await nextTick();
    const mic = w.find<HTMLSelectElement>('.onseat-microphone-select select');
    expect(mic.findAll('option').map((o) => o.text())).toEqual(['Mic One', 'Mic Two']);
    expect(w.find('.onseat-microphone-select label').attributes('for')).toBe(mic.attributes('id'));
    await mic.setValue('mic2');
    await until(
      () => d.currentMicrophone.value?.deviceId,
      (id) => id === 'mic2',
      'mic2 selected',
    );
    await w.find<HTMLInputElement>('.onseat-capture-volume input').setValue('30');
    expect(d.captureVolume.value).toBe(30);
    await w.find<HTMLInputElement>('.onseat-output-volume input').setValue('55');
    expect(d.outputVolume.value).toBe(55);

    const test = w.find('.onseat-microphone-test');
    expect(test.text()).toBe('Test microphone');
    await test.trigger('click');
    await until(() => d.isMicrophoneTesting.value, Boolean, 'microphone test running');
    await nextTick();
    expect(test.text()).toBe('Stop test');
    expect(test.attributes('aria-pressed')).toBe('true');
    expect(w.find('[role="meter"]').attributes('aria-valuemax')).toBe('100');
    await test.trigger('click');
    await until(
      () => d.isMicrophoneTesting.value,
      (v) => !v,
      'microphone test stopped',
    );
  });

  it('hides the parts AtomicX lets you hide', () => {
    const { onseat } = deviceInstance();
    const w = mount(AudioSettingPanel, {
      props: { micTestVisible: false, inputVolumeVisible: false, outputVolumeVisible: false, speakerTestVisible: false },
      global: provide(onseat),
    });
    mounted.push(w);
    for (const part of ['.onseat-microphone-test', '.onseat-capture-volume', '.onseat-output-volume', '.onseat-speaker-test'])
      expect(w.find(part).exists()).toBe(false);
    expect(w.find('.onseat-microphone-select').exists()).toBe(true);
  });
});

describe('VideoSettingPanel', () => {
  it('previews the camera while shown, selects camera, quality and mirroring', async () => {
    const { onseat, media } = deviceInstance();
    const d = onseat.useDeviceState();
    const w = mount(VideoSettingPanel, { attachTo: document.body, global: provide(onseat) });
    await until(() => d.isCameraTesting.value, Boolean, 'camera preview running');
    expect(media.captured.some((c) => c.kind === 'video')).toBe(true);
    expect(w.find('.onseat-camera-preview video[data-onseat-camera-test]').exists()).toBe(true);
    await until(
      () => d.cameraList.value.length,
      (n) => n === 1,
      'cameras listed',
    );
    await nextTick();
    expect(w.find('.onseat-camera-select option').text()).toBe('Cam One');
    await w.find<HTMLSelectElement>('.onseat-video-quality select').setValue(String(VideoQuality.Quality360P));
    await until(
      () => d.localVideoQuality.value,
      (q) => q === VideoQuality.Quality360P,
      '360p chosen',
    );
    const mirror = w.find<HTMLInputElement>('.onseat-mirror input');
    await mirror.setValue(false);
    await until(
      () => d.localMirrorType.value,
      (m) => m === MirrorType.Disable,
      'mirror off',
    );
    w.unmount();
    await until(
      () => d.isCameraTesting.value,
      (v) => !v,
      'preview stopped with the panel',
    );
  });

  it('hides the parts AtomicX lets you hide (no preview, no capture)', async () => {
    const { onseat, media } = deviceInstance();
    const w = mount(VideoSettingPanel, {
      props: { videoPreviewVisible: false, videoProfileVisible: false, switchMirrorVisible: false },
      global: provide(onseat),
    });
    mounted.push(w);
    await nextTick();
    expect(w.find('.onseat-camera-preview').exists()).toBe(false);
    expect(w.find('.onseat-video-quality').exists()).toBe(false);
    expect(w.find('.onseat-mirror').exists()).toBe(false);
    expect(media.captured).toEqual([]);
  });
});
