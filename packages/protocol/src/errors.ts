/**
 * The one error-code registry of onseat. Where Tencent TRTC (TUIRoomEngine / AtomicXCore) has a code for the same
 * condition, the number is TRTC's, so code ported from TRTC that switches on `error.code` keeps working.
 * Codes 40000–49999 are onseat's own (no TRTC equivalent).
 */

export type ErrorCategory = 'generic' | 'auth' | 'protocol' | 'permission' | 'live' | 'seat' | 'request' | 'device' | 'limit';

export interface ErrorDefinition {
  readonly code: number;
  readonly message: string;
  readonly category: ErrorCategory;
}

const def = (code: number, category: ErrorCategory, message: string): ErrorDefinition => ({ code, category, message });

export const Errors = {
  // generic (TRTC TUIError)
  FAILED: def(-1, 'generic', 'Operation failed'),
  FREQ_LIMIT: def(-2, 'limit', 'Too many requests; slow down'),
  REPEAT_OPERATION: def(-3, 'generic', 'Operation already in progress'),
  INVALID_PARAMETER: def(-1001, 'protocol', 'Invalid parameter'),
  NOT_LOGGED_IN: def(-1002, 'auth', 'Not logged in: send session.hello first'),
  ALREADY_IN_ROOM: def(-1202, 'live', 'Already in this live'),
  REQUEST_TIMEOUT: def(-1300, 'generic', 'The server did not answer in time'),
  SERVER_PROCESS_FAILED: def(-1301, 'generic', 'The server failed to process the request'),
  DISCONNECTED: def(-1302, 'generic', 'Disconnected from the server'),
  NOT_IN_LIVE: def(-2101, 'live', 'Join or start a live first'),
  LIVE_ID_INVALID: def(-2105, 'live', 'Invalid liveId: 1-48 printable ASCII characters'),
  LIVE_NAME_INVALID: def(-2107, 'live', 'Invalid liveName: at most 100 characters'),
  ALREADY_IN_OTHER_LIVE: def(-2108, 'live', 'Already in another live: leave it first'),
  NEED_OWNER_PERMISSION: def(-2300, 'permission', 'Only the owner of the live may do this'),
  NEED_ADMIN_PERMISSION: def(-2301, 'permission', 'Only the owner or an administrator may do this'),
  REQUEST_ID_INVALID: def(-2311, 'request', 'No such pending request (it ended or was processed by another host)'),
  REQUEST_ID_REPEAT: def(-2312, 'request', 'requestId already used for a different request'),
  MAX_SEAT_COUNT_LIMIT: def(-2340, 'seat', 'Maximum seat count exceeded'),
  SEAT_INDEX_NOT_EXIST: def(-2344, 'seat', 'Seat index does not exist'),
  OPEN_MICROPHONE_NEED_SEAT_UNLOCK: def(-2360, 'device', 'The microphone of this seat was closed by an administrator'),
  OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN: def(-2361, 'device', 'Take a seat before opening the microphone'),
  OPEN_CAMERA_NEED_SEAT_UNLOCK: def(-2370, 'device', 'The camera of this seat was closed by an administrator'),
  OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN: def(-2371, 'device', 'Take a seat before opening the camera'),
  OPEN_SCREEN_SHARE_NEED_SEAT_UNLOCK: def(-2372, 'device', 'The video of this seat was closed by an administrator'),
  OPEN_SCREEN_SHARE_NEED_PERMISSION_FROM_ADMIN: def(-2373, 'device', 'Take a seat before sharing your screen'),
  // client-side (the SDK raises these; the server never sends them): TRTC TUIErrorCode capture failures
  CAMERA_START_FAILED: def(-1100, 'device', 'The camera could not be started'),
  CAMERA_NOT_AUTHORIZED: def(-1101, 'device', 'No permission to use the camera'),
  CAMERA_OCCUPIED: def(-1102, 'device', 'The camera is in use by another application'),
  CAMERA_DEVICE_EMPTY: def(-1103, 'device', 'No camera found'),
  MICROPHONE_START_FAILED: def(-1104, 'device', 'The microphone could not be started'),
  MICROPHONE_NOT_AUTHORIZED: def(-1105, 'device', 'No permission to use the microphone'),
  MICROPHONE_OCCUPIED: def(-1106, 'device', 'The microphone is in use by another application'),
  MICROPHONE_DEVICE_EMPTY: def(-1107, 'device', 'No microphone found'),
  SCREEN_SHARE_START_FAILED: def(-1108, 'device', 'Screen sharing could not be started'),
  SEND_MESSAGE_DISABLED_FOR_ALL: def(-2380, 'permission', 'Chat is disabled in this live'),
  SEND_MESSAGE_DISABLED_FOR_CURRENT: def(-2381, 'permission', 'You are banned from chatting in this live'),
  // TUIRoomEngine server codes
  LIVE_ID_OCCUPIED: def(100003, 'live', 'A live with this liveId already exists'),
  LIVE_NOT_EXIST: def(100004, 'live', 'Live does not exist'),
  USER_NOT_IN_LIVE: def(100005, 'live', 'User is not in the live'),
  INSUFFICIENT_OPERATION_PERMISSIONS: def(100006, 'permission', 'Insufficient operation permissions'),
  LIVE_USER_FULL: def(100008, 'limit', 'The live is full'),
  REQUEST_CONFLICT: def(100102, 'request', 'A pending request for this user already exists'),
  SEAT_LOCKED: def(100200, 'seat', 'Seat is locked'),
  SEAT_OCCUPIED: def(100201, 'seat', 'Seat is already occupied'),
  ALREADY_ON_THE_SEAT_QUEUE: def(100202, 'seat', 'User is already on the seat queue'),
  ALREADY_IN_SEAT: def(100203, 'seat', 'User is already in a seat'),
  NOT_ON_THE_SEAT_QUEUE: def(100204, 'seat', 'User is not on the seat queue'),
  ALL_SEAT_OCCUPIED: def(100205, 'seat', 'All seats are occupied'),
  USER_NOT_IN_SEAT: def(100206, 'seat', 'User is not in a seat'),
  USER_ALREADY_ON_SEAT: def(100210, 'seat', 'User is already on seat'),
  SEAT_NOT_SUPPORT_LINK_MIC: def(100211, 'seat', 'This live has no seats to take'),
  METADATA_KEY_COUNT_LIMIT: def(100500, 'limit', 'Too many metadata keys (at most 10)'),
  METADATA_VALUE_SIZE_LIMIT: def(100501, 'limit', 'Metadata too large (at most 2 KiB per value, 16 KiB in all)'),
  // IM login codes
  USER_SIG_EXPIRED: def(70001, 'auth', 'userSig expired'),
  USER_SIG_INVALID: def(70003, 'auth', 'userSig invalid (bad signature or malformed)'),
  // IM content security
  MESSAGE_CONTAINS_BLOCKED_WORD: def(80001, 'limit', 'The message contains a blocked word'),
  // onseat's own
  FRAME_MALFORMED: def(40001, 'protocol', 'Malformed frame: expected JSON {kind:"req", id, type, payload}'),
  FRAME_TOO_LARGE: def(40002, 'protocol', 'Frame too large'),
  UNKNOWN_REQUEST_TYPE: def(40003, 'protocol', 'Unknown request type'),
  PROTOCOL_VERSION_UNSUPPORTED: def(40004, 'protocol', 'Protocol version not supported by this server'),
  ALREADY_LOGGED_IN: def(40005, 'auth', 'This connection is already logged in'),
  SDK_APP_ID_UNKNOWN: def(40010, 'auth', 'Unknown sdkAppId'),
  USER_SIG_MISMATCH: def(40011, 'auth', 'userSig was issued for another userId or sdkAppId'),
  STORE_UNAVAILABLE: def(40020, 'generic', 'The server could not save this change, so it was not made; try again'),
  LIVE_COUNT_LIMIT: def(40030, 'limit', 'This app has as many lives as it may have at once; try again when one has ended'),
  MESSAGE_TOO_LONG: def(40021, 'limit', 'The message is longer than this server allows'),
  GIFT_NOT_EXIST: def(40040, 'live', 'No such gift in the catalogue'),
  GIFT_DISABLED: def(40041, 'permission', 'Gifts are disabled in this live'),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorName = keyof typeof Errors;

const byCode = new Map<number, ErrorName>();
for (const [name, d] of Object.entries(Errors) as [ErrorName, ErrorDefinition][]) {
  if (byCode.has(d.code)) throw new Error(`duplicate error code ${d.code}`);
  byCode.set(d.code, name);
}

/** Name of the registry entry with this code, if any. */
export function errorNameOf(code: number): ErrorName | undefined {
  return byCode.get(code);
}

/** The error object carried by a failed response: `{code, message, details?}` with the registry's name. */
export interface WireError {
  code: number;
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

export function wireError(name: ErrorName, message?: string, details?: Record<string, unknown>): WireError {
  const d = Errors[name];
  const e: WireError = { code: d.code, name, message: message ?? d.message };
  if (details !== undefined) e.details = details;
  return e;
}

/** WebSocket close codes the server uses (4000–4999 are application codes). */
export const CloseCode = {
  /** No valid session.hello in time, or authentication failed. */
  AUTH_FAILED: 4001,
  /** Too many malformed/invalid frames in a short window. */
  POLICY_VIOLATION: 4002,
  /** The same user logged in on another connection. */
  KICKED_OFFLINE: 4003,
  /** Protocol version not supported. */
  PROTOCOL_VERSION: 4004,
  /** Server is shutting down; reconnect later. */
  SERVER_SHUTDOWN: 4005,
  /** Server restarting (graceful shutdown of this process): reconnect and resume; lives, seats and requests are kept. */
  SERVER_RESTARTING: 4006,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
