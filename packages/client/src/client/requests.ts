import { OnseatError } from '../errors.js';

/** One request waiting for its response. */
export interface PendingRequest {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  /** Re-send with the same id after a reconnect (user requests); false for hello/sync/ping. */
  readonly resend: boolean;
  /** Generation of the socket it was last sent on; -1 = not sent yet. */
  sentOn: number;
  resolve(payload: unknown): void;
  reject(error: OnseatError): void;
}

/** The requests in flight, by id, in the order they were made; each with its own timeout. */
export class RequestTable {
  readonly #entries = new Map<string, PendingRequest & { timer: ReturnType<typeof setTimeout> }>();

  /** Track a request; it rejects with REQUEST_TIMEOUT after `timeoutMs` unless settled first. */
  add(
    init: { id: string; type: string; payload: unknown; resend: boolean },
    timeoutMs: number,
  ): { entry: PendingRequest; promise: Promise<unknown> } {
    let entry!: PendingRequest & { timer: ReturnType<typeof setTimeout> };
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#entries.get(init.id) !== entry) return;
        this.#entries.delete(init.id);
        reject(OnseatError.of('REQUEST_TIMEOUT', `No answer to ${init.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      entry = { ...init, sentOn: -1, resolve, reject, timer };
    });
    this.#entries.set(init.id, entry);
    return { entry, promise };
  }

  /** Remove and return the request with this id (its timer stopped). */
  take(id: string): PendingRequest | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.#entries.delete(id);
    return entry;
  }

  /** Re-sendable requests not yet sent on socket generation `gen`, oldest first. */
  unsent(gen: number): PendingRequest[] {
    return [...this.#entries.values()].filter((e) => e.resend && e.sentOn !== gen);
  }

  /** True when a request of one of these types is in flight. */
  has(types: readonly string[]): boolean {
    for (const e of this.#entries.values()) if (types.includes(e.type)) return true;
    return false;
  }

  /** Reject (and remove) the requests that cannot survive a lost socket, or all of them. */
  fail(error: OnseatError, all: boolean): void {
    for (const e of [...this.#entries.values()]) {
      if (!all && e.resend) continue;
      this.take(e.id);
      e.reject(error);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
