/**
 * Direct node links: what a node sends to the owner of a live (commands, attach, detach) goes over a TCP link between
 * the two once it is up, Redis before that and again when it drops (what was on it just before is sent again). A
 * link to the wrong node or from someone who does not know the cluster's secret is refused, and the nodes go on through
 * Redis. A socket that closed is never brought back on the owner by a message that arrives after its detach.
 */
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../src/cluster/linkFrames.js';
import { freePort } from '../../server/test/support/freePort.js';
import { APP, inProcessCluster, type TestNode } from './support/cluster.js';
import { scrapeMetric } from './support/nodeProcess.js';
import { until } from '../../server/test/support/until.js';
import { uniquePrefix } from './support/redisServer.js';
import { TcpProxy } from './support/tcpProxy.js';

const fixture = inProcessCluster();
const { clients, start } = fixture;

const metric = (n: TestNode, name: string) => scrapeMetric(n.url, name);

/** Node `name` (its id starts with it) as its heartbeat in Redis shows it: its id and where its link listens. */
async function nodeOf(prefix: string, name: string): Promise<{ id: string; port: number }> {
  const r = new Redis(fixture.redis.url);
  try {
    const [key] = await r.keys(`${prefix}node:${name}-*`);
    const value = key ? await r.get(key) : null;
    const [host, port] = (value ?? '').split(' ');
    if (!key || !host || !port) throw new Error(`no link announced by ${name}: ${value}`);
    return { id: key.slice(`${prefix}node:`.length), port: Number(port) };
  } finally {
    r.disconnect();
  }
}

/** Opens a raw TCP connection, writes `bytes`, resolves with how it ended ('closed' by the listener, or 'open' after ms). */
function probe(port: number, bytes: Buffer, ms = 3_000): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(bytes));
    s.resume(); // read what the listener says (its welcome), so its close is seen
    const t = setTimeout(() => {
      s.destroy();
      resolve('open');
    }, ms);
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(t);
      resolve('closed');
    });
  });
}

describe('direct node links', () => {
  it('once the link is up, commands to the owner go over it; answers and events arrive as before', async () => {
    const [a, b] = (await start(2)) as [TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'l', liveName: 'L', maxSeatCount: 3 });
    const guest = await clients.as(b, 'guest');
    await guest.call('live.join', { liveId: 'l' }); // the first message to A opens the link (it goes through Redis)
    await until(async () => (await metric(b, 'onseat_cluster_links_up')) === 1, 5_000, 'the link from B to A');
    const sent = await metric(b, 'onseat_cluster_link_messages_total');
    const received = await metric(a, 'onseat_cluster_link_received_total');

    for (let i = 0; i < 5; i++) {
      const { application } = await guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
      expect((await host.nextEvent('coGuest.applicationReceived')).payload.application.requestId).toBe(application.requestId);
      await guest.call('coGuest.cancelApplication', {});
    }
    expect((await metric(b, 'onseat_cluster_link_messages_total')) - sent).toBe(10);
    expect((await metric(a, 'onseat_cluster_link_received_total')) - received).toBe(10);
    expect(await metric(b, 'onseat_cluster_forward_failures_total')).toBe(0);
  });

  it("a node that announces another node's listener: the link is refused there and commands go through Redis", async () => {
    const portOfB = await freePort();
    // A announces B's listener: B gets a hello meant for A and refuses it
    const [a, b] = (await start(2, {
      link: (i) => (i === 0 ? { announce: `127.0.0.1 ${portOfB}` } : { port: portOfB }),
    })) as [TestNode, TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 'w', liveName: 'W', maxSeatCount: 3 });
    const guest = await clients.as(b, 'guest');
    await guest.call('live.join', { liveId: 'w' });
    await until(async () => (await metric(b, 'onseat_cluster_link_failures_total')) >= 1, 5_000, 'the failed link');
    expect(await metric(b, 'onseat_cluster_link_refused_total')).toBeGreaterThanOrEqual(1);
    await guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
    await host.nextEvent('coGuest.applicationReceived');
    expect(await metric(b, 'onseat_cluster_links_up')).toBe(0);
    expect(await metric(b, 'onseat_cluster_link_messages_total')).toBe(0);
  });

  it('strangers on the link port (wrong node, no secret, oversized frame) are cut off; the node goes on', async () => {
    const prefix = uniquePrefix();
    const [a] = (await start(1, { prefix })) as [TestNode];
    const { id: nodeId, port } = await nodeOf(prefix, 'node0');
    const hello = (to: string) => encodeFrame(JSON.stringify({ v: 1, from: 'intruder', to, nonce: 'x' }));
    // for another node
    expect(await probe(port, hello('someone-else'))).toBe('closed');
    // for this node, then a proof made without the secret
    expect(await probe(port, Buffer.concat([hello(nodeId), encodeFrame(JSON.stringify({ proof: 'AAAA' }))]))).toBe('closed');
    // a frame announcing 1 GB
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(1 << 30, 0);
    expect(await probe(port, huge)).toBe('closed');
    // silence: the handshake times out (2 s)
    expect(await probe(port, Buffer.alloc(0), 4_000)).toBe('closed');
    expect(await metric(a, 'onseat_cluster_link_refused_total')).toBe(4);
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 's', liveName: 'S', maxSeatCount: 3 });
  }, 15_000);

  it('a link that drops with a detach on it: the detach is sent again through Redis and the owner lets the member go', async () => {
    const linkPortOfA = await freePort();
    const proxy = await TcpProxy.start(linkPortOfA);
    try {
      const [a, b] = (await start(2, {
        reconnectGraceMs: 300,
        link: (i) => (i === 0 ? { port: linkPortOfA, announce: `127.0.0.1 ${proxy.port}` } : undefined),
      })) as [TestNode, TestNode];
      const host = await clients.as(a, 'host');
      await host.call('live.start', { liveId: 'd', liveName: 'D', maxSeatCount: 3 });
      const leaving = await clients.as(b, 'leaving');
      const staying = await clients.as(b, 'staying');
      await leaving.call('live.join', { liveId: 'd' });
      await until(async () => (await metric(b, 'onseat_cluster_links_up')) === 1, 5_000, 'the link from B to A');
      await staying.call('live.join', { liveId: 'd' }); // over the link
      expect(await metric(b, 'onseat_cluster_link_messages_total')).toBeGreaterThanOrEqual(1);

      proxy.freeze(); // what B writes on the link now never reaches A
      await leaving.close(); // B sends the detach on the link
      await new Promise((r) => setTimeout(r, 200));
      await proxy.cut(); // B sees the link drop and sends it again through Redis
      const left = await host.nextEvent('audience.left', (p) => p.user.userId === 'leaving', 5_000);
      expect(left.payload.user.userId).toBe('leaving');
      // and commands go on through Redis
      await staying.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
      await host.nextEvent('coGuest.applicationReceived');
      expect(await metric(b, 'onseat_cluster_links_up')).toBe(0);
    } finally {
      await proxy.cut().catch(() => undefined);
    }
  });

  it("a command or attach that reaches the owner after its socket's detach is refused: the socket is not brought back", async () => {
    const prefix = uniquePrefix();
    const [a] = (await start(1, { prefix })) as [TestNode];
    const host = await clients.as(a, 'host');
    await host.call('live.start', { liveId: 't', liveName: 'T', maxSeatCount: 3 });
    const { id: owner } = await nodeOf(prefix, 'node0');
    const pub = new Redis(fixture.redis.url);
    const sub = new Redis(fixture.redis.url);
    try {
      const replies: { id: number; r?: { ok: boolean; error?: { name: string } } }[] = [];
      await sub.subscribe(`${prefix}ch:node:ghost`);
      sub.on('message', (_ch: string, m: string) => {
        if (m.startsWith('{')) replies.push(JSON.parse(m) as (typeof replies)[number]);
      });
      const cmd = (id: number, c: number, userId: string) => ({
        t: 'cmd',
        id,
        n: 'ghost',
        c,
        p: { sdkAppId: APP.sdkAppId, userId, userName: userId, avatarUrl: '' },
        u: { userName: userId, avatarUrl: '' },
        k: `${APP.sdkAppId}:t`,
        ty: 'live.join',
        pl: { liveId: 't' },
      });
      const channel = `${prefix}ch:node:${owner}`;
      // socket 7 of node "ghost" closed; its join, retried, arrives after the detach
      await pub.publish(channel, JSON.stringify({ t: 'detach', n: 'ghost', c: 7 }));
      await pub.publish(channel, JSON.stringify(cmd(1, 7, 'late')));
      await pub.publish(channel, JSON.stringify({ t: 'attach', n: 'ghost', c: 7, p: cmd(0, 7, 'late').p, k: `${APP.sdkAppId}:t` }));
      // socket 8 is open: its join goes through
      await pub.publish(channel, JSON.stringify(cmd(2, 8, 'ontime')));
      await until(async () => replies.length >= 2, 5_000, 'both answers');
      expect(replies.find((r) => r.id === 1)?.r).toMatchObject({ ok: false, error: { name: 'DISCONNECTED' } });
      expect(replies.find((r) => r.id === 2)?.r).toMatchObject({ ok: true });
      await host.nextEvent('audience.joined', (p) => p.user.userId === 'ontime');
      expect(host.events('audience.joined').map((e) => (e.payload as { user: { userId: string } }).user.userId)).not.toContain('late');
      expect(await metric(a, 'onseat_cluster_late_for_closed_total')).toBe(1);
      // a member's socket closes; an attach for it that comes after the detach (as after a takeover) is refused
      await pub.publish(channel, JSON.stringify({ t: 'detach', n: 'ghost', c: 8 }));
      await pub.publish(channel, JSON.stringify({ t: 'attach', n: 'ghost', c: 8, p: cmd(0, 8, 'ontime').p, k: `${APP.sdkAppId}:t` }));
      await until(async () => (await metric(a, 'onseat_cluster_late_for_closed_total')) === 2, 5_000, 'the refused attach');
    } finally {
      pub.disconnect();
      sub.disconnect();
    }
  });

  it('a command that got no answer through Redis (the owner stalled) does not keep the link from being used after', async () => {
    const { b, guest, proxy } = await fixture.stallableOwner('st');
    proxy.freeze(); // A hears nothing from Redis: B's first command (through Redis, the link is not up yet) times out
    const joined = guest.call('live.join', { liveId: 'st' });
    await new Promise((r) => setTimeout(r, 600));
    proxy.thaw();
    await joined;
    expect(await metric(b, 'onseat_cluster_forward_failures_total')).toBeGreaterThan(0);
    const sent = await metric(b, 'onseat_cluster_link_messages_total');
    for (let i = 0; i < 3; i++) {
      await guest.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
      await guest.call('coGuest.cancelApplication', {});
    }
    expect((await metric(b, 'onseat_cluster_link_messages_total')) - sent).toBe(6);
  });
});
