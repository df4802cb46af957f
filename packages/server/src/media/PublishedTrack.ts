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
import type { LayerSelector, Routed } from './LayerSelector.js';
import type { MediaKind } from './sdp.js';
import { TrackLayer } from './TrackLayer.js';
import { emptyInfo, parseVp8, rewriteVp8 } from './vp8.js';

/**
 * Where a published track's packets go: one subscriber's m-section (`fastpath/OutputTrack`), and for simulcast video
 * the layer choice of that viewer. `forward` rewrites, protects and sends one packet to that subscriber; the packet
 * is shared and must not be changed.
 */
export interface Sink {
  forward(packet: InboundRtp): void;
  readonly selector?: LayerSelector<TrackLayer> | undefined;
}

/**
 * One track a user publishes (one m-section of their publish transport), with its layers: the simulcast encodings
 * (rids) its browser sends, or one layer without simulcast. Forwards every RTP packet to its sinks while `active`
 * (the packet is read once into an `InboundRtp`; each sink writes its own header, without the publisher's header
 * extensions, whose ids mean nothing on the subscriber's transport; a simulcast sink gets only the packets of the
 * layer its `selector` forwards, renumbered, under one constant source SSRC), requests keyframes (throttled per
 * layer, with a trailing request so none is lost) and caps the publisher's video bitrate with REMB.
 */
export class PublishedTrack {
  readonly sinks = new Set<Sink>();
  /** Forwarding allowed (offered by the publisher and permitted by the seat). */
  active = false;
  /** Loudest audio level since the last report, 0–100 (audio only). */
  level = 0;
  packets = 0;
  /** Layers in the publisher's order (see `layers` for smallest first). */
  readonly #layers: TrackLayer[];
  #sorted: TrackLayer[];
  #unsubscribe: (() => void)[] = [];
  readonly #meta = emptyInfo();
  readonly #routed: Routed = { seq: 0, ts: 0, pictureIdDelta: 0, tl0Delta: 0 };

  constructor(
    readonly userId: string,
    readonly kind: MediaKind,
    readonly mid: string,
    /** One remote track per layer (werift makes one per rid), or the only one. */
    tracks: MediaStreamTrack | readonly MediaStreamTrack[],
    readonly receiver: RTCRtpReceiver,
    keyframeIntervalMs: number,
    private readonly onError: (err: unknown, context: string) => void = () => undefined,
  ) {
    const list = Array.isArray(tracks) ? (tracks as readonly MediaStreamTrack[]) : [tracks as MediaStreamTrack];
    const sendPli = (ssrc: number): void => {
      this.receiver.sendRtcpPLI(ssrc).catch((err: unknown) => this.onError(err, `keyframe request to ${this.userId}`));
    };
    this.#layers = list.map((t, i) => new TrackLayer(t.rid, i, sendPli, keyframeIntervalMs));
    this.#sorted = [...this.#layers];
    list.forEach((track, i) => {
      const layer = this.#layers[i] as TrackLayer;
      const { unSubscribe } = track.onReceiveRtp.subscribe((rtp, ext) => this.#onRtp(layer, rtp, ext));
      this.#unsubscribe.push(unSubscribe);
    });
  }

  /** The layers, smallest first (by frame size once known, else in the publisher's order). */
  get layers(): readonly TrackLayer[] {
    return this.#sorted;
  }

  /** Sent with simulcast (more than one layer). */
  get simulcast(): boolean {
    return this.#layers.length > 1;
  }

  #onRtp(layer: TrackLayer, rtp: RtpPacket, ext: Extensions | undefined): void {
    const now = Date.now();
    this.packets++;
    layer.packet(rtp.header.ssrc, rtp.payload.length, now);
    // Simulcast only (one layer is forwarded as it comes). A packet that is not VP8 (padding-only: empty payload)
    // still belongs to its layer's sequence.
    const meta = this.#layers.length > 1 ? (parseVp8(rtp.payload, this.#meta) ?? NOT_VP8) : null;
    if (meta?.keyframe && meta.width > 0 && (meta.width !== layer.width || meta.height !== layer.height)) {
      layer.width = meta.width;
      layer.height = meta.height;
      this.#sorted = [...this.#layers].sort((a, b) => a.width * a.height - b.width * b.height || a.order - b.order);
    }
    if (!this.active) return;
    if (this.kind === 'audio' && ext) {
      const al = ext[RTP_EXTENSION_URI.audioLevelIndication] as { level: number } | undefined;
      if (al) this.level = Math.max(this.level, levelOf(al.level));
    }
    if (this.sinks.size === 0) return;
    const packet = inboundOf(rtp);
    const out = this.#routed;
    for (const sink of this.sinks) {
      try {
        const sel = sink.selector;
        if (!sel || !meta) {
          sink.forward(packet);
          continue;
        }
        if (!sel.route(layer, packet.seq, packet.timestamp, meta, now, out)) continue;
        const payload =
          out.pictureIdDelta !== 0 || out.tl0Delta !== 0 ? rewriteVp8(packet.payload, meta, out.pictureIdDelta, out.tl0Delta) : packet.payload;
        // The selector already made seq/ts continuous across layers: one source SSRC keeps the output's offsets fixed.
        sink.forward({ ...packet, ssrc: LAYERED_SOURCE, seq: out.seq, timestamp: out.ts, payload });
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

  /** Ask the publisher for a keyframe of `layer` (default: every layer), throttled per layer. */
  requestKeyframe(layer?: TrackLayer, now = Date.now()): void {
    if (this.kind !== 'video') return;
    if (layer) layer.requestKeyframe(now);
    else for (const l of this.#layers) l.requestKeyframe(now);
  }

  /** Tell the publisher the most it should send (REMB, for all its layers together). */
  sendRemb(bitrate: number): void {
    const ssrcs = this.#layers.flatMap((l) => (l.ssrc === undefined ? [] : [l.ssrc]));
    if (ssrcs.length === 0) return;
    const [brExp, brMantissa] = rembMantissa(bitrate);
    const remb = new ReceiverEstimatedMaxBitrate({
      senderSsrc: this.receiver.rtcpSsrc,
      mediaSsrc: 0,
      ssrcNum: ssrcs.length,
      brExp,
      brMantissa,
      bitrate: BigInt(bitrate),
      ssrcFeedbacks: ssrcs,
    });
    this.receiver.dtlsTransport
      .sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: remb })])
      .catch((err: unknown) => this.onError(err, `REMB to ${this.userId}`));
  }

  close(): void {
    this.active = false;
    this.sinks.clear();
    for (const u of this.#unsubscribe) u();
    for (const l of this.#layers) l.close();
  }
}

const NOT_VP8 = emptyInfo();

/**
 * The source SSRC a simulcast track's packets are forwarded under (whatever layer they come from): the output track
 * rebases its offsets only when the source changes, and the layer selector's numbering is already continuous.
 */
const LAYERED_SOURCE = 0;

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
