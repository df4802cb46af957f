import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { CloseCode, PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, wireError, type RequestType, type WireError } from '@onseat/protocol';
import { verifyUserSig } from '../auth/userSig.js';
import type { Reply, EngineRequestType } from '../engine/api.js';
import { principalKey, type Connection, type Principal } from '../engine/Connection.js';
import { checkFrame, errorFrame, okFrame, parsePayload, type RawFrame } from './frames.js';
import { ConnectionBudget, userBudget } from './budgets.js';
import { BAD_FRAME_LIMIT, BAD_FRAME_WINDOW_MS, MAX_BUFFERED_BYTES, NOT_CACHED_TYPES, type TransportContext } from './context.js';
import { FrameQueue } from './fairness.js';
import { broadcastFrameOf, writeBroadcast } from './wireFrame.js';

type HelloPayload = { protocolVersion: number; sdkAppId: number; userId: string; userSig: string };

/** Replies that describe a transient server condition, not the request's outcome: never replayed. */
/**
 * What the idempotency cache keeps of a finished request: its reply when it changed something (ok), or when nobody can
 * tell whether it did (STORE_UNAVAILABLE: a Redis write or a forwarded command may have gone through). Any other
 * refusal changed nothing, so a repeat simply runs again and gets the current answer; not remembering them keeps the
 * cache small on a busy server (every remembered reply lives on the heap for minutes).
 */
const remembered = (reply: Reply): boolean => reply.ok || reply.error.name === 'STORE_UNAVAILABLE';

const TEXT_FRAME = { binary: false } as const;

const truncateReason = (reason: string): string =>
  Buffer.from(reason)
    .subarray(0, 120)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');

/**
 * One WebSocket: validates every frame, authenticates with `session.hello`, answers `session.*` itself and hands
 * everything else to the engine (with idempotency by request id and per-user rate limits). Frames of one socket are
 * handled one after another, in arrival order.
 */
export class Session {
  readonly ws: WebSocket;
  readonly #ctx: TransportContext;
  #state: 'new' | 'ready' | 'closed' = 'new';
  #connection: Connection | undefined;
  readonly #queue: FrameQueue;
  readonly #budget: ConnectionBudget;
  #badFrames: number[] = [];
  #helloTimer: NodeJS.Timeout | undefined;
  /** When the last frame (message or pong) arrived, on the context's clock (see the heartbeat in WsGateway). */
  lastFrameAt: number;
  /** When the heartbeat last pinged this socket (the beat's instant, on the context's clock); -Infinity before. */
  pingedAt = -Infinity;
  readonly #closed: Promise<void>;

  constructor(
    ws: WebSocket,
    ctx: TransportContext,
    readonly remote: string,
  ) {
    this.ws = ws;
    this.#ctx = ctx;
    this.#helloTimer = setTimeout(() => this.close(CloseCode.AUTH_FAILED, 'No session.hello in time'), ctx.config.helloTimeoutMs);
    this.#helloTimer.unref();
    this.#budget = new ConnectionBudget(ctx.clock, ctx.config.requestBudgetScale);
    this.lastFrameAt = ctx.clock.now();
    this.#queue = new FrameQueue(
      ws,
      (err) => this.#ctx.logger.error({ err, conn: this.#connection?.id }, 'frame handling failed'),
      () => {
        this.#ctx.logger.warn({ conn: this.#connection?.id, remote }, 'slow reader cut');
        this.ws.terminate();
      },
    );
    ws.on('message', (data: RawFrame, isBinary: boolean) => {
      this.lastFrameAt = ctx.clock.now();
      this.#queue.push(() => this.#handle(data, isBinary));
    });
    ws.on('pong', () => {
      this.lastFrameAt = ctx.clock.now();
    });
    ws.on('error', (err) => this.#ctx.logger.debug({ err: err.message, remote }, 'socket error'));
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code: number) => {
        this.#onClose(code);
        resolve();
      });
    });
  }

  /** Resolves once the socket has closed and the engine was told. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** The authenticated connection, once `session.hello` succeeded. */
  get connection(): Connection | undefined {
    return this.#connection;
  }

  /** Close the socket with an application close code (after the broadcast frames held back for it). */
  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING) return;
    this.#flushDeferred();
    this.ws.close(code, truncateReason(reason));
  }

  /** Broadcast frames held back for a sliced broadcast round (Connection.defer), oldest first: one, or several. */
  #deferred: Buffer | Buffer[] | null = null;

  #defer(frame: Buffer): void {
    const d = this.#deferred;
    if (d === null) this.#deferred = frame;
    else if (Array.isArray(d)) d.push(frame);
    else this.#deferred = [d, frame];
  }

  #flushDeferred(): void {
    const d = this.#deferred;
    if (d === null) return;
    this.#deferred = null;
    if (Array.isArray(d)) for (const f of d) this.#write(f);
    else this.#write(d);
  }

  #onClose(code: number): void {
    clearTimeout(this.#helloTimer);
    this.#deferred = null;
    this.#queue.close();
    const wasReady = this.#state === 'ready';
    this.#state = 'closed';
    const conn = this.#connection;
    this.#ctx.logger.debug({ conn: conn?.id, userId: conn?.principal.userId, code, remote: this.remote }, 'connection closed');
    if (wasReady && conn) {
      try {
        this.#ctx.engine.detach(conn);
      } catch (err) {
        this.#ctx.logger.error({ err, conn: conn.id }, 'engine.detach failed');
      }
    }
  }

  /** Writes a frame after whatever broadcast frames are held back for this socket, so nothing overtakes them. */
  #send(frame: string | Buffer): void {
    if (this.#deferred !== null) this.#flushDeferred();
    this.#write(frame);
  }

  #write(frame: string | Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#ctx.logger.warn({ conn: this.#connection?.id }, 'slow consumer terminated');
      this.ws.terminate();
      return;
    }
    // Replies and events to one user are strings: hold them to the end of the tick so they share a system call.
    if (typeof frame === 'string') {
      this.#cork();
      this.ws.send(frame, TEXT_FRAME);
      return;
    }
    // Broadcast frames arrive as one Buffer (JSON text) shared by every recipient: encoded as a WebSocket frame once,
    // written to each socket as it is, never held, so the first sockets get them at once.
    writeBroadcast(this.ws, broadcastFrameOf(frame));
  }

  #corked = false;

  /**
   * Holds this socket's writes until the end of the current tick, so several frames (a reply and the events of the
   * same command, or many events to a host) leave in one system call instead of one each.
   */
  #cork(): void {
    if (this.#corked) return;
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (!socket) return;
    this.#corked = true;
    socket.cork();
    process.nextTick(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  #bad(id: string, error: WireError, type?: RequestType): void {
    this.#ctx.metrics.badFrames.inc({ reason: error.name });
    if (type) this.#ctx.metrics.observeRequest(type, error.name, 0);
    this.#send(errorFrame(id, error));
    const now = performance.now();
    this.#badFrames.push(now);
    while (this.#badFrames.length > 0 && (this.#badFrames[0] ?? 0) <= now - BAD_FRAME_WINDOW_MS) this.#badFrames.shift();
    if (this.#badFrames.length > BAD_FRAME_LIMIT) this.close(CloseCode.POLICY_VIOLATION, 'Too many invalid frames');
  }

  async #handle(data: RawFrame, isBinary: boolean): Promise<void> {
    if (this.#state === 'closed') return;
    const frame = checkFrame(data, isBinary);
    if (!frame.ok) return this.#bad(frame.id, frame.error);
    const { id, type } = frame;
    // Shutting down: not executed and not answered; the client sends it again (same id) once it reconnected.
    if (this.#ctx.lifecycle.draining) return;
    if (this.#state !== 'ready' && type !== 'session.hello') return this.#bad(id, wireError('NOT_LOGGED_IN'), type);
    if (!this.#budget.take(type)) {
      this.#ctx.metrics.observeRequest(type, 'FREQ_LIMIT', 0);
      this.#queue.refused();
      return this.#send(errorFrame(id, wireError('FREQ_LIMIT', `Too many requests on this connection; slow down (${type})`)));
    }
    const payload = parsePayload(type, frame.payload);
    if (!payload.ok) return this.#bad(id, payload.error, type);
    const started = performance.now();
    let reply: Reply;
    if (type === 'session.hello') reply = await this.#hello(payload.value as HelloPayload);
    else if (type === 'session.ping') reply = { ok: true, payload: { serverTime: this.#ctx.clock.now() } };
    else reply = await this.#engineRequest(id, type, payload.value);
    const outcome = reply.ok ? 'ok' : reply.error.name;
    if (outcome === 'FREQ_LIMIT') this.#queue.refused();
    this.#ctx.metrics.observeRequest(type, outcome, (performance.now() - started) / 1000);
    if (!reply.ok) this.#ctx.logger.debug({ conn: this.#connection?.id, type, id, error: reply.error.name }, 'request failed');
    this.#send(reply.ok ? okFrame(id, reply.payload) : errorFrame(id, reply.error));
    if (type === 'session.hello' && !reply.ok && reply.error.name !== 'ALREADY_LOGGED_IN') {
      const code = reply.error.name === 'PROTOCOL_VERSION_UNSUPPORTED' ? CloseCode.PROTOCOL_VERSION : CloseCode.AUTH_FAILED;
      this.close(code, reply.error.message);
    }
  }

  async #hello(p: HelloPayload): Promise<Reply> {
    if (this.#state === 'ready') return { ok: false, error: wireError('ALREADY_LOGGED_IN') };
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(p.protocolVersion)) {
      return {
        ok: false,
        error: wireError(
          'PROTOCOL_VERSION_UNSUPPORTED',
          `Protocol version ${p.protocolVersion} is not supported; this server speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
          { supported: [...SUPPORTED_PROTOCOL_VERSIONS] },
        ),
      };
    }
    const { config, clock, engine, logger } = this.#ctx;
    const v = await verifyUserSig(config.apps, p.sdkAppId, p.userId, p.userSig, new Date(clock.now()));
    if (!v.ok) return { ok: false, error: wireError(v.error) };
    if (this.#state === 'closed') return { ok: false, error: wireError('DISCONNECTED') };
    clearTimeout(this.#helloTimer);
    this.#helloTimer = undefined;
    const principal: Principal = v.principal;
    const conn: Connection = {
      id: this.#ctx.nextConnectionId(),
      principal,
      send: (frame) => this.#send(frame),
      defer: (frame) => this.#defer(frame),
      flushDeferred: () => this.#flushDeferred(),
      close: (code, reason) => this.close(code, reason),
      lastFrameAt: () => this.lastFrameAt,
    };
    this.#connection = conn;
    this.#state = 'ready';
    engine.attach(conn);
    logger.debug({ conn: conn.id, sdkAppId: principal.sdkAppId, userId: principal.userId, remote: this.remote }, 'connection opened');
    return {
      ok: true,
      payload: {
        protocolVersion: PROTOCOL_VERSION,
        serverTime: clock.now(),
        user: { userId: principal.userId, userName: principal.userName, avatarUrl: principal.avatarUrl },
        reconnectGraceMs: config.reconnectGraceMs,
        ...(config.mediaOptions.iceServers?.length ? { iceServers: config.mediaOptions.iceServers } : {}),
      },
    };
  }

  async #engineRequest(id: string, type: EngineRequestType, payload: unknown): Promise<Reply> {
    const conn = this.#connection;
    if (!conn) return { ok: false, error: wireError('NOT_LOGGED_IN') };
    const { idempotency } = this.#ctx;
    const userKey = principalKey(conn.principal);
    // Reads skip the idempotency cache (a repeat gets the current answer): they only draw from the user's budget.
    if (NOT_CACHED_TYPES.has(type)) return this.#overBudget(userKey, type) ?? this.#execute(conn, type, payload);
    for (let seen = idempotency.get(userKey, id); seen; seen = idempotency.get(userKey, id)) {
      if (seen.type !== type) {
        return {
          ok: false,
          error: wireError('REQUEST_ID_REPEAT', `Request id "${id}" was already used for ${seen.type}`, { firstType: seen.type }),
        };
      }
      // A repeat of a request still running waits for it; a refusal (not remembered) lets the repeat run itself.
      const reply = await seen.reply;
      if (remembered(reply)) return reply;
      idempotency.delete(userKey, id, seen);
    }
    const refused = this.#overBudget(userKey, type);
    if (refused) return refused;
    const run = this.#execute(conn, type, payload);
    const entry = idempotency.set(userKey, id, type, run);
    const reply = await run;
    if (remembered(reply)) entry.reply = reply;
    else idempotency.delete(userKey, id, entry);
    return reply;
  }

  /** FREQ_LIMIT when the user's bucket for this type (see budgets.ts) is empty; undefined when it had a token. */
  #overBudget(userKey: string, type: EngineRequestType): Reply | undefined {
    const budget = userBudget(type, this.#ctx.config.rateLimit, this.#ctx.config.requestBudgetScale);
    if (!budget || this.#ctx.rateLimiter.take(`${userKey}:${budget.bucket}`, budget.rate)) return undefined;
    const what = budget.bucket === type ? type : `${budget.bucket} (${type})`;
    return { ok: false, error: wireError('FREQ_LIMIT', `Too many ${what} requests; slow down`) };
  }

  async #execute(conn: Connection, type: EngineRequestType, payload: unknown): Promise<Reply> {
    try {
      return await this.#ctx.engine.execute(conn, type, payload as never);
    } catch (err) {
      this.#ctx.logger.error({ err, conn: conn.id, type }, 'engine.execute threw');
      return { ok: false, error: wireError('SERVER_PROCESS_FAILED') };
    }
  }
}
