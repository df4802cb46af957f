/**
 * A small promise-based WebSocket test client for the onseat signalling protocol.
 *
 * Every frame the server sends is logged in `frames` and kept in an unconsumed buffer; `next()` (and the helpers
 * built on it: `request`, `nextEvent`) take the first buffered frame that matches, or wait for one with a timeout.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  SIGNAL_PATH,
  type EventPayload,
  type EventType,
  type RequestPayload,
  type RequestResult,
  type RequestType,
  type WireError,
} from '@onseat/protocol';

export type ResFrame = { kind: 'res'; id: string; ok: true; payload: unknown } | { kind: 'res'; id: string; ok: false; error: WireError };
export interface EvtFrame<P = unknown> {
  kind: 'evt';
  type: string;
  liveId: string;
  seq: number;
  payload: P;
}
export type AnyFrame = ResFrame | EvtFrame;

export interface ConnectOptions {
  /** `Origin` header to send (none by default, like a non-browser client). */
  origin?: string;
  /** Answer server pings (default true). `false` simulates a dead peer. */
  autoPong?: boolean;
  /** Milliseconds to wait for the socket to open. Default 3000. */
  timeoutMs?: number;
}

/** The request failed; `error` is the server's error object. */
export class RequestError extends Error {
  constructor(
    readonly type: string,
    readonly error: WireError,
  ) {
    super(`${type} failed: ${error.name} (${error.code}) ${error.message}`);
  }
}

/** Thrown by `connect` when the server answers the upgrade with an HTTP status instead. */
export class UpgradeRejected extends Error {
  constructor(readonly status: number) {
    super(`WebSocket upgrade rejected with HTTP ${status}`);
  }
}

interface Waiter {
  match: (f: AnyFrame) => boolean;
  resolve: (f: AnyFrame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** `http://host:port` or `ws://host:port/...` → the signalling WebSocket URL. */
export function signalUrl(base: string): string {
  if (base.startsWith('ws://') || base.startsWith('wss://')) return base;
  return `${base.replace(/^http/, 'ws').replace(/\/$/, '')}${SIGNAL_PATH}`;
}

export class WsClient {
  /** Every frame received, in order (never consumed). */
  readonly frames: AnyFrame[] = [];
  readonly #buffer: AnyFrame[] = [];
  readonly #waiters: Waiter[] = [];
  #nextId = 0;
  /** Request ids are idempotency keys per user across reconnects, so every client instance uses its own prefix. */
  readonly #idPrefix = randomBytes(6).toString('base64url');
  readonly #closed: Promise<{ code: number; reason: string }>;
  #closeInfo: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      // binaryType is the default 'nodebuffer', so a text message arrives as one Buffer
      if (isBinary || !Buffer.isBuffer(data)) return;
      let frame: AnyFrame;
      try {
        frame = JSON.parse(data.toString('utf8')) as AnyFrame;
      } catch {
        return;
      }
      this.frames.push(frame);
      const i = this.#waiters.findIndex((w) => w.match(frame));
      const w = i >= 0 ? this.#waiters.splice(i, 1)[0] : undefined;
      if (w) {
        clearTimeout(w.timer);
        w.resolve(frame);
      } else this.#buffer.push(frame);
    });
    ws.on('error', () => {});
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.#closeInfo = { code, reason: reason.toString() };
        for (const w of this.#waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(new Error(`socket closed (${code} ${reason.toString()}) while waiting`));
        }
        resolve(this.#closeInfo);
      });
    });
  }

  /** Open a socket to `base` (an http:// server URL or a ws:// URL). */
  static connect(base: string, opts: ConnectOptions = {}): Promise<WsClient> {
    const ws = new WebSocket(signalUrl(base), {
      ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
      autoPong: opts.autoPong ?? true,
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('WebSocket did not open in time'));
      }, opts.timeoutMs ?? 3000);
      const client = new WsClient(ws);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        res.resume();
        ws.terminate();
        reject(new UpgradeRejected(res.statusCode ?? 0));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Whether the socket has closed. */
  get isClosed(): boolean {
    return this.#closeInfo !== undefined;
  }

  /** Resolves with the close code and reason once the socket is closed. */
  waitClose(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket did not close within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.#closed, timeout]).finally(() => clearTimeout(timer));
  }

  /** Send raw data (a string as text, a Buffer as binary unless `binary: false`). */
  sendRaw(data: string | Buffer, binary = typeof data !== 'string'): void {
    this.ws.send(data, { binary });
  }

  /** The first received-and-unconsumed frame matching `match`, or the next one to arrive; consumes it. */
  next(match: (f: AnyFrame) => boolean, timeoutMs = 3000, what = 'frame'): Promise<AnyFrame> {
    const i = this.#buffer.findIndex(match);
    if (i >= 0) return Promise.resolve(this.#buffer.splice(i, 1)[0] as AnyFrame);
    if (this.#closeInfo) return Promise.reject(new Error(`socket closed (${this.#closeInfo.code}) before ${what}`));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          const seen = this.frames.slice(-5).map((f) => (f.kind === 'evt' ? f.type : `res:${f.id}`));
          reject(new Error(`no ${what} within ${timeoutMs} ms (last frames: ${seen.join(', ') || 'none'})`));
        }, timeoutMs),
      };
      this.#waiters.push(w);
    });
  }

  /** The response with this id. */
  nextResponse(id: string, timeoutMs = 3000): Promise<ResFrame> {
    return this.next((f) => f.kind === 'res' && f.id === id, timeoutMs, `response "${id}"`) as Promise<ResFrame>;
  }

  /** Send a request frame (type and payload unchecked, so tests can send bad ones) and await its response. */
  request(type: string, payload?: unknown, opts: { id?: string; timeoutMs?: number } = {}): Promise<ResFrame> {
    const id = opts.id ?? `${this.#idPrefix}-${++this.#nextId}`;
    const reply = this.nextResponse(id, opts.timeoutMs);
    this.ws.send(JSON.stringify({ kind: 'req', id, type, payload }));
    return reply;
  }

  /** A typed request that resolves with the result payload or throws `RequestError`. */
  async call<T extends RequestType>(type: T, payload: RequestPayload<T>, opts: { id?: string } = {}): Promise<RequestResult<T>> {
    const res = await this.request(type, payload, opts);
    if (!res.ok) throw new RequestError(type, res.error);
    return res.payload as RequestResult<T>;
  }

  /** Send `session.hello` and return its response (not thrown on failure). */
  hello(sdkAppId: number, userId: string, userSig: string, protocolVersion = PROTOCOL_VERSION): Promise<ResFrame> {
    return this.request('session.hello', { protocolVersion, sdkAppId, userId, userSig });
  }

  /** The next event of `type` (optionally matching `predicate`); buffered events are searched first. */
  async nextEvent<T extends EventType>(
    type: T,
    predicate?: (payload: EventPayload<T>, frame: EvtFrame<EventPayload<T>>) => boolean,
    timeoutMs = 3000,
  ): Promise<EvtFrame<EventPayload<T>>> {
    const f = await this.next(
      (x) => x.kind === 'evt' && x.type === type && (!predicate || predicate(x.payload as EventPayload<T>, x as EvtFrame<EventPayload<T>>)),
      timeoutMs,
      `event ${type}`,
    );
    return f as EvtFrame<EventPayload<T>>;
  }

  /** Events received so far (never consumed), optionally of one type. */
  events(type?: string): EvtFrame[] {
    return this.frames.filter((f): f is EvtFrame => f.kind === 'evt' && (type === undefined || f.type === type));
  }

  /** Drop every buffered, unconsumed frame (the `frames` log is kept). */
  clearBuffer(): void {
    this.#buffer.length = 0;
  }

  /** Close the socket (normal closure) and wait until it is closed. */
  async close(): Promise<void> {
    if (this.#closeInfo) return;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    try {
      await this.waitClose(2000);
    } catch {
      this.ws.terminate();
      await this.#closed;
    }
  }
}

/** An app's credentials, as `server.devApp` or a configured app. */
export interface TestApp {
  sdkAppId: number;
  secret: string;
}

/**
 * Connect and log in as `userId` of `app` (a fresh userSig is signed for it); throws if the hello fails.
 * `now` signs the token at that time (use the server's clock when it is a FakeClock).
 */
export async function connectAs(
  base: string,
  app: TestApp,
  userId: string,
  opts: ConnectOptions & { userName?: string; now?: Date } = {},
): Promise<WsClient> {
  const { createUserSig } = await import('../../src/auth/userSig.js');
  const sig = await createUserSig({
    sdkAppId: app.sdkAppId,
    secret: app.secret,
    userId,
    ...(opts.userName !== undefined ? { userName: opts.userName } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
  });
  const client = await WsClient.connect(base, opts);
  const res = await client.hello(app.sdkAppId, userId, sig);
  if (!res.ok) {
    await client.close();
    throw new RequestError('session.hello', res.error);
  }
  return client;
}
