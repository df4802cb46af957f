/**
 * Enums with the names, members and values of `tuikit-atomicx-vue3` (AtomicX), as TypeScript `enum`s like
 * AtomicX's: a member is a value (`HostEvent.onGuestApplicationReceived`) and a type
 * (`(e: GuestEvent.onGuestApplicationResponded) => …`), and numeric enums have reverse look-ups (`DeviceStatus[1]`).
 * Where the protocol has the same concept the values are the protocol's (checked by `test/exports.unit.test.ts`).
 */

/** Login state. */
export enum LoginStatus {
  UNKNOWN = 0,
  LOGINED = 1,
}

/** Events of the login store. */
export enum LoginEvent {
  onLoginExpired = 'onLoginExpired',
  onKickedOffline = 'onKickedOffline',
}

/** Events of the live list store. */
export enum LiveListEvent {
  onLiveEnded = 'onLiveEnded',
  onKickedOutOfLive = 'onKickedOutOfLive',
}

/** Why a live ended. */
export enum LiveEndedReason {
  endedByHost = 1,
  endedByServer = 2,
}

/** Why the local user was removed from a live (onseat sends the first four). */
export enum LiveKickedOutReason {
  byAdmin = 0,
  byLoggedOnOtherDevice = 1,
  byServer = 2,
  forNetworkDisconnected = 3,
  forJoinRoomStatusInvalidDuringOffline = 4,
  forCountOfJoinedRoomsExceedLimit = 5,
}

/** How audience get on a seat. */
export enum TUISeatMode {
  kFreeToTake = 1,
  kApplyToTake = 2,
}

/** Kind of live (always `kLive` here). */
export enum LiveType {
  kLive = 0,
  kChatRoom = 1,
}

/** Seat layout templates (the seat count of each is `SEAT_COUNT_BY_TEMPLATE` in `@onseat/protocol`). */
export enum SeatLayoutTemplate {
  VideoDynamicGrid9Seats = 600,
  VideoDynamicFloat7Seats = 601,
  VideoFixedGrid9Seats = 800,
  VideoFixedFloat7Seats = 801,
  VideoLandscape4Seats = 200,
}

/** Events of the live seat store. */
export enum LiveSeatEvent {
  onLocalCameraOpenedByAdmin = 'onLocalCameraOpenedByAdmin',
  onLocalCameraClosedByAdmin = 'onLocalCameraClosedByAdmin',
  onLocalMicrophoneOpenedByAdmin = 'onLocalMicrophoneOpenedByAdmin',
  onLocalMicrophoneClosedByAdmin = 'onLocalMicrophoneClosedByAdmin',
}

/** What `moveUserToSeat` does when the target seat is taken. */
export enum MoveSeatPolicy {
  AbortWhenOccupied = 0,
  ForceReplace = 1,
  SwapPosition = 2,
}

/** What `openRemoteCamera/Microphone` does (onseat: unlock only; the guest opens the device). */
export enum DeviceControlPolicy {
  UnlockOnly = 1,
}

/** A member's role in a live. */
export enum Role {
  Owner = 0,
  Administrator = 1,
  GeneralUser = 2,
}

/** Whether a seated user is suspended (always `None` here). */
export enum SuspendStatus {
  None = 0,
  InBackground = 1,
  InCalling = 2,
}

/** On/off state of a device. */
export enum DeviceStatus {
  Off = 0,
  On = 1,
}

/** Co-guest events a host (owner/administrator) receives. */
export enum HostEvent {
  onGuestApplicationReceived = 'onGuestApplicationReceived',
  onGuestApplicationCancelled = 'onGuestApplicationCancelled',
  onGuestApplicationProcessedByOtherHost = 'onGuestApplicationProcessedByOtherHost',
  onHostInvitationResponded = 'onHostInvitationResponded',
  onHostInvitationNoResponse = 'onHostInvitationNoResponse',
}

/** Co-guest events an audience member/guest receives. */
export enum GuestEvent {
  onHostInvitationReceived = 'onHostInvitationReceived',
  onHostInvitationCancelled = 'onHostInvitationCancelled',
  onGuestApplicationResponded = 'onGuestApplicationResponded',
  onGuestApplicationNoResponse = 'onGuestApplicationNoResponse',
  onGuestApplicationError = 'onGuestApplicationError',
  onKickedOffSeat = 'onKickedOffSeat',
}

/** Why an application/invitation got no answer. */
export enum NoResponseReason {
  timeout = 0,
  alreadySeated = 1,
}

/** Codes of `GuestEvent.onGuestApplicationError` (`EMPTY_SEAT_LIST`: AtomicX lists it; onseat never sends it). */
export enum SeatApplicationErrorCode {
  MAX_SEAT_COUNT_LIMIT = -2340,
  SEAT_INDEX_NOT_EXIST = -2344,
  INSUFFICIENT_OPERATION_PERMISSIONS = 100006,
  SEAT_LOCKED = 100200,
  SEAT_OCCUPIED = 100201,
  ALREADY_ON_THE_SEAT_QUEUE = 100202,
  ALREADY_IN_SEAT = 100203,
  NOT_ON_THE_SEAT_QUEUE = 100204,
  ALL_SEAT_OCCUPIED = 100205,
  USER_NOT_IN_SEAT = 100206,
  USER_ALREADY_ON_SEAT = 100210,
  SEAT_NOT_SUPPORT_LINK_MIC = 100211,
  EMPTY_SEAT_LIST = 100251,
}

/** Events of the live audience store (AtomicX v6: owner/admin presence and message bans included). */
export enum LiveAudienceEvent {
  onOwnerJoined = 'onOwnerJoined',
  onOwnerLeft = 'onOwnerLeft',
  onAdminJoined = 'onAdminJoined',
  onAdminLeft = 'onAdminLeft',
  onAudienceJoined = 'onAudienceJoined',
  onAudienceLeft = 'onAudienceLeft',
  onAudienceMessageDisabled = 'onAudienceMessageDisabled',
}
