/** Enums shared by server and client. Values match TRTC's AtomicX/TUIRoomEngine where it has the same concept. */

/** A member's role in a live (TUIRole / AtomicX Role). */
export const Role = { Owner: 0, Administrator: 1, GeneralUser: 2 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** How audience get on a seat (TUISeatMode). */
export const SeatMode = { FreeToTake: 1, ApplyToTake: 2 } as const;
export type SeatMode = (typeof SeatMode)[keyof typeof SeatMode];

export const DeviceStatus = { Off: 0, On: 1 } as const;
export type DeviceStatus = (typeof DeviceStatus)[keyof typeof DeviceStatus];

export const LiveEndedReason = { EndedByHost: 1, EndedByServer: 2 } as const;
export type LiveEndedReason = (typeof LiveEndedReason)[keyof typeof LiveEndedReason];

export const LiveKickedOutReason = {
  ByAdmin: 0,
  ByLoggedOnOtherDevice: 1,
  ByServer: 2,
  ForNetworkDisconnected: 3,
} as const;
export type LiveKickedOutReason = (typeof LiveKickedOutReason)[keyof typeof LiveKickedOutReason];

export const MoveSeatPolicy = { AbortWhenOccupied: 0, ForceReplace: 1, SwapPosition: 2 } as const;
export type MoveSeatPolicy = (typeof MoveSeatPolicy)[keyof typeof MoveSeatPolicy];

export const DeviceControlPolicy = { UnlockOnly: 1 } as const;
export type DeviceControlPolicy = (typeof DeviceControlPolicy)[keyof typeof DeviceControlPolicy];

/** Seat layout templates (AtomicX v6 SeatLayoutTemplate) and how many seats each has. */
export const SeatLayoutTemplate = {
  VideoLandscape4Seats: 200,
  VideoDynamicGrid9Seats: 600,
  VideoDynamicFloat7Seats: 601,
  VideoFixedGrid9Seats: 800,
  VideoFixedFloat7Seats: 801,
} as const;
export type SeatLayoutTemplate = (typeof SeatLayoutTemplate)[keyof typeof SeatLayoutTemplate];

export const SEAT_COUNT_BY_TEMPLATE: Readonly<Record<SeatLayoutTemplate, number>> = {
  200: 4,
  600: 9,
  601: 7,
  800: 9,
  801: 7,
};

/** Largest seat count a live may have. */
export const MAX_SEAT_COUNT = 16;

/** Which local device a seat operation is about. */
export const MediaDevice = { Microphone: 'microphone', Camera: 'camera' } as const;
export type MediaDevice = (typeof MediaDevice)[keyof typeof MediaDevice];

/** Why a pending application or invitation was withdrawn without an answer. */
export const RequestCancelReason = {
  /** The requester cancelled it. */
  Cancelled: 'cancelled',
  /** The applicant/invitee left the live (or its connection's grace period ran out). */
  UserLeft: 'userLeft',
  /** The user got a seat another way (an invitation was accepted, a host seated them). */
  Superseded: 'superseded',
  /** The live ended. */
  LiveEnded: 'liveEnded',
} as const;
export type RequestCancelReason = (typeof RequestCancelReason)[keyof typeof RequestCancelReason];
