// @vitest-environment happy-dom
/**
 * The plumbing AtomicX apps call at module load: addI18n/setLanguage, useUIKitModalState, useRoomEngine (its
 * documented TUIRoomEngine subset against a real server, and the error for everything else), LivePlayerState driving
 * a mounted LiveCoreView, loginActions.
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import {
  addI18n,
  getLanguage,
  LiveCoreView,
  loginActions,
  LoginEvent,
  ONSEAT_KEY,
  PlayerControlEvent,
  setLanguage,
  TUIRoomEvents,
  TUISeatMode,
  useRoomEngine,
  useUIKitModalState,
  type OnseatRoomEngine,
  type Onseat,
} from '../src/index.js';
import { livePlayerOf } from '../src/instance.js';
import { t } from '../src/kit/i18n.js';
import { fakeOnseat, live, remoteUser, seats } from './support/fakeOnseat.js';
import { loggedIn, logoutAll, nextEvent, startServer, type TestServer } from './support/harness.js';

afterEach(() => {
  setLanguage('en-US');
  vi.restoreAllMocks();
});

describe('addI18n and setLanguage', () => {
  it('adds texts per language, merges deeply without overwriting unless asked, falls back to en-US then the key', () => {
    addI18n('en-US', { translation: { 'Test.greeting': 'Hello {{name}}', Accept: 'Take' } });
    expect(t('Test.greeting', { name: 'Ann' })).toBe('Hello Ann');
    expect(t('Accept')).toBe('Accept'); // overwrite defaults to false
    addI18n('en-US', { translation: { Accept: 'Take' } }, true, true);
    expect(t('Accept')).toBe('Take');
    addI18n('en-US', { translation: { Accept: 'Accept' } }, true, true);
    addI18n('fr-FR', { translation: { nested: { title: 'Bonjour' } } });
    setLanguage('fr-FR');
    expect(getLanguage()).toBe('fr-FR');
    expect(t('nested.title')).toBe('Bonjour');
    expect(t('Reject')).toBe('Reject'); // not in fr-FR: en-US
    expect(t('No such key')).toBe('No such key');
    setLanguage('zh-CN');
    expect(t('Reject')).toBe('拒绝');
  });

  it('re-renders mounted components when the language changes', async () => {
    const w = mount(defineComponent({ setup: () => () => h('span', t('Disconnect')) }));
    expect(w.text()).toBe('Disconnect');
    setLanguage('zh-CN');
    await nextTick();
    expect(w.text()).toBe('断开');
    w.unmount();
  });
});

describe('useUIKitModalState', () => {
  it('opens one modal at a time; confirm calls onConfirm, cancel/mask/timeout call onCancel', () => {
    const modal = useUIKitModalState();
    const calls: string[] = [];
    modal.openModal({
      id: 1,
      title: 'A',
      content: 'a',
      type: 'info',
      onConfirm: () => calls.push('confirm 1'),
      onCancel: () => calls.push('cancel 1'),
    });
    expect(modal.currentModal.value?.title).toBe('A');
    modal.closeModal();
    expect(modal.currentModal.value).toBeNull();
    modal.openModal({ id: 2, title: 'B', content: 'b', type: 'warning', onCancel: () => calls.push('cancel 2') });
    modal.closeModal('mask');
    modal.closeModal('cancel'); // none open: no-op
    expect(calls).toEqual(['confirm 1', 'cancel 2']);
  });
});

describe('useRoomEngine against a real server', () => {
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

  /** useRoomEngine() called inside a component of `onseat`'s tree, as apps do. */
  function engineOf(onseat: Onseat): OnseatRoomEngine {
    let engine: OnseatRoomEngine | null = null;
    const w = mount(
      defineComponent({
        setup() {
          engine = useRoomEngine().instance;
          return () => null;
        },
      }),
      { global: { provide: { [ONSEAT_KEY as symbol]: onseat } } },
    );
    w.unmount();
    if (!engine) throw new Error('no engine');
    return engine;
  }

  it('answers getSeatList/getUserInfo and emits audience and seat events', async () => {
    const host = await loggedIn(ts, 'host');
    users.push(host);
    await host.useLiveListState().startLive({ liveId: 'eng', seatMode: TUISeatMode.kFreeToTake, maxSeatCount: 4 });
    const engine = engineOf(host);
    expect(engineOf(host)).toBe(engine);
    const seatsNow = await engine.getSeatList();
    expect(seatsNow).toHaveLength(4);
    expect(seatsNow[0]).toMatchObject({ index: 0, userId: 'host', isLocked: false });
    expect(await engine.getUserInfo({ userId: 'host' })).toMatchObject({ userId: 'host', userRole: 0 });

    const entered = nextEvent<{ roomId: string; userInfo: { userId: string } }>(
      (cb) => engine.on(TUIRoomEvents.onRemoteUserEnterRoom, cb),
      (cb) => engine.off(TUIRoomEvents.onRemoteUserEnterRoom, cb),
      'onRemoteUserEnterRoom',
    );
    const guest = await loggedIn(ts, 'guest');
    users.push(guest);
    await guest.useLiveListState().joinLive({ liveId: 'eng' });
    expect(await entered).toMatchObject({ roomId: 'eng', userInfo: { userId: 'guest' } });

    const seated = nextEvent<{ seatedList: { userId: string }[]; seatList: unknown[] }>(
      (cb) => engine.on(TUIRoomEvents.onSeatListChanged, cb),
      (cb) => engine.off(TUIRoomEvents.onSeatListChanged, cb),
      'onSeatListChanged',
    );
    await guest.useLiveSeatState().takeSeat({ seatIndex: 2 });
    const change = await seated;
    expect(change.seatedList.map((s) => s.userId)).toEqual(['guest']);
    expect(change.seatList).toHaveLength(4);
    expect(await engine.getUserInfo({ userId: 'guest' })).toMatchObject({ userId: 'guest', userRole: 2 });
  });

  it('rejects getUserInfo for a stranger (100005) and throws for a TUIRoomEngine method onseat lacks', async () => {
    const host = await loggedIn(ts, 'host');
    users.push(host);
    await host.useLiveListState().startLive({ liveId: 'eng2' });
    const engine = engineOf(host);
    await expect(engine.getUserInfo({ userId: 'nobody' })).rejects.toMatchObject({ code: 100005, name: 'USER_NOT_IN_LIVE' });
    const anyEngine = engine as unknown as Record<string, () => unknown>;
    expect(() => anyEngine.startScreenSharing?.()).toThrowError('onseat does not support TUIRoomEngine.startScreenSharing yet');
  });

  it('emits onKickedOffLine when the same user logs in elsewhere', async () => {
    const first = await loggedIn(ts, 'dup');
    users.push(first);
    const engine = engineOf(first);
    const kicked = nextEvent<{ message: string }>(
      (cb) => engine.on(TUIRoomEvents.onKickedOffLine, cb),
      (cb) => engine.off(TUIRoomEvents.onKickedOffLine, cb),
      'onKickedOffLine',
    );
    const second = await loggedIn(ts, 'dup');
    users.push(second);
    expect(typeof (await kicked).message).toBe('string');
  });
});

describe('LivePlayerState drives the mounted LiveCoreView', () => {
  const pause = vi.fn();
  beforeEach(() => {
    pause.mockClear();
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(pause);
  });

  function viewer() {
    const f = fakeOnseat('viewer');
    f.liveList.set({ currentLive: live('L1', 600) });
    f.liveSeat.set({ seatList: seats(4, { 0: { userId: 'host', userName: 'Host', microphoneStatus: 1, cameraStatus: 1 } }) });
    f.remoteMedia.set({ subscribed: true, users: new Map([['host', remoteUser('host', new MediaStream(), true, true)]]) });
    const w = mount(LiveCoreView, { global: f.global, attachTo: document.body });
    return { ...f, w, player: livePlayerOf(f.onseat).state };
  }

  it('shows the control bar to a viewer; pause/resume, volume and mute reach the media elements, with events', async () => {
    const v = viewer();
    await nextTick();
    const bar = v.w.find('.onseat-player-control-bar');
    expect(bar.exists()).toBe(true);
    expect(bar.attributes('role')).toBe('toolbar');
    const video = v.w.get<HTMLVideoElement>('[data-user-id="host"] video').element;
    const events: string[] = [];
    const onPlay = (playing: boolean) => events.push(`play:${playing}`);
    const onVolume = (volume: number) => events.push(`volume:${volume}`);
    v.player.subscribeEvent(PlayerControlEvent.PlayStateChange, onPlay);
    v.player.subscribeEvent(PlayerControlEvent.VolumeChange, onVolume);

    await v.w.get('.onseat-player-play').trigger('click');
    await nextTick();
    expect(v.player.isPlaying.value).toBe(false);
    expect(pause).toHaveBeenCalled();
    expect(v.w.get('.onseat-player-play').attributes('aria-label')).toBe('Play');

    await v.player.setVolume(50);
    await nextTick();
    expect(video.volume).toBeCloseTo(0.5);
    await v.w.get('.onseat-player-volume').trigger('click'); // mute toggle button
    await nextTick();
    expect(v.player.isMuted.value).toBe(true);
    expect(video.muted).toBe(true);
    await v.player.unmute();
    await v.player.resume();
    await nextTick();
    expect(video.muted).toBe(false);
    expect(events).toEqual(['play:false', 'volume:50', 'play:true']);
    v.player.unsubscribeEvent(PlayerControlEvent.PlayStateChange, onPlay);
    v.player.unsubscribeEvent(PlayerControlEvent.VolumeChange, onVolume);
    await v.player.setVolume(100);
    v.w.unmount();
  });

  it('refuses a volume outside 0–100 (-1001) and a resolution the SFU does not have; hides the bar on request and for seated users', async () => {
    const v = viewer();
    await expect(v.player.setVolume(150)).rejects.toMatchObject({ code: -1001, name: 'INVALID_PARAMETER' });
    expect(v.player.resolutionList.value).toHaveLength(1);
    const only = v.player.resolutionList.value[0];
    if (!only) throw new Error('no resolution');
    await expect(v.player.switchResolution(only)).resolves.toBeUndefined();
    await expect(v.player.switchResolution({ label: '360P', value: 1 })).rejects.toMatchObject({ code: -1 });
    v.player.hideControlBar();
    await nextTick();
    expect(v.w.find('.onseat-player-control-bar').exists()).toBe(false);
    v.player.showControlBar();
    v.liveSeat.set({ seatList: seats(4, { 0: { userId: 'host' }, 1: { userId: 'viewer' } }) });
    await nextTick();
    expect(v.w.find('.onseat-player-control-bar').exists()).toBe(false);
    const full = await v.player.requestFullscreen();
    expect(typeof full.success).toBe('boolean');
    v.w.unmount();
  });
});

describe('loginActions', () => {
  it('are the LoginState methods of the instance in effect', async () => {
    const calls: unknown[] = [];
    const cb = (e: unknown) => calls.push(e);
    loginActions.subscribeEvent(LoginEvent.onKickedOffline, cb);
    loginActions.unsubscribeEvent(LoginEvent.onKickedOffline, cb);
    await expect(loginActions.logout()).resolves.toBeUndefined();
    expect(calls).toEqual([]);
  });
});
