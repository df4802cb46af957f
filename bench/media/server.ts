/**
 * The SFU under test in its own process (for the fan-out phase): an onseat server in dev mode with the werift
 * media plane on 127.0.0.1. Tells the parent its URL and app over IPC and answers `cpu` with `process.cpuUsage()`.
 */
import { createServer, silentLogger } from '@onseat/server';

const server = createServer({ port: 0, logger: silentLogger, reconnectGraceMs: 1000 });
const { url } = await server.listen();
process.send?.({ type: 'ready', url, app: server.devApp });
process.on('message', (m: { type: string }) => {
  if (m.type === 'cpu') process.send?.({ type: 'cpu', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (m.type === 'close') void server.close().then(() => process.exit(0));
});
