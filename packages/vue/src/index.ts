/**
 * @onseat/vue: Vue 3 composables with the names, signatures and behaviour of `tuikit-atomicx-vue3`
 * (`useLoginState`, `useLiveListState`, `useLiveSeatState`, `useCoGuestState`, `useLiveAudienceState`,
 * `useDeviceState`), backed by an onseat server. Switching from TRTC means changing the import specifier and the
 * userSig source (plus `serverUrl` when the server is not the page's origin).
 */
import { useOnseat } from './instance.js';
import type { CoGuestState } from './states/coGuestState.js';
import type { DeviceState } from './states/deviceState.js';
import type { LiveAudienceState } from './states/liveAudienceState.js';
import type { LiveListState } from './states/liveListState.js';
import type { LiveSeatState } from './states/liveSeatState.js';
import type { LoginState } from './states/loginState.js';
import type { LivePlayerState } from './states/livePlayerState.js';
import type { BarrageState } from './states/barrageState.js';
import type { LiveGiftState } from './states/liveGiftState.js';

/** Login, logout and the logged-in user (AtomicX LoginState). Module-level singleton per onseat instance. */
export function useLoginState(): LoginState {
  return useOnseat().useLoginState();
}
/** Live lifecycle and the live list (AtomicX LiveListState). */
export function useLiveListState(): LiveListState {
  return useOnseat().useLiveListState();
}
/** Seats and the host's seat controls (AtomicX LiveSeatState). */
export function useLiveSeatState(): LiveSeatState {
  return useOnseat().useLiveSeatState();
}
/** Applications and invitations to take a seat (AtomicX CoGuestState). */
export function useCoGuestState(): CoGuestState {
  return useOnseat().useCoGuestState();
}
/** The live's audience (AtomicX LiveAudienceState). */
export function useLiveAudienceState(): LiveAudienceState {
  return useOnseat().useLiveAudienceState();
}
/** Your microphone, camera and screen share, published over WebRTC (AtomicX DeviceState). */
export function useDeviceState(): DeviceState {
  return useOnseat().useDeviceState();
}
/** The viewer's controls of the mounted LiveCoreView: play/pause, volume, fullscreen … (AtomicX LivePlayerState). */
export function useLivePlayerState(): LivePlayerState {
  return useOnseat().useLivePlayerState();
}

/** AtomicX's `loginActions`: the LoginState methods as a plain object (they act on the instance in effect at call time). */
export const loginActions: Pick<LoginState, 'login' | 'logout' | 'setSelfInfo' | 'subscribeEvent' | 'unsubscribeEvent'> = {
  login: (params) => useLoginState().login(params),
  logout: () => useLoginState().logout(),
  setSelfInfo: (params) => useLoginState().setSelfInfo(params),
  subscribeEvent: (event, callback) => useLoginState().subscribeEvent(event, callback),
  unsubscribeEvent: (event, callback) => useLoginState().unsubscribeEvent(event, callback),
};

/** Chat of the current live (AtomicX BarrageState). */
export function useBarrageState(): BarrageState {
  return useOnseat().useBarrageState();
}
/** Gift catalogue, gifts and likes (AtomicX LiveGiftState). */
export function useLiveGiftState(): LiveGiftState {
  return useOnseat().useLiveGiftState();
}

export { createOnseat, getDefaultOnseat, useOnseat, ONSEAT_KEY, type Onseat, type OnseatOptions } from './instance.js';

// Kit plumbing: i18n, the modal state, the room engine subset.
export { addI18n, setLanguage, getLanguage } from './kit/i18n.js';
export { useUIKitModalState, type UIKitModalConfig, type UIKitModalState } from './kit/modalState.js';
export { useRoomEngine, type OnseatRoomEngine, type RoomEngineHandler, type TUIUserInfo, type TUISeatInfo } from './kit/roomEngine.js';

// AtomicX exports onseat does not implement yet: importing works, using throws "onseat does not support X yet".
export * from './unsupported.js';
export type { LoginState } from './states/loginState.js';
export type { LiveListState } from './states/liveListState.js';
export type { LiveSeatState } from './states/liveSeatState.js';
export type { CoGuestState, CoGuestEventName, CoGuestEventInfoMap, CoGuestEventCallback } from './states/coGuestState.js';
export type { LiveAudienceState } from './states/liveAudienceState.js';
export type { DeviceState } from './states/deviceState.js';
export type {
  LivePlayerState,
  Resolution,
  FullscreenResult,
  ButtonState,
  PlayerControlButtons,
  CustomButton,
  CustomButtonPosition,
  PlayerControlEventMap,
  PlayerControlEventCallback,
} from './states/livePlayerState.js';
export type { BarrageState } from './states/barrageState.js';
export type { LiveGiftState } from './states/liveGiftState.js';
export { MEDIA_NOT_AVAILABLE } from './media.js';

// Components (render functions, so no SFC compiler is needed to use the package).
export { LiveCoreView, LiveCoreView as LiveView, LIVE_STREAM_CONTENT_VIEW } from './components/LiveCoreView.js';
export { DefaultStreamViewUI } from './components/DefaultStreamViewUI.js';
export { StreamView } from './components/StreamView.js';
export { useMediaPlayback, type MediaPlayback } from './components/playback.js';
export { CoGuestPanel } from './components/CoGuestPanel.js';
export { LiveList } from './components/LiveList.js';
export { Avatar, DEFAULT_USER_AVATAR, type AvatarSize, type AvatarShape } from './components/Avatar.js';
export { AudioSettingPanel } from './components/AudioSettingPanel.js';
export { VideoSettingPanel } from './components/VideoSettingPanel.js';
export { BarrageList, type MessageItemSlotProps, type BarrageSender } from './components/BarrageList.js';
export { BarrageInput, type OnWillSendBarrage, type OnDidSendBarrage } from './components/BarrageInput.js';
export { LiveGift } from './components/LiveGift.js';
export { LiveAudienceList, type AudienceItemSlotProps } from './components/LiveAudienceList.js';

// Enums defined by @onseat/client (AtomicX names and values).
export {
  LoginStatus,
  LoginEvent,
  LiveListEvent,
  LiveEndedReason,
  LiveKickedOutReason,
  TUISeatMode,
  LiveType,
  SeatLayoutTemplate,
  LiveSeatEvent,
  MoveSeatPolicy,
  DeviceControlPolicy,
  Role,
  SuspendStatus,
  HostEvent,
  GuestEvent,
  NoResponseReason,
  SeatApplicationErrorCode,
  LiveAudienceEvent,
  DeviceStatus,
  DeviceError,
  DeviceType,
  AudioRoute,
  MirrorType,
  VideoQuality,
  OnseatError,
  isOnseatError,
  BarrageType,
  BarrageEvent,
  LiveGiftEvents,
} from '@onseat/client';
// Enums only the Vue package needs, and the documentation's alias names.
export {
  CoGuestEvent,
  CoHostEvent,
  CoHostStatus,
  CoHostLayoutTemplate,
  NetworkQuality,
  TUIRole,
  TUIErrorCode,
  TUIRoomEvents,
  LiveOrientation,
  MediaSettingDisplayMode,
  PlayerControlButton,
  PlayerControlEvent,
} from './enums.js';

// Data types.
export type {
  LiveUserInfo,
  LoginUserInfo,
  LoginParams,
  SetSelfInfoParams,
  SeatUserInfo,
  SeatInfo,
  RegionInfo,
  LiveCanvas,
  LiveOwnerInfo,
  LiveInfo,
  StartLiveParams,
  CreateLiveParams,
  JoinLiveParams,
  UpdateLiveInfoParams,
  FetchLiveListParams,
  AudienceInfo,
  MoveUserToSeatParams,
  LoginEventMap,
  LiveEndedEventInfo,
  LiveKickedOutEventInfo,
  LiveListEventMap,
  LiveSeatEventMap,
  CoGuestEventMap,
  LiveAudienceEventMap,
  Logger,
  WebSocketConstructor,
  OnseatClient,
  Barrage,
  BarrageEventMap,
  GiftInfo,
  GiftCategory,
  Gift,
  GiftCountChanged,
  LikesMessage,
  LiveGiftEventMap,
} from '@onseat/client';
export type { TUIDeviceInfo, NetworkInfo, AVStatistics, EventCallback, LiveListEventInfo, CoGuestRequestInfo } from './types.js';
