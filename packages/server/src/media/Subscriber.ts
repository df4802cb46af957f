import { RTCPeerConnection, type RTCRtpTransceiver, type RtcpPacket } from 'werift';
import { OutputTrack } from './fastpath/OutputTrack.js';
import { SubscriberOutput } from './fastpath/SubscriberOutput.js';
import { peerConfig, type ResolvedMediaOptions } from './options.js';
import type { PublishedTrack } from './PublishedTrack.js';
import { answerMismatch, outgoingSdp } from './sdp.js';
import { watchTransport } from './transportWatch.js';

/** What a subscriber is told about each receiving m-section. */
export interface TrackEntry {
  mid: string;
  userId: string;
  kind: 'audio' | 'video';
}

interface Slot {
  /** What the published track forwards to (this subscriber's m-section). */
  readonly output: OutputTrack;
  readonly transceiver: RTCRtpTransceiver;
  readonly track: PublishedTrack;
  unsubscribe: () => void;
  /** Answered at least once (keyframe requested). */
  negotiated: boolean;
}

const PSFB = 206;
const FIR_FMT = 4;

/**
 * One member's subscribe transport. The SFU offers (server-initiated renegotiation), the browser answers with
 * `media.answer`. `update(tracks)` is the set the member should receive: a track that leaves it stops being
 * forwarded at once; the m-sections follow with the next offer. One offer is outstanding at a time; changes made
 * meanwhile are offered after the answer. An offer nobody answers is offered again after `offerRetryMs` (doubling up
 * to 30 s); a refused answer, or `restart()` from the client, abandons the outstanding offer and offers again.
 */
export class Subscriber {
  readonly pc: RTCPeerConnection;
  /** The fast path's sending side of this transport (SRTP + socket), shared by its slots. */
  readonly output: SubscriberOutput;
  revision = 0;
  #slots = new Map<PublishedTrack, Slot>();
  #wanted: PublishedTrack[] = [];
  /** An offer is being created (createOffer/setLocalDescription running). */
  #creating = false;
  /** The revision of the offer sent and not answered yet. */
  #outstanding: number | undefined;
  #dirty = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryMs: number;
  /** The outstanding offer's SDP (as werift made it). */
  #offerSdp = '';
  #unwatch: () => void;
  closed = false;

  constructor(
    readonly userId: string,
    private readonly options: ResolvedMediaOptions,
    private readonly sendOffer: (payload: { revision: number; sdp: string; tracks: TrackEntry[] }) => void,
    private readonly onError: (err: unknown, context: string) => void,
    onReap: (state: string) => void,
    /** Revision of the last offer this member got from an earlier transport (revisions never go back per member). */
    startRevision = 0,
  ) {
    this.revision = startRevision;
    this.#retryMs = options.offerRetryMs;
    this.pc = new RTCPeerConnection(peerConfig(options));
    this.output = new SubscriberOutput(onError);
    this.#unwatch = watchTransport(this.pc, options.transportReapMs, {
      state: (state) => {
        if (state === 'connected') for (const s of this.#slots.values()) s.track.requestKeyframe();
      },
      reap: onReap,
    });
  }

  /** True while an offer waits for its answer. */
  get offerOutstanding(): boolean {
    return this.#outstanding !== undefined;
  }

  /** The tracks this member should receive now. */
  update(tracks: PublishedTrack[]): void {
    if (this.closed) return;
    this.#wanted = tracks;
    const wanted = new Set(tracks);
    for (const [track, slot] of this.#slots) {
      if (!wanted.has(track)) track.sinks.delete(slot.output); // stop forwarding now, renegotiate below
    }
    const changed = tracks.some((t) => !this.#slots.has(t)) || [...this.#slots.keys()].some((t) => !wanted.has(t));
    if (changed) this.#negotiate();
  }

  /** The client asks for a new offer now (its answer was refused or it could not answer the last one). */
  restart(): void {
    if (this.closed) return;
    this.#abandonOffer();
    this.#negotiate();
  }

  #abandonOffer(): void {
    this.#outstanding = undefined;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #negotiate(): void {
    if (this.closed) return;
    if (this.#creating || this.#outstanding !== undefined) {
      this.#dirty = true;
      return;
    }
    this.#creating = true;
    this.#dirty = false;
    this.#offer().then(
      () => {
        this.#creating = false;
        // Asked for again while creating (restart): offer once more instead of waiting for an answer to this one.
        if (this.#dirty && this.#outstanding === undefined) this.#negotiate();
      },
      (err: unknown) => {
        this.#creating = false;
        if (this.closed) return;
        this.onError(err, 'creating an offer');
        this.#armRetry(undefined);
      },
    );
  }

  /** Offers again if `revision` (undefined: nothing sent) is still unanswered after the retry time. */
  #armRetry(revision: number | undefined): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const wait = this.#retryMs;
    this.#retryMs = Math.min(30_000, this.#retryMs * 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.closed || this.#outstanding !== revision) return;
      this.onError(new Error(`no answer to media.offer revision ${String(revision)} in ${wait} ms`), 'offering again');
      this.#outstanding = undefined;
      this.#negotiate();
    }, wait);
    this.#retryTimer.unref();
  }

  async #offer(): Promise<void> {
    const wanted = new Set(this.#wanted);
    for (const [track, slot] of this.#slots) {
      if (wanted.has(track)) continue;
      track.sinks.delete(slot.output);
      slot.unsubscribe();
      this.#slots.delete(track);
      this.pc.removeTrack(slot.transceiver.sender);
    }
    for (const track of this.#wanted) {
      const existing = this.#slots.get(track);
      if (existing) {
        track.sinks.add(existing.output); // dropped by an update and wanted again before this offer
        continue;
      }
      const transceiver = this.pc.addTransceiver(track.kind, { direction: 'sendonly' });
      const onPli = transceiver.sender.onPictureLossIndication.subscribe(() => track.requestKeyframe());
      const onRtcp = transceiver.sender.onRtcp.subscribe((p: RtcpPacket) => {
        if (p.type === PSFB && (p as { feedback?: { count?: number } }).feedback?.count === FIR_FMT) track.requestKeyframe();
      });
      const output = new OutputTrack(this.output, transceiver.sender, track.kind, this.onError);
      const slot: Slot = {
        output,
        transceiver,
        track,
        negotiated: false,
        unsubscribe: () => {
          onPli.unSubscribe();
          onRtcp.unSubscribe();
          output.close();
        },
      };
      this.#slots.set(track, slot);
      track.sinks.add(output);
    }
    // An abandoned offer (lost, or its answer refused) is rolled back first: werift builds a new offer on top of the
    // last applied description and fails on a pending one.
    if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback', sdp: '' });
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    if (this.closed) return;
    this.#offerSdp = this.pc.localDescription?.sdp ?? offer.sdp;
    const sdp = outgoingSdp(this.pc.localDescription?.sdp ?? offer.sdp, this.options.bindAddress, this.options.announcedIp);
    const tracks: TrackEntry[] = [];
    for (const slot of this.#slots.values()) {
      const mid = slot.transceiver.mid;
      if (mid !== null) tracks.push({ mid, userId: slot.track.userId, kind: slot.track.kind });
    }
    this.revision++;
    this.#outstanding = this.revision;
    this.#armRetry(this.revision);
    this.sendOffer({ revision: this.revision, sdp, tracks });
  }

  /**
   * Applies the browser's answer to offer `revision`; false when it is not the outstanding offer. An answer that
   * cannot be applied abandons the offer (the error is thrown; the client asks for a new one with `restart`).
   */
  async answer(revision: number, sdp: string): Promise<boolean> {
    if (this.#outstanding === undefined || revision !== this.#outstanding || this.closed) return false;
    try {
      const mismatch = answerMismatch(this.#offerSdp, sdp);
      if (mismatch) throw new Error(`the answer does not match offer ${revision}: ${mismatch}`);
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (error) {
      if (this.#outstanding === revision) this.#abandonOffer();
      throw error;
    }
    if (this.#outstanding !== revision) return true; // restarted meanwhile; the newer offer is what counts
    this.#abandonOffer();
    this.#retryMs = this.options.offerRetryMs;
    // A new track on a transport that is already up needs its keyframe now; on a transport still connecting, the
    // request waits for 'connected' (asking earlier would only start the throttle window and delay that one).
    const up = this.pc.connectionState === 'connected';
    for (const slot of this.#slots.values()) {
      if (slot.negotiated) continue;
      slot.negotiated = true;
      if (up) slot.track.requestKeyframe();
    }
    if (this.#dirty) this.#negotiate();
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.#abandonOffer();
    this.#unwatch();
    for (const [track, slot] of this.#slots) {
      track.sinks.delete(slot.output);
      slot.unsubscribe();
    }
    this.#slots.clear();
    this.output.close();
    await this.pc.close().catch((err: unknown) => this.onError(err, 'closing the subscribe transport'));
  }
}
