import { Errors, type ErrorName, type WireError } from '@onseat/protocol';

/**
 * The error every onseat client call rejects with. `code` is the number from the protocol's error registry (TRTC's
 * number where TRTC has the same condition), `name` the registry name (e.g. `'SEAT_LOCKED'`).
 * Client-side failures use `REQUEST_TIMEOUT` (-1300) and `DISCONNECTED` (-1302).
 */
export class OnseatError extends Error {
  /** Numeric error code (see `Errors` in `@onseat/protocol`). */
  readonly code: number;
  /** Registry name of the error, e.g. `'SEAT_LOCKED'`. */
  override readonly name: string;
  /** Extra data from the server (e.g. validation issues), if any. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: number, name: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.name = name;
    this.details = details;
  }

  /** Build from the `error` object of a failed response frame. */
  static fromWire(error: WireError): OnseatError {
    return new OnseatError(error.code, error.name, error.message, error.details);
  }

  /** Build from a registry name, with the registry's message unless one is given. */
  static of(name: ErrorName, message?: string, details?: Record<string, unknown>): OnseatError {
    const d = Errors[name];
    return new OnseatError(d.code, name, message ?? d.message, details);
  }
}

/** True when `e` is an {@link OnseatError} (optionally: with this registry name). */
export function isOnseatError(e: unknown, name?: ErrorName): e is OnseatError {
  return e instanceof OnseatError && (name === undefined || e.name === name);
}
