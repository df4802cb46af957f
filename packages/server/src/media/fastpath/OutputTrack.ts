import { RTP_EXTENSION_URI, RtpHeader, RtpPacket, type GenericNack, type RTCRtpSender } from 'werift';
import type { InboundRtp } from './InboundRtp.js';
import { absSendTimeNow } from './InboundRtp.js';
import { compactNtp, ntpOf } from './ntp.js';
import type { SenderReport } from './rtcpPackets.js';
import type { Reporter, SubscriberOutput } from './SubscriberOutput.js';
import { senderInternals, type SenderInternals } from './weriftInternals.js';

/** Writes a 24-bit big-endian value (the abs-send-time extension) without `writeUIntBE`'s generic path. */
function writeUint24(b: Buffer, at: number, v: number): void {
  b[at] = (v >>> 16) & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = v & 0xff;
}

/** Packets kept per video track for retransmission on NACK (~2.5 s at 200 packets/s). */
export const NACK_HISTORY = 512;
/** At most this many packets are retransmitted for one NACK (a NACK storm must not become a send storm). */
export const NACK_MAX_PER_REQUEST = 64;

/**
 * One published track as one subscriber receives it: what a subscriber's m-section sends. `forward()` is the whole
 * per-packet, per-subscriber work of the fast path: rewrite the 12-byte header in place (SSRC and payload type of
 * this m-section; sequence number and timestamp shifted by this track's offsets; MID and abs-send-time extensions
 * when negotiated), SRTP-protect it with the payload (one allocation: the datagram) and hand it to the socket.
 * Video keeps the last `NACK_HISTORY` packets (references, no copies) and retransmits them on NACK.
 *
 * A caller that renumbers packets itself (a simulcast layer selector: sequence numbers and timestamps continuous
 * across layers, VP8 picture ids rewritten) passes an `InboundRtp` with its own `seq`/`timestamp`/`payload` and a
 * `ssrc` that stays the same across layers: the offsets here change only when `ssrc` does.
 */
export class OutputTrack implements Reporter {
  readonly #s: SenderInternals;
  #header = Buffer.alloc(12);
  #pt = -1;
  #absAt = -1;
  /** Offsets from the source's sequence numbers and timestamps to ours. */
  #seqOffset = 0;
  #tsOffset = 0;
  #source: number | undefined;
  #lastSeq = -1;
  #lastTs = 0;
  #lastSentAt = 0;
  #clockRate = 90_000;
  /** Packets and payload octets sent (what sender reports carry). */
  packets = 0;
  octets = 0;
  retransmitted = 0;
  /** Distinct packets the viewer NACKed (a packet asked for again in a later NACK counts once). */
  nacked = 0;
  #lastNacked = -1;
  /** Called after each NACK from the viewer (the subscriber watches its layer steps with it). */
  onNack: (() => void) | undefined;
  readonly #histPkt: (InboundRtp | undefined)[];
  readonly #histSeq: Int32Array;
  readonly #histTs: Uint32Array;
  #unsubscribe: () => void;

  constructor(
    readonly output: SubscriberOutput,
    readonly sender: RTCRtpSender,
    readonly kind: 'audio' | 'video',
    private readonly onError: (err: unknown, context: string) => void = () => undefined,
  ) {
    this.#s = senderInternals(sender);
    const history = kind === 'video' ? NACK_HISTORY : 0;
    this.#histPkt = new Array<InboundRtp | undefined>(history);
    this.#histSeq = new Int32Array(history).fill(-1);
    this.#histTs = new Uint32Array(history);
    const { unSubscribe } = sender.onGenericNack.subscribe((nack: GenericNack) => {
      this.#countNacked(nack.lost);
      this.retransmit(nack.lost);
      this.onNack?.();
    });
    this.#unsubscribe = unSubscribe;
    output.addReporter(this);
  }

  /** Sends `p` to this subscriber. */
  forward(p: InboundRtp): void {
    const ctx = this.output.context(this.sender.dtlsTransport);
    if (!ctx) {
      if (this.output.mode === 'werift') this.#viaWerift(p);
      return;
    }
    const pt = this.#s.codec?.payloadType;
    if (pt === undefined) return; // not negotiated yet
    if (pt !== this.#pt) this.#template(pt);
    if (p.ssrc !== this.#source) this.#rebase(p);
    const seq = (p.seq + this.#seqOffset) & 0xffff;
    const ts = (p.timestamp + this.#tsOffset) >>> 0;
    const h = this.#header;
    h[1] = (p.marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(seq, 2);
    h.writeUInt32BE(ts, 4);
    if (this.#absAt >= 0) writeUint24(h, this.#absAt, p.absSendTime);
    this.output.send(ctx.protectRtpParts(h, p.payload));
    this.packets++;
    this.octets += p.payload.length;
    this.#lastSeq = seq;
    this.#lastTs = ts;
    this.#lastSentAt = p.arrivedAt;
    if (this.#histSeq.length > 0) {
      const slot = seq % this.#histSeq.length;
      this.#histPkt[slot] = p;
      this.#histSeq[slot] = seq;
      this.#histTs[slot] = ts;
    }
  }

  /** Counts the sequence numbers newer than any NACKed before (a browser asks again for a missing packet a few times). */
  #countNacked(lost: readonly number[]): void {
    for (const seq of lost) {
      const ahead = (seq - this.#lastNacked) & 0xffff;
      if (this.#lastNacked >= 0 && (ahead === 0 || ahead >= 0x8000)) continue;
      this.nacked++;
      this.#lastNacked = seq;
    }
  }

  /** Sends again the packets a NACK names (as they were sent: same sequence number, timestamp and SRTP index). */
  retransmit(lost: readonly number[]): void {
    const ctx = this.output.context(this.sender.dtlsTransport);
    if (!ctx || this.#histSeq.length === 0) return;
    const h = this.#header;
    for (const seq of lost.slice(0, NACK_MAX_PER_REQUEST)) {
      const slot = seq % this.#histSeq.length;
      const p = this.#histPkt[slot];
      if (!p || this.#histSeq[slot] !== seq) continue;
      h[1] = (p.marker ? 0x80 : 0) | this.#pt;
      h.writeUInt16BE(seq, 2);
      h.writeUInt32BE(this.#histTs[slot] as number, 4);
      if (this.#absAt >= 0) writeUint24(h, this.#absAt, absSendTimeNow());
      this.output.send(ctx.protectRtpParts(h, p.payload));
      this.retransmitted++;
    }
  }

  /** This track's sender report (with its CNAME), when it has sent anything. */
  report(now: number): SenderReport | undefined {
    if (this.packets === 0) return undefined;
    const ntp = ntpOf(now);
    const elapsed = performance.now() - this.#lastSentAt;
    const rtpTimestamp = (this.#lastTs + Math.round((elapsed * this.#clockRate) / 1000)) >>> 0;
    // werift's sender computes the round-trip time from receiver reports that echo its last SR.
    this.#s.lastSRtimestamp = compactNtp(ntp);
    this.#s.lastSentSRTimestamp = Date.now() / 1000;
    return {
      ssrc: this.sender.ssrc,
      ntp,
      rtpTimestamp,
      packetCount: this.packets,
      octetCount: this.octets,
      ...(this.#s.cname ? { cname: this.#s.cname } : {}),
    };
  }

  /** The 12-byte header (plus MID / abs-send-time one-byte extensions when negotiated) for payload type `pt`. */
  #template(pt: number): void {
    this.#pt = pt;
    this.#clockRate = this.#s.codec?.clockRate ?? (this.kind === 'audio' ? 48_000 : 90_000);
    const exts = this.#s.headerExtensions ?? [];
    const mid = this.#s.mid;
    const elements: Buffer[] = [];
    let absAt = -1;
    let offset = 12 + 4;
    for (const e of exts) {
      if (e.id < 1 || e.id > 14) continue;
      if (e.uri === RTP_EXTENSION_URI.sdesMid && mid) {
        const value = Buffer.from(mid, 'ascii').subarray(0, 16);
        elements.push(Buffer.concat([Buffer.from([(e.id << 4) | (value.length - 1)]), value]));
        offset += 1 + value.length;
      } else if (e.uri === RTP_EXTENSION_URI.absSendTime) {
        elements.push(Buffer.from([(e.id << 4) | 2, 0, 0, 0]));
        absAt = offset + 1;
        offset += 4;
      }
    }
    let ext = Buffer.concat(elements);
    if (ext.length % 4) ext = Buffer.concat([ext, Buffer.alloc(4 - (ext.length % 4))]);
    const header = Buffer.alloc(12 + (ext.length > 0 ? 4 + ext.length : 0));
    header[0] = ext.length > 0 ? 0x90 : 0x80;
    header.writeUInt32BE(this.sender.ssrc >>> 0, 8);
    if (ext.length > 0) {
      header.writeUInt16BE(0xbede, 12);
      header.writeUInt16BE(ext.length / 4, 14);
      ext.copy(header, 16);
    }
    this.#header = header;
    this.#absAt = ext.length > 0 ? absAt : -1;
  }

  /**
   * A new source (first packet, or the publisher's SSRC changed): continue our sequence numbers and timestamps from
   * where they are (werift's offsets for the first packet, so a stream werift started goes on seamlessly).
   */
  #rebase(p: InboundRtp): void {
    if (this.#source === undefined || this.#lastSeq < 0) {
      this.#seqOffset = this.#s.seqOffset;
      this.#tsOffset = this.#s.timestampOffset;
      if (this.#s.sequenceNumber !== undefined) {
        this.packets = this.#s.packetCount;
        this.octets = this.#s.octetCount;
      }
    } else {
      const step = Math.round(this.#clockRate / 50); // one 20 ms frame
      this.#seqOffset = (this.#lastSeq + 1 - p.seq) & 0xffff;
      this.#tsOffset = (this.#lastTs + step - p.timestamp) >>> 0;
    }
    this.#source = p.ssrc;
  }

  /** The fast path is not available on this transport: werift's sender sends (its own objects, SRTP and reports). */
  #viaWerift(p: InboundRtp): void {
    const header = new RtpHeader({ payloadType: 0, sequenceNumber: p.seq, timestamp: p.timestamp, marker: p.marker, ssrc: p.ssrc });
    this.sender.sendRtp(new RtpPacket(header, p.payload)).catch((err: unknown) => this.onError(err, 'forwarding through werift'));
  }

  close(): void {
    this.#unsubscribe();
    this.output.removeReporter(this);
    this.#histPkt.fill(undefined);
  }
}
