/** Version of the wire protocol. A server accepts a `session.hello` only with a version it speaks. */
export const PROTOCOL_VERSION = 1;
/** Versions this build of the protocol package can talk. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];
/** WebSocket path of the signalling endpoint. */
export const SIGNAL_PATH = '/v1/signal';
/** Largest frame (UTF-8 bytes) the server accepts; larger frames get FRAME_TOO_LARGE and are dropped. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest co-guest request timeout, in seconds. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 1800;
/** Longest chat text the protocol carries (characters); servers may set a lower limit (default 200). */
export const MAX_BARRAGE_TEXT = 4000;
/** Longest `data` of a custom chat message (characters). */
export const MAX_BARRAGE_DATA = 16 * 1024;
