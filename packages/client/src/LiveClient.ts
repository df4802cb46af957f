import { CloseCode, type LiveSnapshot, type LiveUserInfo, type RequestPayload, type RequestResult, type RequestType } from '@onseat/protocol';
import { EventHub } from './EventHub.js';
import { OnseatError } from './errors.js';
import { defaultLogger, type Logger } from './logger.js';
import type { ReconnectOptions } from './client/backoff.js';
import { decodeFrame, readResponse } from './client/frames.js';
import { createIdGenerator } from './client/ids.js';
import { LiveTracker, type AnyLiveEvent, type LiveExit } from './client/liveTracker.js';
import { RequestTable, type PendingRequest } from './client/requests.js';
import { AUTH_ERRORS, SignalConnection, type ConnectionState, type HelloResult } from './client/SignalConnection.js';
import type { WebSocketConstructor } from './client/socket.js';
import { signalUrls } from './client/url.js';

export type { ConnectionState, HelloResult } from './client/SignalConnection.js';

/** Options of a {@link LiveClient}. */
export interface LiveClientOptions {
  /**
   * Server base URL, `http(s)://…` or `ws(s)://…` (a path prefix is kept). Default: the page's origin. Several URLs
   * (nodes of one cluster): the client connects to the first and tries the next one in turn on each reconnect.
   */
  serverUrl?: string | readonly string[];
  sdkAppId: number;
  userId: string;
  userSig: string;
  /** WebSocket constructor. Default `globalThis.WebSocket` (in Node 20 pass `WebSocket` from `ws`). */
  WebSocket?: WebSocketConstructor;
  /** How long a request may wait for its answer (ms). Default 10000. */
  requestTimeoutMs?: number;
  /** Reconnect backoff after an unexpected close (defaults: 250 ms initial, 5 s max, give up after 60 s). */
  reconnect?: ReconnectOptions;
  /** Interval of the client's `session.ping` liveness check (ms); 0 disables. Default 15000. */
  pingIntervalMs?: number;
  /** Where the client logs; default: warnings and errors to the console. */
  logger?: Logger;
}

/** Events of a {@link LiveClient} (subscribe with `on`). */
export interface LiveClientEvents {
  /** The connection state changed. */
  state: { state: ConnectionState; previous: ConnectionState };
  /** The client entered a live (start/join) or replaced its state after a reconnect (`resync`). */
  snapshot: { snapshot: LiveSnapshot; cause: 'enter' | 'resync' };
  /** An event of the current live, in seq order, each seq at most once. */
  event: AnyLiveEvent;
  /** The client is no longer in the live. */
  exit: LiveExit;
  /** The same user logged in elsewhere; the client is disconnected for good. */
  kickedOffline: { reason: string };
  /** A reconnect was refused (e.g. the userSig expired); the client is disconnected for good. */
  authFailed: OnseatError;
}

const JOIN_TYPES: readonly string[] = ['live.start', 'live.join'];
const LEAVE_TYPES: readonly string[] = ['live.leave', 'live.end'];

/**
 * One user's connection to an onseat server: authenticates with `session.hello`, sends typed requests (re-sent with
 * the same id after a reconnect, so the server's idempotency applies), reconnects with backoff after an unexpected
 * close, and tracks the live it is in (events in seq order, catch-up with `live.sync` after a reconnect).
 * Independent instances can run side by side in one process.
 */
export class LiveClient {
  readonly #userId: string;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  readonly #events: EventHub<LiveClientEvents>;
  readonly #requests = new RequestTable();
  readonly #nextId = createIdGenerator();
  readonly #tracker: LiveTracker;
  readonly #conn: SignalConnection;
  #hello: HelloResult | null = null;
  #connecting: Promise<HelloResult> | null = null;
  #kickNotified = false;

  constructor(options: LiveClientOptions) {
    this.#userId = options.userId;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#logger = options.logger ?? defaultLogger;
    this.#events = new EventHub(this.#logger);
    this.#tracker = new LiveTracker(
      {
        snapshot: (snapshot, cause) => this.#events.emit('snapshot', { snapshot, cause }),
        event: (event) => this.#events.emit('event', event),
        exit: (exit) => this.#events.emit('exit', exit),
      },
      this.#logger,
    );
    const urls = signalUrls(options.serverUrl); // fails fast on a bad URL
    let attempt = 0;
    this.#conn = new SignalConnection(
      {
        // each (re)connection tries the next server in turn
        url: () => urls[attempt++ % urls.length]!,
        WebSocket: options.WebSocket,
        sdkAppId: options.sdkAppId,
        userId: options.userId,
        userSig: options.userSig,
        timeoutMs: this.#timeoutMs,
        pingIntervalMs: options.pingIntervalMs ?? 15_000,
        reconnect: options.reconnect,
        logger: this.#logger,
      },
      {
        call: (type, payload, timeoutMs) => this.#call(type, payload, timeoutMs),
        message: (data) => this.#onMessage(data),
        socketClosed: (code) => this.#requests.fail(OnseatError.of('DISCONNECTED', `Connection closed (${code})`), false),
        resume: () => this.#resync(),
        ready: () => this.#flush(),
        state: (state, previous) => this.#events.emit('state', { state, previous }),
        terminated: (code, reason, error) => this.#onTerminated(code, reason, error),
      },
    );
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.#conn.state;
  }
  /** The local user's id. */
  get userId(): string {
    return this.#userId;
  }
  #serverTimeOffset = 0;

  /** Server clock minus this clock (ms), measured at the last hello; 0 before it. */
  get serverTimeOffset(): number {
    return this.#serverTimeOffset;
  }

  /** A server timestamp (epoch ms, e.g. a request deadline) in this machine's clock. */
  toLocalTime(serverTime: number): number {
    return Math.round(serverTime - this.#serverTimeOffset);
  }

  /** ICE servers (TURN) the server told this client to use for media; empty when it named none. */
  get iceServers(): RTCIceServer[] {
    return this.#hello?.iceServers ?? [];
  }

  /** The local user as the server knows it (after the first successful hello). */
  get user(): LiveUserInfo | null {
    return this.#hello?.user ?? null;
  }
  /** The live the client is in, or null. */
  get liveId(): string | null {
    return this.#tracker.liveId;
  }
  /** Seq of the last applied event (or snapshot) of the current live. */
  get lastSeq(): number {
    return this.#tracker.lastSeq;
  }
  /** The logger this client reports to. */
  get logger(): Logger {
    return this.#logger;
  }

  /** Subscribe to a client event; returns the unsubscribe function. */
  on<K extends keyof LiveClientEvents>(event: K, callback: (payload: LiveClientEvents[K]) => void): () => void {
    this.#events.on(event, callback);
    return () => this.#events.off(event, callback);
  }

  /** Open the connection and authenticate. Resolves with the hello result; rejects with an {@link OnseatError}. */
  connect(): Promise<HelloResult> {
    if (this.#conn.state === 'connected' && this.#hello) return Promise.resolve(this.#hello);
    if (this.#connecting) return this.#connecting;
    if (this.#conn.state === 'reconnecting') return Promise.reject(OnseatError.of('REPEAT_OPERATION', 'Reconnecting'));
    this.#kickNotified = false;
    this.#connecting = this.#conn.connect().then(
      (hello) => {
        this.#connecting = null;
        return hello;
      },
      (error: unknown) => {
        this.#connecting = null;
        this.#requests.fail(OnseatError.of('DISCONNECTED', 'Could not connect'), true);
        throw error;
      },
    );
    return this.#connecting;
  }

  /** Close the connection for good (no reconnect). Pending requests reject with DISCONNECTED. */
  disconnect(): void {
    const liveId = this.#tracker.liveId;
    this.#conn.close();
    this.#requests.fail(OnseatError.of('DISCONNECTED', 'disconnect() was called'), true);
    if (liveId) this.#tracker.exit({ liveId, cause: 'closed' });
  }

  /**
   * Send a request and await its result. Rejects with an {@link OnseatError}: the server's error, REQUEST_TIMEOUT
   * after `timeoutMs` (default `requestTimeoutMs`), or DISCONNECTED. While reconnecting, requests wait and are sent
   * (or re-sent with the same id) once the connection is back.
   */
  async request<T extends RequestType>(type: T, payload: RequestPayload<T>, options: { timeoutMs?: number } = {}): Promise<RequestResult<T>> {
    if (type === 'session.hello' || type === 'live.sync') {
      throw OnseatError.of('INVALID_PARAMETER', `${type} is sent by the client itself`);
    }
    if (this.#conn.state === 'disconnected') throw OnseatError.of('DISCONNECTED', 'Not connected: call connect() first');
    const joinId = JOIN_TYPES.includes(type) ? (payload as { liveId: string }).liveId : null;
    const leaving = LEAVE_TYPES.includes(type) ? this.#tracker.liveId : null;
    if (joinId) this.#tracker.beginJoin(joinId);
    if (leaving) this.#tracker.setLeaving(true);
    const { entry, promise } = this.#requests.add({ id: this.#nextId(), type, payload, resend: true }, options.timeoutMs ?? this.#timeoutMs);
    if (this.#conn.usable) this.#send(entry);
    try {
      const result = (await promise) as RequestResult<T>;
      if (joinId) this.#tracker.endJoin(joinId, (result as { snapshot: LiveSnapshot }).snapshot);
      if (leaving) this.#tracker.exit({ liveId: leaving, cause: 'left' });
      return result;
    } catch (error) {
      if (joinId) this.#tracker.endJoin(joinId, null);
      if (leaving && this.#tracker.liveId === leaving) this.#tracker.setLeaving(false);
      throw error;
    }
  }

  /** Send an internal request (hello/sync/ping) on the current socket now; it is never re-sent. */
  #call(type: RequestType, payload: unknown, timeoutMs = this.#timeoutMs): Promise<unknown> {
    const { entry, promise } = this.#requests.add({ id: this.#nextId(), type, payload, resend: false }, timeoutMs);
    this.#send(entry);
    if (type === 'session.hello') {
      const sentAt = Date.now();
      return promise.then((hello) => {
        this.#hello = hello as HelloResult;
        // The server stamped serverTime about half a round trip before the answer arrived.
        const now = Date.now();
        this.#serverTimeOffset = this.#hello.serverTime - (sentAt + now) / 2;
        return hello;
      });
    }
    return promise;
  }

  #send(entry: PendingRequest): void {
    const frame = JSON.stringify({ kind: 'req', id: entry.id, type: entry.type, payload: entry.payload });
    if (this.#conn.send(frame)) entry.sentOn = this.#conn.generation;
  }

  /** Send every waiting request (after connect/reconnect), oldest first. */
  #flush(): void {
    for (const entry of this.#requests.unsent(this.#conn.generation)) this.#send(entry);
  }

  #onMessage(data: unknown): void {
    const decoded = decodeFrame(data);
    if (decoded.kind === 'bad') return void this.#logger.warn?.('malformed frame from server', decoded.raw);
    if (decoded.kind === 'res') {
      const entry = this.#requests.take(decoded.frame.id);
      if (!entry) return void this.#logger.debug?.(`response for unknown request ${decoded.frame.id}`);
      const read = readResponse(entry.type, decoded.frame);
      return read.ok ? entry.resolve(read.value) : entry.reject(read.error);
    }
    const evt = decoded.frame;
    if (evt.type !== 'session.kickedOffline') return this.#tracker.receive(evt);
    const reason = (evt.payload as { reason?: unknown } | null)?.reason;
    this.#notifyKicked(typeof reason === 'string' ? reason : 'logged in elsewhere');
  }

  /** Catch up on the current live after a reconnect. False when the connection should be retried. */
  async #resync(): Promise<boolean> {
    if (this.#requests.has(LEAVE_TYPES)) return true; // the re-sent leave/end settles membership
    const sync = this.#tracker.beginSync();
    if (!sync) return true;
    try {
      const result = (await this.#call('live.sync', sync)) as RequestResult<'live.sync'>;
      this.#tracker.endSync(result);
      return true;
    } catch (error) {
      this.#tracker.abortSync();
      const { code, details } = error as OnseatError;
      if (code === 100005 || code === -2101) this.#tracker.exit({ liveId: sync.liveId, cause: 'kicked', reason: 3 });
      else if (code === 100004) {
        // The server remembers why a live ended for a while; without that, the server ended it.
        const reason = details?.['endedReason'] === 1 ? 1 : 2;
        this.#tracker.exit({ liveId: sync.liveId, cause: 'ended', reason });
      } else return false;
      return true;
    }
  }

  #notifyKicked(reason: string): void {
    if (this.#kickNotified) return;
    this.#kickNotified = true;
    this.#events.emit('kickedOffline', { reason });
  }

  /** Stopped for good: fail what waits, report why, and count the live as lost. */
  #onTerminated(code: number | null, reason: string, error: OnseatError | null): void {
    const liveId = this.#tracker.liveId;
    this.#requests.fail(OnseatError.of('DISCONNECTED', error?.message ?? `Connection closed (${code ?? 'gave up'})`), true);
    if (code === CloseCode.KICKED_OFFLINE) this.#notifyKicked(reason || 'logged in elsewhere');
    if (error && AUTH_ERRORS.has(error.code)) this.#events.emit('authFailed', error);
    if (liveId) this.#tracker.exit({ liveId, cause: 'kicked', reason: code === CloseCode.KICKED_OFFLINE ? 1 : 3 });
  }
}
