/**
 * The forwarding fast path between a werift publisher and werift subscribers on 127.0.0.1: packets go out with our
 * SRTP on the subscriber's socket (not werift's sender), sequence numbers survive a wrap (rollover counter), sender
 * reports count exactly what was sent, a NACK gets the named packets again, a PLI reaches the publisher.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  GenericNack,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
  type RtpPacket as Rtp,
} from 'werift';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { liveKeyOf } from '../src/engine/Connection.js';
import { silentLogger } from '../src/logger.js';
import type { Subscriber } from '../src/media/Subscriber.js';
import type { WeriftMediaPlane } from '../src/media/WeriftMediaPlane.js';
import { connectAs, type TestApp } from './support/wsClient.js';
import { FakePublisher, FakeSubscriber, until } from './e2e/support/weriftPeer.js';

const LIVE = 'fastpath-live';
let server: OnseatServer | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  await server?.close();
  server = undefined;
});

/** A host publishing video only (packets written by the test), one viewer subscribed, its transport up. */
async function setup(firstSeq = 0, beforeFirstPacket?: (serverSide: Subscriber) => void) {
  server = createServer({ port: 0, logger: silentLogger });
  const { url } = await server.listen();
  const app = server.devApp as TestApp;
  const host = await connectAs(url, app, 'host');
  closers.push(() => host.close());
  await host.call('live.start', { liveId: LIVE, maxSeatCount: 2 });
  const pub = new FakePublisher(['video']);
  closers.push(() => pub.close());
  await pub.accept((await host.call('media.publish', { sdp: await pub.offer() })).sdp);
  const viewer = await connectAs(url, app, 'viewer');
  closers.push(() => viewer.close());
  await viewer.call('live.join', { liveId: LIVE });
  const sub = new FakeSubscriber(viewer);
  closers.push(() => sub.close());
  /** Every RTP packet the viewer's transport decrypted (duplicates included). */
  const received: Rtp[] = [];
  await sub.start();
  await until(() => sub.pc.connectionState === 'connected' && sub.pc.dtlsTransports.length > 0, 30_000, 'viewer connected');
  const dtls = sub.pc.dtlsTransports[0];
  if (!dtls) throw new Error('no DTLS transport');
  dtls.onRtp.subscribe((p) => received.push(p));
  const room = (server.engine.media as WeriftMediaPlane).roomForTesting(liveKeyOf(app.sdkAppId, LIVE));
  const serverSide = room?.subscribers.get('viewer');
  if (!serverSide) throw new Error('no subscriber on the server');
  beforeFirstPacket?.(serverSide);
  const video = pub.tracks.get('video');
  let seq = firstSeq;
  const send = (n: number) => {
    for (let i = 0; i < n; i++) {
      seq = (seq + 1) & 0xffff;
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 3000, marker: true });
      video?.writeRtp(new RtpPacket(header, Buffer.alloc(200 + (seq % 7), seq & 0xff)));
    }
  };
  // Packets flow once the viewer's transport is up (before that the fast path is pending and drops, as werift would).
  await until(
    () => {
      send(1);
      return received.length > 0;
    },
    30_000,
    'first forwarded packet',
  );
  const out = serverSide.output;
  const publisher = room?.publishers.get('host');
  if (!publisher) throw new Error('no publisher on the server');
  return { pub, sub, dtls, received, send, out, publisher, serverSide, seq: () => seq };
}

// Transports take long to connect on a loaded machine.
describe('forwarding fast path', { timeout: 90_000 }, () => {
  it("sends with our SRTP on the subscriber's socket; sequence numbers cross a wrap; payloads arrive intact", async () => {
    // The stream starts just below the wrap: 300 more packets take its sequence numbers past 65535 to 0 and on, so
    // the subscriber's rollover counter goes to 1 (a wrong one would fail authentication at the receiver).
    const { received, send, out, seq } = await setup(65_400);
    expect(out.mode).toBe('fast');
    await new Promise((r) => setTimeout(r, 200)); // the setup's last packets land first
    const before = out.sent;
    received.length = 0;
    const first = (seq() + 1) & 0xffff;
    // In bursts of 20 (a burst of 300 overflows the server's UDP receive buffer on the publisher's leg).
    for (let i = 0; i < 15; i++) {
      send(20);
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => received.length >= 300, 10_000, '300 packets');
    // (A retransmission after a NACK of the viewer's werift receiver may add a datagram: count distinct packets.)
    expect(out.sent - before).toBeGreaterThanOrEqual(300);
    const seqs = [...new Set(received.map((p) => p.header.sequenceNumber))];
    expect(seqs).toHaveLength(300);
    expect(seqs[0]).toBe(first);
    expect(seqs.at(-1)).toBe((first + 299) & 0xffff);
    expect(seqs).toContain(0);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(((seqs[i - 1] as number) + 1) & 0xffff);
    for (const p of received) {
      const s = p.header.sequenceNumber;
      expect(p.payload.length).toBe(200 + (s % 7));
      expect(p.payload[0]).toBe(s & 0xff);
      expect(p.header.timestamp).toBe((s * 3000) >>> 0);
    }
  });

  it('sender reports carry exactly the packets and payload octets sent', async () => {
    const { received, send, dtls, out } = await setup();
    send(40);
    const ssrc = received[0]?.header.ssrc;
    await until(() => received.length >= 41, 10_000, 'all packets');
    await new Promise((r) => setTimeout(r, 200)); // nothing else in flight
    const reports: RtcpSrPacket[] = [];
    const cnames: string[] = [];
    dtls.onRtcp.subscribe((p) => {
      if (p instanceof RtcpSrPacket && p.ssrc === ssrc) reports.push(p);
      if (p instanceof RtcpSourceDescriptionPacket)
        for (const c of p.chunks) if (c.source === ssrc) cnames.push(...c.items.filter((i) => i.type === 1).map((i) => i.text));
    });
    out.sendReports();
    await until(() => reports.length > 0 && cnames.length > 0, 5_000, 'a sender report with its CNAME');
    // (the CNAME of the m-section werift negotiated for the viewer)
    expect(cnames[0]).toMatch(/\S/);
    const sr = reports[0] as RtcpSrPacket;
    expect(sr.senderInfo.packetCount).toBe(received.length);
    expect(sr.senderInfo.octetCount).toBe(received.reduce((n, p) => n + p.payload.length, 0));
    // The NTP time is now (within a second), the RTP timestamp follows the last one sent.
    const ntpSeconds = Number(sr.senderInfo.ntpTimestamp >> 32n) - 2_208_988_800;
    expect(Math.abs(ntpSeconds - Date.now() / 1000)).toBeLessThan(2);
    expect(sr.senderInfo.rtpTimestamp).toBeGreaterThanOrEqual(received.at(-1)?.header.timestamp ?? 0);
  });

  it('a NACK gets the named packets again; a PLI reaches the publisher', async () => {
    const { received, send, dtls, pub, sub, out, serverSide } = await setup();
    const rtcpIn = out.rtcpIn;
    send(30);
    await until(() => received.length >= 31, 10_000, 'all packets');
    const ssrc = received[0]?.header.ssrc ?? 0;
    const lost = received.slice(5, 8).map((p) => p.header.sequenceNumber);
    const count = (s: number) => received.filter((p) => p.header.sequenceNumber === s).length;
    // (The viewer's werift receiver NACKs the packets sent before its transport was up, once: counted before.)
    const nacked = serverSide.nacked;
    await dtls.sendRtcp([new RtcpTransportLayerFeedback({ feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: ssrc, lost }) })]);
    await until(() => lost.every((s) => count(s) === 2), 5_000, 'retransmissions');
    expect(serverSide.nacked).toBe(nacked + 3);
    // Asked for again (a browser repeats a NACK while the packet does not come): resent, but counted once.
    await dtls.sendRtcp([new RtcpTransportLayerFeedback({ feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: ssrc, lost }) })]);
    await until(() => lost.every((s) => count(s) === 3), 5_000, 'retransmissions again');
    expect(serverSide.nacked).toBe(nacked + 3);
    // The NACK came in through our SRTCP, not werift's.
    expect(out.rtcpIn).toBeGreaterThan(rtcpIn);
    // Same payload as the first time.
    for (const s of lost) {
      const [a, b] = received.filter((p) => p.header.sequenceNumber === s);
      expect(b?.payload.equals(a?.payload ?? Buffer.alloc(0))).toBe(true);
    }
    // A PLI from the viewer's receiver reaches the publisher (throttled to one per 500 ms, never lost).
    const plis = pub.plis;
    const receiver = sub.pc.getTransceivers()[0]?.receiver;
    await receiver?.sendRtcpPLI(ssrc);
    await until(() => pub.plis > plis, 5_000, 'PLI at the publisher');
  });

  it('incoming SRTCP that is replayed or tampered with is refused; the transport goes on', async () => {
    const { received, send, dtls, out } = await setup();
    const ssrc = received[0]?.header.ssrc ?? 0;
    // One NACK, protected by the viewer's own SRTCP session, written three times on the viewer's ICE connection:
    // as it is, again (a replay), and with a flipped bit (the tag no longer verifies). Only the first is taken.
    const nack = new RtcpTransportLayerFeedback({ feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: ssrc, lost: [1] }) });
    const session = (dtls as unknown as { srtcp: { encrypt(raw: Buffer): Buffer } }).srtcp;
    const packet = session.encrypt(nack.serialize());
    const ice = dtls.iceTransport.connection as unknown as { send(b: Buffer): Promise<void> };
    const { rtcpIn, rtcpRefused } = out;
    await ice.send(packet);
    await until(() => out.rtcpIn === rtcpIn + 1, 5_000, 'the NACK taken');
    await ice.send(packet);
    const tampered = Buffer.from(packet);
    tampered[10] = (tampered[10] as number) ^ 0x01;
    await ice.send(tampered);
    await until(() => out.rtcpRefused === rtcpRefused + 2, 5_000, 'replay and tampered packet refused');
    expect(out.rtcpIn).toBe(rtcpIn + 1);
    // The transport still carries media.
    const before = received.length;
    send(5);
    await until(() => received.length >= before + 5, 10_000, 'packets after the refused ones');
  });

  it("incoming SRTP that is replayed or tampered with is refused and not forwarded; the publisher's stream goes on", async () => {
    const { received, send, pub, publisher } = await setup();
    // Our context unprotects the publisher's packets (werift keeps no replay list).
    expect(publisher.inbound.rtpIn).toBeGreaterThan(0);
    const transceiver = pub.transceivers.get('video');
    const dtls = pub.pc.dtlsTransports[0];
    if (!transceiver || !dtls) throw new Error('no publisher transport');
    const sender = transceiver.sender as unknown as { ssrc: number; sequenceNumber?: number; codec?: { payloadType: number } };
    // One packet protected by the publisher's own SRTP session (ahead of what it sent), written three times on its
    // ICE connection: as it is, again (a replay), and with a flipped bit. Only the first is taken and forwarded.
    const header = new RtpHeader({
      payloadType: sender.codec?.payloadType ?? 96,
      sequenceNumber: ((sender.sequenceNumber ?? 0) + 50) & 0xffff,
      timestamp: 1,
      ssrc: sender.ssrc,
    });
    const marker = Buffer.alloc(300, 0xab);
    const session = (dtls as unknown as { srtp: { encrypt(payload: Buffer, header: RtpHeader): Buffer } }).srtp;
    const packet = session.encrypt(marker, header);
    const ice = dtls.iceTransport.connection as unknown as { send(b: Buffer): Promise<void> };
    const { rtpIn, rtpRefused } = publisher.inbound;
    expect(rtpRefused).toBe(0);
    const forwarded = () => received.filter((p) => p.payload.equals(marker)).length;
    await ice.send(packet);
    await until(() => forwarded() === 1, 5_000, 'the packet forwarded');
    await ice.send(packet);
    const tampered = Buffer.from(packet);
    tampered[20] = (tampered[20] as number) ^ 0x01;
    await ice.send(tampered);
    await until(() => publisher.inbound.rtpRefused === rtpRefused + 2, 5_000, 'replay and tampered packet refused');
    expect(publisher.inbound.rtpIn).toBeGreaterThan(rtpIn);
    // The publisher's own packets (behind the one above) are still taken and forwarded.
    const before = received.length;
    send(5);
    await until(() => received.length >= before + 5, 10_000, 'packets after the refused ones');
    expect(forwarded()).toBe(1);
  });

  it("falls back to werift's sender when the transport's SRTP keys cannot be used (a profile we do not implement)", async () => {
    // Fault injection on the real transport: DTLS is up, but its profile reads as SRTP_AES128_CM_HMAC_SHA1_32 (0x0002),
    // which our SRTP does not implement. werift's own session (made at connect time) still has the real keys.
    const { received, send, out } = await setup(0, (serverSide) => {
      const dtls = serverSide.pc.dtlsTransports[0] as unknown as { dtls?: { srtp: { srtpProfile?: number } } };
      if (dtls.dtls) dtls.dtls.srtp.srtpProfile = 0x0002;
    });
    expect(out.mode).toBe('werift');
    send(20);
    await until(() => received.length >= 21, 10_000, 'packets through werift');
    expect(out.sent).toBe(0);
  });
});
