/**
 * The client SDK with several server URLs: its node goes away, it reconnects to the next URL in turn, and resumes the
 * live there (now served by another node).
 */
import { createOnseatClient, LoginStatus, TUISeatMode, type OnseatClient, type WebSocketConstructor } from '@onseat/client';
import { createUserSig } from '@onseat/server';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APP, startNodes, type TestNode } from './support/cluster.js';
import { TestRedis } from './support/redisServer.js';

let redis: TestRedis;
let nodes: TestNode[] = [];
const clients: OnseatClient[] = [];
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(async () => {
  for (const c of clients) await c.login.logout().catch(() => undefined);
  await Promise.all(nodes.map((n) => n.server.close()));
  await redis.stop();
});

async function login(userId: string, serverUrl: string[]): Promise<OnseatClient> {
  const onseat = createOnseatClient({
    serverUrl,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    logger: {},
    pingIntervalMs: 0,
    requestTimeoutMs: 8000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200, maxElapsedMs: 15_000 },
  });
  const userSig = await createUserSig({ sdkAppId: APP.sdkAppId, secret: APP.secret, userId });
  await onseat.login.login({ sdkAppId: APP.sdkAppId, userId, userSig });
  clients.push(onseat);
  return onseat;
}

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('serverUrl lists two nodes: the host’s node stops, the SDK reconnects to the other one and the live carries on', async () => {
  nodes = await startNodes(redis, 2);
  const [a, b] = nodes as [TestNode, TestNode];
  const host = await login('host', [a.url, b.url]);
  await host.liveList.startLive({ liveId: 'sdk', seatMode: TUISeatMode.kApplyToTake, maxSeatCount: 3 });
  const viewer = await login('viewer', [b.url, a.url]);
  await viewer.liveList.joinLive({ liveId: 'sdk' });
  await until(() => host.liveAudience.getSnapshot().audienceCount === 1, 'the host to count the viewer');

  const stoppedAt = Date.now();
  await a.server.close(); // its sockets are closed; its leases are handed back at once
  await until(() => host.client?.state === 'reconnecting', 'the host to notice', 3000);
  await until(() => host.client?.state === 'connected', 'the host to reconnect to the other node');
  const resumedMs = Date.now() - stoppedAt;
  expect(resumedMs).toBeLessThan(3000);
  expect(host.login.getSnapshot().loginStatus).toBe(LoginStatus.LOGINED);
  expect(host.liveList.getSnapshot().currentLive?.liveId).toBe('sdk');

  // the live goes on, served by B now: the host renames it and the viewer (on B all along) sees it
  await host.liveList.updateLiveInfo({ liveName: 'after the move' });
  await until(() => viewer.liveList.getSnapshot().currentLive?.liveName === 'after the move', 'the viewer to see the rename');
});
