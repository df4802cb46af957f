/** Stores wired to a FakeNetwork, for unit tests of the store logic. */
import type { LiveSnapshot } from '@onseat/protocol';
import { createOnseatClient, type OnseatClient } from '../../src/index.js';
import { FakeNetwork, ok } from './fakeNetwork.js';
import { audience, snapshot } from './wire.js';

export interface Harness {
  net: FakeNetwork;
  onseat: OnseatClient;
}

/** A network with default answers for the requests the stores send on their own. */
export function network(): FakeNetwork {
  const net = new FakeNetwork();
  net.responders.set('audience.list', () => ok({ audience: [audience('host', 0), audience('bob')], cursor: '', total: 2 }));
  return net;
}

/** Logged in as `userId` on `net`. */
export async function loggedIn(net: FakeNetwork, userId: string): Promise<Harness> {
  const onseat = createOnseatClient({
    serverUrl: 'ws://127.0.0.1:1',
    WebSocket: net.WebSocket,
    logger: {},
    pingIntervalMs: 0,
    requestTimeoutMs: 1000,
    reconnect: { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2000 },
  });
  await onseat.login.login({ sdkAppId: 1, userId, userSig: 's' });
  return { net, onseat };
}

/** Logged in and inside live L1 (joined with `snap`, default: owner 'host', seq 10, 4 seats). */
export async function inLive(userId: string, role: 0 | 1 | 2 = 2, snap?: LiveSnapshot): Promise<Harness> {
  const net = network();
  const h = await loggedIn(net, userId);
  const s = snap ?? snapshot('L1', 'host', { userId, role });
  net.responders.set('live.join', () => ok({ snapshot: s }));
  await h.onseat.liveList.joinLive({ liveId: 'L1' });
  net.responders.delete('live.join');
  return h;
}

/** Record named events of a store. */
export function recorder<S extends { subscribeEvent(name: never, cb: (p: never) => void): void }>(store: S, names: string[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const name of names) {
    (store.subscribeEvent as unknown as (n: string, cb: (p: unknown) => void) => void).call(store, name, (p: unknown) => out.push([name, p]));
  }
  return out;
}

let seq = 100;
/** Next event seq (strictly increasing across a test file). */
export const nextSeq = (): number => ++seq;
