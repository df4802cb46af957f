import { performance } from 'node:perf_hooks';
import type { Connection } from '../engine/Connection.js';
import type { TickScheduler } from './ChatService.js';

/** Targets written between two looks at the clock. */
const CHUNK = 32;

/**
 * A member of a live as a round sees it: its connection at the moment of writing (null while it is away; a remote one,
 * on another node of a cluster, is reached through the bus instead).
 */
export interface Recipient {
  readonly conn: Connection | null;
}

interface Round {
  /** The next connection to write to (null: a member away; undefined: the round is over). */
  next: () => Connection | null | undefined;
  write: (conn: Connection) => void;
  /** False once the live (or its chat) ended: the rest of the round is dropped. */
  alive: () => boolean;
  done: () => void;
}

/**
 * Sliced delivery of chat rounds. A round writes one frame to every member of a live; it writes for at most `sliceMs`
 * per turn of the event loop, then yields (setImmediate), so the requests, replies and seat events (EventPublisher
 * deliveries, which are written at once, never queued here) produced meanwhile wait at most one slice. Rounds of
 * several lives share the slices round-robin, `CHUNK` members at a time, so a small live is not held behind a big one.
 */
export class ChatRounds {
  readonly #sliceMs: number;
  readonly #schedule: TickScheduler;
  readonly #now: () => number;
  #rounds: Round[] = [];
  #scheduled = false;
  #running = false;
  /** Slices run so far (tests and diagnostics). */
  slices = 0;

  constructor(sliceMs: number, schedule: TickScheduler, now: () => number = () => performance.now()) {
    this.#sliceMs = sliceMs;
    this.#schedule = schedule;
    this.#now = now;
  }

  /** The longest a round writes per turn of the event loop (ms). */
  get sliceMs(): number {
    return this.#sliceMs;
  }

  /** Rounds not finished yet. */
  get active(): number {
    return this.#rounds.length;
  }

  /**
   * Writes `frame` to every member of a live (`live.members`: slice by slice, the first one now; members who join
   * before the round reaches the end get it too, members who left are skipped); `done` runs after the last write.
   */
  start(members: ReadonlyMap<string, Recipient>, frame: Buffer, alive: () => boolean, done: () => void): void {
    // The live's members, walked across turns (a Map iterator skips members who left and visits those who joined).
    const it = members.values();
    const next = (): Connection | null | undefined => {
      const n = it.next();
      return n.done ? undefined : n.value.conn;
    };
    this.#push({ next, write: (conn) => conn.send(frame), alive, done });
  }

  /**
   * Calls `write` for each of `targets`, slice by slice like a chat round (the first slice now). Broadcasts of seat
   * events use it with frames the connections hold back until then (see Engine `deliverLocal`).
   */
  startWrites(targets: readonly Connection[], write: (conn: Connection) => void, done: () => void = () => undefined): void {
    let i = 0;
    this.#push({ next: () => (i < targets.length ? targets[i++] : undefined), write, alive: () => true, done });
  }

  #push(round: Round): void {
    this.#rounds.push(round);
    if (!this.#scheduled && !this.#running) this.#slice();
  }

  #slice(): void {
    this.#scheduled = false;
    this.#running = true;
    try {
      this.#run();
    } finally {
      this.#running = false;
    }
  }

  #run(): void {
    this.slices++;
    const deadline = this.#now() + this.#sliceMs;
    let i = 0;
    while (this.#rounds.length > 0) {
      if (i >= this.#rounds.length) i = 0;
      const round = this.#rounds[i] as Round;
      if (this.#writeChunk(round)) {
        this.#rounds.splice(i, 1);
        round.done();
      } else i++;
      if (this.#rounds.length > 0 && this.#now() >= deadline) {
        this.#scheduled = true;
        this.#schedule(() => this.#slice());
        return;
      }
    }
  }

  /** Writes to the next CHUNK members of the round; true when the round is over. */
  #writeChunk(round: Round): boolean {
    if (!round.alive()) return true;
    for (let n = 0; n < CHUNK; n++) {
      const conn = round.next();
      if (conn === undefined) return true;
      if (conn && !conn.remote) round.write(conn);
    }
    return false;
  }
}
