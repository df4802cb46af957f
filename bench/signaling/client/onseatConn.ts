/**
 * A lean onseat protocol client for load generation: one WebSocket, numbered requests, optional event
 * callbacks. It parses a frame only when someone needs it (responses always; events only when a callback
 * or waiter is set), so thousands of idle sockets in one process cost little CPU.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@onseat/protocol';

/** A decoded response frame. */
export interface Res {
  kind: 'res';
  id: string;
  ok: boolean;
  payload?: Record<string, unknown>;
  error?: { code: number; name: string; message: string };
}

/** A decoded event frame. */
export interface Evt {
  kind: 'evt';
  type: string;
  liveId: string;
  seq: number;
  payload: Record<string, unknown>;
}

const RES_MARK = Buffer.from('"kind":"res"');
/** A request without a reply for this long resolves as TIMEOUT (the server's own command deadlines are far shorter). */
const REQUEST_TIMEOUT_MS = 30_000;

const failed = (id: string, code: number, name: string, message: string): Res => ({ kind: 'res', id, ok: false, error: { code, name, message } });
/** Unique request-id prefix per process (ids must not repeat for a user within the server's idempotency TTL). */
const ID_PREFIX = `${process.pid.toString(36)}${Date.now().toString(36)}-`;

export class OnseatConn {
  readonly ws: WebSocket;
  readonly userId: string;
  /** Called for every frame before anything else, with its arrival time (performance.now()); return true to consume it. */
  rawHook: ((data: Buffer, t: number) => boolean) | undefined;
  /** Called for every event frame (parsed), with its arrival time. */
  onEvent: ((evt: Evt, t: number) => void) | undefined;
  /** Why the socket closed (its close code and reason, and an error before it), once it has. */
  closeInfo: string | undefined;
  #n = 0;
  #pending = new Map<string, (r: Res) => void>();
  #closed: Promise<void>;

  private constructor(ws: WebSocket, userId: string) {
    this.ws = ws;
    this.userId = userId;
    this.#closed = new Promise((r) => ws.once('close', () => r()));
    ws.on('message', (data: Buffer) => this.#onMessage(data));
    ws.on('error', (err) => (this.closeInfo = `error ${err.message}`));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeInfo = `${this.closeInfo ? `${this.closeInfo}; ` : ''}close ${code} ${reason.toString()}`;
      for (const fn of this.#pending.values()) fn(failed('', -1302, 'DISCONNECTED', 'closed'));
      this.#pending.clear();
    });
  }

  /** Open a socket to `url` (ws://127.0.0.1:port/v1/signal). */
  static open(url: string, userId: string): Promise<OnseatConn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(new OnseatConn(ws, userId)));
      ws.once('error', reject);
    });
  }

  #onMessage(data: Buffer): void {
    const t = performance.now();
    if (this.rawHook?.(data, t)) return;
    const isRes = data.indexOf(RES_MARK) !== -1;
    if (!isRes && !this.onEvent) return;
    const frame = JSON.parse(data.toString()) as Res | Evt;
    if (frame.kind === 'res') {
      const fn = this.#pending.get(frame.id);
      if (fn) {
        this.#pending.delete(frame.id);
        fn(frame);
      }
    } else if (frame.kind === 'evt') {
      this.onEvent?.(frame, t);
    }
  }

  /**
   * Send a request; resolves with its response frame. Never rejects: a socket that is (or gets) closed gives
   * DISCONNECTED, no reply within `timeoutMs` gives TIMEOUT (both counted as errors by the phases).
   */
  request(type: string, payload: object = {}, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Res> {
    const id = ID_PREFIX + (++this.#n).toString(36);
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(failed(id, -1302, 'DISCONNECTED', 'socket not open'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(failed(id, -1, 'TIMEOUT', `no reply to ${type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.ws.send(JSON.stringify({ kind: 'req', id, type, payload }));
    });
  }

  /** Like `request` but throws on an error reply. */
  async must(type: string, payload: object = {}): Promise<Record<string, unknown>> {
    const r = await this.request(type, payload);
    if (!r.ok) throw new Error(`${this.userId} ${type}: ${r.error?.name} ${r.error?.message}`);
    return r.payload ?? {};
  }

  hello(sdkAppId: number, userSig: string): Promise<Record<string, unknown>> {
    return this.must('session.hello', { protocolVersion: PROTOCOL_VERSION, sdkAppId, userId: this.userId, userSig });
  }

  /** Close and wait for the socket to be gone. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 2000);
    await this.#closed;
    clearTimeout(t);
  }
}
