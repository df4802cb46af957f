/**
 * Pure pieces of the werift media plane: SDP helpers, publish permission, REMB encoding, levels, keyframe throttling,
 * the sender reports the fast path writes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RtcpPacketConverter, RtcpSourceDescriptionPacket, RtcpSrPacket } from 'werift';
import { compoundReport } from '../src/media/fastpath/rtcpPackets.js';
import { everyShared } from '../src/media/sharedTicker.js';
import type { SeatInfo } from '@onseat/protocol';
import { resolveConfig } from '../src/config.js';
import { createServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { publishRefusal } from '../src/media/Room.js';
import { levelOf, PublishedTrack, rembMantissa } from '../src/media/PublishedTrack.js';
import { answerMismatch, keepInactiveBundled, offeredSections, opusFecDtx, rewriteCandidates, sentKinds } from '../src/media/sdp.js';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host',
  'a=candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host',
  'a=mid:0',
  'a=sendonly',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=inactive',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=recvonly',
  '',
].join('\r\n');

const seat = (over: Partial<SeatInfo> = {}, user: { allowOpenMicrophone?: boolean; allowOpenCamera?: boolean } = {}): SeatInfo => ({
  index: 1,
  isLocked: false,
  isAudioLocked: false,
  isVideoLocked: false,
  userInfo: {
    userId: 'u',
    userName: '',
    avatarUrl: '',
    role: 2,
    microphoneStatus: 0,
    cameraStatus: 0,
    allowOpenMicrophone: user.allowOpenMicrophone ?? true,
    allowOpenCamera: user.allowOpenCamera ?? true,
    onSeatTimestamp: 0,
  },
  ...over,
});

describe('SDP helpers', () => {
  it('reads what each m-section sends', () => {
    expect(offeredSections(offer)).toEqual([
      { kind: 'audio', mid: '0', sends: true },
      { kind: 'video', mid: '1', sends: false },
      { kind: 'video', mid: '2', sends: false },
    ]);
    expect([...sentKinds(offer)]).toEqual(['audio']);
    expect([...sentKinds(offer.replace('a=recvonly', 'a=sendrecv'))].sort()).toEqual(['audio', 'video']);
  });

  it('keeps only candidates on the bind address and announces the public IP', () => {
    const kept = rewriteCandidates(offer, '127.0.0.1', undefined);
    expect(kept).not.toContain('10.0.0.5');
    expect(kept).toContain('127.0.0.1 50001');
    const announced = rewriteCandidates(offer, '127.0.0.1', '203.0.113.7');
    expect(announced).toContain('203.0.113.7 50001 typ host');
    expect(rewriteCandidates(offer, undefined, undefined)).toBe(offer);
  });

  it('keeps an inactive bundled m-section in the bundle (port 9, not 0)', () => {
    const out = keepInactiveBundled(offer);
    expect(out).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1');
    expect(keepInactiveBundled(offer.replace('a=group:BUNDLE 0 1 2', 'a=group:BUNDLE 0 2'))).toContain('m=video 0 ');
  });
});

describe('SDP the SFU hands out', () => {
  it('asks for Opus FEC and DTX on every Opus payload type and leaves the other codecs alone', () => {
    const sdp =
      'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\na=fmtp:96 x=1\r\n';
    const out = opusFecDtx(sdp);
    expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n');
    expect(out).toContain('a=fmtp:96 x=1\r\n');
  });

  it('checks an answer against its offer before werift sees it', () => {
    const offer = 'v=0\r\nm=audio 9 X 111\r\na=mid:0\r\nm=video 9 X 96\r\na=mid:1\r\n';
    const good = `${offer}a=ice-ufrag:u\r\na=ice-pwd:p\r\na=fingerprint:sha-256 AB\r\n`;
    expect(answerMismatch(offer, good)).toBeNull();
    expect(answerMismatch(offer, 'v=0\r\nm=audio 9 X 111\r\na=mid:0\r\n')).toMatch(/1 m-sections, the offer 2/);
    expect(answerMismatch(offer, good.replace('a=mid:1', 'a=mid:7'))).toMatch(/m-section 1 is video mid 7/);
    expect(answerMismatch(offer, good.replace(/a=fingerprint[^\r]*\r\n/, ''))).toMatch(/no DTLS fingerprint/);
    expect(answerMismatch(offer, good.replace(/a=ice-pwd[^\r]*\r\n/, ''))).toMatch(/no ICE credentials/);
  });
});

describe('publish permission (invariant 7)', () => {
  it('refuses the unseated with -2361/-2371 and admin-closed kinds with -2360/-2370', () => {
    expect(publishRefusal(undefined, 'audio')).toBe('OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN');
    expect(publishRefusal(undefined, 'video')).toBe('OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN');
    expect(publishRefusal(seat({ userInfo: null }), 'audio')).toBe('OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN');
    expect(publishRefusal(seat({ isAudioLocked: true }), 'audio')).toBe('OPEN_MICROPHONE_NEED_SEAT_UNLOCK');
    expect(publishRefusal(seat({ isAudioLocked: true }), 'video')).toBeNull();
    expect(publishRefusal(seat({}, { allowOpenCamera: false }), 'video')).toBe('OPEN_CAMERA_NEED_SEAT_UNLOCK');
    expect(publishRefusal(seat(), 'audio')).toBeNull();
  });
});

describe('REMB and levels', () => {
  it('encodes a bitrate as an 18-bit mantissa and exponent', () => {
    expect(rembMantissa(0)).toEqual([0, 0]);
    for (const br of [1000, 262_143, 262_144, 1_500_000, 50_000_000]) {
      const [exp, m] = rembMantissa(br);
      expect(m).toBeLessThan(1 << 18);
      expect(m * 2 ** exp).toBeLessThanOrEqual(br);
      expect(m * 2 ** exp).toBeGreaterThan(br * 0.99);
    }
  });

  it('maps RFC 6464 levels onto 0–100', () => {
    expect(levelOf(127)).toBe(0);
    expect(levelOf(0)).toBe(100);
    expect(levelOf(30)).toBeGreaterThan(levelOf(60));
  });
});

describe('keyframe requests', () => {
  afterEach(() => vi.useRealTimers());

  it('sends at most one PLI per interval and one trailing request for those in between', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const receiver = { sendRtcpPLI: (ssrc: number) => (sent.push(ssrc), Promise.resolve()), rtcpSsrc: 1 };
    const track = { onReceiveRtp: { subscribe: () => ({ unSubscribe: () => {} }) } };
    const t = new PublishedTrack('u', 'video', '0', track as never, receiver as never, 500);
    t.requestKeyframe();
    expect(sent).toEqual([]); // no packet yet: no ssrc to ask for
    const [layer] = t.layers;
    if (layer) layer.ssrc = 42;
    t.requestKeyframe();
    t.requestKeyframe();
    t.requestKeyframe();
    expect(sent).toEqual([42]);
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([42]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([42, 42]);
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([42, 42]);
    t.close();
  });
});

describe('keyframe requests around the first packet', () => {
  const make = () => {
    const sent: number[] = [];
    let onRtp: (rtp: unknown, ext: unknown) => void = () => {};
    const receiver = { sendRtcpPLI: (ssrc: number) => (sent.push(ssrc), Promise.resolve()), rtcpSsrc: 1 };
    const track = { onReceiveRtp: { subscribe: (fn: typeof onRtp) => ((onRtp = fn), { unSubscribe: () => {} }) } };
    const t = new PublishedTrack('u', 'video', '0', track as never, receiver as never, 500);
    const packet = {
      header: { ssrc: 9, sequenceNumber: 1, timestamp: 0, extensions: [], extension: false },
      payload: Buffer.from([0x10, 0x01]),
      clone() {
        return { header: { ...this.header } };
      },
    };
    return { t, sent, firstPacket: () => onRtp(packet, undefined) };
  };

  it('a request made before the first packet is sent when it arrives', () => {
    const { t, sent, firstPacket } = make();
    t.requestKeyframe();
    expect(sent).toEqual([]);
    firstPacket();
    expect(sent).toEqual([9]);
    t.close();
  });

  it('no request on the first packet otherwise (a new encoder starts with a keyframe), so the next one is not throttled', () => {
    const { t, sent, firstPacket } = make();
    firstPacket();
    expect(sent).toEqual([]);
    t.requestKeyframe();
    expect(sent).toEqual([9]);
    t.close();
  });
});

describe('media configuration', () => {
  it('defaults to werift bound to the signalling host when it is an IP, and can be turned off', async () => {
    const dev = resolveConfig({});
    expect(dev.media).toBe('werift');
    expect(dev.mediaOptions.bindAddress).toBe('127.0.0.1');
    expect(resolveConfig({ host: 'localhost' }).mediaOptions.bindAddress).toBeUndefined();
    expect(resolveConfig({ mediaOptions: { bindAddress: '10.1.2.3', announcedIp: '203.0.113.7' } }).mediaOptions).toMatchObject({
      bindAddress: '10.1.2.3',
      announcedIp: '203.0.113.7',
    });
    expect(() => resolveConfig({ mediaOptions: { portRange: [50000, 40000] } })).toThrow(/media port range/);
    expect(() => resolveConfig({ media: 'janus' as never })).toThrow(/media must be/);
    const off = createServer({ port: 0, logger: silentLogger, media: 'none' });
    expect(off.engine.media).toBeUndefined();
    await off.close();
    const on = createServer({ port: 0, logger: silentLogger });
    expect(on.engine.media?.constructor.name).toBe('WeriftMediaPlane');
    await on.close();
  });
});

describe('sender reports as bytes', () => {
  it('one SR per track, then one SDES with every CNAME, as a parser reads them (CNAMEs of every padding length)', () => {
    const reports = [1, 2, 3, 4, 5].map((n) => ({
      ssrc: 0xf0000000 + n,
      ntp: (BigInt(3_900_000_000 + n) << 32n) | BigInt(n * 1000),
      rtpTimestamp: 0xfffffff0 + n,
      packetCount: n * 10,
      octetCount: n * 1000,
      ...(n === 3 ? {} : { cname: 'c'.repeat(n) }),
    }));
    const packet = compoundReport(reports);
    expect(packet && packet.length % 4).toBe(0);
    const parsed = RtcpPacketConverter.deSerialize(packet as Buffer);
    expect(parsed).toHaveLength(6);
    parsed.slice(0, 5).forEach((p, i) => {
      const r = reports[i]!;
      expect(p).toBeInstanceOf(RtcpSrPacket);
      const sr = p as RtcpSrPacket;
      expect(sr.ssrc).toBe(r.ssrc);
      expect(sr.senderInfo.ntpTimestamp).toBe(r.ntp);
      expect(sr.senderInfo.rtpTimestamp).toBe(r.rtpTimestamp >>> 0);
      expect(sr.senderInfo.packetCount).toBe(r.packetCount);
      expect(sr.senderInfo.octetCount).toBe(r.octetCount);
    });
    const sdes = parsed[5] as RtcpSourceDescriptionPacket;
    expect(sdes).toBeInstanceOf(RtcpSourceDescriptionPacket);
    expect(sdes.chunks.map((c) => [c.source, c.items[0]?.type, c.items[0]?.text])).toEqual(
      reports.filter((r) => r.cname).map((r) => [r.ssrc, 1, r.cname]),
    );
    expect(compoundReport([])).toBeUndefined();
  });
});

describe('shared ticker', () => {
  afterEach(() => vi.useRealTimers());

  it('runs every callback of a period on one timer; a cancel removes only its own; one that throws does not stop the others', () => {
    vi.useFakeTimers();
    const runs = [0, 0, 0];
    const timersBefore = vi.getTimerCount();
    const cancel = [0, 1, 2].map((i) =>
      everyShared(500, () => {
        runs[i]!++;
        if (i === 0) throw new Error('first one fails');
      }),
    );
    expect(vi.getTimerCount()).toBe(timersBefore + 1);
    expect(() => vi.advanceTimersByTime(500)).toThrow('first one fails');
    expect(runs).toEqual([1, 1, 1]);
    cancel[0]!();
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual([1, 3, 3]);
    cancel[1]!();
    cancel[1]!(); // twice: no effect
    vi.advanceTimersByTime(500);
    expect(runs).toEqual([1, 3, 4]);
    cancel[2]!();
    expect(vi.getTimerCount()).toBe(timersBefore);
  });
});
