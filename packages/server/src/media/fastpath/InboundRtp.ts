import type { RtpPacket } from 'werift';

/**
 * One received RTP packet as the forwarding path needs it, made once per packet from werift's decrypted packet and
 * shared by every subscriber: the fields a subscriber's header is rewritten from, and the payload (never copied).
 */
export interface InboundRtp {
  readonly ssrc: number;
  readonly seq: number;
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Buffer;
  /** abs-send-time at arrival (6.18 fixed-point seconds, 24 bits). */
  readonly absSendTime: number;
  /** `performance.now()` at arrival: read once per packet, not once per subscriber. */
  readonly arrivedAt: number;
}

/** abs-send-time now: 24 bits of 6.18 fixed-point seconds (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time). */
export function absSendTimeNow(now = performance.now()): number {
  const seconds = (performance.timeOrigin + now) / 1000;
  return Math.floor(seconds * 262144) & 0xffffff;
}

export function inboundOf(rtp: RtpPacket, arrivedAt = performance.now()): InboundRtp {
  const h = rtp.header;
  return {
    ssrc: h.ssrc,
    seq: h.sequenceNumber,
    timestamp: h.timestamp,
    marker: h.marker,
    payload: rtp.payload,
    absSendTime: absSendTimeNow(arrivedAt),
    arrivedAt,
  };
}
