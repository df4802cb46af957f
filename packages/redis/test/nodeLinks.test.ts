/**
 * NodeLinks on real loopback sockets (no Redis: where a node listens is given directly): a link opens on first use
 * and carries frames in order; every way of failing to open or keep one (no answer, wrong secret, a peer that stops
 * reading) ends with the link down, the sender told to use Redis, and a new attempt only after the retry delay.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, linkProof } from '../src/cluster/linkFrames.js';
import { MAX_LINK_BACKLOG, NodeLinks, type NodeLinksOptions } from '../src/cluster/NodeLinks.js';
import { until } from '../../server/test/support/until.js';

const secret = randomBytes(32);
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((x) => x.close()));
});

function links(nodeId: string, o: Partial<NodeLinksOptions> = {}): NodeLinks & { got: string[]; lost: string[][] } {
  const got: string[] = [];
  const lost: string[][] = [];
  const l = new NodeLinks({
    nodeId,
    secret,
    addressOf: async () => null,
    onMessage: (from, raw) => got.push(`${from}:${raw}`),
    onLost: (_node, replay) => lost.push(replay),
    log: () => undefined,
    ...o,
  });
  opened.push(l);
  return Object.assign(l, { got, lost });
}

async function rawServer(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  opened.push({
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  });
  return { server, port: (server.address() as { port: number }).port };
}

describe('link frames', () => {
  it('are read back whole and in order however the stream is cut', () => {
    const texts = ['{"t":"cmd"}', '', 'é€😀'.repeat(100), 'x'.repeat(70_000)];
    const bytes = Buffer.concat(texts.map(encodeFrame));
    const readBack = (b: Buffer, step: number) => {
      const out: string[] = [];
      const r = new FrameReader();
      for (let i = 0; i < b.length; i += step) r.push(b.subarray(i, i + step), (t) => out.push(t));
      return out;
    };
    for (const step of [7, 1000, 65_536, bytes.length]) expect(readBack(bytes, step)).toEqual(texts);
    // byte by byte, the small ones
    expect(readBack(Buffer.concat(texts.slice(0, 3).map(encodeFrame)), 1)).toEqual(texts.slice(0, 3));
  });
});

describe('NodeLinks', () => {
  it('opens a link on first use (that message goes another way), then carries frames in order', async () => {
    const b = links('B');
    const address = await b.listen('127.0.0.1', 0);
    const a = links('A', { addressOf: async (n) => (n === 'B' ? address : null) });
    expect(a.trySend('B', 'first')).toBe(false);
    await until(() => a.isUp('B'), 3_000, 'the link', 10);
    for (let i = 0; i < 100; i++) expect(a.trySend('B', `m${i}`)).toBe(true);
    await until(() => b.got.length === 100, 3_000, '100 frames', 10);
    expect(b.got).toEqual(Array.from({ length: 100 }, (_, i) => `A:m${i}`));
    expect(a.trySend('A', 'to myself')).toBe(false);
    expect(a.stats).toMatchObject({ opened: 1, sent: 100, failed: 0 });
    expect(b.stats).toMatchObject({ received: 100, refused: 0 });
  });

  it('a listener that never answers: the handshake times out, Redis is used, and it is tried again after the retry delay', async () => {
    const { port } = await rawServer(() => undefined);
    let asked = 0;
    const a = links('A', {
      addressOf: async () => {
        asked++;
        return `127.0.0.1 ${port}`;
      },
      handshakeTimeoutMs: 150,
      retryAfterMs: 400,
    });
    expect(a.trySend('B', 'x')).toBe(false);
    await until(() => a.stats.failed === 1, 3_000, 'the failed attempt', 10);
    expect(a.trySend('B', 'y')).toBe(false); // within the retry delay: no new attempt
    expect(asked).toBe(1);
    await new Promise((r) => setTimeout(r, 450));
    expect(a.trySend('B', 'z')).toBe(false); // a new attempt starts
    await until(() => a.stats.failed === 2, 3_000, 'the second failed attempt', 10);
    expect(asked).toBe(2);
  });

  it('a node that announces garbage as its address: the link fails, the node goes on', async () => {
    for (const address of ['127.0.0.1 notaport', '127.0.0.1 70000', ' 5000', 'nospace']) {
      const a = links('A', { addressOf: async () => address });
      expect(a.trySend('B', 'x')).toBe(false);
      await until(() => a.stats.failed === 1, 3_000, `the failure for "${address}"`, 10);
    }
  });

  it('a node that announces no link (links off there): Redis every time, the failure logged once', async () => {
    const logged: string[] = [];
    const a = links('A', { addressOf: async () => '1', retryAfterMs: 50, log: (_o, msg) => logged.push(msg) });
    for (let i = 1; i <= 3; i++) {
      expect(a.trySend('B', 'x')).toBe(false);
      await until(() => a.stats.failed === i, 3_000, `attempt ${i}`, 10);
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(logged).toEqual(['node link could not be opened: using Redis']);
  });

  it('sides with different secrets: neither accepts the other', async () => {
    const b = new NodeLinks({
      nodeId: 'B',
      secret: randomBytes(32),
      addressOf: async () => null,
      onMessage: () => undefined,
      onLost: () => undefined,
      log: () => undefined,
    });
    opened.push(b);
    const address = await b.listen('127.0.0.1', 0);
    const a = links('A', { addressOf: async () => address });
    a.trySend('B', 'x');
    await until(() => a.stats.failed === 1, 3_000, 'the failed attempt', 10);
    expect(a.isUp('B')).toBe(false);
    expect(b.stats.received).toBe(0);
  });

  it('a peer that stops reading: past MAX_LINK_BACKLOG unsent bytes the link is given up and what was sent recently is handed back', async () => {
    // a listener that completes the handshake properly and then never reads again
    const { port } = await rawServer((s) => {
      const reader = new FrameReader();
      s.on('data', (chunk) =>
        reader.push(chunk, (text) => {
          const hello = JSON.parse(text) as { from: string; to: string; nonce: string };
          if (!hello.nonce) return;
          s.write(encodeFrame(JSON.stringify({ node: 'B', nonce: 'n', proof: linkProof(secret, 'server', hello.nonce, hello.from, 'B') })));
          s.pause();
        }),
      );
      s.on('error', () => undefined);
    });
    const a = links('A', { addressOf: async () => `127.0.0.1 ${port}` });
    a.trySend('B', 'open');
    await until(() => a.isUp('B'), 3_000, 'the link', 10);
    expect(a.trySend('B', 'detach-1', true)).toBe(true);
    const big = 'x'.repeat(256 * 1024);
    let sent = 0;
    while (a.trySend('B', big)) if (++sent > (4 * MAX_LINK_BACKLOG) / big.length) break;
    expect(sent).toBeGreaterThanOrEqual(MAX_LINK_BACKLOG / big.length);
    expect(sent).toBeLessThan((4 * MAX_LINK_BACKLOG) / big.length);
    expect(a.isUp('B')).toBe(false);
    await until(() => a.lost.length === 1, 3_000, 'the hand-back', 10);
    expect(a.lost[0]).toEqual(['detach-1']);
  });
});
