import { RTCPeerConnection, type RTCDtlsTransport, type RTCTrackEvent } from 'werift';
import { takeSrtpIn, type InboundSrtpCounters } from './fastpath/inboundSrtp.js';
import { peerConfig, type ResolvedMediaOptions } from './options.js';
import { PublishedTrack } from './PublishedTrack.js';
import { offeredSections, outgoingSdp, type MediaKind } from './sdp.js';
import { watchTransport } from './transportWatch.js';
import { guardRouting, nackPerSsrc } from './weriftSimulcast.js';

const fingerprintOf = (sdp: string): string | undefined => /a=fingerprint:(\S+ \S+)/.exec(sdp)?.[1];

/**
 * One user's publish transport: the browser offers, the SFU answers. Each incoming m-section becomes a
 * `PublishedTrack`; which of them may be forwarded is decided by the room (`active`).
 */
export class Publisher {
  readonly pc: RTCPeerConnection;
  /** mid → track. */
  readonly tracks = new Map<string, PublishedTrack>();
  /** mids the last offer sends on. */
  sendingMids = new Set<string>();
  readonly fingerprint: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #rembTimer: NodeJS.Timeout;
  #unwatch: () => void;
  #unwatchSrtp: () => void;
  /** DTLS transports whose incoming SRTP our context unprotects. */
  readonly #srtpTaken = new WeakSet<RTCDtlsTransport>();
  /** Incoming RTP our SRTP context took and refused (replayed, tampered, malformed). */
  readonly inbound: InboundSrtpCounters = { rtpIn: 0, rtpRefused: 0 };
  closed = false;

  constructor(
    readonly userId: string,
    firstOffer: string,
    private readonly options: ResolvedMediaOptions,
    private readonly onTrack: () => void,
    onReap: (state: string) => void,
    private readonly onError: (err: unknown, context: string) => void,
  ) {
    this.fingerprint = fingerprintOf(firstOffer);
    this.pc = new RTCPeerConnection(peerConfig(options));
    this.#unwatch = watchTransport(this.pc, options.transportReapMs, { reap: onReap });
    guardRouting(this.pc, (err) => onError(err, 'routing an RTP packet'));
    this.pc.ontrack = (e: RTCTrackEvent) => this.#onTrack(e);
    // Once DTLS is up, incoming SRTP goes through our context (replay list, cheaper than werift's).
    this.#unwatchSrtp = this.pc.connectionStateChange.subscribe((state) => {
      if (state !== 'connected') return;
      for (const dtls of this.pc.dtlsTransports) {
        if (this.#srtpTaken.has(dtls)) continue;
        this.#srtpTaken.add(dtls);
        try {
          takeSrtpIn(dtls, this.inbound);
        } catch (err) {
          this.onError(err, 'reading the SRTP keys of a publish transport (werift decrypts)');
        }
      }
    }).unSubscribe;
    this.#rembTimer = setInterval(() => {
      for (const t of this.tracks.values()) if (t.kind === 'video' && t.active) t.sendRemb(options.videoBitrateCap);
    }, 1000);
    this.#rembTimer.unref();
  }

  /** Whether `offer` comes from the same browser transport (same DTLS fingerprint) as the first one. */
  sameTransport(offer: string): boolean {
    return fingerprintOf(offer) === this.fingerprint;
  }

  #onTrack(e: RTCTrackEvent): void {
    const mid = e.transceiver.mid;
    if (mid === null || this.tracks.has(mid)) return;
    const kind: MediaKind = e.track.kind === 'video' ? 'video' : 'audio';
    // Simulcast: werift made one track per rid on this receiver (`e.track` is only the first).
    const layers = e.receiver.tracks.filter((t) => t.rid !== undefined);
    if (layers.length > 1) nackPerSsrc(e.receiver);
    const tracks = layers.length > 0 ? layers : [e.track];
    this.tracks.set(mid, new PublishedTrack(this.userId, kind, mid, tracks, e.receiver, this.options.keyframeIntervalMs, this.onError));
    this.onTrack();
  }

  /** Applies an offer and returns the answer (one negotiation at a time). */
  negotiate(offer: string): Promise<string> {
    const run = async (): Promise<string> => {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      this.sendingMids = new Set(offeredSections(offer).flatMap((s) => (s.sends && s.mid !== undefined ? [s.mid] : [])));
      const sdp = this.pc.localDescription?.sdp ?? answer.sdp;
      return outgoingSdp(sdp, this.options.bindAddress, this.options.announcedIp);
    };
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => undefined); // the caller gets the error from `p`
    return p;
  }

  /** Kinds with at least one track the publisher currently sends on. */
  sendingTracks(kind: MediaKind): PublishedTrack[] {
    return [...this.tracks.values()].filter((t) => t.kind === kind && this.sendingMids.has(t.mid));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.#rembTimer);
    this.#unwatch();
    this.#unwatchSrtp();
    for (const t of this.tracks.values()) t.close();
    await this.pc.close().catch((err: unknown) => this.onError(err, 'closing the publish transport'));
  }
}
