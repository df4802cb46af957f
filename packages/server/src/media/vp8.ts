/**
 * The few VP8 RTP payload fields (RFC 7741) a simulcast switch needs: where a keyframe starts (and its size), and the
 * picture id / TL0PICIDX the forwarder rewrites so a viewer's decoder sees one continuous stream across layers.
 */

/** What one VP8 packet's payload descriptor says. Offsets are -1 when the field is absent. */
export interface Vp8Info {
  /** First packet of a keyframe (start of partition 0, inverse key flag clear). */
  keyframe: boolean;
  /** Frame size from the keyframe header (0 when not a keyframe start). */
  width: number;
  height: number;
  pictureId: number;
  /** Offset of the picture id; `pictureIdBits` 7 or 15. */
  pictureIdOffset: number;
  pictureIdBits: 7 | 15;
  tl0PicIdx: number;
  tl0Offset: number;
}

/** Parses the payload descriptor (and a keyframe's size); null when the payload is too short to be VP8. */
export function parseVp8(payload: Uint8Array, out: Vp8Info = emptyInfo()): Vp8Info | null {
  out.keyframe = false;
  out.width = 0;
  out.height = 0;
  out.pictureId = -1;
  out.pictureIdOffset = -1;
  out.pictureIdBits = 7;
  out.tl0PicIdx = -1;
  out.tl0Offset = -1;
  const b0 = payload[0];
  if (b0 === undefined) return null;
  let i = 1;
  if (b0 & 0x80) {
    const x = payload[i++];
    if (x === undefined) return null;
    if (x & 0x80) {
      const p = payload[i];
      if (p === undefined) return null;
      out.pictureIdOffset = i;
      if (p & 0x80) {
        const p2 = payload[i + 1];
        if (p2 === undefined) return null;
        out.pictureId = ((p & 0x7f) << 8) | p2;
        out.pictureIdBits = 15;
        i += 2;
      } else {
        out.pictureId = p & 0x7f;
        i += 1;
      }
    }
    if (x & 0x40) {
      const t = payload[i];
      if (t === undefined) return null;
      out.tl0PicIdx = t;
      out.tl0Offset = i;
      i += 1;
    }
    if (x & 0x30) i += 1; // TID/Y/KEYIDX
  }
  const start = (b0 & 0x10) !== 0 && (b0 & 0x0f) === 0;
  const h0 = payload[i];
  if (h0 === undefined) return i === payload.length ? out : null;
  if (start && (h0 & 0x01) === 0) {
    out.keyframe = true;
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height (little endian, 2 bits of scale each).
    if (payload.length >= i + 10 && payload[i + 3] === 0x9d && payload[i + 4] === 0x01 && payload[i + 5] === 0x2a) {
      out.width = (((payload[i + 7] ?? 0) << 8) | (payload[i + 6] ?? 0)) & 0x3fff;
      out.height = (((payload[i + 9] ?? 0) << 8) | (payload[i + 8] ?? 0)) & 0x3fff;
    }
  }
  return out;
}

export function emptyInfo(): Vp8Info {
  return { keyframe: false, width: 0, height: 0, pictureId: -1, pictureIdOffset: -1, pictureIdBits: 7, tl0PicIdx: -1, tl0Offset: -1 };
}

/**
 * A copy of `payload` with the picture id and TL0PICIDX moved by `pictureIdDelta` / `tl0Delta` (modulo their
 * sizes). The original is not touched (every viewer's copy has its own deltas).
 */
export function rewriteVp8(payload: Buffer, info: Vp8Info, pictureIdDelta: number, tl0Delta: number): Buffer {
  const out = Buffer.from(payload);
  if (info.pictureIdOffset >= 0 && pictureIdDelta !== 0) {
    if (info.pictureIdBits === 15) {
      const v = (info.pictureId + pictureIdDelta) & 0x7fff;
      out[info.pictureIdOffset] = 0x80 | (v >> 8);
      out[info.pictureIdOffset + 1] = v & 0xff;
    } else {
      out[info.pictureIdOffset] = (info.pictureId + pictureIdDelta) & 0x7f;
    }
  }
  if (info.tl0Offset >= 0 && tl0Delta !== 0) out[info.tl0Offset] = (info.tl0PicIdx + tl0Delta) & 0xff;
  return out;
}
