/**
 * Broadcast frames encoded once (transport/wireFrame.ts), written to real `ws` sockets on loopback and read by real
 * `ws` clients: every header size decodes, order with `ws.send` is kept (also when `ws` queues, with compression),
 * and the bytes count in `bufferedAmount`, which the slow-consumer rules read.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer, type ServerOptions } from 'ws';
import { broadcastFrame, encodeTextFrame, writeBroadcast, writePing } from '../src/transport/wireFrame.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A server socket and the client reading it; `received` collects the client's text messages in order. */
async function pair(options: ServerOptions = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, ...options });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', (ws) => r(ws)));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, {
    perMessageDeflate: options.perMessageDeflate !== undefined && options.perMessageDeflate !== false,
  });
  const received: string[] = [];
  client.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    received.push(data.toString());
  });
  await new Promise<void>((r) => client.once('open', () => r()));
  const ws = await serverSide;
  cleanups.push(async () => {
    client.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });
  const until = async (n: number): Promise<void> => {
    for (let i = 0; i < 500 && received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  };
  return { ws, client, received, until };
}

describe('broadcast frames encoded once', () => {
  it('uses the 7-bit, 16-bit and 64-bit length forms of RFC 6455', () => {
    expect([...encodeTextFrame(Buffer.from('hi'))]).toEqual([0x81, 2, 0x68, 0x69]);
    const mid = encodeTextFrame(Buffer.alloc(300, 0x61));
    expect([...mid.subarray(0, 4)]).toEqual([0x81, 126, 0x01, 0x2c]);
    expect(mid.length).toBe(304);
    const big = encodeTextFrame(Buffer.alloc(70_000, 0x61));
    expect([...big.subarray(0, 10)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70]);
    expect(big.length).toBe(70_010);
  });

  it('a client reads every size as the same text, in order with frames sent through ws.send', async () => {
    const { ws, received, until } = await pair();
    const texts = ['{"a":1}', 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(65_536), 'v'.repeat(200_000)];
    for (const [i, t] of texts.entries()) {
      writeBroadcast(ws, broadcastFrame(Buffer.from(t)));
      ws.send(`plain ${i}`);
    }
    await until(texts.length * 2);
    expect(received).toEqual(texts.flatMap((t, i) => [t, `plain ${i}`]));
  });

  it('goes through ws.send while ws queues a compressed frame, so it does not overtake it', async () => {
    const { ws, received, until } = await pair({ perMessageDeflate: { threshold: 0 } });
    ws.send('compressed first '.repeat(100));
    writeBroadcast(ws, broadcastFrame(Buffer.from('broadcast second')));
    ws.send('compressed third');
    await until(3);
    expect(received).toEqual(['compressed first '.repeat(100), 'broadcast second', 'compressed third']);
  });

  it('counts the bytes it writes in bufferedAmount while the peer does not read', async () => {
    const { ws, client, received, until } = await pair();
    (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const frame = broadcastFrame(Buffer.alloc(64 * 1024, 0x62));
    for (let i = 0; i < 200; i++) writeBroadcast(ws, frame);
    // 12.5 MiB: far more than loopback's kernel buffers hold, so most of it waits in the socket's stream.
    expect(ws.bufferedAmount).toBeGreaterThan(4 * 1024 * 1024);
    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    await until(200);
    expect(received.length).toBe(200);
    expect(ws.bufferedAmount).toBe(0);
  });

  it('the prebuilt heartbeat ping is a ping the client answers with a pong', async () => {
    const { ws, client } = await pair();
    const pinged = new Promise<Buffer>((r) => client.once('ping', (data: Buffer) => r(data)));
    const ponged = new Promise<void>((r) => ws.once('pong', () => r()));
    writePing(ws);
    expect((await pinged).length).toBe(0);
    await ponged;
  });

  it('writes nothing to a socket that is closing', async () => {
    const { ws, received } = await pair();
    ws.close(1000);
    writeBroadcast(ws, broadcastFrame(Buffer.from('too late')));
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([]);
  });
});
