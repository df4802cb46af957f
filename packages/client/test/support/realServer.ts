/**
 * A real onseat server on 127.0.0.1:0 (engine timers on a FakeClock) and logged-in users whose sockets a test can
 * cut or keep from reconnecting.
 */
import WebSocket from 'ws';
import { createServer, createUserSig, FakeClock, silentLogger, type OnseatServer } from '@onseat/server';
import { createOnseatClient, type AnyLiveEvent, type OnseatClient, type Store, type WebSocketConstructor } from '../../src/index.js';

export interface TestServer {
  server: OnseatServer;
  url: string;
  clock: FakeClock;
  sdkAppId: number;
  sig(userId: string, userName?: string): Promise<string>;
}

export interface TestUser {
  userId: string;
  onseat: OnseatClient;
  /** Every event the client applied, in order (type and seq). */
  applied: { type: string; seq: number }[];
  /** Cut the current socket abruptly (no close frame; the client sees 1006 and reconnects). */
  cut(): void;
  /** While blocked, reconnect attempts go to a closed port and fail. */
  block(on: boolean): void;
  /** How many sockets the client has opened. */
  socketCount(): number;
  /** Request frames sent, with the index of the socket that carried each. */
  sent: { socket: number; id: string; type: string }[];
}

const servers: OnseatServer[] = [];
const users: TestUser[] = [];

/** Start a server for this test (stopped by `cleanup`). */
export async function startServer(options: { reconnectGraceMs?: number } = {}): Promise<TestServer> {
  const clock = new FakeClock(Date.now());
  const server = createServer({
    port: 0,
    logger: silentLogger,
    clock,
    reconnectGraceMs: options.reconnectGraceMs ?? 20_000,
    rateLimit: { burst: 1000, perSecond: 1000 },
  });
  servers.push(server);
  const { url } = await server.listen();
  const app = server.devApp!;
  return {
    server,
    url,
    clock,
    sdkAppId: app.sdkAppId,
    sig: (userId, userName) => createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId, userName, now: new Date(clock.now()) }),
  };
}

/** A new OnseatClient logged in as `userId` (display name `<userId>-name`). */
export async function loginAs(ts: TestServer, userId: string): Promise<TestUser> {
  const sockets: WebSocket[] = [];
  const sent: TestUser['sent'] = [];
  let blocked = false;
  class Tracked extends WebSocket {
    constructor(url: string) {
      super(blocked ? 'ws://127.0.0.1:1/v1/signal' : url);
      sockets.push(this);
      this.on('error', () => undefined);
    }
    override send(data: string): void {
      const f = JSON.parse(data) as { id: string; type: string };
      sent.push({ socket: sockets.indexOf(this), id: f.id, type: f.type });
      super.send(data);
    }
  }
  const onseat = createOnseatClient({
    serverUrl: ts.url,
    WebSocket: Tracked as unknown as WebSocketConstructor,
    logger: {},
    pingIntervalMs: 0,
    requestTimeoutMs: 5000,
    reconnect: { initialDelayMs: 10, maxDelayMs: 40, maxElapsedMs: 15_000 },
  });
  await onseat.login.login({ sdkAppId: ts.sdkAppId, userId, userSig: await ts.sig(userId, `${userId}-name`) });
  const applied: { type: string; seq: number }[] = [];
  onseat.client!.on('event', (e: AnyLiveEvent) => applied.push({ type: e.type, seq: e.seq }));
  const user: TestUser = {
    userId,
    onseat,
    applied,
    cut: () => sockets[sockets.length - 1]?.terminate(),
    block: (on) => {
      blocked = on;
    },
    socketCount: () => sockets.length,
    sent,
  };
  users.push(user);
  return user;
}

/** Log everybody out and stop the servers. */
export async function cleanup(): Promise<void> {
  for (const u of users.splice(0)) u.onseat.client?.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

/** The payload of the next `name` event of `store`. */
export function nextEvent<S extends object, E extends object, K extends keyof E>(store: Store<S, E>, name: K, timeoutMs = 3000): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const cb = (p: E[K]) => {
      clearTimeout(t);
      store.unsubscribeEvent(name, cb);
      resolve(p);
    };
    const t = setTimeout(() => {
      store.unsubscribeEvent(name, cb);
      reject(new Error(`no ${String(name)} within ${timeoutMs} ms`));
    }, timeoutMs);
    store.subscribeEvent(name, cb);
  });
}

/** Resolve with the store's snapshot once `predicate` holds. */
export function waitFor<S>(
  store: { getSnapshot(): S; subscribe(l: (s: S) => void): () => void },
  predicate: (s: S) => boolean,
  what = 'state',
  timeoutMs = 3000,
): Promise<S> {
  if (predicate(store.getSnapshot())) return Promise.resolve(store.getSnapshot());
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(store.getSnapshot()).slice(0, 400)}`));
    }, timeoutMs);
    const off = store.subscribe((s) => {
      if (!predicate(s)) return;
      clearTimeout(t);
      off();
      resolve(s);
    });
  });
}

/** userIds of a list of users. */
export const ids = (list: readonly { userId: string }[]): string[] => list.map((u) => u.userId);
/** userId per seat ('' = empty). */
export const seatIds = (u: TestUser): string[] => u.onseat.liveSeat.getSnapshot().seatList.map((s) => s.userInfo.userId);
/** Round trip to the server: every event sent before the answer has been applied. */
export const barrier = async (u: TestUser): Promise<void> => {
  await u.onseat.client!.request('session.ping', {});
};

/** Resolve once the user's connection is in `state`. */
export function connectionIs(user: TestUser, state: string, timeoutMs = 5000): Promise<void> {
  const client = user.onseat.client!;
  if (client.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (off(), reject(new Error(`${user.userId} never ${state}`))), timeoutMs);
    const off = client.on('state', (s) => {
      if (s.state !== state) return;
      clearTimeout(t);
      off();
      resolve();
    });
  });
}

/** Poll `check` (for server-side facts that have no event) until it holds. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
