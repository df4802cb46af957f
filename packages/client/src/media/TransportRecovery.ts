/**
 * Keeps one media transport (publish or subscribe) alive while the signalling socket is up: watches its
 * connectionState for as long as it lives and, once it is `disconnected` (for `graceMs`), `failed`, or `connecting`
 * for `stuckMs`, first restarts ICE (where the owner can), then replaces the PeerConnection if that did not reconnect
 * within `iceRestartTimeoutMs`, and keeps replacing it (waiting 2 s, 3 s, … up to `rebuildTimeoutMs` for each) until
 * it connects or the session closes. Never touches seats or devices.
 */
import type { Logger } from '../logger.js';

/** How the owner restarts ICE on, or replaces, its transport. */
export interface RecoveryActions {
  /** The transport now (null: none, nothing to recover). */
  current(): RTCPeerConnection | null;
  /** Absent: the first step is a new transport. */
  restartIce?(): Promise<void>;
  rebuild(): Promise<void>;
}

/** Timings of the recovery (ms). */
export interface RecoveryTiming {
  /** How long a `disconnected` transport may recover by itself before ICE is restarted. Default 1000. */
  graceMs?: number;
  /** How long an ICE restart may take before the transport is replaced. Default 2500. */
  iceRestartTimeoutMs?: number;
  /**
   * How long a replaced transport may take to connect before it is replaced again: 2000 for the first, 1000 more for
   * each next one, up to this. Default 4000.
   */
  rebuildTimeoutMs?: number;
  /** A transport `connecting` for this long (e.g. its DTLS handshake was cut) is recovered too. Default 5000. */
  stuckMs?: number;
}

const BROKEN = new Set<RTCPeerConnectionState>(['disconnected', 'failed']);

export class TransportRecovery {
  readonly #graceMs: number;
  readonly #iceMs: number;
  readonly #rebuildMs: number;
  readonly #stuckMs: number;
  #stuckTimer: ReturnType<typeof setTimeout> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Steps taken in the current recovery (0: none running). */
  #attempt = 0;
  #brokenAt = 0;
  #closed = false;
  #watched = new WeakSet<RTCPeerConnection>();
  /** Completed recoveries: how long each took from the first broken state to connected again (ms). */
  readonly recoveries: number[] = [];

  constructor(
    private readonly role: 'publish' | 'subscribe',
    private readonly actions: RecoveryActions,
    private readonly logger: Logger,
    timing: RecoveryTiming = {},
  ) {
    this.#graceMs = timing.graceMs ?? 1000;
    this.#iceMs = timing.iceRestartTimeoutMs ?? 2500;
    this.#rebuildMs = timing.rebuildTimeoutMs ?? 4000;
    this.#stuckMs = timing.stuckMs ?? 5000;
  }

  /** True while a recovery runs. */
  get recovering(): boolean {
    return this.#attempt > 0 || this.#timer !== undefined;
  }

  /** Watch `pc` (each transport the owner creates) for as long as it lives. */
  watch(pc: RTCPeerConnection): void {
    if (this.#watched.has(pc)) return;
    this.#watched.add(pc);
    pc.addEventListener('connectionstatechange', () => {
      if (pc === this.actions.current()) this.#evaluate();
    });
  }

  #evaluate(): void {
    const pc = this.actions.current();
    if (this.#closed || !pc) return this.#reset();
    const state = pc.connectionState;
    if (state === 'connected') {
      if (this.#attempt > 0 || this.#timer) {
        const took = Date.now() - this.#brokenAt;
        this.recoveries.push(took);
        this.logger.info?.(`media ${this.role} transport recovered after ${took} ms (${this.#attempt} step(s))`);
      }
      return this.#reset();
    }
    if (this.#attempt > 0 || this.#timer) return; // recovering already
    if (state === 'connecting') {
      this.#stuckTimer ??= setTimeout(() => {
        this.#stuckTimer = undefined;
        const now = this.actions.current();
        if (now === pc && pc.connectionState === 'connecting' && !this.#closed && this.#attempt === 0 && !this.#timer) this.#start('connecting', 0);
      }, this.#stuckMs);
      return;
    }
    if (BROKEN.has(state)) this.#start(state, state === 'failed' ? 0 : this.#graceMs);
  }

  #start(state: string, delayMs: number): void {
    this.#brokenAt = Date.now();
    this.logger.warn?.(`media ${this.role} transport ${state}; recovering`);
    this.#schedule(delayMs);
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#step();
    }, ms);
  }

  async #step(): Promise<void> {
    const pc = this.actions.current();
    if (this.#closed || !pc) return this.#reset();
    if (pc.connectionState === 'connected') return this.#evaluate();
    this.#attempt += 1;
    const canRestartIce = this.actions.restartIce !== undefined;
    const iceRestart = canRestartIce && this.#attempt === 1;
    const rebuilds = this.#attempt - (canRestartIce ? 1 : 0);
    const what = iceRestart ? 'ICE restart' : `new transport (attempt ${rebuilds})`;
    try {
      if (iceRestart) await this.actions.restartIce?.();
      else await this.actions.rebuild();
    } catch (error) {
      this.logger.warn?.(`media ${this.role} transport: ${what} failed`, error);
    }
    if (this.#closed) return;
    // Check again after the step's deadline (a connected transport ends the recovery before that).
    this.#schedule(iceRestart ? this.#iceMs : Math.min(this.#rebuildMs, 1000 * (rebuilds + 1)));
  }

  #reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#stuckTimer) clearTimeout(this.#stuckTimer);
    this.#stuckTimer = undefined;
    this.#timer = undefined;
    this.#attempt = 0;
  }

  close(): void {
    this.#closed = true;
    this.#reset();
  }
}
