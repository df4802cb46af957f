/**
 * Renegotiation that recovers, on the werift SFU over real WebSockets with Node-side WebRTC peers: a refused answer
 * abandons its offer and `media.subscribe {restart}` gets a new one; an offer nobody answers is offered again; an unknown
 * restart value is refused with INVALID_PARAMETER.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from 'werift';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { connectAs, type WsClient } from './support/wsClient.js';
import type { WeriftMediaPlane } from '../src/media/WeriftMediaPlane.js';
import { FakePublisher, FakeSubscriber, peerConfig, until } from './e2e/support/weriftPeer.js';

const LIVE = 'recovery-live';
let server: OnseatServer | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  await server?.close();
  server = undefined;
});

async function setup(): Promise<{ host: WsClient; viewer: WsClient; hostPub: FakePublisher }> {
  server = createServer({
    port: 0,
    logger: silentLogger,
    mediaOptions: { bindAddress: '127.0.0.1', offerRetryMs: 300 },
  });
  const { url } = await server.listen();
  const app = server.devApp!;
  const host = await connectAs(url, app, 'host');
  const viewer = await connectAs(url, app, 'viewer');
  closers.push(
    () => host.close(),
    () => viewer.close(),
  );
  await host.call('live.start', { liveId: LIVE, maxSeatCount: 2 });
  await viewer.call('live.join', { liveId: LIVE });
  const hostPub = new FakePublisher(['video']);
  closers.push(() => hostPub.close());
  await hostPub.accept((await host.call('media.publish', { sdp: await hostPub.offer() })).sdp);
  hostPub.start();
  return { host, viewer, hostPub };
}

/** A receiving werift peer answering by hand; counts the RTP packets it gets. */
function receiver(): { pc: RTCPeerConnection; packets: () => number; answer(offer: { sdp: string }): Promise<string> } {
  const pc = new RTCPeerConnection(peerConfig);
  let packets = 0;
  pc.ontrack = (e) => void e.track.onReceiveRtp.subscribe(() => packets++);
  closers.push(() => pc.close());
  return {
    pc,
    packets: () => packets,
    async answer(offer) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      return pc.localDescription?.sdp ?? '';
    },
  };
}

describe('media renegotiation recovery', () => {
  it('a refused answer abandons its offer; restart "offer" offers again; an unanswered offer is offered again', async () => {
    const { viewer } = await setup();
    await viewer.call('media.subscribe', {});
    const first = (await viewer.nextEvent('media.offer')).payload;
    const garbage = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nthis is not sdp\r\n';
    const refused = await viewer.request('media.answer', { revision: first.revision, sdp: garbage });
    expect(!refused.ok && refused.error.name).toBe('INVALID_PARAMETER');
    expect(!refused.ok && refused.error.message).toMatch(/could not be applied .*does not match offer/);
    // The refused offer is gone: a second answer to it is refused as not outstanding.
    const again = await viewer.request('media.answer', { revision: first.revision, sdp: garbage });
    expect(!again.ok && again.error.message).toMatch(/No outstanding media.offer/);

    await viewer.call('media.subscribe', { restart: 'offer' });
    const second = (await viewer.nextEvent('media.offer', (o) => o.revision > first.revision)).payload;
    expect(second.tracks.map((t) => [t.userId, t.kind])).toEqual([['host', 'video']]);
    // Nobody answers it: the same tracks are offered again with a newer revision (offerRetryMs 300 here).
    const third = (await viewer.nextEvent('media.offer', (o) => o.revision > second.revision, 3000)).payload;
    const rx = receiver();
    await viewer.call('media.answer', { revision: third.revision, sdp: await rx.answer(third) });
    await until(() => rx.packets() > 10, 10_000, 'host video after the retried offer');
  });

  it('a publish transport whose browser vanished (ICE consent gone for 30 s) is reaped; the seat stays as it was', async () => {
    const { host, viewer, hostPub } = await setup();
    const sub = new FakeSubscriber(viewer);
    closers.push(() => sub.close());
    await sub.start();
    await until(() => sub.count('host', 'video') > 10, 10_000, 'host video');
    const seatEvents = host.events().filter((e) => e.type.startsWith('seat.')).length;
    const plane = server?.engine.media as WeriftMediaPlane;
    expect(plane.stats.publishers).toBe(1);
    // The host's browser disappears without a word; its WebSocket stays up.
    await hostPub.close();
    const took = await until(() => plane.stats.publishers === 0, 45_000, 'the broken publish transport to be reaped');
    expect(took).toBeGreaterThan(25_000); // werift's consent window (30 s), not earlier
    // The viewer is offered a transport without the host's tracks; no seat changed.
    await until(() => sub.offers.at(-1)?.tracks.length === 0, 5000, 'an offer without the host');
    expect(host.events().filter((e) => e.type.startsWith('seat.')).length).toBe(seatEvents);
    expect(plane.stats.subscribers).toBe(1);
    // Operators see it in /metrics.
    const reaped = await server?.metrics.registry.getSingleMetric('onseat_media_transports_reaped_total')?.get();
    expect(reaped?.values[0]?.value).toBe(1);
  }, 60_000);

  it('refuses a restart value it does not know (ice) with INVALID_PARAMETER', async () => {
    const { viewer } = await setup();
    const res = await viewer.request('media.subscribe', { restart: 'ice' });
    expect(!res.ok && res.error.name).toBe('INVALID_PARAMETER');
  });
});
