/**
 * A stand-in onseat instance for component tests: the five stores LiveCoreView reads (login, liveList, liveSeat,
 * remoteMedia, device) as plain snapshot stores the test sets directly, plus seat and stream builders.
 */
import type { DeviceSnapshot, LiveInfo, RemoteMediaSnapshot, RemoteUserMedia, SeatInfo, SeatUserInfo } from '@onseat/client';
import { ONSEAT_KEY, type Onseat } from '../../src/index.js';

/** A snapshot store the test drives with `set`. */
export class FakeStore<S extends object> {
  #state: S;
  readonly #listeners = new Set<(s: S) => void>();
  constructor(initial: S) {
    this.#state = initial;
  }
  getSnapshot(): S {
    return this.#state;
  }
  subscribe(listener: (s: S) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  set(patch: Partial<S>): void {
    this.#state = { ...this.#state, ...patch };
    for (const l of [...this.#listeners]) l(this.#state);
  }
  get listeners(): number {
    return this.#listeners.size;
  }
}

export const emptyUser = (): SeatUserInfo =>
  ({
    userId: '',
    userName: '',
    avatarUrl: '',
    liveId: '',
    role: 2,
    microphoneStatus: 0,
    cameraStatus: 0,
    allowOpenMicrophone: true,
    allowOpenCamera: true,
    onSeatTimestamp: 0,
    userSuspendStatus: 0,
    customInfo: {},
  }) as unknown as SeatUserInfo;

/** Seat `index`, occupied when `user` has a userId. */
export function seat(index: number, user: Partial<SeatUserInfo> = {}, extra: Partial<SeatInfo> = {}): SeatInfo {
  return { index, isLocked: false, isAudioLocked: false, isVideoLocked: false, userInfo: { ...emptyUser(), ...user }, ...extra };
}

/** `count` seats, the given ones occupied. */
export function seats(count: number, occupied: Record<number, Partial<SeatUserInfo>>): SeatInfo[] {
  return Array.from({ length: count }, (_, i) => seat(i, occupied[i] ?? {}));
}

export function live(liveId: string, layoutTemplate: number, ownerId = 'host'): LiveInfo {
  return { liveId, layoutTemplate, liveOwner: { userId: ownerId, userName: ownerId, avatarUrl: '', customInfo: {} } } as unknown as LiveInfo;
}

/** A stream-like object with tracks of the given kinds (ids unique per call). */
let nextId = 0;
export function fakeStream(kinds: ('audio' | 'video')[]): MediaStream {
  const tracks = kinds.map((kind) => ({ kind, id: `${kind}-${++nextId}` }) as unknown as MediaStreamTrack);
  return {
    getTracks: () => tracks,
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
  } as unknown as MediaStream;
}

export function remoteUser(userId: string, stream: MediaStream, hasAudio: boolean, hasVideo: boolean): RemoteUserMedia {
  const audioTrack = stream.getAudioTracks?.()[0] ?? null;
  const videoTrack = stream.getVideoTracks?.()[0] ?? null;
  return { userId, stream, hasAudio, hasVideo, audioTrack, videoTrack };
}

/** The fake instance and its stores. */
export function fakeOnseat(localUserId: string) {
  const login = new FakeStore({ loginUserInfo: { userId: localUserId, userName: localUserId, avatarUrl: '' }, loginStatus: 1 });
  const liveList = new FakeStore<{ currentLive: LiveInfo | null }>({ currentLive: null });
  const liveSeat = new FakeStore<{ seatList: readonly SeatInfo[]; speakingUsers: ReadonlyMap<string, number> }>({
    seatList: [],
    speakingUsers: new Map(),
  });
  const remoteMedia = new FakeStore<RemoteMediaSnapshot>({ users: new Map(), speakingUsers: new Map(), subscribed: false });
  const device = new FakeStore<Partial<DeviceSnapshot>>({
    localStream: null,
    outputVolume: 100,
    currentSpeaker: null,
    localMirrorType: 0,
    isFrontCamera: true,
    screenStatus: 0,
  });
  const stores = { login, liveList, liveSeat, remoteMedia, device };
  const onseat = { stores } as unknown as Onseat;
  /** Mount options that make the component use this instance. */
  const global = { provide: { [ONSEAT_KEY as symbol]: onseat } };
  return { ...stores, stores, onseat, global };
}
