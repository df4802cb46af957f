import type WebSocket from 'ws';

/**
 * Fair scheduling of one connection's frames. Frames of a socket run one after another, in arrival order, and:
 * - at most FRAMES_PER_TURN of them run in one turn of the event loop; then the connection yields (setImmediate), so
 *   a flood on one socket costs others at most a few frames' work between their own turns;
 * - when more than MAX_QUEUED_FRAMES wait, reading the socket pauses (TCP pushes back on the sender) until the queue
 *   is down to a quarter;
 * - while more than OUTPUT_HIGH_WATER bytes wait to be sent to the peer, its next request waits for the socket to
 *   drain (large replies are written at the reader's pace); a reader that does not drain within SLOW_READER_MS is cut;
 * - a connection flooding past its budget is not read for a while (see REFUSALS_PER_SECOND).
 */
export const FRAMES_PER_TURN = 8;
export const MAX_QUEUED_FRAMES = 64;
export const OUTPUT_HIGH_WATER = 1024 * 1024;
export const SLOW_READER_MS = 10_000;
/**
 * A connection refused FREQ_LIMIT more than REFUSALS_PER_SECOND times within a second is not read for HOLD_MS: its
 * further frames wait in TCP buffers (costing this process nothing) and TCP slows the sender down to what the server
 * reads. A client keeping to its budget is never held.
 */
export const REFUSALS_PER_SECOND = 50;
export const HOLD_MS = 1000;

let turn = 0;
let turnScheduled = false;

/** A number that changes once per turn of the event loop (after the current one's immediates). */
function currentTurn(): number {
  if (!turnScheduled) {
    turnScheduled = true;
    setImmediate(() => {
      turn++;
      turnScheduled = false;
    });
  }
  return turn;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Task = () => Promise<void>;

export interface FrameQueueLimits {
  /** Default OUTPUT_HIGH_WATER. */
  highWater?: number;
  /** Default SLOW_READER_MS. */
  slowReaderMs?: number;
}

export class FrameQueue {
  readonly #ws: WebSocket;
  readonly #onError: (err: unknown) => void;
  readonly #onSlowReader: () => void;
  readonly #highWater: number;
  readonly #slowReaderMs: number;
  #tasks: Task[] = [];
  #running = false;
  #heldUntil = 0;
  #holdTimer: NodeJS.Timeout | undefined;
  #refusals = 0;
  #refusalWindow = 0;

  constructor(ws: WebSocket, onError: (err: unknown) => void, onSlowReader: () => void, limits: FrameQueueLimits = {}) {
    this.#ws = ws;
    this.#onError = onError;
    this.#onSlowReader = onSlowReader;
    this.#highWater = limits.highWater ?? OUTPUT_HIGH_WATER;
    this.#slowReaderMs = limits.slowReaderMs ?? SLOW_READER_MS;
  }

  /** Frames waiting (not counting the one running). */
  get length(): number {
    return this.#tasks.length;
  }

  /** The frame being handled was refused FREQ_LIMIT: past REFUSALS_PER_SECOND in a second, stop reading for HOLD_MS. */
  refused(now: number = Date.now()): void {
    if (now - this.#refusalWindow >= 1000) {
      this.#refusalWindow = now;
      this.#refusals = 0;
    }
    if (++this.#refusals <= REFUSALS_PER_SECOND || now < this.#heldUntil) return;
    this.#heldUntil = now + HOLD_MS;
    if (!this.#ws.isPaused) this.#ws.pause();
    clearTimeout(this.#holdTimer);
    this.#holdTimer = setTimeout(() => {
      this.#heldUntil = 0;
      if (this.#ws.isPaused && this.#tasks.length <= MAX_QUEUED_FRAMES / 4) this.#ws.resume();
    }, HOLD_MS);
    this.#holdTimer.unref();
  }

  /** Drops what waits and stops the hold timer (the socket closed). */
  close(): void {
    this.#tasks = [];
    clearTimeout(this.#holdTimer);
  }

  push(task: Task): void {
    this.#tasks.push(task);
    if (this.#tasks.length > MAX_QUEUED_FRAMES && !this.#ws.isPaused) this.#ws.pause();
    if (!this.#running) void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    let at = currentTurn();
    let used = 0;
    for (let task = this.#tasks.shift(); task; task = this.#tasks.shift()) {
      if (this.#ws.isPaused && this.#heldUntil === 0 && this.#tasks.length <= MAX_QUEUED_FRAMES / 4) this.#ws.resume();
      const now = currentTurn();
      if (now !== at) {
        at = now;
        used = 0;
      }
      if (++used > FRAMES_PER_TURN) {
        await nextTurn();
        at = currentTurn();
        used = 1;
      }
      if (this.#ws.bufferedAmount > this.#highWater && !(await drained(this.#ws, this.#slowReaderMs))) {
        this.#tasks = [];
        this.#onSlowReader();
        break;
      }
      try {
        await task();
      } catch (err) {
        this.#onError(err);
      }
    }
    this.#running = false;
  }
}

/** Resolves true once the socket's output drained (or the socket closed), false after `ms`. */
function drained(ws: WebSocket, ms: number): Promise<boolean> {
  const socket = (ws as unknown as { _socket?: NodeJS.EventEmitter })._socket;
  if (!socket) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      ws.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(true);
    const timer = setTimeout(() => done(false), ms);
    socket.on('drain', onDrain);
    ws.on('close', onClose);
  });
}
