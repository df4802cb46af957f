/**
 * The RTCP the fast path sends, written as bytes (RFC 3550 §6.4.1, §6.5): sender reports and one SDES packet with
 * the CNAME of each source, joined into one compound packet (reports first, as §6.1 requires).
 */

/** What one sending source reports. */
export interface SenderReport {
  ssrc: number;
  /** 64-bit NTP timestamp of `now`. */
  ntp: bigint;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  /** Written in the SDES packet when set. */
  cname?: string;
}

const SR_LENGTH = 28;

/** The compound packet for `reports` (one SR each, then one SDES with the CNAMEs), or undefined when there are none. */
export function compoundReport(reports: readonly SenderReport[]): Buffer | undefined {
  if (reports.length === 0) return undefined;
  // (an SDES packet holds at most 31 chunks: a subscriber has far fewer tracks)
  const chunks = reports
    .filter((r) => r.cname)
    .slice(0, 31)
    .map((r) => ({ ssrc: r.ssrc, cname: Buffer.from(r.cname as string, 'utf8').subarray(0, 255) }));
  // SDES chunk: SSRC, CNAME item (type, length, text), then 1–4 zero octets (the end of the item list) to a 32-bit boundary.
  const chunkLength = (c: { cname: Buffer }) => 4 + Math.ceil((2 + c.cname.length + 1) / 4) * 4;
  const sdesLength = chunks.length > 0 ? 4 + chunks.reduce((n, c) => n + chunkLength(c), 0) : 0;
  const out = Buffer.alloc(reports.length * SR_LENGTH + sdesLength);
  let at = 0;
  for (const r of reports) {
    out[at] = 0x80; // V=2, P=0, RC=0
    out[at + 1] = 200;
    out.writeUInt16BE(SR_LENGTH / 4 - 1, at + 2);
    out.writeUInt32BE(r.ssrc >>> 0, at + 4);
    out.writeUInt32BE(Number(r.ntp >> 32n) >>> 0, at + 8);
    out.writeUInt32BE(Number(r.ntp & 0xffffffffn) >>> 0, at + 12);
    out.writeUInt32BE(r.rtpTimestamp >>> 0, at + 16);
    out.writeUInt32BE(r.packetCount >>> 0, at + 20);
    out.writeUInt32BE(r.octetCount >>> 0, at + 24);
    at += SR_LENGTH;
  }
  if (chunks.length > 0) {
    out[at] = 0x80 | chunks.length;
    out[at + 1] = 202;
    out.writeUInt16BE(sdesLength / 4 - 1, at + 2);
    at += 4;
    for (const c of chunks) {
      out.writeUInt32BE(c.ssrc >>> 0, at);
      out[at + 4] = 1; // CNAME
      out[at + 5] = c.cname.length;
      c.cname.copy(out, at + 6);
      at += chunkLength(c); // the rest is zeros already
    }
  }
  return out;
}
