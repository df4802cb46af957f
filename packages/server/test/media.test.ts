/**
 * The werift SFU behind the engine, driven over real WebSockets by Node-side WebRTC peers (werift) on 127.0.0.1:
 * forwarding, server-initiated renegotiation, and invariant 7 (only seated users publish, an admin's close stops
 * a track for everyone at once) — including hand-crafted offers from users who may not publish.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import type { WeriftMediaPlane } from '../src/media/WeriftMediaPlane.js';
import { connectAs, type TestApp, type WsClient } from './support/wsClient.js';
import { FakePublisher, FakeSubscriber, until } from './e2e/support/weriftPeer.js';

const LIVE = 'media-live';
let server: OnseatServer | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  await server?.close();
  server = undefined;
});

async function setup() {
  server = createServer({ port: 0, logger: silentLogger });
  const { url } = await server.listen();
  const app = server.devApp as TestApp;
  const as = async (userId: string): Promise<WsClient> => {
    const c = await connectAs(url, app, userId);
    closers.push(() => c.close());
    return c;
  };
  const host = await as('host');
  await host.call('live.start', { liveId: LIVE, maxSeatCount: 4 });
  const join = async (userId: string) => {
    const c = await as(userId);
    await c.call('live.join', { liveId: LIVE });
    return c;
  };
  return { host, join, as };
}

const mediaStats = () => (server?.engine.media as WeriftMediaPlane).stats;
/** A metric of the server's /metrics registry, as scraped now. */
const gaugeValue = async (name: string) => (await server?.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value;

const publisher = (kinds: ('audio' | 'video')[]) => {
  const p = new FakePublisher(kinds);
  closers.push(() => p.close());
  return p;
};
const subscriber = (c: WsClient) => {
  const s = new FakeSubscriber(c);
  closers.push(() => s.close());
  return s;
};

describe('werift media plane', () => {
  it('an audience member that is not seated cannot publish, even with a hand-crafted offer', async () => {
    const { join } = await setup();
    const aud = await join('aud');
    const both = await publisher(['audio', 'video']).offer();
    const res = await aud.request('media.publish', { sdp: both });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe(-2361);
    const videoOnly = await publisher(['video']).offer();
    const res2 = await aud.request('media.publish', { sdp: videoOnly });
    expect(!res2.ok && res2.error.code).toBe(-2371);
    // A made-up offer that claims sendonly video in a m-section the parser must still see.
    const crafted =
      'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\na=rtpmap:96 VP8/90000\r\n';
    const res3 = await aud.request('media.publish', { sdp: crafted });
    expect(!res3.ok && res3.error.code).toBe(-2371);
    expect(mediaStats()).toEqual({ rooms: 0, publishers: 0, subscribers: 0 });
  });

  it('an applicant may connect a publish transport that sends nothing: one per member, replaced by another transport, gone on unpublish', async () => {
    const { join } = await setup();
    const aud = await join('aud');
    // What the SDK offers while its user applies or is invited: audio and video inactive.
    const prepared = async () => {
      const p = publisher([]);
      p.pc.addTransceiver('audio', { direction: 'inactive' });
      p.pc.addTransceiver('video', { direction: 'inactive' });
      return p;
    };
    const first = await prepared();
    await first.accept((await aud.call('media.publish', { sdp: await first.offer() })).sdp);
    await until(() => first.pc.connectionState === 'connected', 10_000, 'the prepared transport connected');
    expect(mediaStats()).toMatchObject({ publishers: 1 });
    expect(await gaugeValue('onseat_media_publishers')).toBe(1);
    expect(await gaugeValue('onseat_media_rooms')).toBe(1);
    // Its renegotiation to sendonly is refused while not seated; the transport stays as it was.
    for (const t of first.pc.getTransceivers()) t.setDirection('sendonly');
    const refused = await aud.request('media.publish', { sdp: await first.offer() });
    expect(!refused.ok && refused.error.code).toBe(-2361);
    // Another browser transport (a reload) replaces it: still one.
    const second = await prepared();
    await second.accept((await aud.call('media.publish', { sdp: await second.offer() })).sdp);
    expect(mediaStats()).toMatchObject({ publishers: 1 });
    await aud.call('media.unpublish', {});
    expect(mediaStats()).toMatchObject({ publishers: 0 });
    expect(await gaugeValue('onseat_media_publishers')).toBe(0);
  });

  it("a seated user's malformed offer or answer is refused with INVALID_PARAMETER and leaves nothing behind", async () => {
    const { host } = await setup();
    const garbage =
      'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\nthis is not sdp\r\n';
    const res = await host.request('media.publish', { sdp: garbage });
    expect(!res.ok && res.error).toMatchObject({ code: -1001, name: 'INVALID_PARAMETER' });
    expect(!res.ok && res.error.message).toMatch(/could not be applied/);
    expect(mediaStats().publishers).toBe(0);
    // the connection and the media plane still work
    const ok = await host.request('media.publish', { sdp: await publisher(['audio']).offer() });
    expect(ok.ok).toBe(true);
    expect(mediaStats().publishers).toBe(1);
  });

  it('forwards the host to a subscriber, renegotiates when a guest publishes, and stops a closed mic at once', async () => {
    const { host, join } = await setup();
    const hostPub = publisher(['audio', 'video']);
    const answer = await host.call('media.publish', { sdp: await hostPub.offer() });
    await hostPub.accept(answer.sdp);
    hostPub.start();

    const viewer = await join('viewer');
    const sub = subscriber(viewer);
    await sub.start();
    await until(() => sub.count('host', 'audio') > 10 && sub.count('host', 'video') > 10, 10_000, 'host media at the viewer');
    await until(() => hostPub.plis > 0, 5_000, 'a keyframe request for the new subscriber');

    // A guest takes a seat (invited) and publishes audio + video: the viewer gets a new offer with both.
    const guest = await join('guest');
    await host.call('coGuest.invite', { userId: 'guest', seatIndex: 1, timeout: 0 });
    await guest.nextEvent('coGuest.invitationReceived');
    await guest.call('coGuest.acceptInvitation', { inviterId: 'host' });
    const guestPub = publisher(['audio', 'video']);
    await guestPub.accept((await guest.call('media.publish', { sdp: await guestPub.offer() })).sdp);
    guestPub.start();
    await until(() => sub.count('guest', 'audio') > 10 && sub.count('guest', 'video') > 10, 10_000, 'guest media at the viewer');
    expect(
      sub.offers
        .at(-1)
        ?.tracks.filter((t) => t.userId === 'guest')
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['audio', 'video']);

    // The host closes the guest's microphone: forwarding stops at once, the guest is told, video keeps flowing.
    await host.call('seat.closeRemoteDevice', { userId: 'guest', device: 'microphone' });
    const revoked = await guest.nextEvent('media.publishRevoked');
    expect(revoked.payload).toMatchObject({ kind: 'audio', code: -2360 });
    const atClose = sub.count('guest', 'audio');
    const videoAtClose = sub.count('guest', 'video');
    await until(() => sub.count('guest', 'video') > videoAtClose + 25, 5_000, 'more guest video');
    expect(sub.count('guest', 'audio')).toBeLessThanOrEqual(atClose + 2); // packets already in flight
    await until(
      () => !(sub.offers.at(-1)?.tracks.some((t) => t.userId === 'guest' && t.kind === 'audio') ?? true),
      5_000,
      'an offer without the guest audio',
    ).catch((e) => {
      throw new Error(`${String(e)}; subscriber: ${String(sub.error)}; offers ${JSON.stringify(sub.offers.map((o) => o.tracks))}`);
    });

    // Publishing audio again is refused with the admin-closed code.
    const again = await guest.request('media.publish', { sdp: await publisher(['audio']).offer() });
    expect(!again.ok && again.error.code).toBe(-2360);

    // The guest leaves the seat: their video stops too.
    await guest.call('coGuest.disconnect', {});
    const revokedVideo = await guest.nextEvent('media.publishRevoked');
    expect(revokedVideo.payload).toMatchObject({ kind: 'video', code: -2371 });
    await until(() => !(sub.offers.at(-1)?.tracks.some((t) => t.userId === 'guest') ?? true), 5_000, 'an offer without the guest');
  });

  it('tears down on leave and on live end; answers must match the outstanding offer', async () => {
    const { host, join } = await setup();
    const hostPub = publisher(['video']);
    await hostPub.accept((await host.call('media.publish', { sdp: await hostPub.offer() })).sdp);
    hostPub.start();
    const v1 = await join('v1');
    const v2 = await join('v2');
    const s1 = subscriber(v1);
    await s1.start();
    await until(() => s1.count('host', 'video') > 5, 10_000, 'host video at v1');

    // The SFU caps the publisher's video with REMB (Chrome follows it; werift records it on the sender).
    const sender = hostPub.transceivers.get('video')?.sender;
    await until(() => sender?.receiverEstimatedMaxBitrate === 4_000_000n, 5_000, 'a REMB of 4 Mbit/s');

    // An answer to an offer that is not outstanding is refused.
    const stale = await v1.request('media.answer', { revision: 99, sdp: 'v=0\r\n' });
    expect(!stale.ok && stale.error.name).toBe('INVALID_PARAMETER');

    // v2 subscribes, then leaves the live: its transport goes away, v1 keeps receiving.
    await v2.call('media.subscribe', {});
    await v2.nextEvent('media.offer');
    expect(mediaStats()).toEqual({ rooms: 1, publishers: 1, subscribers: 2 });
    await v2.call('live.leave', {});
    expect(mediaStats()).toEqual({ rooms: 1, publishers: 1, subscribers: 1 });
    const before = s1.count('host', 'video');
    await until(() => s1.count('host', 'video') > before + 10, 5_000, 'host video still flowing to v1');

    // A second media.subscribe starts a fresh transport (what a client does after reconnecting).
    await s1.resubscribe();
    await until(() => s1.count('host', 'video') > 5, 10_000, 'host video on the new transport');

    await host.call('live.end', {});
    expect(mediaStats()).toEqual({ rooms: 0, publishers: 0, subscribers: 0 });
  });
});
