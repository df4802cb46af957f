/**
 * Code as an AtomicX app writes it against `tuikit-atomicx-vue3`. `atomicxParity.test.ts` compiles this file twice
 * (strict): once with the specifier resolved to the real package's `.d.ts` (6.5.11, fetched with `npm pack`), once
 * resolved to `@onseat/vue`. Both must compile without an error. Never executed.
 */
import type { Ref } from 'vue';
import {
  addI18n,
  AudioRoute,
  CoHostEvent,
  DeviceError,
  DeviceStatus,
  DeviceType,
  GuestEvent,
  HostEvent,
  LiveAudienceEvent,
  LiveEndedReason,
  LiveKickedOutReason,
  LiveListEvent,
  LiveOrientation,
  LiveSeatEvent,
  MirrorType,
  NetworkQuality,
  NoResponseReason,
  PlayerControlEvent,
  SeatApplicationErrorCode,
  SeatLayoutTemplate,
  TUIErrorCode,
  TUIRole,
  TUIRoomEvents,
  TUISeatMode,
  VideoQuality,
  useCoGuestState,
  useDeviceState,
  useLiveAudienceState,
  useLiveListState,
  useLivePlayerState,
  useLiveSeatState,
  useLoginState,
  useRoomEngine,
  useUIKitModalState,
} from 'tuikit-atomicx-vue3';
import type { LiveUserInfo } from 'tuikit-atomicx-vue3';

// i18n at module load.
addI18n('en-US', { translation: { Hello: 'Hello' } });
addI18n('zh-CN', { translation: { Hello: '你好' } });

// Enum members as types, reverse look-ups, string enums as literal types.
type Portrait = LiveOrientation.Portrait;
export const portrait: Portrait = LiveOrientation.Portrait;
export function onResponded(event: GuestEvent.onGuestApplicationResponded): string {
  return event;
}
export const statusName: string = DeviceStatus[DeviceStatus.On];
export const errorName: string = DeviceError[1] ?? '';
export const roleName: string = TUIRole[TUIRole.kAdministrator];
export const qualities: VideoQuality[] = [VideoQuality.Quality360P, VideoQuality.Quality720P];
export const seatModes: Record<TUISeatMode, string> = { [TUISeatMode.kFreeToTake]: 'free', [TUISeatMode.kApplyToTake]: 'apply' };
export const template: SeatLayoutTemplate = SeatLayoutTemplate.VideoDynamicGrid9Seats;
export const codes: number[] = [TUIErrorCode.ERR_SEAT_LOCKED, SeatApplicationErrorCode.ALL_SEAT_OCCUPIED, TUIErrorCode.ERR_CAMERA_OCCUPIED];
export const misc = [AudioRoute.Speakerphone, MirrorType.Auto, DeviceType.Camera, NetworkQuality.Good, NoResponseReason.timeout];
export const reasons = [LiveEndedReason.endedByHost, LiveKickedOutReason.byLoggedOnOtherDevice];
export const coHostEvents: CoHostEvent[] = [CoHostEvent.onCoHostRequestReceived, CoHostEvent.onCoHostUserJoined];

// Lists handed to functions that take mutable arrays.
function firstDevice(list: { deviceId: string }[]): string {
  return list[0]?.deviceId ?? '';
}
function names(users: LiveUserInfo[]): string[] {
  return users.map((u) => u.userName);
}

export async function host(): Promise<void> {
  const { loginUserInfo } = useLoginState();
  const { currentLive, startLive, subscribeEvent: onList } = useLiveListState();
  const { seatList, kickUserOutOfSeat, lockSeat, subscribeEvent: onSeat } = useLiveSeatState();
  const { applicants, connected, invitees, acceptApplication, rejectApplication, inviteToSeat, subscribeEvent } = useCoGuestState();
  const { audienceList, audienceCount } = useLiveAudienceState();
  const { cameraList, microphoneList, speakerList, microphoneStatus, openLocalMicrophone, getCameraList } = useDeviceState();

  await startLive({ liveId: 'live_1', liveName: 'Hello', seatMode: TUISeatMode.kApplyToTake });
  await getCameraList();
  firstDevice(cameraList.value);
  firstDevice(microphoneList.value);
  firstDevice(speakerList.value);
  names(applicants.value);
  names(invitees.value);
  names(connected.value);
  names(audienceList.value);
  const count: number = audienceCount.value;
  const seats: number = seatList.value.length;
  const status: DeviceStatus = microphoneStatus.value;
  void [count, seats, status, loginUserInfo.value, currentLive.value];
  await openLocalMicrophone();
  await acceptApplication({ userId: 'u1' });
  await rejectApplication({ userId: 'u2' });
  await inviteToSeat({ userId: 'u3', seatIndex: -1, timeout: 30 });
  await kickUserOutOfSeat({ userId: 'u1' });
  await lockSeat({ seatIndex: 2 });
  subscribeEvent(HostEvent.onGuestApplicationReceived, (info: { guestUser: LiveUserInfo }) => void info.guestUser.userId);
  onList(LiveListEvent.onLiveEnded, () => undefined);
  onSeat(LiveSeatEvent.onLocalMicrophoneClosedByAdmin, () => undefined);
  useLiveAudienceState().subscribeEvent(LiveAudienceEvent.onAudienceJoined, () => undefined);
}

export async function audience(): Promise<void> {
  const { applyForSeat, cancelApplication, disConnect, subscribeEvent } = useCoGuestState();
  await applyForSeat({ seatIndex: -1, timeout: 60 });
  await cancelApplication();
  await disConnect();
  subscribeEvent(GuestEvent.onGuestApplicationResponded, (info: { isAccept: boolean }) => void info.isAccept);
  subscribeEvent(GuestEvent.onGuestApplicationNoResponse, () => undefined);
}

export function plumbing(): void {
  const roomEngine = useRoomEngine();
  roomEngine.instance?.on(TUIRoomEvents.onUserVoiceVolumeChanged, ({ userVolumeList }: { userVolumeList: { userId: string; volume: number }[] }) => {
    void userVolumeList;
  });
  roomEngine.instance?.on(TUIRoomEvents.onKickedOffLine, () => undefined);
  const { openModal, closeModal } = useUIKitModalState();
  openModal({ id: 1, title: 'Error', content: 'Something failed', type: 'error' });
  closeModal('cancel');

  const player = useLivePlayerState();
  const playing: Ref<boolean> = player.isPlaying;
  const volume: Ref<number> = player.currentVolume;
  void [playing, volume];
  player.subscribeEvent(PlayerControlEvent.PlayStateChange, () => undefined);
  void player.setVolume(50);
  void player.pause();
  void player.requestFullscreen();
}
