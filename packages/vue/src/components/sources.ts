import { DeviceStatus, MirrorType, type LiveInfo, type RemoteUserMedia, type SeatInfo } from '@onseat/client';
import { computed, getCurrentScope, inject, onScopeDispose, provide, shallowRef, type ComputedRef, type InjectionKey, type ShallowRef } from 'vue';
import { useOnseat } from '../instance.js';
import type { SnapshotSource } from '../reactive.js';

/** What to play for one user: their stream (yours: the local preview) and which kinds it has now. */
export interface UserMediaView {
  userId: string;
  /** The local user (played muted, possibly mirrored). */
  isLocal: boolean;
  stream: MediaStream | null;
  hasVideo: boolean;
  hasAudio: boolean;
  /** Changes whenever the tracks inside `stream` change (players re-attach and play again). */
  trackKey: string;
}

/** Reactive view of the onseat stores the media components read. */
export interface MediaSources {
  /** The logged-in user ('' before login). */
  localUserId: ComputedRef<string>;
  /** The live you are in (null / empty liveId when none). */
  currentLive: ComputedRef<LiveInfo | null>;
  seatList: ComputedRef<readonly SeatInfo[]>;
  /** userId → level 0–100 of the users audible now (`useLiveSeatState().speakingUsers`). */
  speakingUsers: ComputedRef<ReadonlyMap<string, number>>;
  /** True while the live's media is received. */
  subscribed: ComputedRef<boolean>;
  /** Remote users whose media reaches you. */
  remoteUsers: ComputedRef<ReadonlyMap<string, RemoteUserMedia>>;
  /** Playback volume 0–100 (`useDeviceState().outputVolume`). */
  outputVolume: ComputedRef<number>;
  /** The chosen audio output's deviceId ('' = default). */
  speakerId: ComputedRef<string>;
  /** Whether your own preview is shown mirrored (`localMirrorType`, front camera, not a screen share). */
  mirrorLocal: ComputedRef<boolean>;
  /** What to play for `userId` (reactive when read inside a computed or a render function). */
  mediaOf(userId: string): UserMediaView;
}

const SOURCES_KEY: InjectionKey<MediaSources> = Symbol('onseat-media-sources');

/** A shallow ref of a store's snapshot, unsubscribed when the calling scope (e.g. the component) ends. */
function liveRef<S>(store: SnapshotSource<S>): ShallowRef<S> {
  const ref = shallowRef(store.getSnapshot()) as ShallowRef<S>;
  const off = store.subscribe((snapshot) => {
    ref.value = snapshot;
  });
  if (getCurrentScope()) onScopeDispose(off);
  return ref;
}

const trackIds = (stream: MediaStream | null): string =>
  stream && typeof stream.getTracks === 'function'
    ? stream
        .getTracks()
        .map((t) => t.id)
        .join(',')
    : '';

/** Build the sources of the onseat instance in effect here (call inside `setup`). */
export function createMediaSources(): MediaSources {
  const { stores } = useOnseat();
  const login = liveRef(stores.login);
  const liveList = liveRef(stores.liveList);
  const liveSeat = liveRef(stores.liveSeat);
  const remote = liveRef(stores.remoteMedia);
  const device = liveRef(stores.device);
  const localUserId = computed(() => login.value.loginUserInfo?.userId ?? '');
  const remoteUsers = computed(() => remote.value.users);
  const mirrorLocal = computed(() => {
    const d = device.value;
    if (d.screenStatus === DeviceStatus.On) return false;
    return d.localMirrorType === MirrorType.Enable || (d.localMirrorType === MirrorType.Auto && d.isFrontCamera);
  });
  return {
    localUserId,
    currentLive: computed(() => liveList.value.currentLive),
    seatList: computed(() => liveSeat.value.seatList),
    speakingUsers: computed(() => liveSeat.value.speakingUsers),
    subscribed: computed(() => remote.value.subscribed),
    remoteUsers,
    outputVolume: computed(() => device.value.outputVolume),
    speakerId: computed(() => device.value.currentSpeaker?.deviceId ?? ''),
    mirrorLocal,
    mediaOf(userId) {
      if (userId !== '' && userId === localUserId.value) {
        const stream = device.value.localStream;
        const hasVideo = !!stream && typeof stream.getVideoTracks === 'function' && stream.getVideoTracks().length > 0;
        return { userId, isLocal: true, stream, hasVideo, hasAudio: false, trackKey: trackIds(stream) };
      }
      const m = remoteUsers.value.get(userId);
      if (!m) return { userId, isLocal: false, stream: null, hasVideo: false, hasAudio: false, trackKey: '' };
      const trackKey = `${m.audioTrack?.id ?? ''}/${m.videoTrack?.id ?? ''}`;
      return { userId, isLocal: false, stream: m.stream, hasVideo: m.hasVideo, hasAudio: m.hasAudio, trackKey };
    },
  };
}

/** The sources a parent component provided (LiveCoreView does), else new ones for the calling component. */
export function useMediaSources(): MediaSources {
  return inject(SOURCES_KEY, null) ?? createMediaSources();
}

/** Make `sources` the ones descendants use. */
export function provideMediaSources(sources: MediaSources): void {
  provide(SOURCES_KEY, sources);
}
