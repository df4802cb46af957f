/**
 * Browser WebRTC for onseat: publishes the local microphone/camera on a publish transport and receives every
 * published track of the live on a subscribe transport (the server offers, we answer). Framework-free; depends only
 * on `@onseat/protocol` types. Give it a way to send requests and feed it the `media.*` events.
 */
import type { EventPayload, RequestPayload, RequestResult, RequestType } from '@onseat/protocol';
import type { Logger } from '../logger.js';
import { browserMediaEnv, type MediaEnv } from './MediaEnv.js';
import { initialEncodings } from './simulcast.js';
import { TransportRecovery, type RecoveryTiming } from './TransportRecovery.js';

export type MediaKind = 'audio' | 'video';

/** Sends one request and resolves with its result; rejects with an error carrying the server's `code`. */
export type MediaRequester = <T extends RequestType>(type: T, payload: RequestPayload<T>) => Promise<RequestResult<T>>;

/** A track received from another user. */
export interface RemoteTrack {
  userId: string;
  kind: MediaKind;
  mid: string;
  track: MediaStreamTrack;
}

export interface MediaSessionOptions {
  /** Extra RTCPeerConnection settings (ICE servers for TURN). Default: no ICE servers, max-bundle. */
  rtcConfig?: RTCConfiguration;
  /** Longest wait for ICE gathering before sending a description anyway (ms). Default 2000. */
  gatherTimeoutMs?: number;
  /** Browser APIs (default: the real ones); tests pass fakes. */
  env?: MediaEnv;
  /** Where failures that are handled (retried, recovered) are reported. Default: silent. */
  logger?: Logger;
  /** Timings of the transport recovery. */
  recovery?: RecoveryTiming;
}

type Listener<T> = (value: T) => void;

const waitForGathering = (pc: RTCPeerConnection, timeoutMs: number): Promise<void> =>
  new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });

/**
 * One member's media in one live. `publish()` sets what the user sends (null = stop that kind); the server refuses
 * kinds the user may not send (not seated: -2361/-2371; closed by an admin: -2360/-2370) and the refusal is thrown.
 * When the server revokes a kind (`media.publishRevoked`), the session stops sending it and tells `onRevoked`.
 */
export class MediaSession {
  #pub: RTCPeerConnection | null = null;
  /** A publish transport created ahead of the first publish, its ICE candidates gathered meanwhile (see `preparePublish`). */
  #warmPub: RTCPeerConnection | null = null;
  #sub: RTCPeerConnection | null = null;
  readonly #sending = new Map<MediaKind, RTCRtpTransceiver>();
  #pubQueue: Promise<unknown> = Promise.resolve();
  #subQueue: Promise<unknown> = Promise.resolve();
  #remote: RemoteTrack[] = [];
  #levels = new Map<string, number>();
  readonly #trackListeners = new Set<Listener<RemoteTrack[]>>();
  readonly #revokedListeners = new Set<Listener<EventPayload<'media.publishRevoked'>>>();
  readonly #levelListeners = new Set<Listener<ReadonlyMap<string, number>>>();
  readonly #config: RTCConfiguration;
  readonly #gatherMs: number;
  readonly #env: MediaEnv;
  readonly #log: Logger;
  readonly #pubRecovery: TransportRecovery;
  readonly #subRecovery: TransportRecovery;
  readonly #pubListeners = new Set<() => void>();
  /** The newest `media.offer` revision received (older ones still queued are skipped). */
  #latestOffer = -1;
  /** Offers in a row that could not be answered. */
  #offerFailures = 0;
  #resyncTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(
    private readonly request: MediaRequester,
    options: MediaSessionOptions = {},
  ) {
    this.#config = { iceServers: [], bundlePolicy: 'max-bundle', ...options.rtcConfig };
    this.#gatherMs = options.gatherTimeoutMs ?? 2000;
    this.#env = options.env ?? browserMediaEnv();
    this.#log = options.logger ?? {};
    this.#pubRecovery = new TransportRecovery(
      'publish',
      { current: () => this.#pub, restartIce: () => this.#restartPublishIce(), rebuild: () => this.#rebuildPublish() },
      this.#log,
      options.recovery,
    );
    this.#subRecovery = new TransportRecovery(
      'subscribe',
      // No ICE restart here: werift's ICE restart as the offering side does not reconnect (measured), a new
      // transport connects in a few hundred ms.
      { current: () => this.#sub, rebuild: () => this.#rebuildSubscribe() },
      this.#log,
      options.recovery,
    );
  }

  /** How long each completed recovery of a transport took (ms), oldest first. */
  get recoveries(): { publish: readonly number[]; subscribe: readonly number[] } {
    return { publish: this.#pubRecovery.recoveries, subscribe: this.#subRecovery.recoveries };
  }

  /** Calls `l` after the publish transport was replaced (encoder settings must be applied to the new senders). */
  onPublishRebuilt(l: () => void): () => void {
    this.#pubListeners.add(l);
    return () => this.#pubListeners.delete(l);
  }

  /**
   * A transport that starts gathering its ICE candidates when it is created (a pool of one), not at the first
   * setLocalDescription: the ~115 ms Chromium spends gathering (measured on loopback with no ICE servers) overlaps
   * with whatever happens between creation and the first offer or answer, instead of delaying that description.
   */
  #createPc(): RTCPeerConnection {
    return this.#env.createPeerConnection({ iceCandidatePoolSize: 1, ...this.#config });
  }

  #newPub(): RTCPeerConnection {
    const pc = this.#warmPub ?? this.#createPc();
    this.#warmPub = null;
    this.#pubRecovery.watch(pc);
    return pc;
  }

  /**
   * Gets the publish transport ready ahead of the first publish (the user holds a seat, applied for one or was
   * invited, so a publish is likely to follow). `gather`: create it so its ICE candidates are gathered by the time
   * it offers (nothing reaches the server). `connect`: also negotiate it with nothing sent (audio and video
   * inactive), so ICE and DTLS are up when the host accepts and the first publish only renegotiates (measured:
   * ICE + DTLS take 150–420 ms on a loaded machine). The server allows this to anyone in the live: an offer that
   * sends nothing needs no seat. No-op while publishing or after `close()`.
   */
  preparePublish(level: 'gather' | 'connect' = 'gather'): void {
    if (this.#closed || this.#pub) return;
    if (level === 'gather') {
      this.#warmPub ??= this.#createPc();
      return;
    }
    this.#enqueuePub(async () => {
      if (this.#closed || this.#pub) return;
      const pc = (this.#pub = this.#newPub());
      this.#pubPrepared = true;
      this.#sending.set('audio', pc.addTransceiver('audio', { direction: 'inactive' }));
      this.#sending.set('video', pc.addTransceiver('video', { direction: 'inactive', sendEncodings: initialEncodings() }));
      try {
        await this.#negotiatePublish(pc);
      } catch (error) {
        this.#log.warn?.('media: connecting the publish transport ahead of the first publish failed (the publish will connect it)', error);
        if (this.#pub === pc) this.#dropPub();
      }
    }).catch((error: unknown) => this.#log.warn?.('media: preparing the publish transport failed', error));
  }

  /** True while the publish transport was opened by `preparePublish('connect')` and has not sent anything. */
  #pubPrepared = false;

  /**
   * Closes a transport prepared by `preparePublish` that was not used (the application or invitation ended): a
   * negotiated one is unpublished on the server too. A transport that has sent something is left alone.
   */
  releasePreparedPublish(): void {
    this.#warmPub?.close();
    this.#warmPub = null;
    if (!this.#pubPrepared) return;
    this.#enqueuePub(async () => {
      if (!this.#pubPrepared || !this.#pub) return;
      this.#dropPub();
      if (!this.#closed) await this.request('media.unpublish', {});
    }).catch((error: unknown) => this.#log.warn?.('media: closing the unused publish transport failed', error));
  }

  #dropPub(): void {
    this.#pub?.close();
    this.#pub = null;
    this.#pubPrepared = false;
    this.#sending.clear();
  }

  #newSub(): RTCPeerConnection {
    const pc = this.#createPc();
    this.#subRecovery.watch(pc);
    return pc;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The sender of one kind on the publish transport (to switch tracks or set encodings), if that kind was ever sent. */
  sender(kind: MediaKind): RTCRtpSender | null {
    return this.#sending.get(kind)?.sender ?? null;
  }

  /**
   * Resolves once the publish transport is connected (ICE + DTLS), i.e. what was published is really sending.
   * Rejects when it fails, is closed, or takes longer than `timeoutMs`.
   */
  waitPublishConnected(timeoutMs: number): Promise<void> {
    if (!this.#pub) return Promise.reject(new Error('Not publishing'));
    return new Promise((resolve, reject) => {
      let watched: RTCPeerConnection | null = null;
      const done = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        watched?.removeEventListener('connectionstatechange', check);
        if (error) reject(error);
        else resolve();
      };
      // Follows the transport when the recovery replaces it; a failed one is given the recovery's time.
      const check = () => {
        const pc = this.#pub;
        if (this.#closed || !pc) return done(new Error('Media transport closed'));
        if (pc !== watched) {
          watched?.removeEventListener('connectionstatechange', check);
          watched = pc;
          pc.addEventListener('connectionstatechange', check);
        }
        if (pc.connectionState === 'connected') done();
      };
      const timer = setTimeout(() => done(new Error(`Media transport did not connect in time (${this.#pub?.connectionState ?? 'none'})`)), timeoutMs);
      const poll = setInterval(check, 250);
      check();
    });
  }

  /** Feed every event the server pushes; the session picks the `media.*` ones. */
  handleEvent(type: string, payload: unknown): void {
    if (this.#closed) return;
    if (type === 'media.offer') this.#onOffer(payload as EventPayload<'media.offer'>);
    else if (type === 'media.publishRevoked') this.#onRevoked(payload as EventPayload<'media.publishRevoked'>);
    else if (type === 'media.audioLevels') {
      this.#levels = new Map((payload as EventPayload<'media.audioLevels'>).levels.map((l) => [l.userId, l.level]));
      for (const l of this.#levelListeners) l(this.#levels);
    }
  }

  /** Tracks received from other users now. */
  get remoteTracks(): readonly RemoteTrack[] {
    return this.#remote;
  }

  /** The publish transport (for stats), if publishing. */
  get publishConnection(): RTCPeerConnection | null {
    return this.#pub;
  }

  /** The subscribe transport (for stats), if subscribed. */
  get subscribeConnection(): RTCPeerConnection | null {
    return this.#sub;
  }

  onRemoteTracks(l: Listener<RemoteTrack[]>): () => void {
    this.#trackListeners.add(l);
    return () => this.#trackListeners.delete(l);
  }

  onRevoked(l: Listener<EventPayload<'media.publishRevoked'>>): () => void {
    this.#revokedListeners.add(l);
    return () => this.#revokedListeners.delete(l);
  }

  /** Audio levels (userId → 0–100) as the server reports them. */
  onAudioLevels(l: Listener<ReadonlyMap<string, number>>): () => void {
    this.#levelListeners.add(l);
    return () => this.#levelListeners.delete(l);
  }

  /** Opens the local microphone and/or camera and publishes them. Returns the captured stream. */
  async openLocal(kinds: { audio?: boolean; video?: boolean | MediaTrackConstraints }): Promise<MediaStream> {
    const stream = await this.#env.getUserMedia({ audio: kinds.audio ?? false, video: kinds.video ?? false });
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    try {
      await this.publish({ ...(audio ? { audio } : {}), ...(video ? { video } : {}) });
    } catch (e) {
      for (const t of stream.getTracks()) t.stop();
      throw e;
    }
    return stream;
  }

  /**
   * Sets the tracks to send: a track starts or replaces that kind, `null` stops it, a missing key leaves it as it is.
   * On refusal nothing changes and the server's error is thrown.
   */
  publish(tracks: { audio?: MediaStreamTrack | null; video?: MediaStreamTrack | null }): Promise<void> {
    return this.#enqueuePub(async () => {
      if (this.#closed) throw new Error('MediaSession is closed');
      const pc = (this.#pub ??= this.#newPub());
      const previous = new Map<MediaKind, { track: MediaStreamTrack | null; direction: RTCRtpTransceiverDirection }>();
      for (const kind of ['audio', 'video'] as const) {
        const track = tracks[kind];
        if (track === undefined) continue;
        let t = this.#sending.get(kind);
        if (!t) {
          if (track === null) continue;
          t = pc.addTransceiver(kind, kind === 'video' ? { direction: 'inactive', sendEncodings: initialEncodings() } : { direction: 'inactive' });
          this.#sending.set(kind, t);
        }
        previous.set(kind, { track: t.sender.track, direction: t.direction });
        await t.sender.replaceTrack(track);
        t.direction = track ? 'sendonly' : 'inactive';
      }
      try {
        await this.#negotiatePublish(pc);
        if ([...this.#sending.values()].some((t) => t.direction !== 'inactive')) this.#pubPrepared = false;
      } catch (e) {
        if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
        for (const [kind, p] of previous) {
          const t = this.#sending.get(kind);
          if (!t) continue;
          await t.sender.replaceTrack(p.track);
          t.direction = p.direction;
        }
        throw e;
      }
    });
  }

  async #negotiatePublish(pc: RTCPeerConnection): Promise<void> {
    await pc.setLocalDescription(await pc.createOffer());
    await waitForGathering(pc, this.#gatherMs);
    const { sdp } = await this.request('media.publish', { sdp: pc.localDescription?.sdp ?? '' });
    await pc.setRemoteDescription({ type: 'answer', sdp });
  }

  #enqueuePub<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.#pubQueue.then(fn, fn);
    this.#pubQueue = p.catch(() => undefined); // the caller gets the error from `p`
    return p;
  }

  /** ICE restart of the publish transport: a new offer with new ICE credentials on the same PeerConnection. */
  #restartPublishIce(): Promise<void> {
    return this.#enqueuePub(async () => {
      const pc = this.#pub;
      if (!pc || this.#closed) return;
      try {
        await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
        await waitForGathering(pc, this.#gatherMs);
        const { sdp } = await this.request('media.publish', { sdp: pc.localDescription?.sdp ?? '' });
        await pc.setRemoteDescription({ type: 'answer', sdp });
      } catch (error) {
        if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
        throw error;
      }
    });
  }

  /** A fresh publish transport sending what the old one sent (the server replaces its side: new DTLS fingerprint). */
  #rebuildPublish(): Promise<void> {
    return this.#enqueuePub(async () => {
      const old = this.#pub;
      if (!old || this.#closed) return;
      const tracks = new Map<MediaKind, MediaStreamTrack | null>();
      for (const [kind, t] of this.#sending) tracks.set(kind, t.direction === 'inactive' ? null : t.sender.track);
      old.close();
      const pc = (this.#pub = this.#newPub());
      this.#sending.clear();
      for (const [kind, track] of tracks) {
        const direction = track ? 'sendonly' : 'inactive';
        const t = pc.addTransceiver(kind, kind === 'video' ? { direction, sendEncodings: initialEncodings() } : { direction });
        if (track) await t.sender.replaceTrack(track);
        this.#sending.set(kind, t);
      }
      await this.#negotiatePublish(pc);
      for (const l of this.#pubListeners) l();
    });
  }

  /** Stops publishing and closes the publish transport. */
  unpublish(): Promise<void> {
    return this.#enqueuePub(async () => {
      if (!this.#pub) return;
      this.#dropPub();
      await this.request('media.unpublish', {});
    });
  }

  #onRevoked(ev: EventPayload<'media.publishRevoked'>): void {
    const t = this.#sending.get(ev.kind);
    if (t && t.direction !== 'inactive') {
      // Stop sending what nobody receives any more; keep the rest published.
      void this.#enqueuePub(async () => {
        await t.sender.replaceTrack(null);
        t.direction = 'inactive';
        if (this.#pub && !this.#closed) await this.#negotiatePublish(this.#pub);
      }).catch((error: unknown) => {
        // Nothing is forwarded any more either way; the next publish (or the recovery) renegotiates.
        this.#log.warn?.(`media: stopping the revoked ${ev.kind} on the publish transport failed`, error);
      });
    }
    for (const l of this.#revokedListeners) l(ev);
  }

  /** Starts receiving every published track of the live (offers arrive as events). */
  async subscribe(): Promise<void> {
    if (this.#closed) throw new Error('MediaSession is closed');
    this.#sub?.close();
    this.#sub = this.#newSub();
    this.#setRemote([]);
    await this.request('media.subscribe', {});
  }

  /** A fresh subscribe transport (the server replaces its side); the received tracks stay listed until the new offer. */
  async #rebuildSubscribe(): Promise<void> {
    if (!this.#sub || this.#closed) return;
    this.#sub.close();
    this.#sub = this.#newSub();
    this.#offerFailures = 0;
    await this.request('media.subscribe', {});
  }

  #onOffer(offer: EventPayload<'media.offer'>): void {
    this.#latestOffer = Math.max(this.#latestOffer, offer.revision);
    const run = async () => {
      const pc = this.#sub;
      // A newer offer is queued behind this one: only the newest can be answered.
      if (!pc || this.#closed || offer.revision < this.#latestOffer) return;
      try {
        await this.#answer(pc, offer);
        this.#offerFailures = 0;
      } catch (error) {
        if (this.#closed || pc !== this.#sub) return;
        this.#log.warn?.(`media: answering media.offer revision ${offer.revision} failed; asking for a new offer`, error);
        if (pc.signalingState === 'have-remote-offer') {
          await pc
            .setLocalDescription({ type: 'rollback' })
            .catch((e: unknown) => this.#log.warn?.('media: rolling back the refused offer failed', e));
        }
        this.#offerFailed(offer.revision);
      }
    };
    this.#subQueue = this.#subQueue.then(run, run);
  }

  /**
   * An offer could not be answered (invalid, or the server refused the answer): unless a newer offer arrives
   * meanwhile, ask for a new one (after the third failure in a row, on a fresh transport), backing off up to 4 s.
   */
  #offerFailed(revision: number): void {
    this.#offerFailures += 1;
    const failures = this.#offerFailures;
    if (this.#resyncTimer) clearTimeout(this.#resyncTimer);
    this.#resyncTimer = setTimeout(
      () => {
        this.#resyncTimer = undefined;
        if (this.#closed || !this.#sub || this.#latestOffer > revision) return;
        const ask = failures >= 3 ? this.#rebuildSubscribe() : this.request('media.subscribe', { restart: 'offer' }).then(() => undefined);
        ask.catch((error: unknown) => {
          this.#log.warn?.('media: asking for a new media.offer failed; trying again', error);
          this.#offerFailed(revision);
        });
      },
      Math.min(4000, 250 * 2 ** (failures - 1)),
    );
  }

  async #answer(pc: RTCPeerConnection, offer: EventPayload<'media.offer'>): Promise<void> {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await waitForGathering(pc, this.#gatherMs);
    await this.request('media.answer', { revision: offer.revision, sdp: pc.localDescription?.sdp ?? '' });
    const byMid = new Map(offer.tracks.map((t) => [t.mid, t]));
    const remote: RemoteTrack[] = [];
    for (const tr of pc.getTransceivers()) {
      const entry = tr.mid === null ? undefined : byMid.get(tr.mid);
      if (entry) remote.push({ userId: entry.userId, kind: entry.kind, mid: entry.mid, track: tr.receiver.track });
    }
    if (pc === this.#sub) this.#setRemote(remote);
  }

  #setRemote(remote: RemoteTrack[]): void {
    this.#remote = remote;
    for (const l of this.#trackListeners) l(remote);
  }

  /** Stops receiving. */
  async unsubscribe(): Promise<void> {
    this.#sub?.close();
    this.#sub = null;
    this.#setRemote([]);
    await this.request('media.unsubscribe', {});
  }

  /** Closes both transports (local tracks are the caller's to stop). */
  close(): void {
    this.#closed = true;
    this.#pubRecovery.close();
    this.#subRecovery.close();
    if (this.#resyncTimer) clearTimeout(this.#resyncTimer);
    this.#dropPub();
    this.releasePreparedPublish();
    this.#sub?.close();
    this.#sub = null;
    this.#setRemote([]);
  }
}
