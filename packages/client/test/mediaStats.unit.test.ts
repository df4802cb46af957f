/** The statistics arithmetic: NetworkQuality from loss/RTT/jitter, bitrates and loss from two getStats() readings. */
import { describe, expect, it } from 'vitest';
import { qualityOf, receivedStats, sentStats, type StatLike } from '../src/media/statsMath.js';

describe('media statistics arithmetic', () => {
  it('maps loss, RTT and jitter onto NetworkQuality 1–6, Unknown (0) without data', () => {
    expect(qualityOf(0, 20, 5)).toBe(1);
    expect(qualityOf(2, 150, 10)).toBe(2);
    expect(qualityOf(5, 50, 10)).toBe(3);
    expect(qualityOf(10, 50, 10)).toBe(4);
    expect(qualityOf(20, 50, 10)).toBe(5);
    expect(qualityOf(50, 50, 10)).toBe(6);
    expect(qualityOf(0, 1000, 10)).toBe(5);
    expect(qualityOf(0, NaN, 10)).toBe(0);
  });

  it('bitrates in kbit/s and loss in % from two readings, per sending user', () => {
    const before: StatLike[] = [
      { id: 'v', type: 'inbound-rtp', timestamp: 1000, kind: 'video', mid: '1', bytesReceived: 0, packetsReceived: 0, packetsLost: 0 },
      { id: 'a', type: 'inbound-rtp', timestamp: 1000, kind: 'audio', mid: '0', bytesReceived: 0, packetsReceived: 0, packetsLost: 0 },
    ];
    const after: StatLike[] = [
      {
        id: 'v',
        type: 'inbound-rtp',
        timestamp: 3000,
        kind: 'video',
        mid: '1',
        bytesReceived: 250_000,
        packetsReceived: 190,
        packetsLost: 10,
        frameWidth: 640,
        frameHeight: 360,
        framesPerSecond: 14.6,
        jitter: 0.012,
      },
      {
        id: 'a',
        type: 'inbound-rtp',
        timestamp: 3000,
        kind: 'audio',
        mid: '0',
        bytesReceived: 8000,
        packetsReceived: 100,
        packetsLost: 0,
        codecId: 'c',
      },
      { id: 'c', type: 'codec', timestamp: 3000, clockRate: 48_000 },
    ];
    const r = receivedStats(after, new Map(before.map((s) => [s.id, s])), (mid) => (mid === '0' || mid === '1' ? 'alice' : undefined));
    expect(r.get('alice')).toEqual({
      stats: { userID: 'alice', videoBitrate: 1000, videoWidth: 640, videoHeight: 360, frameRate: 15, audioSampleRate: 48_000, audioBitrate: 32 },
      downLoss: (100 * 10) / 300,
      jitterMs: 12,
    });
  });

  it('uplink loss from the receiver reports over the window, else the last fraction', () => {
    const prev = new Map<string, StatLike>([
      ['o', { id: 'o', type: 'outbound-rtp', timestamp: 1000, kind: 'video', bytesSent: 0, packetsSent: 1000 }],
      ['r', { id: 'r', type: 'remote-inbound-rtp', timestamp: 1000, packetsLost: 5, localId: 'o' }],
    ]);
    const now: StatLike[] = [
      {
        id: 'o',
        type: 'outbound-rtp',
        timestamp: 2000,
        kind: 'video',
        bytesSent: 125_000,
        packetsSent: 1200,
        frameWidth: 640,
        frameHeight: 360,
        framesPerSecond: 15,
      },
      { id: 'r', type: 'remote-inbound-rtp', timestamp: 2000, packetsLost: 25, localId: 'o', fractionLost: 0.5, roundTripTime: 0.04 },
    ];
    const s = sentStats(now, prev);
    expect(s.upLoss).toBe(10);
    expect(s.rttMs).toBe(40);
    expect(s.stats).toMatchObject({ userID: '', videoBitrate: 1000, videoWidth: 640 });
    expect(sentStats(now, new Map()).upLoss).toBe(50); // first reading: the report's own fraction
  });

  it("sums the loss of a simulcast camera's layers (not the worst layer's share)", () => {
    const layer = (id: string, sent: number, lost: number, t: number): StatLike[] => [
      { id, type: 'outbound-rtp', timestamp: t, kind: 'video', bytesSent: 0, packetsSent: sent },
      { id: `r${id}`, type: 'remote-inbound-rtp', timestamp: t, kind: 'video', packetsLost: lost, localId: id },
    ];
    const prev = new Map([...layer('q', 0, 0, 1000), ...layer('f', 0, 0, 1000)].map((x) => [x.id, x]));
    // q: 100 sent, 50 lost; f: 900 sent, none lost → 50 of 1000 = 5 %.
    expect(sentStats([...layer('q', 100, 50, 2000), ...layer('f', 900, 0, 2000)], prev).upLoss).toBe(5);
  });
});
