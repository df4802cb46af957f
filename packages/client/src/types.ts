/** Data types with the AtomicX (`tuikit-atomicx-vue3` v6) shapes. */
import type {
  DeviceControlPolicy,
  DeviceStatus,
  LiveEndedReason,
  LiveKickedOutReason,
  LiveType,
  MoveSeatPolicy,
  NoResponseReason,
  Role,
  SeatLayoutTemplate,
  SuspendStatus,
  TUISeatMode,
} from './enums.js';

/** A user as co-guest events carry it. */
export interface LiveUserInfo {
  userId: string;
  userName: string;
  avatarUrl: string;
}

/** The logged-in user. */
export interface LoginUserInfo extends LiveUserInfo {
  customInfo?: Record<string, unknown>;
}

/**
 * Parameters of `login`. `serverUrl` is onseat's: the server base URL (default: the page's origin), or several (nodes of
 * one cluster), tried in turn on each reconnect.
 */
export interface LoginParams {
  sdkAppId: number;
  userId: string;
  userSig: string;
  serverUrl?: string | readonly string[];
  [key: string]: unknown;
}

/** Parameters of `setSelfInfo` (`customInfo` is kept locally only). */
export interface SetSelfInfoParams {
  userName?: string;
  avatarUrl?: string;
  customInfo?: Record<string, unknown>;
}

/** The user on a seat. An empty seat has `userId ''`. */
export interface SeatUserInfo extends LiveUserInfo {
  liveId: string;
  role: Role;
  microphoneStatus: DeviceStatus;
  cameraStatus: DeviceStatus;
  /** false while an administrator keeps the microphone closed. */
  allowOpenMicrophone: boolean;
  allowOpenCamera: boolean;
  onSeatTimestamp: number;
  userSuspendStatus: SuspendStatus;
  customInfo: Record<string, unknown>;
}

/** Position of a seat on the canvas. */
export interface RegionInfo {
  x: number;
  y: number;
  w: number;
  h: number;
  zOrder: number;
}

/** One seat (every seat of the live is listed; `userInfo` is always an object). */
export interface SeatInfo {
  index: number;
  isLocked: boolean;
  isAudioLocked: boolean;
  isVideoLocked: boolean;
  userInfo: SeatUserInfo;
  region?: RegionInfo;
}

/** Size of the live's canvas. */
export interface LiveCanvas {
  width: number;
  height: number;
  background: string;
}

/** The owner of a live. */
export interface LiveOwnerInfo extends LiveUserInfo {
  customInfo: Record<string, unknown>;
}

/**
 * A {@link SeatLayoutTemplate}; any other number is accepted too, as with AtomicX's numeric enum (unknown values fall
 * back to VideoLandscape4Seats). `number & Record<never, never>` keeps the template names in editor completion, which
 * a plain `| number` would swallow.
 */
type SeatTemplateValue = SeatLayoutTemplate | (number & Record<never, never>);

/** A live room. */
export interface LiveInfo {
  liveId: string;
  liveName: string;
  liveType: LiveType;
  liveDescription: string;
  notice: string;
  categoryList: number[];
  coverUrl: string;
  backgroundUrl: string;
  liveOwner: LiveOwnerInfo;
  currentViewerCount: number;
  totalViewerCount: number;
  createTime: number;
  isMessageDisable: boolean;
  /** AtomicX v6 name of `isMessageDisable`: only the owner and admins may chat. */
  isMessageDisableForAllUser: boolean;
  isGiftEnabled: boolean;
  isPublicVisible: boolean;
  isSeatEnabled: boolean;
  keepOwnerOnSeat: boolean;
  seatMode: TUISeatMode;
  maxSeatCount: number;
  layoutTemplate: number;
  activityStatus: number;
  customInfo: Record<string, unknown>;
  seatTemplate: SeatTemplateValue;
}

/** Parameters of `startLive` / `createLive`. Seats: `seatTemplate`, `seatLayoutTemplateId` or `maxSeatCount`. */
export interface StartLiveParams {
  liveId: string;
  liveName?: string;
  notice?: string;
  isMessageDisableForAllUser?: boolean;
  isMessageDisable?: boolean;
  isGiftEnabled?: boolean;
  isLikeEnabled?: boolean;
  isPublicVisible?: boolean;
  seatMode?: TUISeatMode;
  coverUrl?: string;
  backgroundUrl?: string;
  categoryList?: number[];
  activityStatus?: number;
  seatLayoutTemplateId?: number;
  seatTemplate?: SeatTemplateValue;
  isSeatEnabled?: boolean;
  keepOwnerOnSeat?: boolean;
  maxSeatCount?: number;
}
/** Older name of {@link StartLiveParams}. */
export type CreateLiveParams = StartLiveParams;

/** Parameters of `joinLive`. */
export interface JoinLiveParams {
  liveId: string;
}

/** Parameters of `updateLiveInfo`. */
export interface UpdateLiveInfoParams {
  liveId?: string;
  liveName?: string;
  notice?: string;
  activityStatus?: number;
  categoryList?: number[];
  coverUrl?: string;
  backgroundUrl?: string;
  isPublicVisible?: boolean;
  isMessageDisable?: boolean;
  /** AtomicX v6 name of `isMessageDisable`. */
  isMessageDisableForAllUser?: boolean;
  isGiftEnabled?: boolean;
  seatTemplate?: SeatTemplateValue;
  layoutTemplate?: number;
}

/** Parameters of `fetchLiveList`. An empty cursor (default) replaces the list; another appends. */
export interface FetchLiveListParams {
  cursor?: string;
  count?: number;
}

/** A member of the live's audience (administrators included, the owner not). */
export interface AudienceInfo extends LiveUserInfo {
  customInfo: Record<string, unknown>;
  userRole: Role;
  isMessageDisabled: boolean;
  joinedTimestamp?: number;
}

/** Payloads of the login events. */
export interface LoginEventMap {
  /** The userSig expired: a reconnect was refused. */
  onLoginExpired: { code: number; message: string };
  /** The same user logged in elsewhere. */
  onKickedOffline: { reason: string };
}

/** Payload of `onLiveEnded`. */
export interface LiveEndedEventInfo {
  liveId: string;
  reason: LiveEndedReason;
  message: string;
}
/** Payload of `onKickedOutOfLive`. */
export interface LiveKickedOutEventInfo {
  liveId: string;
  reason: LiveKickedOutReason;
  message: string;
}
/** Payloads of the live list events. */
export interface LiveListEventMap {
  onLiveEnded: LiveEndedEventInfo;
  onKickedOutOfLive: LiveKickedOutEventInfo;
}

/** Payloads of the live seat events (the "closed" ones carry none). */
export interface LiveSeatEventMap {
  onLocalCameraOpenedByAdmin: { policy: DeviceControlPolicy };
  onLocalCameraClosedByAdmin: undefined;
  onLocalMicrophoneOpenedByAdmin: { policy: DeviceControlPolicy };
  onLocalMicrophoneClosedByAdmin: undefined;
}

/** Payloads of the co-guest events (HostEvent and GuestEvent). */
export interface CoGuestEventMap {
  onGuestApplicationReceived: { guestUser: LiveUserInfo };
  onGuestApplicationCancelled: { guestUser: LiveUserInfo };
  onGuestApplicationProcessedByOtherHost: { guestUser: LiveUserInfo; hostUser: LiveUserInfo };
  onHostInvitationResponded: { isAccept: boolean; guestUser: LiveUserInfo };
  onHostInvitationNoResponse: { guestUser: LiveUserInfo; reason: NoResponseReason };
  onHostInvitationReceived: { hostUser: LiveUserInfo };
  onHostInvitationCancelled: { hostUser: LiveUserInfo };
  onGuestApplicationResponded: { isAccept: boolean; hostUser: LiveUserInfo };
  onGuestApplicationNoResponse: { reason: NoResponseReason };
  onGuestApplicationError: { code: number; message: string };
  onKickedOffSeat: { seatIndex: number; hostUser: LiveUserInfo };
}

/** Payloads of the audience events. */
export interface LiveAudienceEventMap {
  onAudienceJoined: { audience: AudienceInfo };
  onAudienceLeft: { audience: AudienceInfo };
  onOwnerJoined: { owner: LiveUserInfo };
  onOwnerLeft: { owner: LiveUserInfo };
  onAdminJoined: { admin: LiveUserInfo };
  onAdminLeft: { admin: LiveUserInfo };
  /** A host banned a member from chatting (`isDisable: true`) or lifted the ban. */
  onAudienceMessageDisabled: { audience: LiveUserInfo; isDisable: boolean };
}

/** Parameters of `moveUserToSeat`. */
export interface MoveUserToSeatParams {
  userId: string;
  targetIndex: number;
  policy?: MoveSeatPolicy;
}
