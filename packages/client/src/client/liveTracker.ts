import { Events, type EventFrame, type EventPayload, type EventType, type LiveSnapshot } from '@onseat/protocol';
import type { Logger } from '../logger.js';

/** A validated event of the live the client is in. */
export interface LiveEvent<T extends EventType = EventType> {
  type: T;
  liveId: string;
  seq: number;
  payload: EventPayload<T>;
}

/** Any live event, discriminated by `type`. */
export type AnyLiveEvent = { [T in EventType]: LiveEvent<T> }[EventType];

/**
 * Why the client is no longer in a live: it left/ended it itself (`left`), the live ended (`ended`, reason 1 = by
 * the host, 2 = by the server), it was removed (`kicked`, LiveKickedOutReason), or the client was shut down
 * (`closed`: logout/disconnect).
 */
export type LiveExit =
  | { liveId: string; cause: 'left' }
  | { liveId: string; cause: 'ended'; reason: 1 | 2 }
  | { liveId: string; cause: 'kicked'; reason: 0 | 1 | 2 | 3 }
  | { liveId: string; cause: 'closed' };

/** Where the tracker delivers what it learns. */
export interface LiveTrackerSink {
  snapshot(snapshot: LiveSnapshot, cause: 'enter' | 'resync'): void;
  event(event: AnyLiveEvent): void;
  exit(exit: LiveExit): void;
}

/**
 * Which live the client is in and the last event seq it applied. Drops duplicates (seq ≤ last), buffers events that
 * arrive while a join or a post-reconnect sync is in flight, and turns `live.ended`/`live.kickedOut` into exits.
 */
export class LiveTracker {
  #current: { liveId: string; seq: number } | null = null;
  #leaving = false;
  readonly #joining = new Map<string, EventFrame[]>();
  #syncBuffer: EventFrame[] | null = null;
  readonly #sink: LiveTrackerSink;
  readonly #logger: Logger;

  constructor(sink: LiveTrackerSink, logger: Logger) {
    this.#sink = sink;
    this.#logger = logger;
  }

  /** Id of the current live, or null. */
  get liveId(): string | null {
    return this.#current?.liveId ?? null;
  }

  /** Seq of the last event applied (or of the snapshot), 0 when not in a live. */
  get lastSeq(): number {
    return this.#current?.seq ?? 0;
  }

  /** A live.start/live.join for `liveId` was sent: hold its events until the snapshot arrives. */
  beginJoin(liveId: string): void {
    if (!this.#joining.has(liveId)) this.#joining.set(liveId, []);
  }

  /** The join finished: enter with its snapshot (then replay held events), or drop them on failure. */
  endJoin(liveId: string, snapshot: LiveSnapshot | null): void {
    const held = this.#joining.get(liveId) ?? [];
    this.#joining.delete(liveId);
    if (!snapshot) return;
    this.enter(snapshot, 'enter');
    for (const f of held) this.receive(f);
  }

  /** Adopt a snapshot as the state of the live. */
  enter(snapshot: LiveSnapshot, cause: 'enter' | 'resync'): void {
    const liveId = snapshot.live.liveId;
    if (this.#current && this.#current.liveId !== liveId) this.exit({ liveId: this.#current.liveId, cause: 'left' });
    this.#current = { liveId, seq: snapshot.seq };
    this.#leaving = false;
    this.#sink.snapshot(snapshot, cause);
  }

  /** The local user asked to leave/end the current live (a `live.ended` then counts as its own leave). */
  setLeaving(on: boolean): void {
    this.#leaving = on;
  }

  /** Route an event frame of some live. */
  receive(frame: EventFrame): void {
    const current = this.#current;
    if (frame.seq === 0) {
      // Ephemeral (media signalling): not ordered, never replayed; only for the current live.
      if (current && frame.liveId === current.liveId) this.#deliver(frame);
      return;
    }
    if (current && frame.liveId === current.liveId && this.#syncBuffer) {
      this.#syncBuffer.push(frame);
      return;
    }
    if (frame.liveId !== current?.liveId) {
      this.#joining.get(frame.liveId)?.push(frame);
      return;
    }
    this.#apply(frame);
  }

  /** Start catching up after a reconnect: returns the live.sync payload (null when not in a live). */
  beginSync(): { liveId: string; sinceSeq: number } | null {
    if (!this.#current || this.#leaving) return null;
    this.#syncBuffer = [];
    return { liveId: this.#current.liveId, sinceSeq: this.#current.seq };
  }

  /** Apply the live.sync result, then the events that arrived meanwhile. */
  endSync(result: { mode: 'events'; events: EventFrame[] } | { mode: 'snapshot'; snapshot: LiveSnapshot }): void {
    const held = this.#syncBuffer ?? [];
    this.#syncBuffer = null;
    if (result.mode === 'snapshot') this.enter(result.snapshot, 'resync');
    else for (const f of [...result.events].sort((a, b) => a.seq - b.seq)) this.receive(f);
    for (const f of held) this.receive(f);
  }

  /** The sync failed; its held events are dropped (a later sync fetches them again). */
  abortSync(): void {
    this.#syncBuffer = null;
  }

  /** Leave the current live (if it is `liveId`, or any when omitted) and report why. */
  exit(exit: LiveExit): void {
    if (!this.#current || this.#current.liveId !== exit.liveId) return;
    this.#current = null;
    this.#leaving = false;
    this.#syncBuffer = null;
    this.#sink.exit(exit);
  }

  #apply(frame: EventFrame): void {
    const current = this.#current;
    if (!current || frame.seq <= current.seq) return;
    current.seq = frame.seq;
    this.#deliver(frame);
  }

  #deliver(frame: EventFrame): void {
    const current = this.#current;
    if (!current) return;
    const schema = (Events as Record<string, (typeof Events)[EventType]>)[frame.type];
    if (!schema) {
      this.#logger.debug?.(`ignoring unknown event type ${frame.type}`);
      return;
    }
    const parsed = schema.safeParse(frame.payload);
    if (!parsed.success) {
      this.#logger.warn?.(`ignoring malformed ${frame.type} event (seq ${frame.seq})`, parsed.error.issues);
      return;
    }
    const event = { type: frame.type, liveId: frame.liveId, seq: frame.seq, payload: parsed.data } as AnyLiveEvent;
    if (event.type === 'live.ended') {
      this.exit(this.#leaving ? { liveId: current.liveId, cause: 'left' } : { liveId: current.liveId, cause: 'ended', reason: event.payload.reason });
    } else if (event.type === 'live.kickedOut') {
      this.exit({ liveId: current.liveId, cause: 'kicked', reason: event.payload.reason });
    } else {
      this.#sink.event(event);
    }
  }
}
