/**
 * Which simulcast layer one viewer gets of one published video track, and the header rewriting that makes the
 * switches invisible to its decoder. The forwarding code calls `route()` once per incoming packet per viewer; the
 * layer policy (layerPolicy.ts) calls `setTarget()`.
 *
 * A switch waits for a keyframe of the new layer (asked for at once, and again every `keyframeRetryMs` while it does
 * not come); until then the old layer keeps flowing. At the keyframe the sequence number, RTP timestamp, VP8 picture
 * id and TL0PICIDX continue from the last ones sent, so the viewer sees one stream.
 */

/** The VP8 fields of a packet the selector needs (see vp8.ts); -1 = absent. */
export interface PacketMeta {
  keyframe: boolean;
  pictureId: number;
  pictureIdBits: 7 | 15;
  tl0PicIdx: number;
}

/** What to write into the viewer's copy of a packet. */
export interface Routed {
  seq: number;
  ts: number;
  /** Added (modulo the field size) to the VP8 picture id and TL0PICIDX; 0 = leave the payload alone. */
  pictureIdDelta: number;
  tl0Delta: number;
}

/** 16-bit serial-number comparison: a is after b. */
const seqAfter = (a: number, b: number): boolean => a !== b && ((a - b) & 0xffff) < 0x8000;
const tsAfter = (a: number, b: number): boolean => a !== b && (a - b) >>> 0 < 0x80000000;

/** Packets after a switch during which older packets of the new layer (sent before its keyframe) are dropped. */
const GUARD_PACKETS = 500;

export class LayerSelector<L> {
  /** The layer being forwarded (undefined before the first keyframe). */
  current: L | undefined;
  /** The layer wanted. */
  target: L | undefined;
  #askedAt = -Infinity;
  #seqOffset = 0;
  #tsOffset = 0;
  #picDelta = 0;
  #tl0Delta = 0;
  #lastSeq = -1;
  #lastTs = 0;
  #lastAt = 0;
  #lastPic = -1;
  #lastTl0 = -1;
  #switchSeq = 0;
  #guard = 0;

  constructor(
    private readonly requestKeyframe: (layer: L) => void,
    /** Called at each switch (also the first layer), with when the target was set. */
    private readonly onSwitch: (from: L | undefined, to: L, targetSetAt: number, now: number) => void = () => undefined,
    private readonly keyframeRetryMs = 1000,
    private readonly clockRate = 90_000,
  ) {}

  #targetSetAt = 0;

  /** Wants `layer` from now on: asks for its keyframe unless it is already forwarded. */
  setTarget(layer: L, now: number): void {
    if (layer === this.target) return;
    this.target = layer;
    this.#targetSetAt = now;
    if (layer !== this.current) {
      this.#askedAt = now;
      this.requestKeyframe(layer);
    }
  }

  /** A switch is waiting for its keyframe. */
  get switching(): boolean {
    return this.target !== undefined && this.target !== this.current;
  }

  /**
   * One incoming packet of `layer`: false = this viewer does not get it; true = send it with `out`'s fields.
   * `now` is in milliseconds.
   */
  route(layer: L, seq: number, ts: number, meta: PacketMeta, now: number, out: Routed): boolean {
    if (layer !== this.current) {
      if (layer !== this.target) return false;
      if (!meta.keyframe) {
        if (now - this.#askedAt >= this.keyframeRetryMs) {
          this.#askedAt = now;
          this.requestKeyframe(layer);
        }
        return false;
      }
      this.#switchTo(layer, seq, ts, meta, now);
    } else if (this.#guard > 0) {
      this.#guard--;
      if (seqAfter(this.#switchSeq, seq)) return false; // sent before the keyframe we switched at
    }
    out.seq = (seq + this.#seqOffset) & 0xffff;
    out.ts = (ts + this.#tsOffset) >>> 0;
    out.pictureIdDelta = this.#picDelta;
    out.tl0Delta = this.#tl0Delta;
    const first = this.#lastSeq < 0;
    if (first || seqAfter(out.seq, this.#lastSeq)) {
      this.#lastSeq = out.seq;
      if (first || !tsAfter(this.#lastTs, out.ts)) {
        this.#lastTs = out.ts;
        this.#lastAt = now;
      }
      if (meta.pictureId >= 0) this.#lastPic = (meta.pictureId + this.#picDelta) & (meta.pictureIdBits === 15 ? 0x7fff : 0x7f);
      if (meta.tl0PicIdx >= 0) this.#lastTl0 = (meta.tl0PicIdx + this.#tl0Delta) & 0xff;
    }
    return true;
  }

  #switchTo(layer: L, seq: number, ts: number, meta: PacketMeta, now: number): void {
    const from = this.current;
    if (this.#lastSeq >= 0) {
      // Continue right after the last packet sent: next sequence number, the time that passed on the RTP clock.
      this.#seqOffset = (this.#lastSeq + 1 - seq) & 0xffff;
      const step = Math.max(1, Math.round(((now - this.#lastAt) * this.clockRate) / 1000));
      this.#tsOffset = (this.#lastTs + step - ts) >>> 0;
      const picMask = meta.pictureIdBits === 15 ? 0x7fff : 0x7f;
      this.#picDelta = meta.pictureId >= 0 && this.#lastPic >= 0 ? (this.#lastPic + 1 - meta.pictureId) & picMask : 0;
      this.#tl0Delta = meta.tl0PicIdx >= 0 && this.#lastTl0 >= 0 ? (this.#lastTl0 + 1 - meta.tl0PicIdx) & 0xff : 0;
    }
    this.current = layer;
    this.#switchSeq = seq;
    this.#guard = GUARD_PACKETS;
    this.onSwitch(from, layer, this.#targetSetAt, now);
  }
}
