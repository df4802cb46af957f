/**
 * Enums with the names and values of `tuikit-atomicx-vue3` (AtomicX), as const objects: use them as values
 * (`HostEvent.onGuestApplicationReceived`) and as types (`HostEvent`).
 */

/** Login state. */
export const LoginStatus = { UNKNOWN: 0, LOGINED: 1 } as const;
export type LoginStatus = (typeof LoginStatus)[keyof typeof LoginStatus];

/** Events of the login store. */
export const LoginEvent = { onLoginExpired: 'onLoginExpired', onKickedOffline: 'onKickedOffline' } as const;
export type LoginEvent = (typeof LoginEvent)[keyof typeof LoginEvent];

/** Events of the live list store. */
export const LiveListEvent = { onLiveEnded: 'onLiveEnded', onKickedOutOfLive: 'onKickedOutOfLive' } as const;
export type LiveListEvent = (typeof LiveListEvent)[keyof typeof LiveListEvent];

/** Why a live ended. */
export const LiveEndedReason = { endedByHost: 1, endedByServer: 2 } as const;
export type LiveEndedReason = (typeof LiveEndedReason)[keyof typeof LiveEndedReason];

/** Why the local user was removed from a live. */
export const LiveKickedOutReason = {
  byAdmin: 0,
  byLoggedOnOtherDevice: 1,
  byServer: 2,
  forNetworkDisconnected: 3,
  forJoinRoomStatusInvalidDuringOffline: 4,
  forCountOfJoinedRoomsExceedLimit: 5,
} as const;
export type LiveKickedOutReason = (typeof LiveKickedOutReason)[keyof typeof LiveKickedOutReason];

/** How audience get on a seat. */
export const TUISeatMode = { kFreeToTake: 1, kApplyToTake: 2 } as const;
export type TUISeatMode = (typeof TUISeatMode)[keyof typeof TUISeatMode];

/** Kind of live (always `kLive` here). */
export const LiveType = { kLive: 0, kChatRoom: 1 } as const;
export type LiveType = (typeof LiveType)[keyof typeof LiveType];

/** Seat layout templates. */
export const SeatLayoutTemplate = {
  VideoDynamicGrid9Seats: 600,
  VideoDynamicFloat7Seats: 601,
  VideoFixedGrid9Seats: 800,
  VideoFixedFloat7Seats: 801,
  VideoLandscape4Seats: 200,
} as const;
export type SeatLayoutTemplate = (typeof SeatLayoutTemplate)[keyof typeof SeatLayoutTemplate];

/** Events of the live seat store. */
export const LiveSeatEvent = {
  onLocalCameraOpenedByAdmin: 'onLocalCameraOpenedByAdmin',
  onLocalCameraClosedByAdmin: 'onLocalCameraClosedByAdmin',
  onLocalMicrophoneOpenedByAdmin: 'onLocalMicrophoneOpenedByAdmin',
  onLocalMicrophoneClosedByAdmin: 'onLocalMicrophoneClosedByAdmin',
} as const;
export type LiveSeatEvent = (typeof LiveSeatEvent)[keyof typeof LiveSeatEvent];

/** What `moveUserToSeat` does when the target seat is taken. */
export const MoveSeatPolicy = { AbortWhenOccupied: 0, ForceReplace: 1, SwapPosition: 2 } as const;
export type MoveSeatPolicy = (typeof MoveSeatPolicy)[keyof typeof MoveSeatPolicy];

/** What `openRemoteCamera/Microphone` does (only unlock). */
export const DeviceControlPolicy = { UnlockOnly: 1 } as const;
export type DeviceControlPolicy = (typeof DeviceControlPolicy)[keyof typeof DeviceControlPolicy];

/** A member's role in a live. */
export const Role = { Owner: 0, Administrator: 1, GeneralUser: 2 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Whether a seated user is suspended (always `None` here). */
export const SuspendStatus = { None: 0, InBackground: 1, InCalling: 2 } as const;
export type SuspendStatus = (typeof SuspendStatus)[keyof typeof SuspendStatus];

/** Co-guest events a host (owner/administrator) receives. */
export const HostEvent = {
  onGuestApplicationReceived: 'onGuestApplicationReceived',
  onGuestApplicationCancelled: 'onGuestApplicationCancelled',
  onGuestApplicationProcessedByOtherHost: 'onGuestApplicationProcessedByOtherHost',
  onHostInvitationResponded: 'onHostInvitationResponded',
  onHostInvitationNoResponse: 'onHostInvitationNoResponse',
} as const;
export type HostEvent = (typeof HostEvent)[keyof typeof HostEvent];

/** Co-guest events an audience member/guest receives. */
export const GuestEvent = {
  onHostInvitationReceived: 'onHostInvitationReceived',
  onHostInvitationCancelled: 'onHostInvitationCancelled',
  onGuestApplicationResponded: 'onGuestApplicationResponded',
  onGuestApplicationNoResponse: 'onGuestApplicationNoResponse',
  onGuestApplicationError: 'onGuestApplicationError',
  onKickedOffSeat: 'onKickedOffSeat',
} as const;
export type GuestEvent = (typeof GuestEvent)[keyof typeof GuestEvent];

/** Why an application/invitation got no answer. */
export const NoResponseReason = { timeout: 0, alreadySeated: 1 } as const;
export type NoResponseReason = (typeof NoResponseReason)[keyof typeof NoResponseReason];

/** Codes of `GuestEvent.onGuestApplicationError`. */
export const SeatApplicationErrorCode = {
  MAX_SEAT_COUNT_LIMIT: -2340,
  SEAT_INDEX_NOT_EXIST: -2344,
  INSUFFICIENT_OPERATION_PERMISSIONS: 100006,
  SEAT_LOCKED: 100200,
  SEAT_OCCUPIED: 100201,
  ALREADY_ON_THE_SEAT_QUEUE: 100202,
  ALREADY_IN_SEAT: 100203,
  NOT_ON_THE_SEAT_QUEUE: 100204,
  ALL_SEAT_OCCUPIED: 100205,
  USER_NOT_IN_SEAT: 100206,
  USER_ALREADY_ON_SEAT: 100210,
  SEAT_NOT_SUPPORT_LINK_MIC: 100211,
  EMPTY_SEAT_LIST: 100251,
} as const;
export type SeatApplicationErrorCode = (typeof SeatApplicationErrorCode)[keyof typeof SeatApplicationErrorCode];

/** Events of the live audience store. */
export const LiveAudienceEvent = { onAudienceJoined: 'onAudienceJoined', onAudienceLeft: 'onAudienceLeft' } as const;
export type LiveAudienceEvent = (typeof LiveAudienceEvent)[keyof typeof LiveAudienceEvent];

/** Device on/off. */
export const DeviceStatus = { Off: 0, On: 1 } as const;
export type DeviceStatus = (typeof DeviceStatus)[keyof typeof DeviceStatus];
