import { afterEach, describe, expect, it } from 'vitest';
import { createUserSig } from '../src/auth/userSig.js';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { WsClient } from './support/wsClient.js';

const servers: OnseatServer[] = [];
const clients: WsClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function hello(options: Parameters<typeof createServer>[0]) {
  const server = createServer({ port: 0, logger: silentLogger, media: 'none', ...options });
  servers.push(server);
  const { url } = await server.listen();
  const app = server.devApp!;
  const client = await WsClient.connect(url);
  clients.push(client);
  const res = await client.hello(
    app.sdkAppId,
    'alice',
    await createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId: 'alice', userName: 'Alice' }),
  );
  if (!res.ok) throw new Error(res.error.message);
  return res.payload as Record<string, unknown>;
}

describe('session.hello result', () => {
  it('tells the client the grace period and who it is', async () => {
    const r = await hello({ reconnectGraceMs: 7000 });
    expect(r).toMatchObject({ protocolVersion: 1, reconnectGraceMs: 7000, user: { userId: 'alice', userName: 'Alice', avatarUrl: '' } });
    expect(r['iceServers']).toBeUndefined();
  });

  it('hands the configured ICE (TURN) servers to clients', async () => {
    const iceServers = [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'p' }];
    const r = await hello({ mediaOptions: { iceServers } });
    expect(r['iceServers']).toEqual(iceServers);
  });
});
