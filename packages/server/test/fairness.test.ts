import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { FRAMES_PER_TURN, FrameQueue, HOLD_MS, MAX_QUEUED_FRAMES, REFUSALS_PER_SECOND } from '../src/transport/fairness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A real loopback WebSocket pair: the server's side (what a Session holds) and the client's. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const server = await accepted;
  await new Promise((resolve) => client.once('open', resolve));
  cleanup.push(async () => {
    client.terminate();
    server.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => http.close(resolve));
  });
  return { server, client };
}

describe('FrameQueue', () => {
  it(`runs at most ${FRAMES_PER_TURN} frames of one connection per turn of the event loop, in order`, async () => {
    const { server } = await pair();
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const perTurn = new Map<number, number>();
    const order: number[] = [];
    const q = new FrameQueue(
      server,
      (err) => {
        throw err;
      },
      () => {},
    );
    const done = new Promise<void>((resolve) => {
      for (let i = 0; i < 200; i++) {
        q.push(async () => {
          perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
          order.push(i);
          if (i === 199) resolve();
        });
      }
    });
    await done;
    ticking = false;
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(FRAMES_PER_TURN);
    expect(perTurn.size).toBeGreaterThanOrEqual(200 / FRAMES_PER_TURN);
  });

  it(`stops reading a socket with more than ${MAX_QUEUED_FRAMES} frames waiting and reads again once they are handled`, async () => {
    const { server } = await pair();
    const q = new FrameQueue(
      server,
      () => {},
      () => {},
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    q.push(() => gate);
    for (let i = 0; i < MAX_QUEUED_FRAMES + 1; i++) q.push(async () => {});
    expect(server.isPaused).toBe(true);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(q.length).toBe(0);
    expect(server.isPaused).toBe(false);
  });

  it('holds the next request while the reader is behind, runs it once the reader catches up, and cuts a reader that does not', async () => {
    const { server, client } = await pair();
    const socket = (client as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const chunk = Buffer.alloc(1024 * 1024, 'x').toString();
    // Fill the kernel buffers of both ends and then the server's own queue.
    while (server.bufferedAmount < 4 * 1024 * 1024) {
      server.send(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    let cut = 0;
    let ran = 0;
    const q = new FrameQueue(
      server,
      () => {},
      () => cut++,
      { highWater: 1024 * 1024, slowReaderMs: 300 },
    );
    q.push(async () => {
      ran++;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toBe(0);
    socket.resume();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([ran, cut]).toEqual([1, 0]);

    // Now a reader that stays behind: cut after slowReaderMs, its queued requests dropped. Filled further than the
    // first time: with 4 MiB a CI run saw the queue fall under its high-water mark while the reader was paused (the
    // kernel took more of it than the first time), and the held request ran.
    socket.pause();
    while (server.bufferedAmount < 16 * 1024 * 1024) {
      server.send(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    q.push(async () => {
      ran++;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect([ran, cut]).toEqual([1, 1]);
  });

  it(`stops reading a connection refused more than ${REFUSALS_PER_SECOND} times in a second, for ${HOLD_MS} ms`, async () => {
    const { server } = await pair();
    const q = new FrameQueue(
      server,
      () => {},
      () => {},
    );
    for (let i = 0; i < REFUSALS_PER_SECOND; i++) q.refused();
    expect(server.isPaused).toBe(false);
    q.refused();
    expect(server.isPaused).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS - 200));
    expect(server.isPaused).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.isPaused).toBe(false);
  });
});
