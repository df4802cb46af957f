/**
 * Test support: a real onseat server on 127.0.0.1:0, users logged in through isolated `createOnseat()` instances
 * (Node has no global WebSocket, so `ws` is passed in), and an event-driven wait on Vue refs.
 */
import { createServer, createUserSig, silentLogger, type AppCredentials, type OnseatServer } from '@onseat/server';
import { watch, type WatchSource } from 'vue';
import { WebSocket } from 'ws';
import { createOnseat, type Onseat, type OnseatOptions } from '../../src/index.js';

/** A running server and what tests need to log users in. */
export interface TestServer {
  url: string;
  app: AppCredentials;
  server: OnseatServer;
  /** A userSig for `userId` (display name = userId unless given). */
  sig(userId: string, userName?: string): Promise<string>;
  close(): Promise<void>;
}

/** Start a server on a free port (dev mode: one app with a random secret). */
export async function startServer(): Promise<TestServer> {
  const server = createServer({ port: 0, logger: silentLogger, reconnectGraceMs: 2000 });
  const { url } = await server.listen();
  const app = server.devApp;
  if (!app) throw new Error('dev server without devApp');
  return {
    url,
    app,
    server,
    sig: (userId, userName) => createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId, userName: userName ?? userId }),
    close: () => server.close(),
  };
}

/** Options of an isolated test instance: the server URL and `ws`, silent logging. */
export function instanceOptions(ts: TestServer, extra: OnseatOptions = {}): OnseatOptions {
  return {
    serverUrl: ts.url,
    WebSocket: WebSocket as unknown as NonNullable<OnseatOptions['WebSocket']>,
    logger: {},
    reconnect: { initialDelayMs: 50, maxDelayMs: 200, maxElapsedMs: 2000 },
    ...extra,
  };
}

/** A new isolated instance logged in as `userId`. */
export async function loggedIn(ts: TestServer, userId: string): Promise<Onseat> {
  const onseat = createOnseat(instanceOptions(ts));
  await onseat.useLoginState().login({ sdkAppId: ts.app.sdkAppId, userId, userSig: await ts.sig(userId) });
  return onseat;
}

/** Log every instance out (ignoring failures), so no socket outlives the test. */
export async function logoutAll(instances: readonly Onseat[]): Promise<void> {
  await Promise.all(
    instances.map((o) =>
      o
        .useLoginState()
        .logout()
        .catch(() => undefined),
    ),
  );
}

/**
 * Resolve with the source's value once `predicate` holds (checked now and on every change); reject after
 * `timeoutMs` with `what` in the message. Event-driven (a Vue watcher), no polling.
 */
export function until<T>(source: WatchSource<T>, predicate: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const stop = watch(
      source,
      (value) => {
        if (done || !predicate(value)) return;
        done = true;
        clearTimeout(timer);
        // With `immediate` this can run inside watch(), before `stop` is assigned.
        queueMicrotask(() => stop());
        resolve(value);
      },
      { immediate: true, flush: 'sync', deep: false },
    );
    if (done) stop();
  });
}

/** Resolve with the payload of the next call of a `subscribeEvent`-style registration; reject after `timeoutMs`. */
export function nextEvent<P>(
  subscribe: (cb: (payload: P) => void) => void,
  unsubscribe: (cb: (payload: P) => void) => void,
  what: string,
  timeoutMs = 5000,
): Promise<P> {
  return new Promise<P>((resolve, reject) => {
    const cb = (payload: P) => {
      clearTimeout(timer);
      unsubscribe(cb);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      unsubscribe(cb);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    subscribe(cb);
  });
}
