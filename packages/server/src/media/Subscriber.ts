import { RTCPeerConnection, type RTCRtpTransceiver, type RtcpPacket } from 'werift';
import { OutputTrack } from './fastpath/OutputTrack.js';
import { SubscriberOutput } from './fastpath/SubscriberOutput.js';
import { peerConfig, type ResolvedMediaOptions } from './options.js';
import { LayerSelector } from './LayerSelector.js';
import { decideLayers, LossFilter, newTrackState, stepUpFailed, undoStepUp, type Estimate, type TrackState, type ViewSize } from './layerPolicy.js';
import type { PublishedTrack, Sink } from './PublishedTrack.js';
import type { TrackLayer } from './TrackLayer.js';
import { answerMismatch, outgoingSdp } from './sdp.js';
import { watchTransport } from './transportWatch.js';

/** What a subscriber is told about each receiving m-section. */
export interface TrackEntry {
  mid: string;
  userId: string;
  kind: 'audio' | 'video';
}

interface Slot {
  /** This subscriber's m-section (the fast path's sending side). */
  readonly output: OutputTrack;
  /** What the published track forwards to: the output itself, or for simulcast the output behind this viewer's selector. */
  readonly sink: Sink;
  readonly transceiver: RTCRtpTransceiver;
  readonly track: PublishedTrack;
  unsubscribe: () => void;
  /** Answered at least once (keyframe requested). */
  negotiated: boolean;
  /** Video: which layer this viewer gets, and the hysteresis state of that choice. */
  readonly selector?: LayerSelector<TrackLayer>;
  readonly layerState?: TrackState;
  /** The last step up of this track (a try) and the output's counts then, watched for NACKs (`#checkStepUp`). */
  stepUp?: { at: number; from: number; sent: number; nacked: number };
}

const PSFB = 206;
const FIR_FMT = 4;
const REMB_FMT = 15;
const SR = 200;
const RR = 201;

/** A layer switch of one viewer (for logs and the media bench). */
export interface LayerSwitch {
  userId: string;
  publisher: string;
  from: { rid: string | undefined; width: number } | undefined;
  to: { rid: string | undefined; width: number };
  /** ms from the decision to the keyframe that completed it. */
  tookMs: number;
}

/** A step up undone because the viewer NACKed the new layer (for logs). */
export interface StepUpUndone {
  userId: string;
  publisher: string;
  /** The layer the viewer goes back to. */
  rid: string | undefined;
  ms: number;
  sent: number;
  nacked: number;
}

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
  /** The viewer's bandwidth signal: its last REMB (bits/s). */
  #remb: number | undefined;
  /** The REMB has gone down at least once (before that it is the receiver's estimate still ramping up). */
  #rembFell = false;
  readonly #loss = new LossFilter();
  /** Sizes the viewer renders each publisher's video at (device pixels). */
  #views = new Map<string, ViewSize>();
  #layerTimer: NodeJS.Timeout;
  closed = false;

  constructor(
    readonly userId: string,
    private readonly options: ResolvedMediaOptions,
    private readonly sendOffer: (payload: { revision: number; sdp: string; tracks: TrackEntry[] }) => void,
    private readonly onError: (err: unknown, context: string) => void,
    onReap: (state: string) => void,
    /** Revision of the last offer this member got from an earlier transport (revisions never go back per member). */
    startRevision = 0,
    private readonly onLayerSwitch: (change: LayerSwitch) => void = () => undefined,
    private readonly onStepUpUndone: (undone: StepUpUndone) => void = () => undefined,
  ) {
    this.revision = startRevision;
    this.#retryMs = options.offerRetryMs;
    this.pc = new RTCPeerConnection(peerConfig(options));
    this.output = new SubscriberOutput(onError);
    this.#unwatch = watchTransport(this.pc, options.transportReapMs, {
      state: (state) => {
        if (state === 'connected') for (const s of this.#slots.values()) s.track.requestKeyframe(layerOf(s));
      },
      reap: onReap,
    });
    this.#layerTimer = setInterval(() => this.selectLayers(), options.layerIntervalMs);
    this.#layerTimer.unref();
  }

  /** The sizes at which the viewer renders each user's video now (replaces the last set). */
  setViews(views: readonly { userId: string; width: number; height: number }[]): void {
    this.#views = new Map(views.map((v) => [v.userId, { width: v.width, height: v.height }]));
    this.selectLayers();
  }

  /** The viewer's bandwidth estimate now: its last REMB (however old), whether it is still ramping, the loss it reports on video. */
  estimate(): Estimate {
    // A REMB that stopped coming (a busy browser, a lost RTCP packet) still says what the link took: keeping it means a
    // throttled viewer is not handed the top layer meanwhile (no REMB at all means "no limit known").
    const remb = this.#remb;
    return { remb, rembRamping: !this.#rembFell, loss: this.#loss.value };
  }

  /** Applies the layer rule (layerPolicy.ts) to every video track this viewer receives. */
  selectLayers(now = Date.now()): void {
    // A track whose first layer has not started yet (no keyframe forwarded) keeps its target: stepping up before the
    // first frame would only delay it.
    const slots = [...this.#slots.values()].filter(
      (s) => s.selector && s.layerState && s.track.sinks.has(s.sink) && (s.selector.current !== undefined || s.selector.target === undefined),
    );
    if (slots.length === 0) return;
    const tracks = slots.map((s) => {
      const state = s.layerState as TrackState;
      const target = s.selector?.target;
      state.current = target ? s.track.layers.indexOf(target) : -1;
      return { layers: s.track.layers, view: this.#views.get(s.track.userId), state };
    });
    const before = tracks.map((t) => t.state.current);
    const chosen = decideLayers(tracks, this.estimate(), now, this.options.layerPolicy);
    slots.forEach((s, i) => {
      const layer = s.track.layers[chosen[i] ?? 0];
      if (!layer) return;
      s.selector?.setTarget(layer, now);
      // A step up that is a try (not the first one from the starting layer): watched for NACKs from now on.
      if ((chosen[i] ?? 0) > (before[i] ?? -1) && s.layerState?.lastUpAt === now)
        s.stepUp = { at: now, from: before[i] ?? 0, sent: s.output.packets, nacked: s.output.nacked };
      else if ((chosen[i] ?? 0) < (before[i] ?? -1)) s.stepUp = undefined;
    });
  }

  /** Distinct packets the viewer NACKed, over all its tracks. */
  get nacked(): number {
    let n = 0;
    for (const s of this.#slots.values()) n += s.output.nacked;
    return n;
  }

  /** After a NACK on a simulcast track: a recent step up that the viewer loses a large share of is undone at once. */
  #checkStepUp(slot: Slot, now = Date.now()): void {
    const mark = slot.stepUp;
    const { selector, layerState: state } = slot;
    if (!mark || !selector || !state) return;
    const timing = this.options.layerPolicy;
    const since = { ms: now - mark.at, sent: slot.output.packets - mark.sent, nacked: slot.output.nacked - mark.nacked };
    if (since.ms > timing.nackWindowMs) {
      slot.stepUp = undefined;
      return;
    }
    if (!stepUpFailed(since, timing)) return;
    slot.stepUp = undefined;
    const layers = slot.track.layers;
    state.current = selector.target ? layers.indexOf(selector.target) : -1;
    const layer = layers[undoStepUp(state, mark.from, now, timing)];
    if (!layer || layer === selector.target) return;
    this.onStepUpUndone({ userId: this.userId, publisher: slot.track.userId, rid: layer.rid, ...since });
    selector.setTarget(layer, now);
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
      if (!wanted.has(track)) track.sinks.delete(slot.sink); // stop forwarding now, renegotiate below
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
      track.sinks.delete(slot.sink);
      slot.unsubscribe();
      this.#slots.delete(track);
      this.pc.removeTrack(slot.transceiver.sender);
    }
    for (const track of this.#wanted) {
      const existing = this.#slots.get(track);
      if (existing) {
        track.sinks.add(existing.sink); // dropped by an update and wanted again before this offer
        continue;
      }
      const transceiver = this.pc.addTransceiver(track.kind, { direction: 'sendonly' });
      // A simulcast track gets a layer selector (a track sent in one layer is forwarded as it comes). The viewer's
      // decoder asks for a keyframe of the layer it gets; before the transport is up and answered, the 'connected' /
      // answer handlers ask (asking earlier only starts the throttle window and delays that one).
      const layered = track.kind === 'video' && track.simulcast;
      const selector = layered
        ? new LayerSelector<TrackLayer>(
            (layer) => {
              if (this.pc.connectionState === 'connected' && slot.negotiated) track.requestKeyframe(layer);
            },
            (from, to, setAt, now) => this.#switched(track, from, to, now - setAt),
          )
        : undefined;
      const onPli = transceiver.sender.onPictureLossIndication.subscribe(() => track.requestKeyframe(layerOf(slot)));
      const onRtcp = transceiver.sender.onRtcp.subscribe((p: RtcpPacket) => {
        if (layered && (p.type === RR || p.type === SR)) {
          const reports = (p as { reports?: { ssrc: number; fractionLost: number }[] }).reports ?? [];
          for (const r of reports) if (r.ssrc === transceiver.sender.ssrc) this.#loss.add(r.fractionLost / 256);
        }
        if (p.type !== PSFB) return;
        const fb = (p as { feedback?: { count?: number; bitrate?: bigint } }).feedback;
        if (fb?.count === FIR_FMT) track.requestKeyframe(layerOf(slot));
        else if (fb?.count === REMB_FMT && fb.bitrate !== undefined) {
          const remb = Number(fb.bitrate);
          if (this.#remb !== undefined && remb < this.#remb) this.#rembFell = true;
          this.#remb = remb;
        }
      });
      const output = new OutputTrack(this.output, transceiver.sender, track.kind, this.onError);
      if (layered) output.onNack = () => this.#checkStepUp(slot);
      const sink: Sink = selector ? { forward: (p) => output.forward(p), selector } : output;
      const slot: Slot = {
        output,
        sink,
        transceiver,
        track,
        negotiated: false,
        selector,
        layerState: layered ? newTrackState(this.options.layerPolicy) : undefined,
        unsubscribe: () => {
          onPli.unSubscribe();
          onRtcp.unSubscribe();
          output.close();
        },
      };
      this.#slots.set(track, slot);
      track.sinks.add(sink);
    }
    this.selectLayers();
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
      if (up) slot.track.requestKeyframe(layerOf(slot));
    }
    if (this.#dirty) this.#negotiate();
    return true;
  }

  #switched(track: PublishedTrack, from: TrackLayer | undefined, to: TrackLayer, tookMs: number): void {
    this.onLayerSwitch({
      userId: this.userId,
      publisher: track.userId,
      from: from ? { rid: from.rid, width: from.width } : undefined,
      to: { rid: to.rid, width: to.width },
      tookMs,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.#layerTimer);
    this.#abandonOffer();
    this.#unwatch();
    for (const [track, slot] of this.#slots) {
      track.sinks.delete(slot.sink);
      slot.unsubscribe();
    }
    this.#slots.clear();
    this.output.close();
    await this.pc.close().catch((err: unknown) => this.onError(err, 'closing the subscribe transport'));
  }
}

/** The layer a viewer's keyframe request is for: what it receives, or is about to. */
function layerOf(slot: Slot): TrackLayer | undefined {
  return slot.selector ? (slot.selector.current ?? slot.selector.target) : undefined;
}
