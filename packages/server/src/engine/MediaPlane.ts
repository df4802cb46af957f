import type { RequestType, SeatInfo } from '@onseat/protocol';
import type { Registry } from 'prom-client';

/** The `media.*` request types. */
export type MediaRequestType = Extract<RequestType, `media.${string}`>;
import type { Connection } from './Connection.js';

/** A `media.*` request, with what the engine knows about the caller. */
export interface MediaRequest {
  liveKey: string;
  liveId: string;
  userId: string;
  conn: Connection;
  type: MediaRequestType;
  payload: unknown;
  /** The caller's seat now, if seated. */
  seat: SeatInfo | undefined;
}

/**
 * The seam between the engine and a media backend (SFU). The engine tells it what changed; it enforces who may
 * publish what (seated, not locked/closed by an admin) and answers `media.*` requests. No SFU type crosses it.
 */
export interface MediaPlane {
  /** A live's seat list changed (after a command). Stop any publishing that is no longer allowed. */
  seatsChanged(liveKey: string, seats: readonly SeatInfo[]): void;
  /** A member left the live (leave, kick, grace period over): tear down their transports. */
  memberLeft(liveKey: string, userId: string): void;
  /** The live ended: tear everything down. */
  liveEnded(liveKey: string): void;
  /** Executes a `media.*` request; throws EngineError to refuse. */
  handle(request: MediaRequest): Promise<unknown>;
  close(): Promise<void>;
  /** Adds the backend's own metrics to the server's registry (optional). */
  registerMetrics?(registry: Registry): void;
}
