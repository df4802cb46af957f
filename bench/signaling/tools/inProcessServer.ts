/**
 * For the diagnostics tools: an onseat server and its lives' client sockets in this one process (so a heap snapshot or
 * an allocation profile sees both; the tools tell them apart). The server runs without heartbeat (no pings in the
 * figures); `raised` lifts the per-user apply bucket and request budgets as the benchmark does for its closed loops.
 */
import { createServer, silentLogger, type OnseatServer, type ServerOptions } from '@onseat/server';
import { connectLives, type LiveConns } from '../client/onseatLoad.js';

export async function inProcessServer(a: {
  store: 'memory' | 'sqlite';
  dataDir?: string;
  lives: number;
  membersPerLive: number;
  raised?: boolean;
}): Promise<{ server: OnseatServer; lives: Map<string, LiveConns> }> {
  const options: ServerOptions = {
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger,
    store: a.store,
    heartbeatMs: 600_000,
    ...(a.dataDir !== undefined ? { dataDir: a.dataDir } : {}),
    // The benchmark's raised abuse guards (bench/signaling/run.ts SERVER_OPTIONS): a closed loop applies faster than a person.
    ...(a.raised ? { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 }, requestBudgetScale: 1_000_000 } : {}),
  };
  const server = createServer(options);
  const { port } = await server.listen();
  if (!server.devApp) throw new Error('dev mode expected');
  const lives = new Map<string, LiveConns>();
  const specs = Array.from({ length: a.lives }, (_, li) => ({
    liveId: `l${li}`,
    host: `h${li}`,
    audience: Array.from({ length: a.membersPerLive - 1 }, (_, j) => `a${li}_${j}`),
  }));
  const url = `ws://127.0.0.1:${port}/v1/signal`;
  await connectLives(lives, { url, sdkAppId: server.devApp.sdkAppId, secret: server.devApp.secret, specs, concurrency: 50 });
  return { server, lives };
}
