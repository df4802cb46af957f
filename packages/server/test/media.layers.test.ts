/** Simulcast layer choice (pure logic): the selector's rewriting across switches, the layer rule, VP8 parsing. */
import { describe, expect, it } from 'vitest';
import { LayerSelector, type PacketMeta, type Routed } from '../src/media/LayerSelector.js';
import {
  allocate,
  decideLayers,
  DEFAULT_POLICY,
  LossFilter,
  newTrackState,
  stepUpFailed,
  undoStepUp,
  viewLimit,
  type LayerStat,
} from '../src/media/layerPolicy.js';
import { parseVp8, rewriteVp8 } from '../src/media/vp8.js';
import { guardRouting, nackPerSsrc } from '../src/media/weriftSimulcast.js';
import { RTCPeerConnection, RTP_EXTENSION_URI, RtpHeader, RtpPacket } from 'werift';

const meta = (keyframe: boolean, pictureId = -1, tl0PicIdx = -1): PacketMeta => ({ keyframe, pictureId, pictureIdBits: 15, tl0PicIdx });
const out = (): Routed => ({ seq: 0, ts: 0, pictureIdDelta: 0, tl0Delta: 0 });

describe('LayerSelector', () => {
  it('starts at a keyframe of the target, keeps the old layer until the new one has a keyframe, then continues seq/ts/picture id', () => {
    const asked: string[] = [];
    const switched: [string | undefined, string, number][] = [];
    const sel = new LayerSelector<string>(
      (l) => asked.push(l),
      (from, to, setAt, now) => switched.push([from, to, now - setAt]),
    );
    const o = out();
    sel.setTarget('f', 0);
    expect(asked).toEqual(['f']);
    // Nothing before a keyframe of the target; nothing of other layers.
    expect(sel.route('f', 100, 9000, meta(false, 10), 10, o)).toBe(false);
    expect(sel.route('q', 500, 1000, meta(true, 70), 10, o)).toBe(false);
    // The first keyframe passes unchanged.
    expect(sel.route('f', 101, 9000, meta(true, 11, 3), 20, o)).toBe(true);
    expect(o).toEqual({ seq: 101, ts: 9000, pictureIdDelta: 0, tl0Delta: 0 });
    expect(sel.route('f', 102, 12000, meta(false, 12, 3), 53, o)).toBe(true);
    expect([o.seq, o.ts]).toEqual([102, 12000]);

    // Switch down: f keeps flowing until q's keyframe.
    sel.setTarget('q', 60);
    expect(asked).toEqual(['f', 'q']);
    expect(sel.switching).toBe(true);
    expect(sel.route('q', 600, 50_000, meta(false, 80), 70, o)).toBe(false);
    expect(sel.route('f', 103, 15000, meta(false, 13, 4), 86, o)).toBe(true);
    expect(o.seq).toBe(103);
    // q's keyframe 30 ms later: seq 104, ts + 30 ms at 90 kHz, picture id 14, TL0PICIDX 5.
    expect(sel.route('q', 601, 53_000, meta(true, 81, 40), 116, o)).toBe(true);
    expect(o.seq).toBe(104);
    expect(o.ts).toBe(15000 + 30 * 90);
    expect((81 + o.pictureIdDelta) & 0x7fff).toBe(14);
    expect((40 + o.tl0Delta) & 0xff).toBe(5);
    expect(sel.route('q', 602, 53_000, meta(false, 81, 40), 117, o)).toBe(true);
    expect(o.seq).toBe(105);
    // The old layer is dropped now; an older packet of the new layer (from before its keyframe) too.
    expect(sel.route('f', 104, 18000, meta(false, 14), 118, o)).toBe(false);
    expect(sel.route('q', 599, 50_000, meta(false, 79), 119, o)).toBe(false);
    // A retransmission of a packet after the keyframe keeps its place.
    expect(sel.route('q', 602, 53_000, meta(false, 81, 40), 120, o)).toBe(true);
    expect(o.seq).toBe(105);
    expect(switched).toEqual([
      [undefined, 'f', 20],
      ['f', 'q', 56],
    ]);
    expect(sel.switching).toBe(false);
  });

  it('asks again for the keyframe every second while it does not come, and wraps sequence numbers', () => {
    const asked: number[] = [];
    const sel = new LayerSelector<string>(() => asked.push(asked.length));
    const o = out();
    sel.setTarget('h', 0);
    expect(sel.route('h', 65_535, 0xffff_ff00, meta(false), 500, o)).toBe(false);
    expect(asked).toHaveLength(1);
    expect(sel.route('h', 65_535, 0xffff_ff00, meta(false), 1000, o)).toBe(false);
    expect(asked).toHaveLength(2);
    expect(sel.route('h', 65_535, 0xffff_ff00, meta(true), 1001, o)).toBe(true);
    expect(sel.route('h', 0, 0x0000_0100, meta(false), 1040, o)).toBe(true);
    expect([o.seq, o.ts]).toEqual([0, 0x100]);
    sel.setTarget('q', 1050);
    expect(sel.route('q', 30_000, 5, meta(true), 1060, o)).toBe(true);
    expect(o.seq).toBe(1);
    expect(o.ts).toBe(0x100 + 20 * 90);
  });
});

const layer = (width: number, bitrate: number, active = true): LayerStat => ({ width, height: (width * 9) / 16, bitrate, active });
const L3 = [layer(320, 150_000), layer(640, 450_000), layer(1280, 1_500_000)];

describe('layer rule', () => {
  it('a view gets the smallest layer that covers it; no view or an unknown size: the top', () => {
    expect(viewLimit(L3, { width: 160, height: 90 })).toBe(0);
    expect(viewLimit(L3, { width: 360, height: 200 })).toBe(0); // 320 ≥ 85 % of 360
    expect(viewLimit(L3, { width: 400, height: 225 })).toBe(1);
    expect(viewLimit(L3, { width: 1920, height: 1080 })).toBe(2);
    expect(viewLimit(L3, undefined)).toBe(2);
    expect(viewLimit([layer(0, 0), layer(0, 0), layer(0, 0)], { width: 160, height: 90 })).toBe(2);
    // An idle layer is never chosen.
    expect(viewLimit([layer(320, 1, false), layer(640, 1), layer(1280, 1)], { width: 160, height: 90 })).toBe(1);
    expect(viewLimit([layer(320, 1), layer(640, 1), layer(1280, 1, false)], undefined)).toBe(1);
  });

  it('allocates a budget: lowest layers first, then the biggest views step up', () => {
    const big = { layers: L3, limit: 2, area: 1280 * 720 };
    const small = { layers: L3, limit: 2, area: 320 * 180 };
    expect(allocate([big, small], undefined)).toEqual([2, 2]);
    expect(allocate([big, small], 100_000)).toEqual([0, 0]);
    expect(allocate([big, small], 800_000)).toEqual([1, 0]);
    expect(allocate([big, small], 900_000)).toEqual([1, 1]);
    expect(allocate([big, small], 1_700_000)).toEqual([1, 1]);
    expect(allocate([big, small], 2_000_000)).toEqual([2, 1]);
    expect(allocate([{ ...big, limit: 1 }, small], 5_000_000)).toEqual([1, 2]);
  });

  it('steps down at once on congestion, up only after the hold, and doubles the hold after a failed step up', () => {
    const state = newTrackState();
    const track = { layers: L3, view: undefined, state };
    const d = (remb: number | undefined, now: number, loss = 0) => decideLayers([track], { remb, loss }, now)[0];
    expect(d(undefined, 0)).toBe(0); // the first layer: the smallest (quickest first frame)
    expect(d(undefined, 100)).toBe(2); // then at once (no hold) what the view and estimate allow: no estimate yet, the top
    expect(d(1_400_000, 500)).toBe(2); // just under the rate: a receiver's estimate still ramping, not congestion
    expect(d(500_000, 1000)).toBe(1); // congestion: what 90 % of 500k pays for (q + h)
    expect(d(5_000_000, 2000)).toBe(1); // room again, but inside the 4 s hold
    expect(d(5_000_000, 5000)).toBe(2); // after the hold
    expect(d(300_000, 6000)).toBe(0); // failed: down within 8 s of the step up → hold 8 s
    expect(state.upHoldMs).toBe(DEFAULT_POLICY.upHoldMs * 2);
    expect(d(5_000_000, 6000 + DEFAULT_POLICY.upHoldMs + 100)).toBe(0);
    expect(d(5_000_000, 6000 + 2 * DEFAULT_POLICY.upHoldMs)).toBe(2);
    // With a REMB, the REMB decides (loss alone is no reason); without one, loss steps down one layer.
    expect(d(5_000_000, 30_000, 0.2)).toBe(2);
    expect(d(undefined, 30_001, 0.2)).toBe(1);
  });

  it('without REMB, probes nothing and keeps the view limit; a smaller view shrinks at once, a bigger one after the hold', () => {
    const state = newTrackState();
    const track = { layers: L3, view: { width: 160, height: 90 } as { width: number; height: number } | undefined, state };
    const d = (now: number) => decideLayers([track], { remb: undefined, loss: 0 }, now)[0];
    expect(d(0)).toBe(0);
    expect(d(10)).toBe(0);
    track.view = { width: 1280, height: 720 };
    expect(d(1000)).toBe(2); // no switch yet since the start: no hold
    track.view = { width: 160, height: 90 };
    expect(d(1100)).toBe(0);
    track.view = { width: 1280, height: 720 };
    expect(d(2000)).toBe(0);
    expect(d(5100)).toBe(2);
    track.view = { width: 640, height: 360 };
    expect(d(4100)).toBe(1);
  });

  it('a REMB still ramping up is congestion only with loss; once the REMB has gone down it decides alone again', () => {
    const state = newTrackState();
    const track = { layers: L3, view: undefined, state };
    const d = (remb: number | undefined, now: number, loss = 0, rembRamping = true) => decideLayers([track], { remb, rembRamping, loss }, now)[0];
    expect(d(undefined, 0)).toBe(0);
    expect(d(undefined, 100)).toBe(2);
    expect(d(900_000, 1000)).toBe(2); // a first REMB well under the rate, nothing lost: the estimate ramping, no congestion
    expect(d(1_000_000, 1500, 0.05)).toBe(1); // under the rate with loss (> 2 %) while it ramps: congestion
    expect(d(500_000, 7000, 0, false)).toBe(1); // it went down: the REMB decides (90 % of 500k pays for h, no probe of f)
    expect(d(300_000, 7500, 0, false)).toBe(0); // under 80 % of h's rate: congestion
  });

  it('probes one layer up when the REMB is well above what is sent and nothing is lost', () => {
    const state = newTrackState();
    const track = { layers: L3, view: undefined, state };
    expect(decideLayers([track], { remb: 200_000, loss: 0 }, 0)[0]).toBe(0);
    track.state.lastSwitchAt = 0;
    // 1.3 × 150k = 195k: the link is not full; after the hold, try h even though the budget does not pay for it.
    expect(decideLayers([track], { remb: 240_000, loss: 0 }, 1000)[0]).toBe(0);
    expect(decideLayers([track], { remb: 240_000, loss: 0 }, 4500)[0]).toBe(1);
    // Room for the next probe (1.5 × 450k) but some loss: no probe.
    expect(decideLayers([track], { remb: 700_000, loss: 0.05 }, 20_000)[0]).toBe(1);
    expect(decideLayers([track], { remb: 700_000, loss: 0 }, 20_001)[0]).toBe(2);
  });

  it('a step up the viewer NACKs heavily within 2 s fails at once; undoing it goes back and doubles the wait before the next', () => {
    // More than 10 % of what was sent since, and at least 10 packets (a few random losses are no reason).
    expect(stepUpFailed({ ms: 300, sent: 50, nacked: 12 })).toBe(true);
    expect(stepUpFailed({ ms: 300, sent: 200, nacked: 12 })).toBe(false); // 6 %
    expect(stepUpFailed({ ms: 300, sent: 20, nacked: 9 })).toBe(false); // too few to tell
    expect(stepUpFailed({ ms: 2500, sent: 50, nacked: 40 })).toBe(false); // too long after: the receiver reports decide
    const state = newTrackState();
    const track = { layers: L3, view: undefined, state };
    expect(decideLayers([track], { remb: 200_000, loss: 0 }, 0)[0]).toBe(0);
    track.state.lastSwitchAt = 0;
    expect(decideLayers([track], { remb: 240_000, loss: 0 }, 4500)[0]).toBe(1); // a probe
    expect(undoStepUp(state, 0, 4800)).toBe(0);
    expect(state.current).toBe(0);
    expect(state.upHoldMs).toBe(DEFAULT_POLICY.upHoldMs * 2);
    // The REMB still leaves room, but the next try waits for the doubled hold.
    expect(decideLayers([track], { remb: 240_000, loss: 0 }, 4800 + DEFAULT_POLICY.upHoldMs + 100)[0]).toBe(0);
    expect(decideLayers([track], { remb: 240_000, loss: 0 }, 4800 + 2 * DEFAULT_POLICY.upHoldMs)[0]).toBe(1);
  });

  it('smooths the loss of receiver reports', () => {
    const f = new LossFilter();
    expect(f.add(0.2)).toBeCloseTo(0.1);
    expect(f.add(0.2)).toBeCloseTo(0.15);
    expect(f.add(0)).toBeCloseTo(0.075);
  });
});

describe('VP8 payload', () => {
  // Descriptor: X=1 S=1 PID=0 | I=1 L=1 T=1 | M=1 picture id 0x1234 | TL0PICIDX 7 | TID byte | keyframe header 640×360.
  const key = Buffer.from([0x90, 0xe0, 0x80 | 0x12, 0x34, 7, 0x20, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01, 0xaa]);
  const delta = Buffer.from([0x90, 0xe0, 0x92, 0x35, 7, 0x20, 0x11, 0x00, 0x00]);

  it('finds keyframes, their size, the picture id and TL0PICIDX', () => {
    expect(parseVp8(key)).toMatchObject({ keyframe: true, width: 640, height: 360, pictureId: 0x1234, pictureIdBits: 15, tl0PicIdx: 7 });
    expect(parseVp8(delta)).toMatchObject({ keyframe: false, width: 0, pictureId: 0x1235 });
    // Not the start of a partition: not a keyframe start.
    expect(parseVp8(Buffer.from([0x80, 0x80, 0x92, 0x35, 0x10, 0x02, 0x00]))?.keyframe).toBe(false);
    expect(parseVp8(Buffer.from([]))).toBeNull();
    expect(parseVp8(Buffer.from([0x90, 0x80, 0x92]))).toBeNull();
  });

  it('rewrites picture id (15 and 7 bit) and TL0PICIDX in a copy', () => {
    const info = parseVp8(key);
    if (!info) throw new Error('parse failed');
    const moved = rewriteVp8(key, info, 0x7fff - 0x1234 + 2, 250);
    expect(parseVp8(moved)).toMatchObject({ pictureId: 1, tl0PicIdx: 1, keyframe: true, width: 640 });
    expect(key[2]).toBe(0x92); // the original is untouched
    const short = Buffer.from([0x90, 0x80, 0x7e, 0x10, 0x02, 0x00]);
    const sInfo = parseVp8(short);
    if (!sInfo) throw new Error('parse failed');
    expect(sInfo.pictureIdBits).toBe(7);
    expect(parseVp8(rewriteVp8(short, sInfo, 3, 0))?.pictureId).toBe(1);
  });
});

describe('werift simulcast workarounds', () => {
  it('a packet with a rid nobody negotiated is dropped and reported instead of throwing', async () => {
    const pc = new RTCPeerConnection();
    const router = (pc as unknown as { router: { routeRtp(p: RtpPacket): void; extIdUriMap: Record<number, string> } }).router;
    router.extIdUriMap[10] = RTP_EXTENSION_URI.sdesRTPStreamID;
    const packet = () =>
      new RtpPacket(
        new RtpHeader({ ssrc: 1234, sequenceNumber: 1, payloadType: 96, extension: true, extensions: [{ id: 10, payload: Buffer.from('zz') }] }),
        Buffer.from([0x10, 0x00]),
      );
    expect(() => router.routeRtp(packet())).toThrow(TypeError); // werift as it is
    const errors: unknown[] = [];
    guardRouting(pc, (err) => errors.push(err));
    expect(() => router.routeRtp(packet())).not.toThrow();
    router.routeRtp(packet()); // reported at most once a second
    expect(errors).toHaveLength(1);
    await pc.close();
  });

  it('each SSRC of a receiver gets its own NACK generator (interleaved layers are not losses)', async () => {
    const pc = new RTCPeerConnection();
    const { receiver } = pc.addTransceiver('video', { direction: 'recvonly' });
    const first = (receiver as unknown as { nack: { lostSeqNumbers: number[]; close(): void } }).nack;
    nackPerSsrc(receiver);
    const nack = (receiver as unknown as { nack: { addPacket(p: RtpPacket): void; close(): void } }).nack;
    const pkt = (ssrc: number, seq: number) => new RtpPacket(new RtpHeader({ ssrc, sequenceNumber: seq, payloadType: 96 }), Buffer.alloc(10));
    for (let i = 0; i < 5; i++) {
      nack.addPacket(pkt(1, 100 + i));
      nack.addPacket(pkt(2, 30_000 + i));
      nack.addPacket(pkt(3, 50_000 + i));
    }
    expect(first.lostSeqNumbers).toEqual([]);
    nack.addPacket(pkt(1, 107)); // 105 and 106 of SSRC 1 really are missing
    expect(first.lostSeqNumbers).toEqual([105, 106]);
    nack.close();
    await pc.close();
  });
});
