/**
 * Enums of `tuikit-atomicx-vue3` that `@onseat/client` does not define (device, network, error-code tables), plus
 * the alias names the TRTC documentation samples use (`CoGuestEvent`, `CoHostEvent`). Everything the client
 * defines is re-exported from there (see `index.ts`), never defined twice.
 */
import { GuestEvent, HostEvent } from '@onseat/client';

/**
 * Guest-side co-guest events under the name the TRTC "Guest Connection (Web)" samples use
 * (`CoGuestEvent.onGuestApplicationResponded`, `CoGuestEvent.onHostInvitationReceived`). Same string values as
 * {@link GuestEvent}.
 */
export const CoGuestEvent = { ...GuestEvent } as const;
/** A {@link CoGuestEvent} value. */
export type CoGuestEvent = (typeof CoGuestEvent)[keyof typeof CoGuestEvent];

/**
 * Host-side co-guest events under the name the TRTC samples use (`CoHostEvent.onGuestApplicationReceived`,
 * `CoHostEvent.onHostInvitationResponded`). Same string values as {@link HostEvent}. (In AtomicX `CoHostEvent` is
 * the cross-room co-host feature, which onseat does not have yet.)
 */
export const CoHostEvent = { ...HostEvent } as const;
/** A {@link CoHostEvent} value. */
export type CoHostEvent = (typeof CoHostEvent)[keyof typeof CoHostEvent];

/** Network quality of a user. */
export const NetworkQuality = { Unknown: 0, Excellent: 1, Good: 2, Poor: 3, Bad: 4, VeryBad: 5, Down: 6 } as const;
/** A {@link NetworkQuality} value. */
export type NetworkQuality = (typeof NetworkQuality)[keyof typeof NetworkQuality];

/** Orientation of a live's layout. */
export const LiveOrientation = { Landscape: 'landscape', Portrait: 'portrait' } as const;
/** A {@link LiveOrientation} value. */
export type LiveOrientation = (typeof LiveOrientation)[keyof typeof LiveOrientation];

/** A member's role as TUIRoomEngine names it (same values as `Role`). */
export const TUIRole = { kRoomOwner: 0, kAdministrator: 1, kGeneralUser: 2 } as const;
/** A {@link TUIRole} value. */
export type TUIRole = (typeof TUIRole)[keyof typeof TUIRole];

/**
 * TRTC (TUIRoomEngine) error codes that onseat can produce or that AtomicX code switches on. onseat's errors carry
 * these numbers in `error.code` wherever TRTC has the same condition (the full registry is `Errors` in
 * `@onseat/protocol`).
 */
export const TUIErrorCode = {
  ERR_SUCC: 0,
  ERR_FAILED: -1,
  ERR_FREQ_LIMIT: -2,
  ERR_REPEAT_OPERATION: -3,
  ERR_INVALID_PARAMETER: -1001,
  ERR_SDK_NOT_INITIALIZED: -1002,
  ERR_PERMISSION_DENIED: -1003,
  ERR_REQUIRE_PAYMENT: -1004,
  ERR_CAMERA_START_FAILED: -1100,
  ERR_CAMERA_NOT_AUTHORIZED: -1101,
  ERR_CAMERA_OCCUPY: -1102,
  ERR_CAMERA_DEVICE_EMPTY: -1103,
  ERR_MICROPHONE_START_FAILED: -1104,
  ERR_MICROPHONE_NOT_AUTHORIZED: -1105,
  ERR_MICROPHONE_OCCUPY: -1106,
  ERR_MICROPHONE_DEVICE_EMPTY: -1107,
  ERR_GET_SCREEN_SHARING_TARGET_FAILED: -1108,
  ERR_START_SCREEN_SHARING_FAILED: -1109,
  ERR_ALREADY_ROOM_ENTER: -1202,
  ERR_LIVE_REQUEST_SERVER_TIMEOUT: -1300,
  ERR_LIVE_SERVER_PROCESS_FAILED: -1301,
  ERR_LIVE_DISCONNECTED: -1302,
  ERR_OPERATION_INVALID_BEFORE_ENTER_ROOM: -2101,
  ERR_EXIT_NOT_SUPPORTED_FOR_ROOM_OWNER: -2102,
  ERR_ROOM_ID_INVALID: -2105,
  ERR_ROOM_NAME_INVALID: -2107,
  ERR_ALREADY_IN_OTHER_ROOM: -2108,
  ERR_USER_NOT_EXIST: -2200,
  ERR_NEED_OWNER_PERMISSION: -2300,
  ERR_NEED_ADMIN_PERMISSION: -2301,
  ERR_REQUEST_NO_PERMISSION: -2310,
  ERR_REQUEST_ID_INVALID: -2311,
  ERR_REQUEST_ID_REPEAT: -2312,
  ERR_MAX_SEAT_COUNT_LIMIT: -2340,
  ERR_SEAT_INDEX_NOT_EXIST: -2344,
  ERR_OPEN_MICROPHONE_NEED_SEAT_UNLOCK: -2360,
  ERR_OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN: -2361,
  ERR_OPEN_CAMERA_NEED_SEAT_UNLOCK: -2370,
  ERR_OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN: -2371,
  ERR_OPEN_SCREEN_SHARE_NEED_SEAT_UNLOCK: -2372,
  ERR_OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN: -2373,
  ERR_SEND_MESSAGE_DISABLED_FOR_ALL: -2380,
  ERR_SEND_MESSAGE_DISABLED_FOR_CURRENT: -2381,
  ERR_ROOM_ID_OCCUPIED: 100003,
  ERR_ROOM_NOT_EXIST: 100004,
  ERR_USER_NOT_IN_ROOM: 100005,
  ERR_INSUFFICIENT_OPERATION_PERMISSIONS: 100006,
  ERR_ROOM_USER_FULL: 100008,
  ERR_REQUEST_CONFLICT: 100102,
  ERR_SEAT_LOCKED: 100200,
  ERR_ALREADY_IN_SEAT: 100203,
  ERR_ALL_SEAT_OCCUPIED: 100205,
  ERR_USER_NOT_IN_SEAT: 100206,
  ERR_SEAT_OCCUPIED: 100210,
  ERR_SEAT_NOT_SUPPORT_LINK_MIC: 100211,
  ERR_CONNECTION_ALREADY_CONNECTED: 100401,
  ERR_CONNECTED_WITH_OTHER_ROOM: 100403,
  ERR_CONNECTION_COUNT_LIMIT: 100404,
  ERR_BATTLE_ID_NOT_EXIST: 100411,
  ERR_BATTLE_IN_OTHER_ROOM: 100415,
  ERR_BATTLE_RUNNING: 100419,
  ERR_METADATA_KEY_COUNT_LIMIT: 100500,
  ERR_METADATA_VALUE_SIZE_LIMIT: 100501,
} as const;
/** A {@link TUIErrorCode} value. */
export type TUIErrorCode = (typeof TUIErrorCode)[keyof typeof TUIErrorCode];
