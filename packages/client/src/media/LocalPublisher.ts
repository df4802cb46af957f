import type { OnseatContext } from '../context.js';
import { isOnseatError, OnseatError } from '../errors.js';
import type { LocalSource } from './capture.js';
import type { LiveMedia } from './LiveMedia.js';
import type { GainStage } from './MediaEnv.js';
import type { MediaKind, MediaSession } from './MediaSession.js';
import { applySimulcast } from './simulcast.js';

/** What the publisher reports to its store. */
export interface LocalPublisherHooks {
  /** A source is now published and sending (true), or not any more (false). */
  status(source: LocalSource, on: boolean): void;
  /** The captured tracks changed (for the local preview). */
  tracksChanged(tracks: MediaStreamTrack[]): void;
  /** Your own audio level (0–100) as the server reports it. */
  level(level: number): void;
}

const SOURCES: readonly LocalSource[] = ['microphone', 'camera', 'screen'];

/** An `open` waiting for its turn in the publisher's queue. */
interface PendingOpen {
  gen: number;
  capture: (c: MediaTrackConstraints | true) => Promise<MediaStreamTrack>;
  constraints: MediaTrackConstraints | true;
  /** Offered in the negotiation of the other kind's open (see `#captureCompanion`). */
  published: boolean;
}
const kindOf = (source: LocalSource): MediaKind => (source === 'microphone' ? 'audio' : 'video');

/**
 * The local tracks and their publishing on the current media session: one operation at a time, a status turns On
 * only after the server accepted the publish and the transport is connected, a close wins over an open still in
 * flight, and after entering a live (or a reconnect) whatever is captured is published (again).
 */
export class LocalPublisher {
  readonly #media: LiveMedia;
  readonly #ctx: OnseatContext;
  readonly #hooks: LocalPublisherHooks;
  readonly #tracks: Record<LocalSource, MediaStreamTrack | null> = { microphone: null, camera: null, screen: null };
  readonly #on: Record<LocalSource, boolean> = { microphone: false, camera: false, screen: false };
  /** Bumped by every close of a source: an open that started before it does not turn the source On. */
  readonly #gen: Record<LocalSource, number> = { microphone: 0, camera: 0, screen: 0 };
  #muted = false;
  /** The camera's layer settings last applied (re-applied when the recovery replaces the publish transport). */
  #quality: { height: number; maxBitrate: number } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #offSession: (() => void)[] = [];

  constructor(media: LiveMedia, ctx: OnseatContext, hooks: LocalPublisherHooks) {
    this.#media = media;
    this.#ctx = ctx;
    this.#hooks = hooks;
    media.onSession(({ session }) => this.#attach(session));
  }

  /** Captures `source` (unless a preview track exists) and publishes it when in a live. */
  async open(
    source: LocalSource,
    capture: (c: MediaTrackConstraints | true) => Promise<MediaStreamTrack>,
    constraints: MediaTrackConstraints | true,
  ): Promise<void> {
    // Capturing and negotiating take turns; waiting for the media to flow does not, so a microphone and a camera
    // opened together are negotiated back to back instead of the second waiting for the first to connect.
    // A close called after this open (even before it runs) wins: the generation is taken now, not when it runs.
    const gen = this.#gen[source];
    const pending: PendingOpen = { gen, capture, constraints, published: false };
    this.#pending.set(source, pending);
    const negotiated = await this.#enqueue(async () => {
      if (this.#pending.get(source) === pending) this.#pending.delete(source);
      if (gen !== this.#gen[source]) return null;
      if (this.#on[source]) return null;
      let track = this.#tracks[source];
      if (!track) {
        track = await capture(constraints);
        if (gen !== this.#gen[source]) return void track.stop(); // closed while capturing
        this.#captured(source, track);
      }
      const session = this.#media.session;
      if (!session) return null; // not in a live: a preview, published on entering one
      // Published together with the other kind's open (see #negotiate): only the confirmation is left.
      if (!pending.published || session.sender(kindOf(source))?.track !== this.#sendable(kindOf(source))) {
        await this.#negotiate(session, source, track);
      }
      return { session, gen, track };
    });
    if (negotiated) await this.#confirm(negotiated.session, source, negotiated.gen, negotiated.track);
  }

  /** Opens waiting in the queue (their turn has not come), by source. */
  readonly #pending = new Map<LocalSource, PendingOpen>();

  /** A capture made by an open becomes the source's track. */
  #captured(source: LocalSource, track: MediaStreamTrack): void {
    this.#setTrack(source, track);
    if (source === 'microphone') track.enabled = !this.#muted;
    if (source === 'screen') track.addEventListener('ended', () => void this.close('screen'));
  }

  /**
   * A microphone and a camera opened together (an accepted guest opens both) are captured and offered in ONE
   * negotiation: while `source` has its turn, the other kind's waiting open is captured too. Its own turn then only
   * waits for the media to flow. Anything unusual (a failed capture, a close meanwhile) leaves it to its own turn.
   */
  async #captureCompanion(source: LocalSource): Promise<{ source: LocalSource; open: PendingOpen } | null> {
    const other: LocalSource | null = source === 'microphone' ? 'camera' : source === 'camera' ? 'microphone' : null;
    const open = other ? this.#pending.get(other) : undefined;
    if (!other || !open || this.#tracks[other] || this.#on[other] || (other === 'camera' && this.#tracks.screen)) return null;
    try {
      const track = await open.capture(open.constraints);
      if (open.gen !== this.#gen[other] || this.#tracks[other] || this.#pending.get(other) !== open) {
        track.stop();
        return null;
      }
      this.#captured(other, track);
      return { source: other, open };
    } catch {
      return null; // its own turn captures again and reports the error
    }
  }

  /** Stops `source`: status Off at once, then the track and its publishing. */
  close(source: LocalSource): Promise<void> {
    this.#gen[source] += 1;
    this.#setOn(source, false);
    return this.#enqueue(async () => {
      const track = this.#tracks[source];
      if (!track) return;
      track.stop();
      this.#setTrack(source, null);
      const session = this.#media.session;
      if (session?.publishConnection && !session.closed) {
        const kind = kindOf(source);
        await session.publish({ [kind]: this.#sendable(kind) }).catch((e: unknown) => this.#ctx.logger.warn?.(`unpublish ${source} failed`, e));
      }
      await this.#report(source);
    });
  }

  /** Stops everything at once (left the live). */
  closeAll(): void {
    for (const source of SOURCES) {
      this.#gen[source] += 1;
      this.#setOn(source, false);
      this.#tracks[source]?.stop();
      this.#tracks[source] = null;
    }
    this.#rebuildGain();
    this.#muted = false;
    this.#hooks.tracksChanged([]);
  }

  /** Mute: the microphone sends silence and the seat shows it off. */
  async setMuted(muted: boolean): Promise<void> {
    this.#muted = muted;
    const mic = this.#tracks.microphone;
    if (mic) mic.enabled = !muted;
    if (this.#on.microphone) await this.#report('microphone');
  }

  /** New capture constraints (null = keep) and the simulcast layers of the camera (full height and bitrate cap). */
  async applyQuality(constraints: MediaTrackConstraints | null, quality: { height: number; maxBitrate: number }): Promise<void> {
    this.#quality = quality;
    const cam = this.#tracks.camera;
    if (!cam) return;
    try {
      if (constraints) await cam.applyConstraints(constraints);
      const session = this.#media.session;
      if (session && this.#on.camera && !this.#tracks.screen) await applySimulcast(session.sender('video'), quality.height, quality.maxBitrate);
    } catch (error) {
      this.#ctx.logger.warn?.('could not apply the video quality', error);
    }
  }

  /** Replaces an open microphone/camera with another capture, without renegotiating. */
  switchDevice(source: 'microphone' | 'camera', capture: () => Promise<MediaStreamTrack>): Promise<void> {
    return this.#enqueue(async () => {
      const old = this.#tracks[source];
      if (!old) return;
      const track = await capture();
      if (this.#tracks[source] !== old) return void track.stop();
      if (source === 'microphone') track.enabled = !this.#muted;
      const kind = kindOf(source);
      const before = this.#sendable(kind);
      this.#setTrack(source, track);
      await this.#resend(kind, before);
      old.stop();
    });
  }

  /** What should go out on the `kind` sender now (screen before camera). */
  #sendable(kind: MediaKind): MediaStreamTrack | null {
    return kind === 'audio' ? (this.#gainStage?.track ?? this.#tracks.microphone) : (this.#tracks.screen ?? this.#tracks.camera);
  }

  /** Microphone gain (captureVolume / 100); 1 sends the captured track itself. */
  #gain = 1;
  #gainStage: GainStage | null = null;

  /** Sets the microphone gain; applies at once to what is being sent (no renegotiation). */
  setGain(gain: number): Promise<void> {
    return this.#enqueue(async () => {
      const before = this.#sendable('audio');
      this.#gain = gain;
      if (this.#gainStage && gain !== 1) return this.#gainStage.setGain(gain);
      this.#rebuildGain();
      await this.#resend('audio', before);
    });
  }

  /** Puts a gain stage in front of the microphone when the gain is not 1 (or removes it). */
  #rebuildGain(): void {
    this.#gainStage?.close();
    this.#gainStage = null;
    const mic = this.#tracks.microphone;
    if (mic && this.#gain !== 1) this.#gainStage = this.#media.env.createGainStage(mic, this.#gain);
  }

  /** After the sendable track of `kind` changed from `before`: the sender sends the new one (no renegotiation). */
  async #resend(kind: MediaKind, before: MediaStreamTrack | null): Promise<void> {
    const sender = this.#media.session?.sender(kind);
    const now = this.#sendable(kind);
    if (sender && before && sender.track === before && now !== before) await sender.replaceTrack(now);
  }

  /**
   * Publishing is two steps: `#negotiate` offers the current tracks (inside the queue: negotiations must not overlap),
   * `#confirm` waits for the media to flow (outside it). On refusal the track is stopped and the error thrown.
   */
  async #negotiate(session: MediaSession, source: LocalSource, track: MediaStreamTrack | null): Promise<void> {
    const companion = await this.#captureCompanion(source);
    const tracks: { audio?: MediaStreamTrack | null; video?: MediaStreamTrack | null } = { [kindOf(source)]: this.#sendable(kindOf(source)) };
    if (companion) tracks[kindOf(companion.source)] = this.#sendable(kindOf(companion.source));
    try {
      await session.publish(tracks);
      if (companion) companion.open.published = true;
    } catch (error) {
      // replaced meanwhile (a reconnect, media.moved): the new session publishes the track again
      if (this.#replaced(session)) return;
      await this.#dropTrack(session, source, track, error);
      throw error;
    }
  }

  /**
   * Whether `session` was closed or replaced: what fails on it says nothing about the track, which the session that
   * replaced it publishes again (two replacements back to back, e.g. a reconnect and then `media.moved`, stopped the
   * camera when the first session's publish failed).
   */
  #replaced(session: MediaSession): boolean {
    return session.closed || this.#media.session !== session;
  }

  /** Waits for the published media to flow, then turns the status On and tells the seat list. */
  async #confirm(session: MediaSession, source: LocalSource, gen: number, track: MediaStreamTrack | null): Promise<void> {
    try {
      await session.waitPublishConnected(this.#media.connectTimeoutMs).catch((e: Error) => {
        throw OnseatError.of('FAILED', `The ${source} was published but media did not flow: ${e.message}`);
      });
    } catch (error) {
      if (this.#replaced(session)) return;
      await this.#enqueue(() => this.#dropTrack(session, source, track, error));
      throw error;
    }
    if (gen !== this.#gen[source] || this.#media.session !== session) return;
    this.#setOn(source, true);
    await this.#report(source);
  }

  /** After a refused or failed publish: stop the track and, unless the server refused it, take it off the offer. */
  async #dropTrack(session: MediaSession, source: LocalSource, track: MediaStreamTrack | null, error: unknown): Promise<void> {
    if (!track || this.#tracks[source] !== track) return;
    track.stop();
    this.#setTrack(source, null);
    if (!isOnseatError(error) || error.name === 'FAILED') {
      await session
        .publish({ [kindOf(source)]: this.#sendable(kindOf(source)) })
        .catch((e: unknown) => this.#ctx.logger.warn?.(`could not take the failed ${source} off the publish transport`, e));
    }
  }

  #attach(session: MediaSession | null): void {
    for (const off of this.#offSession) off();
    this.#offSession = [];
    if (!session) return;
    this.#offSession = [
      session.onRevoked(({ kind }) => {
        for (const source of kind === 'audio' ? (['microphone'] as const) : (['camera', 'screen'] as const)) {
          this.#gen[source] += 1;
          this.#setOn(source, false);
          this.#tracks[source]?.stop();
          this.#setTrack(source, null);
        }
      }),
      session.onAudioLevels((levels) => this.#hooks.level(levels.get(this.#media.userId) ?? 0)),
      session.onPublishRebuilt(() => {
        const q = this.#quality;
        if (q === null || !this.#on.camera || this.#tracks.screen) return;
        applySimulcast(session.sender('video'), q.height, q.maxBitrate).catch((e: unknown) =>
          this.#ctx.logger.warn?.('could not apply the video bitrate again', e),
        );
      }),
    ];
    // Entered a live with a preview, or reconnected: publish what is captured, one kind at a time.
    for (const source of SOURCES) {
      if (!this.#tracks[source] || (source === 'camera' && this.#tracks.screen)) continue;
      const gen = this.#gen[source];
      const track = this.#tracks[source];
      void this.#enqueue(() => this.#negotiate(session, source, track))
        .then(() => this.#confirm(session, source, gen, track))
        .catch((error: unknown) => {
          if (this.#replaced(session)) return;
          this.#setOn(source, false);
          this.#ctx.logger.warn?.(`could not publish the ${source} again`, error);
        });
    }
  }

  /** Tells the server what the seat shows (microphone on unless muted; camera on while camera or screen is sent). */
  async #report(source: LocalSource): Promise<void> {
    if (!this.#ctx.liveId) return;
    const payload =
      source === 'microphone'
        ? { microphone: this.#on.microphone && !this.#muted ? (1 as const) : (0 as const) }
        : { camera: this.#on.camera || this.#on.screen ? (1 as const) : (0 as const) };
    await this.#ctx.request('seat.reportDevice', payload).catch((e: unknown) => this.#ctx.logger.debug?.('seat.reportDevice failed', e));
  }

  #setOn(source: LocalSource, on: boolean): void {
    if (this.#on[source] === on) return;
    this.#on[source] = on;
    this.#hooks.status(source, on);
  }

  #setTrack(source: LocalSource, track: MediaStreamTrack | null): void {
    this.#tracks[source] = track;
    if (source === 'microphone') this.#rebuildGain();
    const tracks = [this.#tracks.microphone, this.#tracks.screen ?? this.#tracks.camera].filter((t): t is MediaStreamTrack => t !== null);
    this.#hooks.tracksChanged(tracks);
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.#queue.then(fn, fn);
    this.#queue = p.catch(() => undefined);
    return p;
  }
}
