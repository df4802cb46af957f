/**
 * Enums of `tuikit-atomicx-vue3` that `@onseat/client` does not define (network, roles, error codes, room-engine
 * events, co-host, player), as TypeScript `enum`s with AtomicX's members and values, plus `CoGuestEvent`, the name
 * the TRTC documentation samples use. Everything the client defines is re-exported from there (see `index.ts`).
 */

/**
 * Co-guest events under the name the TRTC "Guest Connection (Web)" samples use (`CoGuestEvent.onGuestApplicationResponded`,
 * `CoGuestEvent.onHostInvitationReceived`): every member of `HostEvent` and `GuestEvent`, same string values.
 * (AtomicX itself has no `CoGuestEvent`.)
 */
export enum CoGuestEvent {
  onGuestApplicationReceived = 'onGuestApplicationReceived',
  onGuestApplicationCancelled = 'onGuestApplicationCancelled',
  onGuestApplicationProcessedByOtherHost = 'onGuestApplicationProcessedByOtherHost',
  onHostInvitationResponded = 'onHostInvitationResponded',
  onHostInvitationNoResponse = 'onHostInvitationNoResponse',
  onHostInvitationReceived = 'onHostInvitationReceived',
  onHostInvitationCancelled = 'onHostInvitationCancelled',
  onGuestApplicationResponded = 'onGuestApplicationResponded',
  onGuestApplicationNoResponse = 'onGuestApplicationNoResponse',
  onGuestApplicationError = 'onGuestApplicationError',
  onKickedOffSeat = 'onKickedOffSeat',
}

/**
 * AtomicX's cross-room co-host events (`onCoHostRequestReceived` …; onseat fires them once co-host exists), plus the
 * host-side co-guest names the TRTC samples write as `CoHostEvent.onGuestApplicationReceived` (same values as
 * `HostEvent`), so code written either way compiles and the co-guest ones work today with `useCoGuestState()`.
 */
export enum CoHostEvent {
  onCoHostRequestReceived = 'onCoHostRequestReceived',
  onCoHostRequestCancelled = 'onCoHostRequestCancelled',
  onCoHostRequestAccepted = 'onCoHostRequestAccepted',
  onCoHostRequestRejected = 'onCoHostRequestRejected',
  onCoHostRequestTimeout = 'onCoHostRequestTimeout',
  onCoHostUserJoined = 'onCoHostUserJoined',
  onCoHostUserLeft = 'onCoHostUserLeft',
  onGuestApplicationReceived = 'onGuestApplicationReceived',
  onGuestApplicationCancelled = 'onGuestApplicationCancelled',
  onGuestApplicationProcessedByOtherHost = 'onGuestApplicationProcessedByOtherHost',
  onHostInvitationResponded = 'onHostInvitationResponded',
  onHostInvitationNoResponse = 'onHostInvitationNoResponse',
}

/** Cross-room co-host status (onseat has no co-host yet: always `Disconnected`). */
export enum CoHostStatus {
  Connected = 'Connected',
  Disconnected = 'Disconnected',
}

/** Co-host layouts. */
export enum CoHostLayoutTemplate {
  HostDynamicGrid = 600,
  HostDynamic1v6 = 601,
  HostVideoLandscapeFixed2Seats = 400,
}

/** Network quality of a user. */
export enum NetworkQuality {
  Unknown = 0,
  Excellent = 1,
  Good = 2,
  Poor = 3,
  Bad = 4,
  VeryBad = 5,
  Down = 6,
}

/** Orientation of a live's layout. */
export enum LiveOrientation {
  Landscape = 'landscape',
  Portrait = 'portrait',
}

/** How the kit's device setting panels show themselves. */
export enum MediaSettingDisplayMode {
  Icon = 'Icon',
  IconWithPanel = 'IconWithPanel',
  Panel = 'Panel',
}

/** A member's role as TUIRoomEngine names it (same values as `Role`). */
export enum TUIRole {
  kRoomOwner = 0,
  kAdministrator = 1,
  kGeneralUser = 2,
}

/** The buttons of LiveView's player control bar. */
export enum PlayerControlButton {
  Play = 'play',
  Volume = 'volume',
  Resolution = 'resolution',
  PictureInPicture = 'pictureInPicture',
  Fullscreen = 'fullscreen',
}

/** Events of `useLivePlayerState()`. */
export enum PlayerControlEvent {
  PlayStateChange = 'playStateChange',
  VolumeChange = 'volumeChange',
  FullscreenChange = 'fullscreenChange',
  PictureInPictureChange = 'pictureInPictureChange',
  ResolutionChange = 'resolutionChange',
  ControlBarVisibilityChange = 'controlBarVisibilityChange',
}

/**
 * TRTC (TUIRoomEngine) error codes, AtomicX's table. onseat's errors carry these numbers in `error.code` wherever
 * TRTC has the same condition (the full registry is `Errors` in `@onseat/protocol`).
 */
export enum TUIErrorCode {
  ERR_SUCC = 0,
  ERR_FAILED = -1,
  ERR_FREQ_LIMIT = -2,
  ERR_REPEAT_OPERATION = -3,
  ERR_SDKAPPID_NOT_FOUND = -1000,
  ERR_INVALID_PARAMETER = -1001,
  ERR_SDK_NOT_INITIALIZED = -1002,
  ERR_PERMISSION_DENIED = -1003,
  ERR_REQUIRE_PAYMENT = -1004,
  ERR_CAMERA_START_FAILED = -1100,
  ERR_CAMERA_NOT_AUTHORIZED = -1101,
  ERR_CAMERA_OCCUPIED = -1102,
  ERR_CAMERA_DEVICE_EMPTY = -1103,
  ERR_MICROPHONE_START_FAILED = -1104,
  ERR_MICROPHONE_NOT_AUTHORIZED = -1105,
  ERR_MICROPHONE_OCCUPIED = -1106,
  ERR_MICROPHONE_DEVICE_EMPTY = -1107,
  ERR_GET_SCREEN_SHARING_TARGET_FAILED = -1108,
  ERR_START_SCREEN_SHARING_FAILED = -1109,
  ERR_ALREADY_ROOM_OWNER = -1200,
  ERR_IM_ATTRIBUTE_WRITE_CONFLICT = -1201,
  ERR_ALREADY_ROOM_ENTER = -1202,
  ERR_DESTROY_ROOM_NO_PERMISSION = -1203,
  ERR_LIVE_REQUEST_SERVER_TIMEOUT = -1300,
  ERR_LIVE_SERVER_PROCESS_FAILED = -1301,
  ERR_LIVE_DISCONNECTED = -1302,
  ERR_LIVE_NO_AVAILABLE_HEVC_DECODERS = -1303,
  ERR_OPERATION_INVALID_BEFORE_ENTER_ROOM = -2101,
  ERR_EXIT_NOT_SUPPORTED_FOR_ROOM_OWNER = -2102,
  ERR_OPERATION_NOT_SUPPORTED_IN_CURRENT_ROOM_TYPE = -2103,
  ERR_ROOM_ID_INVALID = -2105,
  ERR_ROOM_NAME_INVALID = -2107,
  ERR_ALREADY_IN_OTHER_ROOM = -2108,
  ERR_USER_NOT_EXIST = -2200,
  ERR_NEED_OWNER_PERMISSION = -2300,
  ERR_NEED_ADMIN_PERMISSION = -2301,
  ERR_REQUEST_NO_PERMISSION = -2310,
  ERR_REQUEST_ID_INVALID = -2311,
  ERR_REQUEST_ID_REPEAT = -2312,
  ERR_MAX_SEAT_COUNT_LIMIT = -2340,
  ERR_SEAT_INDEX_NOT_EXIST = -2344,
  ERR_OPEN_MICROPHONE_NEED_SEAT_UNLOCK = -2360,
  ERR_OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN = -2361,
  ERR_OPEN_CAMERA_NEED_SEAT_UNLOCK = -2370,
  ERR_OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN = -2371,
  ERR_OPEN_SCREEN_SHARE_NEED_SEAT_UNLOCK = -2372,
  ERR_OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN = -2373,
  ERR_SEND_MESSAGE_DISABLED_FOR_ALL = -2380,
  ERR_SEND_MESSAGE_DISABLED_FOR_CURRENT = -2381,
  ERR_ROOM_ID_OCCUPIED = 100003,
  ERR_ROOM_ID_NOT_EXIST = 100004,
  ERR_USER_NOT_ENTERED = 100005,
  ERR_NEED_PASSWORD = 100018,
  ERR_WRONG_PASSWORD = 100019,
  ERR_ROOM_USER_FULL = 100008,
  ERR_REQUEST_CONFLICT = 100102,
  ERR_SEAT_OCCUPIED = 100210,
  ERR_ALREADY_IN_SEAT = 100203,
  ERR_SEAT_LOCKED = 100200,
  ERR_ALL_SEAT_OCCUPIED = 100205,
  ERR_USER_NOT_IN_SEAT = 100206,
  ERR_SEAT_NOT_SUPPORT_LINK_MIC = 100211,
  ERR_ROOM_ALREADY_CONNECTED = 100401,
  ERR_ROOM_CONNECTED_IN_OTHER = 100403,
  ERR_MAX_CONNECTED_COUNT_LIMIT = 100404,
  ERR_BATTLE_IN_RUNNING = 100419,
  ERR_BATTLE_ID_NOT_EXIST = 100411,
  ERR_ROOM_BATTLEID_IN_OTHER = 100415,
  ERR_ROOM_METADATA_EXCEED_KEY_COUNT_LIMIT = 100500,
  ERR_ROOM_METADATA_EXCEED_VALUE_SIZE_LIMIT = 100501,
}

/**
 * TUIRoomEngine event names (AtomicX's table). `useRoomEngine().instance.on/off` emits the subset documented in
 * docs/API.md; subscribing to the others is allowed and they never fire.
 */
export enum TUIRoomEvents {
  onError = 'onError',
  onKickedOutOfRoom = 'onKickedOutOfRoom',
  onKickedOffLine = 'onKickedOffLine',
  onUserSigExpired = 'onUserSigExpired',
  onRoomDismissed = 'onRoomDismissed',
  onRoomNameChanged = 'onRoomNameChanged',
  onRoomSeatModeChanged = 'onRoomSeatModeChanged',
  onRoomUserCountChanged = 'onRoomUserCountChanged',
  onAllUserCameraDisableChanged = 'onAllUserCameraDisableChanged',
  onScreenShareForAllUserDisableChanged = 'onScreenShareForAllUserDisableChanged',
  onAllUserMicrophoneDisableChanged = 'onAllUserMicrophoneDisableChanged',
  onSendMessageForAllUserDisableChanged = 'onSendMessageForAllUserDisableChanged',
  onRoomMaxSeatCountChanged = 'onRoomMaxSeatCountChanged',
  onRemoteUserEnterRoom = 'onRemoteUserEnterRoom',
  onRemoteUserLeaveRoom = 'onRemoteUserLeaveRoom',
  onUserInfoChanged = 'onUserInfoChanged',
  onUserRoleChanged = 'onUserRoleChanged',
  onUserVideoStateChanged = 'onUserVideoStateChanged',
  onUserAudioStateChanged = 'onUserAudioStateChanged',
  onSendMessageForUserDisableChanged = 'onSendMessageForUserDisableChanged',
  onUserVoiceVolumeChanged = 'onUserVoiceVolumeChanged',
  onUserNetworkQualityChanged = 'onUserNetworkQualityChanged',
  onSeatListChanged = 'onSeatListChanged',
  onKickedOffSeat = 'onKickedOffSeat',
  onRequestReceived = 'onRequestReceived',
  onRequestCancelled = 'onRequestCancelled',
  onRequestProcessed = 'onRequestProcessed',
  onReceiveTextMessage = 'onReceiveTextMessage',
  onReceiveCustomMessage = 'onReceiveCustomMessage',
  onDeviceChange = 'onDeviceChange',
  onUserScreenCaptureStopped = 'onUserScreenCaptureStopped',
}
