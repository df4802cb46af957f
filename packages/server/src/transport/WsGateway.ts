import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode, SIGNAL_PATH } from '@onseat/protocol';
import { MAX_WS_PAYLOAD, type TransportContext } from './context.js';
import { isOriginAllowed } from './origin.js';
import { Session } from './Session.js';
import { writePing } from './wireFrame.js';

const SWEEP_INTERVAL_MS = 60_000;
/** Longest the heartbeat sweep runs in one turn of the event loop (ms). */
const SWEEP_SLICE_MS = 2;
/**
 * The same while delivery rounds (chat, seat-event broadcasts) are being written: the sweep steps aside for them (a
 * broadcast to 10,000 members interleaved with 2 ms sweep slices took up to twice as long), without stopping.
 */
const SWEEP_SLICE_BEHIND_ROUNDS_MS = 0.25;
/**
 * The heartbeat visits every socket once per interval, but not all at once: sockets are spread over slots, slot `i`
 * is swept at `i × heartbeatMs / slots` into each interval (at most HEARTBEAT_SLOTS, at least HEARTBEAT_SLOT_MIN_MS
 * apart). Sweeping 18,000 sockets at once kept the server and every client process busy for ~200 ms every 2 s (18,000
 * pings out, then 18,000 pongs read back in one go), and every request and delivery round in that window waited: a
 * chat storm to 10,000 sockets reached the last one in 1.2 s at p99 with the burst, 0.65 s without. In 100 slots the
 * same work comes in steps of ~2 ms.
 *
 * A socket joins the first slot, in an order that spreads the slots in use over the interval (0, ½, ¼, ¾, …), that
 * has fewer than SLOT_TARGET sockets (the emptiest when all have that many), and only slots with sockets wake the
 * server: 200 sockets are 2 wake-ups per interval, not 100 (each wake-up of an idle process costs ~0.1–0.3 ms here).
 */
const HEARTBEAT_SLOTS = 100;
const HEARTBEAT_SLOT_MIN_MS = 20;
export const SLOT_TARGET = 150;

/** Slot indices 0…n-1 in van der Corput order (0, n/2, n/4, 3n/4, …): the first k of them are spread over 0…n-1. */
export function spreadOrder(n: number): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; seen.size < n; i++) {
    let f = 0;
    for (let bit = 0.5, x = i; x > 0; x >>= 1, bit /= 2) if (x & 1) f += bit;
    const slot = Math.floor(f * n);
    if (!seen.has(slot)) {
      seen.add(slot);
      order.push(slot);
    }
  }
  return order;
}

/** How many slots the heartbeat spreads sockets over for this interval (1 for short test intervals: all at once). */
export const heartbeatSlots = (heartbeatMs: number): number =>
  Math.max(1, Math.min(HEARTBEAT_SLOTS, Math.floor(heartbeatMs / HEARTBEAT_SLOT_MIN_MS)));

/** How long `close()` waits for clients to answer the close handshake before cutting sockets. */
const CLOSE_WAIT_MS = 1_000;

function rejectUpgrade(socket: Duplex, status: number, text: string, message: string): void {
  const body = JSON.stringify({ error: { code: status, name: text.toUpperCase().replace(/ /g, '_'), message } });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/**
 * The heartbeat's verdict on one socket: silent for longer than `timeoutMs` AND it left a ping unanswered for at least
 * half an interval. The second condition matters when a sweep over many sockets on a loaded server takes longer than
 * the interval (beats are skipped while one runs): a socket is then pinged less often than every interval, and its
 * last pong may be older than the timeout although it answered every ping it got.
 */
export function isSilent(s: { lastFrameAt: number; pingedAt: number }, now: number, heartbeatMs: number, timeoutMs: number): boolean {
  return now - s.lastFrameAt > timeoutMs && s.pingedAt > s.lastFrameAt && now - s.pingedAt >= heartbeatMs / 2;
}

/**
 * The WebSocket side of the server: accepts upgrades on SIGNAL_PATH only (Origin-checked), runs one `Session`
 * per socket, pings every socket each heartbeat interval and terminates those from which nothing (no frame, no pong)
 * arrived for the heartbeat timeout while a ping waited for its answer (see `isSilent`).
 */
export class WsGateway {
  readonly #ctx: TransportContext;
  readonly #wss: WebSocketServer;
  /** The open sessions, by heartbeat slot (a session joins a slot when it opens: `#slotForNewSession`). */
  readonly #slots: Set<Session>[];
  /** The order in which sessions fill the slots (`spreadOrder`). */
  readonly #fillOrder: number[];
  /** Time between two slots (ms). */
  readonly #step: number;
  /**
   * The slot the last heartbeat tick swept and when (clock ms, and performance.now() for the timer); the slot the next
   * tick sweeps and how long after the last one it is due.
   */
  #prevSlot: number;
  #lastBeat: number;
  #lastBeatAt = performance.now();
  #slot = 0;
  #gap = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #sweep: NodeJS.Timeout;
  #closing = false;
  /** A heartbeat sweep is in progress (it spans several turns). */
  #sweeping = false;

  constructor(ctx: TransportContext) {
    this.#ctx = ctx;
    this.#wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: MAX_WS_PAYLOAD,
      clientTracking: false,
    });
    const slots = heartbeatSlots(ctx.config.heartbeatMs);
    this.#slots = Array.from({ length: slots }, () => new Set<Session>());
    this.#fillOrder = spreadOrder(slots);
    this.#step = ctx.config.heartbeatMs / slots;
    this.#lastBeat = ctx.clock.now();
    this.#prevSlot = slots - 1;
    this.#arm();
    this.#sweep = setInterval(() => {
      ctx.idempotency.sweep();
      ctx.rateLimiter.sweep();
    }, SWEEP_INTERVAL_MS);
    this.#sweep.unref();
  }

  /** Open WebSocket connections (authenticated or not). */
  get connectionCount(): number {
    let n = 0;
    for (const slot of this.#slots) n += slot.size;
    return n;
  }

  /** The http server's `upgrade` handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      path = '';
    }
    if (path !== SIGNAL_PATH) return rejectUpgrade(socket, 404, 'Not Found', `WebSocket endpoint is ${SIGNAL_PATH}`);
    if (this.#closing) return rejectUpgrade(socket, 503, 'Service Unavailable', 'Server is restarting');
    const origin = req.headers.origin;
    if (!isOriginAllowed(origin, this.#ctx.config.allowedOrigins)) {
      this.#ctx.logger.debug({ origin }, 'origin rejected');
      return rejectUpgrade(socket, 403, 'Forbidden', 'Origin not allowed');
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const remote = `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`;
      if (this.#closing) {
        ws.close(CloseCode.SERVER_RESTARTING, 'Server is restarting');
        return;
      }
      const session = new Session(ws, this.#ctx, remote);
      const slot = this.#slotForNewSession();
      slot.add(session);
      // a slot that was empty: the next tick may have to come earlier (a socket is pinged in its first interval)
      if (slot.size === 1) this.#arm();
      void session.closed.then(() => slot.delete(session));
    });
  }

  /**
   * One heartbeat tick: over the sockets of the next slot, cuts those silent for longer than the heartbeat timeout
   * (their grace counts from their last frame) and pings the rest. Each socket's slot comes once per interval. The
   * sweep runs in slices of at most SWEEP_SLICE_MS per turn of the event loop, so a large slot does not stall
   * requests and deliveries for the whole sweep.
   */
  #beat(): void {
    const { clock, config } = this.#ctx;
    const now = clock.now();
    // A server that is behind itself (this timer fired late) cannot tell a silent peer from its own unread input: it
    // cuts nobody this tick and only pings.
    const late = now - this.#lastBeat - this.#gap;
    this.#lastBeat = now;
    this.#lastBeatAt = performance.now();
    this.#prevSlot = this.#slot;
    const slot = this.#slots[this.#slot] as Set<Session>;
    this.#arm();
    // A sweep still running (a loaded server) keeps its slot; this tick's slot waits for its next turn.
    if (this.#sweeping || slot.size === 0) return;
    this.#sweeping = true;
    this.#sweepSlice(slot.values(), now, late < config.heartbeatMs / 2);
  }

  /** Sets the timer for the first slot with sockets after the last one swept (a whole interval on when none has any). */
  #arm(): void {
    if (this.#closing) return;
    const n = this.#slots.length;
    let d = 1;
    while (d < n && (this.#slots[(this.#prevSlot + d) % n] as Set<Session>).size === 0) d++;
    this.#slot = (this.#prevSlot + d) % n;
    this.#gap = d * this.#step;
    clearTimeout(this.#heartbeat);
    this.#heartbeat = setTimeout(() => this.#beat(), Math.max(0, this.#lastBeatAt + this.#gap - performance.now()));
    this.#heartbeat.unref();
  }

  /** The slot a new session joins (see SLOT_TARGET). */
  #slotForNewSession(): Set<Session> {
    for (const i of this.#fillOrder) {
      const slot = this.#slots[i] as Set<Session>;
      if (slot.size < SLOT_TARGET) return slot;
    }
    return this.#slots.reduce((a, b) => (b.size < a.size ? b : a));
  }

  #sweepSlice(sessions: Iterator<Session>, now: number, mayCut: boolean): void {
    const { config, logger, engine } = this.#ctx;
    const deadline = performance.now() + (engine.deliveryRounds > 0 ? SWEEP_SLICE_BEHIND_ROUNDS_MS : SWEEP_SLICE_MS);
    // Plain audience members are pinged every audienceHeartbeatMs and cut after the timeout scaled alike.
    const audienceTimeoutMs = Math.round((config.heartbeatTimeoutMs * config.audienceHeartbeatMs) / config.heartbeatMs);
    for (let n = 1; ; n++) {
      if (n % 16 === 0 && performance.now() >= deadline) {
        setImmediate(() => this.#sweepSlice(sessions, now, mayCut));
        return;
      }
      const next = sessions.next();
      if (next.done || this.#closing) break;
      const s = next.value;
      const conn = s.connection;
      const audience = config.audienceHeartbeatMs > config.heartbeatMs && conn !== undefined && engine.isAudienceOnly?.(conn) === true;
      const intervalMs = audience ? config.audienceHeartbeatMs : config.heartbeatMs;
      if (mayCut && isSilent(s, now, intervalMs, audience ? audienceTimeoutMs : config.heartbeatTimeoutMs)) {
        logger.debug({ conn: conn?.id, remote: s.remote, silentMs: now - s.lastFrameAt }, 'silent socket: terminating');
        s.ws.terminate();
        continue;
      }
      // Each slot comes once per heartbeatMs: an audience member is pinged on the visit its interval has come round.
      if (now - s.pingedAt < intervalMs - config.heartbeatMs / 2) continue;
      try {
        writePing(s.ws);
        s.pingedAt = now;
      } catch {
        s.ws.terminate();
      }
    }
    this.#sweeping = false;
  }

  /**
   * Stop accepting sockets and new requests: requests that arrive from now on are not executed (clients send them
   * again after they reconnected). Requests already running finish and are answered.
   */
  stopAccepting(): void {
    this.#closing = true;
    this.#ctx.lifecycle.draining = true;
  }

  /** Stop accepting, close every socket with SERVER_RESTARTING and wait (briefly) until they are gone. */
  async close(): Promise<void> {
    this.stopAccepting();
    clearTimeout(this.#heartbeat);
    clearInterval(this.#sweep);
    const sessions = this.#slots.flatMap((slot) => [...slot]);
    for (const s of sessions) s.close(CloseCode.SERVER_RESTARTING, 'Server is restarting');
    const all = Promise.all(sessions.map((s) => s.closed));
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      all.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS);
      }),
    ]);
    if (timer) clearTimeout(timer);
    if (!waited) {
      for (const slot of this.#slots) for (const s of slot) s.ws.terminate();
      await all;
    }
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
