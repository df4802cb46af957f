/**
 * Enums with the names and values of `tuikit-atomicx-vue3` (AtomicX), as const objects: use them as values
 * (`HostEvent.onGuestApplicationReceived`) and as types (`HostEvent`).
 */

import { Errors, LiveEndedReason as WireEndedReason, LiveKickedOutReason as WireKickedOutReason, SeatMode } from '@onseat/protocol';

// Enums whose AtomicX names equal the protocol's come straight from it.
export { DeviceControlPolicy, DeviceStatus, MoveSeatPolicy, Role, SeatLayoutTemplate } from '@onseat/protocol';

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
export const LiveEndedReason = { endedByHost: WireEndedReason.EndedByHost, endedByServer: WireEndedReason.EndedByServer } as const;
export type LiveEndedReason = (typeof LiveEndedReason)[keyof typeof LiveEndedReason];

/** Why the local user was removed from a live. */
export const LiveKickedOutReason = {
  byAdmin: WireKickedOutReason.ByAdmin,
  byLoggedOnOtherDevice: WireKickedOutReason.ByLoggedOnOtherDevice,
  byServer: WireKickedOutReason.ByServer,
  forNetworkDisconnected: WireKickedOutReason.ForNetworkDisconnected,
  forJoinRoomStatusInvalidDuringOffline: 4,
  forCountOfJoinedRoomsExceedLimit: 5,
} as const;
export type LiveKickedOutReason = (typeof LiveKickedOutReason)[keyof typeof LiveKickedOutReason];

/** How audience get on a seat. */
export const TUISeatMode = { kFreeToTake: SeatMode.FreeToTake, kApplyToTake: SeatMode.ApplyToTake } as const;
export type TUISeatMode = (typeof TUISeatMode)[keyof typeof TUISeatMode];

/** Kind of live (always `kLive` here). */
export const LiveType = { kLive: 0, kChatRoom: 1 } as const;
export type LiveType = (typeof LiveType)[keyof typeof LiveType];

/** Events of the live seat store. */
export const LiveSeatEvent = {
  onLocalCameraOpenedByAdmin: 'onLocalCameraOpenedByAdmin',
  onLocalCameraClosedByAdmin: 'onLocalCameraClosedByAdmin',
  onLocalMicrophoneOpenedByAdmin: 'onLocalMicrophoneOpenedByAdmin',
  onLocalMicrophoneClosedByAdmin: 'onLocalMicrophoneClosedByAdmin',
} as const;
export type LiveSeatEvent = (typeof LiveSeatEvent)[keyof typeof LiveSeatEvent];

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
  MAX_SEAT_COUNT_LIMIT: Errors.MAX_SEAT_COUNT_LIMIT.code,
  SEAT_INDEX_NOT_EXIST: Errors.SEAT_INDEX_NOT_EXIST.code,
  INSUFFICIENT_OPERATION_PERMISSIONS: Errors.INSUFFICIENT_OPERATION_PERMISSIONS.code,
  SEAT_LOCKED: Errors.SEAT_LOCKED.code,
  SEAT_OCCUPIED: Errors.SEAT_OCCUPIED.code,
  ALREADY_ON_THE_SEAT_QUEUE: Errors.ALREADY_ON_THE_SEAT_QUEUE.code,
  ALREADY_IN_SEAT: Errors.ALREADY_IN_SEAT.code,
  NOT_ON_THE_SEAT_QUEUE: Errors.NOT_ON_THE_SEAT_QUEUE.code,
  ALL_SEAT_OCCUPIED: Errors.ALL_SEAT_OCCUPIED.code,
  USER_NOT_IN_SEAT: Errors.USER_NOT_IN_SEAT.code,
  USER_ALREADY_ON_SEAT: Errors.USER_ALREADY_ON_SEAT.code,
  SEAT_NOT_SUPPORT_LINK_MIC: Errors.SEAT_NOT_SUPPORT_LINK_MIC.code,
  /** AtomicX lists it; onseat never sends it. */
  EMPTY_SEAT_LIST: 100251,
} as const;
export type SeatApplicationErrorCode = (typeof SeatApplicationErrorCode)[keyof typeof SeatApplicationErrorCode];

/** Events of the live audience store. */
export const LiveAudienceEvent = { onAudienceJoined: 'onAudienceJoined', onAudienceLeft: 'onAudienceLeft' } as const;
export type LiveAudienceEvent = (typeof LiveAudienceEvent)[keyof typeof LiveAudienceEvent];
