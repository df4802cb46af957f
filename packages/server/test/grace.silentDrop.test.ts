import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { connectAs, type WsClient } from './support/wsClient.js';

const GRACE_MS = 10_000;

/**
 * A TCP proxy in front of the server that can go silent: from `freeze()` on it forwards nothing in either direction
 * and closes nothing, like a network path that died (no FIN, no RST).
 */
async function silentProxy(target: number): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((down) => {
    const up = net.connect(target, '127.0.0.1');
    sockets.add(down).add(up);
    down.on('data', (d) => frozen || up.write(d));
    up.on('data', (d) => frozen || down.write(d));
    const end = (): void => {
      if (frozen) return;
      down.destroy();
      up.destroy();
    };
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('honest grace after a silent drop', { timeout: 40_000 }, () => {
  it(`releases the seat of a guest whose network silently died ${GRACE_MS / 1000} s (± 2 s) after its last frame`, async () => {
    const server: OnseatServer = createServer({ port: 0, logger: silentLogger, media: 'none', reconnectGraceMs: GRACE_MS });
    const { url, port } = await server.listen();
    cleanup.push(() => server.close());
    const proxy = await silentProxy(port);
    cleanup.push(() => proxy.close());
    const app = server.devApp!;
    const clients: WsClient[] = [];
    cleanup.push(async () => {
      for (const c of clients) c.ws.terminate();
    });
    const host = await connectAs(url, app, 'host');
    const guest = await connectAs(`http://127.0.0.1:${proxy.port}`, app, 'guest');
    clients.push(host, guest);
    await host.call('live.start', { liveId: 'drop', seatMode: 1 });
    await guest.call('live.join', { liveId: 'drop' });
    await guest.call('seat.take', { seatIndex: 1 });

    proxy.freeze();
    const frozenAt = performance.now();
    const released = await host.nextEvent<'seat.listChanged'>(
      'seat.listChanged',
      (p) => !p.seats.some((s) => s.userInfo?.userId === 'guest'),
      GRACE_MS + 10_000,
    );
    const after = performance.now() - frozenAt;
    expect(released).toBeDefined();
    expect(after).toBeGreaterThan(GRACE_MS - 2000);
    expect(after).toBeLessThan(GRACE_MS + 2000);
    expect(host.isClosed).toBe(false);
  });
});
