import { RTCPeerConnection, type RTCRtpTransceiver, type RtcpPacket } from 'werift';
import { peerConfig, type ResolvedMediaOptions } from './options.js';
import type { PublishedTrack, Sink } from './PublishedTrack.js';
import { outgoingSdp } from './sdp.js';

/** What a subscriber is told about each receiving m-section. */
export interface TrackEntry {
  mid: string;
  userId: string;
  kind: 'audio' | 'video';
}

interface Slot extends Sink {
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
 * meanwhile are offered after the answer.
 */
export class Subscriber {
  readonly pc: RTCPeerConnection;
  revision = 0;
  #slots = new Map<PublishedTrack, Slot>();
  #wanted: PublishedTrack[] = [];
  #offering = false;
  #dirty = false;
  closed = false;

  constructor(
    readonly userId: string,
    private readonly options: ResolvedMediaOptions,
    private readonly sendOffer: (payload: { revision: number; sdp: string; tracks: TrackEntry[] }) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.pc = new RTCPeerConnection(peerConfig(options));
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') for (const s of this.#slots.values()) s.track.requestKeyframe();
    });
  }

  /** The tracks this member should receive now. */
  update(tracks: PublishedTrack[]): void {
    if (this.closed) return;
    this.#wanted = tracks;
    const wanted = new Set(tracks);
    for (const [track, slot] of this.#slots) {
      if (!wanted.has(track)) track.sinks.delete(slot); // stop forwarding now, renegotiate below
    }
    const changed = tracks.some((t) => !this.#slots.has(t)) || [...this.#slots.keys()].some((t) => !wanted.has(t));
    if (changed) this.#negotiate();
  }

  #negotiate(): void {
    if (this.#offering) {
      this.#dirty = true;
      return;
    }
    this.#offering = true;
    this.#dirty = false;
    this.#offer().catch((err: unknown) => {
      this.#offering = false;
      if (!this.closed) this.onError(err);
    });
  }

  async #offer(): Promise<void> {
    const wanted = new Set(this.#wanted);
    for (const [track, slot] of this.#slots) {
      if (wanted.has(track)) continue;
      track.sinks.delete(slot);
      slot.unsubscribe();
      this.#slots.delete(track);
      this.pc.removeTrack(slot.transceiver.sender);
    }
    for (const track of this.#wanted) {
      if (this.#slots.has(track)) continue;
      const transceiver = this.pc.addTransceiver(track.kind, { direction: 'sendonly' });
      const onPli = transceiver.sender.onPictureLossIndication.subscribe(() => track.requestKeyframe());
      const onRtcp = transceiver.sender.onRtcp.subscribe((p: RtcpPacket) => {
        if (p.type === PSFB && (p as { feedback?: { count?: number } }).feedback?.count === FIR_FMT) track.requestKeyframe();
      });
      const slot: Slot = {
        sender: transceiver.sender,
        transceiver,
        track,
        negotiated: false,
        unsubscribe: () => {
          onPli.unSubscribe();
          onRtcp.unSubscribe();
        },
      };
      this.#slots.set(track, slot);
      track.sinks.add(slot);
    }
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    if (this.closed) return;
    const sdp = outgoingSdp(this.pc.localDescription?.sdp ?? offer.sdp, this.options.bindAddress, this.options.announcedIp);
    const tracks: TrackEntry[] = [];
    for (const slot of this.#slots.values()) {
      const mid = slot.transceiver.mid;
      if (mid !== null) tracks.push({ mid, userId: slot.track.userId, kind: slot.track.kind });
    }
    this.revision++;
    this.sendOffer({ revision: this.revision, sdp, tracks });
  }

  /** Applies the browser's answer to offer `revision`; false when it is not the outstanding offer. */
  async answer(revision: number, sdp: string): Promise<boolean> {
    if (!this.#offering || revision !== this.revision || this.closed) return false;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.#offering = false;
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
    for (const [track, slot] of this.#slots) {
      track.sinks.delete(slot);
      slot.unsubscribe();
    }
    this.#slots.clear();
    await this.pc.close().catch(() => {});
  }
}
