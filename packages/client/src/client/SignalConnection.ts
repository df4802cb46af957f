import { CloseCode, Errors, PROTOCOL_VERSION, type RequestResult, type RequestType } from '@onseat/protocol';
import { OnseatError, isOnseatError } from '../errors.js';
import type { Logger } from '../logger.js';
import { Backoff, type ReconnectOptions } from './backoff.js';
import { OPEN, type WebSocketConstructor, type WebSocketLike } from './socket.js';

/** Connection state of a LiveClient. */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** Result of the `session.hello` handshake. */
export type HelloResult = RequestResult<'session.hello'>;

/**
 * Close codes after which the client does not reconnect: auth failed, kicked offline, protocol version. Every other
 * close (SERVER_RESTARTING, SERVER_SHUTDOWN, an abnormal 1006, …) means "reconnect and resume", never "live ended".
 */
export const FATAL_CLOSE: ReadonlySet<number> = new Set([CloseCode.AUTH_FAILED, CloseCode.KICKED_OFFLINE, CloseCode.PROTOCOL_VERSION]);
/** Hello errors that mean "do not retry": userSig expired/invalid/mismatch, unknown app, protocol version. */
export const AUTH_ERRORS: ReadonlySet<number> = new Set(
  (['USER_SIG_EXPIRED', 'USER_SIG_INVALID', 'PROTOCOL_VERSION_UNSUPPORTED', 'SDK_APP_ID_UNKNOWN', 'USER_SIG_MISMATCH'] as const).map(
    (n) => Errors[n].code,
  ),
);

/** What the connection needs from its owner. */
export interface ConnectionHooks {
  /** Send an internal (never re-sent) request on the current socket now. */
  call(type: RequestType, payload: unknown, timeoutMs?: number): Promise<unknown>;
  /** A message arrived on the current socket. */
  message(data: unknown): void;
  /** The current socket is gone (internal requests must fail). */
  socketClosed(code: number, reason: string): void;
  /** After a successful hello on a reconnect: catch up. Resolve false to drop this socket and retry. */
  resume(): Promise<boolean>;
  /** The session is usable (again): send what waits. */
  ready(): void;
  /** The state changed. */
  state(state: ConnectionState, previous: ConnectionState): void;
  /** Stopped for good after an unexpected close: fatal code, refused hello, or reconnect budget spent (code null). */
  terminated(code: number | null, reason: string, error: OnseatError | null): void;
}

export interface SignalConnectionOptions {
  url: () => string;
  WebSocket?: WebSocketConstructor;
  sdkAppId: number;
  userId: string;
  userSig: string;
  timeoutMs: number;
  pingIntervalMs: number;
  reconnect?: ReconnectOptions;
  logger: Logger;
}

/**
 * The socket lifecycle of one client: open + hello, reconnect with backoff after an unexpected close (not after the
 * fatal close codes or `close()`), a `session.ping` liveness check, and giving up after the reconnect budget.
 */
export class SignalConnection {
  readonly #o: SignalConnectionOptions;
  readonly #hooks: ConnectionHooks;
  readonly #backoff: Backoff;
  #state: ConnectionState = 'disconnected';
  #socket: WebSocketLike | null = null;
  #gen = 0;
  #ready = false;
  #lastClose = { code: 0, reason: '' };
  #abortOpen: ((error: OnseatError) => void) | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;

  constructor(options: SignalConnectionOptions, hooks: ConnectionHooks) {
    this.#o = options;
    this.#hooks = hooks;
    this.#backoff = new Backoff(options.reconnect);
  }

  get state(): ConnectionState {
    return this.#state;
  }
  /** True when requests may be sent now (hello done; not in the middle of a reconnect). */
  get usable(): boolean {
    return this.#state === 'connected' && this.#ready;
  }
  /** Generation of the current socket (increments per socket). */
  get generation(): number {
    return this.#gen;
  }

  /** Send a text frame on the current socket; false when there is no open socket. */
  send(text: string): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(text);
      return true;
    } catch (error) {
      this.#o.logger.debug?.('send failed', error);
      return false;
    }
  }

  /** First connection. Rejects (and returns to `disconnected`) if the socket or the hello fails. */
  async connect(): Promise<HelloResult> {
    this.#setState('connecting');
    try {
      const hello = await this.#open();
      this.#setState('connected');
      this.#hooks.ready();
      this.#startPing();
      return hello;
    } catch (error) {
      if (this.#state === 'connecting') this.close();
      throw error;
    }
  }

  /** Close for good (no reconnect, no `terminated` hook). */
  close(): void {
    this.#abortOpen?.(OnseatError.of('DISCONNECTED', 'The client was disconnected'));
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopPing();
    const socket = this.#socket;
    this.#socket = null;
    this.#ready = false;
    this.#gen++;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      try {
        socket.close(1000, 'client disconnect');
      } catch {
        /* already closed */
      }
      this.#hooks.socketClosed(1000, 'client disconnect');
    }
    this.#setState('disconnected');
  }

  /** Give up on the current socket now (no closing handshake) and handle it as an unexpected close. */
  abandon(): void {
    const socket = this.#socket;
    if (!socket) return;
    const onclose = socket.onclose;
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    try {
      socket.close();
    } catch {
      /* already closed */
    }
    onclose?.({ code: 1006, reason: 'connection abandoned' });
  }

  #setState(state: ConnectionState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#hooks.state(state, previous);
  }

  /** Open a socket and say hello; resolves when the session is ready. */
  #open(): Promise<HelloResult> {
    return new Promise<HelloResult>((resolve, reject) => {
      const gen = ++this.#gen;
      let settled = false;
      let socket: WebSocketLike | null = null;
      const finish = (error: OnseatError | null, hello?: HelloResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.#abortOpen === fail) this.#abortOpen = null;
        if (error) reject(error);
        else resolve(hello!);
      };
      const fail = (error: OnseatError) => finish(error);
      this.#abortOpen = fail;
      const timer = setTimeout(() => {
        fail(OnseatError.of('REQUEST_TIMEOUT', 'Connecting to the server timed out'));
        if (socket && this.#socket === socket) this.abandon();
      }, this.#o.timeoutMs);
      try {
        const Ctor = this.#o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
        if (!Ctor) throw OnseatError.of('INVALID_PARAMETER', 'No WebSocket implementation: pass the WebSocket option');
        socket = new Ctor(this.#o.url());
      } catch (error) {
        return fail(isOnseatError(error) ? error : OnseatError.of('DISCONNECTED', `Cannot open the socket: ${String(error)}`));
      }
      const s = socket;
      this.#socket = s;
      this.#ready = false;
      s.onmessage = (ev: { data: unknown }) => {
        if (gen === this.#gen) this.#hooks.message(ev.data);
      };
      s.onerror = () => this.#o.logger.debug?.('socket error');
      s.onclose = (ev: { code?: number; reason?: string }) => {
        const code = ev.code ?? 1006;
        fail(OnseatError.of('DISCONNECTED', `Connection closed (${code}${ev.reason ? `: ${ev.reason}` : ''})`));
        this.#onClose(s, code, ev.reason ?? '');
      };
      s.onopen = () => {
        const { sdkAppId, userId, userSig } = this.#o;
        this.#hooks.call('session.hello', { protocolVersion: PROTOCOL_VERSION, sdkAppId, userId, userSig }).then(
          (hello) => {
            if (settled || this.#socket !== s) return;
            this.#ready = true;
            finish(null, hello as HelloResult);
          },
          (error: OnseatError) => {
            fail(error);
            if (this.#socket === s) this.abandon();
          },
        );
      };
    });
  }

  #onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#ready = false;
    this.#stopPing();
    this.#lastClose = { code, reason };
    this.#hooks.socketClosed(code, reason);
    if (this.#state !== 'connected' && this.#state !== 'reconnecting') return;
    if (FATAL_CLOSE.has(code)) return this.#terminate(code, reason, null);
    if (this.#state === 'connected') {
      this.#o.logger.info?.(`connection lost (${code}); reconnecting`);
      this.#setState('reconnecting');
      this.#backoff.start(Date.now());
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect(): void {
    const delay = this.#backoff.next(Date.now());
    if (delay === null) return this.#terminate(null, 'reconnect gave up', null);
    this.#retryTimer = setTimeout(() => void this.#reconnect(), delay);
  }

  async #reconnect(): Promise<void> {
    this.#retryTimer = null;
    if (this.#state !== 'reconnecting') return;
    this.#lastClose = { code: 0, reason: '' };
    try {
      await this.#open();
    } catch (error) {
      if (this.#state !== 'reconnecting') return;
      const err = error as OnseatError;
      if (AUTH_ERRORS.has(err.code)) return this.#terminate(CloseCode.AUTH_FAILED, err.message, err);
      if (FATAL_CLOSE.has(this.#lastClose.code)) return this.#terminate(this.#lastClose.code, this.#lastClose.reason, err);
      return this.#scheduleReconnect();
    }
    const socket = this.#socket;
    const resumed = await this.#hooks.resume();
    if (this.#state !== 'reconnecting') return;
    if (!resumed || !socket || this.#socket !== socket || !this.#ready) {
      if (socket && this.#socket === socket) this.abandon();
      return this.#scheduleReconnect();
    }
    this.#setState('connected');
    this.#hooks.ready();
    this.#startPing();
  }

  #terminate(code: number | null, reason: string, error: OnseatError | null): void {
    this.close();
    this.#hooks.terminated(code, reason, error);
  }

  #startPing(): void {
    this.#stopPing();
    const every = this.#o.pingIntervalMs;
    if (every <= 0) return;
    let busy = false;
    this.#pingTimer = setInterval(() => {
      const socket = this.#socket;
      if (busy || !socket || !this.usable) return;
      busy = true;
      this.#hooks.call('session.ping', {}, every).then(
        () => (busy = false),
        (error: OnseatError) => {
          busy = false;
          if (error.code === -1300 && this.#socket === socket) this.abandon();
        },
      );
    }, every);
  }

  #stopPing(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }
}
