import {
  RtcpPayloadSpecificFeedback,
  ReceiverEstimatedMaxBitrate,
  RTP_EXTENSION_URI,
  type Extensions,
  type MediaStreamTrack,
  type RTCRtpReceiver,
  type RtpPacket,
} from 'werift';
import { inboundOf, type InboundRtp } from './fastpath/InboundRtp.js';
import type { MediaKind } from './sdp.js';

/**
 * Where a published track's packets go: one subscriber's m-section (`fastpath/OutputTrack`). `forward` rewrites,
 * protects and sends one packet to that subscriber; the packet is shared and must not be changed.
 */
export interface Sink {
  forward(packet: InboundRtp): void;
}

/**
 * One track a user publishes (one m-section of their publish transport). Forwards every RTP packet to its sinks
 * while `active` (the packet is read once into an `InboundRtp`; each sink writes its own header, without the
 * publisher's header extensions, whose ids mean nothing on the subscriber's transport), requests keyframes (throttled, with a trailing request so none is lost) and caps the
 * publisher's video bitrate with REMB.
 */
export class PublishedTrack {
  readonly sinks = new Set<Sink>();
  /** Forwarding allowed (offered by the publisher and permitted by the seat). */
  active = false;
  /** Loudest audio level since the last report, 0–100 (audio only). */
  level = 0;
  ssrc: number | undefined;
  packets = 0;
  #lastKeyframeAt = -Infinity;
  #keyframeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: () => void;

  constructor(
    readonly userId: string,
    readonly kind: MediaKind,
    readonly mid: string,
    track: MediaStreamTrack,
    readonly receiver: RTCRtpReceiver,
    private readonly keyframeIntervalMs: number,
    private readonly onError: (err: unknown, context: string) => void = () => undefined,
  ) {
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp, ext) => this.#onRtp(rtp, ext));
    this.#unsubscribe = unSubscribe;
  }

  #onRtp(rtp: RtpPacket, ext: Extensions | undefined): void {
    this.packets++;
    if (this.ssrc === undefined) {
      this.ssrc = rtp.header.ssrc;
      // A new encoder starts with a keyframe: ask again only if someone asked before its first packet.
      if (this.#keyframeWanted) this.requestKeyframe();
    }
    if (!this.active) return;
    if (this.kind === 'audio' && ext) {
      const al = ext[RTP_EXTENSION_URI.audioLevelIndication] as { level: number } | undefined;
      if (al) this.level = Math.max(this.level, levelOf(al.level));
    }
    if (this.sinks.size === 0) return;
    const packet = inboundOf(rtp);
    for (const sink of this.sinks) {
      try {
        sink.forward(packet);
      } catch (err) {
        this.#sendFailed(err);
      }
    }
  }

  /** Logs a failed send once per second at most (a broken subscriber transport fails every packet). */
  #lastSendErrorAt = 0;
  #sendFailed = (err: unknown): void => {
    const now = Date.now();
    if (now - this.#lastSendErrorAt < 1000) return;
    this.#lastSendErrorAt = now;
    this.onError(err, `forwarding ${this.kind} of ${this.userId}`);
  };

  /** Ask the publisher for a keyframe: at most one per interval; a request inside the interval is sent at its end. */
  #keyframeWanted = false;

  requestKeyframe(now = Date.now()): void {
    if (this.kind !== 'video' || this.#keyframeTimer) return;
    const wait = this.#lastKeyframeAt + this.keyframeIntervalMs - now;
    if (wait > 0) {
      this.#keyframeTimer = setTimeout(() => {
        this.#keyframeTimer = undefined;
        this.requestKeyframe();
      }, wait);
      this.#keyframeTimer.unref();
      return;
    }
    if (this.ssrc === undefined) {
      this.#keyframeWanted = true; // asked again when the first packet arrives
      return;
    }
    this.#keyframeWanted = false;
    this.#lastKeyframeAt = now;
    this.receiver.sendRtcpPLI(this.ssrc).catch((err: unknown) => this.onError(err, `keyframe request to ${this.userId}`));
  }

  /** Tell the publisher the most it should send (REMB). */
  sendRemb(bitrate: number): void {
    if (this.ssrc === undefined) return;
    const [brExp, brMantissa] = rembMantissa(bitrate);
    const remb = new ReceiverEstimatedMaxBitrate({
      senderSsrc: this.receiver.rtcpSsrc,
      mediaSsrc: 0,
      ssrcNum: 1,
      brExp,
      brMantissa,
      bitrate: BigInt(bitrate),
      ssrcFeedbacks: [this.ssrc],
    });
    this.receiver.dtlsTransport
      .sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: remb })])
      .catch((err: unknown) => this.onError(err, `REMB to ${this.userId}`));
  }

  close(): void {
    this.active = false;
    this.sinks.clear();
    this.#unsubscribe();
    if (this.#keyframeTimer) clearTimeout(this.#keyframeTimer);
    this.#keyframeTimer = undefined;
  }
}

/** RFC 6464 level (0 = loudest, 127 = silence, in -dBov) → 0–100. */
export function levelOf(dBov: number): number {
  const clamped = Math.min(127, Math.max(0, dBov));
  // Speech sits around -20…-50 dBov; map -90…0 dBov onto 0…100.
  return Math.max(0, Math.round(((90 - clamped) / 90) * 100));
}

/** REMB exponent and 18-bit mantissa of a bitrate. */
export function rembMantissa(bitrate: number): [number, number] {
  let exp = 0;
  let mantissa = Math.max(0, Math.floor(bitrate));
  while (mantissa >= 1 << 18) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  return [exp, mantissa];
}
