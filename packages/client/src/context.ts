import type { LiveSnapshot, RequestPayload, RequestResult, RequestType } from '@onseat/protocol';
import type { ReconnectOptions } from './client/backoff.js';
import type { AnyLiveEvent, LiveExit } from './client/liveTracker.js';
import type { WebSocketConstructor } from './client/socket.js';
import { OnseatError } from './errors.js';
import type { LiveClient } from './LiveClient.js';
import { defaultLogger, type Logger } from './logger.js';
import type { MediaOptions } from './media/mediaOptions.js';

/** Options shared by every LiveClient that `login` creates (credentials come with `login`). */
export interface OnseatClientOptions {
  /**
   * Server base URL, `http(s)://…` or `ws(s)://…`, or several (nodes of one cluster, tried in turn on each reconnect).
   * Default: the page's origin. `login({serverUrl})` overrides it.
   */
  serverUrl?: string | readonly string[];
  /** WebSocket constructor. Default `globalThis.WebSocket` (in Node 20 pass `WebSocket` from `ws`). */
  WebSocket?: WebSocketConstructor;
  /** How long a request may wait for its answer (ms). Default 10000. */
  requestTimeoutMs?: number;
  /** Reconnect backoff after an unexpected close. */
  reconnect?: ReconnectOptions;
  /** Interval of the client's liveness ping (ms); 0 disables. Default 15000. */
  pingIntervalMs?: number;
  /** Where the stores and the client log; default: warnings and errors to the console. */
  logger?: Logger;
  /** Audio/video: ICE servers (TURN), timeouts, and the browser APIs to use (tests pass fakes). */
  media?: MediaOptions;
}

/** What a store hears from the current client. All hooks are optional. */
export interface LiveSink {
  /** The client entered a live, or replaced its state after a reconnect. */
  liveSnapshot?(snapshot: LiveSnapshot, cause: 'enter' | 'resync'): void;
  /** An event of the current live (in seq order). */
  liveEvent?(event: AnyLiveEvent): void;
  /** The client is no longer in the live. */
  liveExit?(exit: LiveExit): void;
  /** The same user logged in elsewhere. */
  kickedOffline?(reason: string): void;
  /** A reconnect was refused (e.g. expired userSig). */
  authFailed?(error: OnseatError): void;
  /** The connection is gone for good (not after `logout`). */
  connectionLost?(): void;
  /** The connection came back after a drop (the live, if any, is caught up already). */
  connectionResumed?(): void;
}

/** The client the stores share (created at login) and the fan-out of its events to the stores, in order. */
export class OnseatContext {
  readonly options: OnseatClientOptions;
  readonly logger: Logger;
  readonly #sinks: LiveSink[] = [];
  #client: LiveClient | null = null;
  #unsubscribe: (() => void)[] = [];

  constructor(options: OnseatClientOptions = {}) {
    this.options = options;
    this.logger = options.logger ?? defaultLogger;
  }

  /** The current client (null before login and after logout). */
  get client(): LiveClient | null {
    return this.#client;
  }
  /** The local user's id ('' when logged out). */
  get userId(): string {
    return this.#client?.userId ?? '';
  }
  /** The live the client is in, or null. */
  get liveId(): string | null {
    return this.#client?.liveId ?? null;
  }

  /** Register a store; hooks are called in registration order. */
  addSink(sink: LiveSink): void {
    this.#sinks.push(sink);
  }

  /** Replace the client: the old one is disconnected (its live exits with cause `closed`), then unsubscribed. */
  setClient(client: LiveClient | null): void {
    const old = this.#client;
    if (old === client) return;
    this.#client = null;
    if (old) old.disconnect();
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#client = client;
    if (!client) return;
    const each = (fn: (sink: LiveSink) => void) => {
      for (const sink of this.#sinks) {
        try {
          fn(sink);
        } catch (error) {
          this.logger.error?.('store failed to apply a client event', error);
        }
      }
    };
    this.#unsubscribe = [
      client.on('snapshot', ({ snapshot, cause }) => each((s) => s.liveSnapshot?.(snapshot, cause))),
      client.on('event', (event) => each((s) => s.liveEvent?.(event))),
      client.on('exit', (exit) => each((s) => s.liveExit?.(exit))),
      client.on('kickedOffline', ({ reason }) => each((s) => s.kickedOffline?.(reason))),
      client.on('authFailed', (error) => each((s) => s.authFailed?.(error))),
      client.on('state', ({ state, previous }) => {
        if (state === 'disconnected' && this.#client === client) each((s) => s.connectionLost?.());
        if (state === 'connected' && previous === 'reconnecting' && this.#client === client) each((s) => s.connectionResumed?.());
      }),
    ];
  }

  /** Send a request through the current client; rejects with NOT_LOGGED_IN before login. */
  request<T extends RequestType>(type: T, payload: RequestPayload<T>): Promise<RequestResult<T>> {
    const client = this.#client;
    if (!client) return Promise.reject(OnseatError.of('NOT_LOGGED_IN', 'Call login() first'));
    return client.request(type, payload);
  }
}
