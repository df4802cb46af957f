/** Reading RTP/RTCP fields straight from a Buffer (no packet objects). */

/** Length of the RTP header (fixed part, CSRCs, header extension), or -1 when `buf` is not a whole RTP header. */
export function rtpHeaderLength(buf: Buffer): number {
  if (buf.length < 12 || (buf[0] as number) >> 6 !== 2) return -1;
  let len = 12 + ((buf[0] as number) & 0x0f) * 4;
  if ((buf[0] as number) & 0x10) {
    if (buf.length < len + 4) return -1;
    len += 4 + buf.readUInt16BE(len + 2) * 4;
  }
  return len <= buf.length ? len : -1;
}

export const rtpSeq = (buf: Buffer): number => buf.readUInt16BE(2);
export const rtpTimestamp = (buf: Buffer): number => buf.readUInt32BE(4);
export const rtpSsrc = (buf: Buffer): number => buf.readUInt32BE(8);
export const rtpPayloadType = (buf: Buffer): number => (buf[1] as number) & 0x7f;
export const rtpMarker = (buf: Buffer): boolean => ((buf[1] as number) & 0x80) !== 0;

/** RTCP packet types 192–223 share the second byte with RTP payload types (RFC 5761 §4). */
export const isRtcp = (buf: Buffer): boolean => buf.length >= 8 && (buf[1] as number) >= 192 && (buf[1] as number) <= 223;
