import type { LiveUserInfo } from '@onseat/protocol';

/** An authenticated user of one app. */
export interface Principal extends LiveUserInfo {
  readonly sdkAppId: number;
}

/** Key of a user across the server: `${sdkAppId}:${userId}`. */
export const principalKey = (p: { sdkAppId: number; userId: string }): string => `${p.sdkAppId}:${p.userId}`;

/** Key of a live across the server: `${sdkAppId}:${liveId}`. */
export const liveKeyOf = (sdkAppId: number, liveId: string): string => `${sdkAppId}:${liveId}`;

/**
 * One authenticated client connection as the engine sees it. The transport implements it over a WebSocket;
 * tests implement it in memory. `send` gets an already serialised frame (the same string/Buffer is handed to
 * every recipient of a broadcast; never mutate it).
 */
export interface Connection {
  readonly id: number;
  readonly principal: Principal;
  send(frame: string | Buffer): void;
  /**
   * Holds a broadcast frame back until `flushDeferred()` — or until anything else is written to this connection,
   * which writes what is held first, so frames never overtake each other. A broadcast to a big live is then written
   * in slices (other work runs between them) while each member still gets its frames in order. Optional: a
   * connection without it is written to at once.
   */
  defer?(frame: Buffer): void;
  /** Writes what `defer` held back, in order. */
  flushDeferred?(): void;
  close(code: number, reason: string): void;
  /**
   * When the last frame from the peer arrived (engine clock). A dropped member's grace period counts from it, not
   * from when the drop was noticed. Absent: from when the engine is told.
   */
  lastFrameAt?(): number;
  /**
   * Set on a connection held by another node of a cluster (its commands are forwarded here): the live's bus reaches
   * that node directly, so deliveries are not written to it here.
   */
  readonly remote?: boolean;
  /** Called (on a remote connection) once the user's leaving the live is committed and announced. */
  leftLive?(liveKey: string): void;
}
