/**
 * An in-memory stand-in for the server side of WebSockets, for unit tests of the client without a server:
 * every socket the client opens shows up here; the test answers requests (or lets auto-responders do it),
 * pushes events, and drops connections with any close code.
 */
import type { WebSocketConstructor, WebSocketLike } from '../../src/client/socket.js';

export interface ReqFrame {
  kind: 'req';
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

export type Reply = { ok: true; payload: unknown } | { ok: false; error: { code: number; name: string; message: string } };
/** Auto-responder: return a reply, or undefined to leave the request unanswered. */
export type Responder = (payload: Record<string, unknown>, frame: ReqFrame, socket: FakeSocket) => Reply | undefined;

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: ReqFrame[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(
    readonly url: string,
    private readonly net: FakeNetwork,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    const frame = JSON.parse(data) as ReqFrame;
    this.sent.push(frame);
    this.net.received(this, frame);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return;
    this.closedWith = { code, reason };
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? '' }), 0);
  }

  /** Server side: accept the connection. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Server side: send a frame. */
  push(frame: unknown): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** Server side: answer a request. */
  reply(frame: ReqFrame, reply: Reply): void {
    this.push({ kind: 'res', id: frame.id, ...reply });
  }

  /** Server side: close (or cut) the connection with `code`. */
  drop(code = 1006, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

export class FakeNetwork {
  readonly sockets: FakeSocket[] = [];
  readonly responders = new Map<string, Responder>();
  /** Accept new sockets automatically (else: call `socket.accept()`). */
  autoAccept = true;
  /** Refuse new sockets (they close with 1006 right away). */
  refuse = false;
  readonly #waiters: { match: (s: FakeSocket, f: ReqFrame) => boolean; resolve: (v: [FakeSocket, ReqFrame]) => void }[] = [];
  readonly #backlog: [FakeSocket, ReqFrame][] = [];
  readonly WebSocket: WebSocketConstructor;
  readonly socketWaiters: ((s: FakeSocket) => void)[] = [];

  /** Resolve with the next socket the client opens. */
  nextSocket(timeoutMs = 2000): Promise<FakeSocket> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no new socket')), timeoutMs);
      this.socketWaiters.push((s) => (clearTimeout(t), resolve(s)));
    });
  }

  constructor(user: { userName?: string } = {}) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const net = this;
    this.WebSocket = class extends FakeSocket {
      constructor(url: string) {
        super(url, net);
        net.sockets.push(this);
        for (const w of net.socketWaiters.splice(0)) w(this);
        setTimeout(() => {
          if (net.refuse) this.drop(1006, 'refused');
          else if (net.autoAccept) this.accept();
        }, 0);
      }
    };
    this.responders.set('session.hello', (p) =>
      ok({
        protocolVersion: 1,
        serverTime: Date.now(),
        user: { userId: p.userId, userName: user.userName ?? String(p.userId), avatarUrl: '' },
        reconnectGraceMs: 20000,
      }),
    );
    this.responders.set('session.ping', () => ok({ serverTime: Date.now() }));
  }

  /** The newest socket. */
  get last(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  }

  received(socket: FakeSocket, frame: ReqFrame): void {
    const responder = this.responders.get(frame.type);
    const reply = responder?.(frame.payload ?? {}, frame, socket);
    if (reply) {
      setTimeout(() => socket.reply(frame, reply), 0);
      return;
    }
    const i = this.#waiters.findIndex((w) => w.match(socket, frame));
    if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve([socket, frame]);
    else this.#backlog.push([socket, frame]);
  }

  /** Await the next unanswered request of `type` (also one that already arrived and was not taken). */
  next(type: string, timeoutMs = 2000): Promise<[FakeSocket, ReqFrame]> {
    const match = (_s: FakeSocket, f: ReqFrame) => f.type === type;
    const i = this.#backlog.findIndex(([s, f]) => match(s, f));
    if (i >= 0) return Promise.resolve(this.#backlog.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (v: [FakeSocket, ReqFrame]) => (clearTimeout(t), resolve(v)) };
      const t = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no ${type} request within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Every frame of `type` sent on any socket so far. */
  sentOf(type: string): ReqFrame[] {
    return this.sockets.flatMap((s) => s.sent.filter((f) => f.type === type));
  }
}

export const ok = (payload: unknown): Reply => ({ ok: true, payload });
export const fail = (code: number, name: string, message = name): Reply => ({ ok: false, error: { code, name, message } });

/** An event frame. */
export const evt = (type: string, liveId: string, seq: number, payload: unknown) => ({ kind: 'evt', type, liveId, seq, payload });

/** Resolve when `predicate` holds after one of `subscribe`'s notifications (or right away). */
export function until<T>(
  subscribe: (cb: () => void) => () => void,
  predicate: () => T | undefined | false,
  timeoutMs = 2000,
  what = 'condition',
): Promise<T> {
  const now = predicate();
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = subscribe(() => {
      const v = predicate();
      if (v) {
        clearTimeout(t);
        off();
        resolve(v);
      }
    });
  });
}
