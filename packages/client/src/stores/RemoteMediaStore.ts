import type { OnseatContext } from '../context.js';
import type { LiveMedia } from '../media/LiveMedia.js';
import type { MediaKind, MediaSession, RemoteTrack } from '../media/MediaSession.js';
import { playStream, stopStream } from '../media/playStream.js';
import { ViewSizeReporter } from '../media/ViewSizeReporter.js';
import { Store } from './Store.js';

/** What one other user sends you now. */
export interface RemoteUserMedia {
  userId: string;
  /** Their received tracks; the same object while you stay in the live (tracks come and go inside it). */
  stream: MediaStream;
  hasAudio: boolean;
  hasVideo: boolean;
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
}

/** State of the {@link RemoteMediaStore}. */
export interface RemoteMediaSnapshot {
  /** userId → their media, for every user whose audio or video reaches you. */
  users: ReadonlyMap<string, RemoteUserMedia>;
  /** userId → audio level 0–100 of the users audible now (from the server's `media.audioLevels`). */
  speakingUsers: ReadonlyMap<string, number>;
  /** True while you receive the live's media (after joinLive/startLive until you leave). */
  subscribed: boolean;
}

/** Events of the {@link RemoteMediaStore}. */
export interface RemoteMediaEventMap {
  /** A user's received kinds changed (a user whose media stopped comes with both false). */
  onRemoteMediaChanged: { userId: string; hasAudio: boolean; hasVideo: boolean };
}

/** Inbound RTP counters of one received track. */
export interface InboundTrackStats {
  userId: string;
  kind: MediaKind;
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  /** Size of the last decoded frame (video; 0 before the first). */
  frameWidth: number;
  frameHeight: number;
}

/**
 * The media of the other users in your live: subscribes automatically when you enter a live (and again after a
 * reconnect), one `MediaStream` per user with the kinds that are live, speaking levels; torn down when you leave.
 */
export class RemoteMediaStore extends Store<RemoteMediaSnapshot, RemoteMediaEventMap> {
  readonly #media: LiveMedia;
  readonly #streams = new Map<string, MediaStream>();
  readonly #views: ViewSizeReporter;
  #offSession: (() => void)[] = [];

  constructor(ctx: OnseatContext, media: LiveMedia) {
    super(ctx, { users: new Map(), speakingUsers: new Map(), subscribed: false });
    this.#media = media;
    this.#views = new ViewSizeReporter((views) =>
      this.#media.session && this.ctx.liveId ? this.ctx.request('media.viewSize', { views }) : Promise.resolve(),
    );
    media.onSession(({ session }) => this.#attach(session));
  }

  /**
   * Plays the received media into the element (or element id) `view`: one `<video>` per user you receive (following
   * who comes and goes), or only `userId`'s. Rejects with INVALID_PARAMETER when there is no such element.
   */
  startPlayStream(params: { view: string | HTMLElement; userId?: string }): Promise<void> {
    return playStream(this, params, this.ctx.logger);
  }

  /**
   * Tells the server that `userId`'s video is rendered in `element` (its size in device pixels, followed as it
   * changes), so it sends a layer no bigger than needed: a small tile gets a small simulcast layer. `startPlayStream`
   * does this for its own elements; call it for elements you render yourself. Returns the function that stops it.
   */
  observeViewSize(userId: string, element: Element): () => void {
    return this.#views.observe(userId, element);
  }

  /** Stops what `startPlayStream` plays (only `userId`'s when given) and removes its elements. */
  stopPlayStream(params: { userId?: string } = {}): Promise<void> {
    return stopStream(this, params);
  }

  /** The raw stats of the receiving transport (null when not subscribed). */
  async getStats(): Promise<RTCStatsReport | null> {
    return (await this.#media.session?.subscribeConnection?.getStats()) ?? null;
  }

  /** Inbound counters per received track, keyed `${userId}:${kind}` (e.g. to check that video decodes). */
  async inboundStats(): Promise<Record<string, InboundTrackStats>> {
    const session = this.#media.session;
    const out: Record<string, InboundTrackStats> = {};
    const report = await session?.subscribeConnection?.getStats();
    if (!session || !report) return out;
    const byMid = new Map(session.remoteTracks.map((t) => [t.mid, t]));
    type Entry = { type: string; mid?: string; packetsReceived?: number; bytesReceived?: number; framesDecoded?: number };
    report.forEach((s: Entry & { frameWidth?: number; frameHeight?: number }) => {
      const t = s.type === 'inbound-rtp' && s.mid !== undefined ? byMid.get(s.mid) : undefined;
      if (!t) return;
      out[`${t.userId}:${t.kind}`] = {
        userId: t.userId,
        kind: t.kind,
        packetsReceived: s.packetsReceived ?? 0,
        bytesReceived: s.bytesReceived ?? 0,
        framesDecoded: s.framesDecoded ?? 0,
        frameWidth: s.frameWidth ?? 0,
        frameHeight: s.frameHeight ?? 0,
      };
    });
    return out;
  }

  #attach(session: MediaSession | null): void {
    for (const off of this.#offSession) off();
    this.#offSession = [];
    if (!session) {
      this.#apply([]);
      this.#streams.clear();
      this.setState({ speakingUsers: new Map(), subscribed: false });
      return;
    }
    this.#offSession = [
      session.onRemoteTracks((tracks) => this.#apply(tracks)),
      session.onAudioLevels((levels) => {
        const speaking = [...levels].filter(([, level]) => level > 0);
        this.setState({ speakingUsers: new Map(speaking) });
      }),
    ];
    session.subscribe().then(
      () => {
        if (this.#media.session !== session) return;
        this.setState({ subscribed: true });
        this.#views.resend();
      },
      (error: unknown) => this.ctx.logger.warn?.('could not receive the live media (media.subscribe failed)', error),
    );
  }

  #apply(tracks: readonly RemoteTrack[]): void {
    const byUser = new Map<string, { audio: MediaStreamTrack | null; video: MediaStreamTrack | null }>();
    for (const t of tracks) {
      const entry = byUser.get(t.userId) ?? { audio: null, video: null };
      entry[t.kind] = t.track;
      byUser.set(t.userId, entry);
    }
    const before = this.getSnapshot().users;
    const users = new Map<string, RemoteUserMedia>();
    const changes: RemoteMediaEventMap['onRemoteMediaChanged'][] = [];
    for (const [userId, { audio, video }] of byUser) {
      const stream = this.#streams.get(userId) ?? this.#media.env.createMediaStream([]);
      this.#streams.set(userId, stream);
      const wanted = [audio, video].filter((t): t is MediaStreamTrack => t !== null);
      for (const t of stream.getTracks()) if (!wanted.includes(t)) stream.removeTrack(t);
      for (const t of wanted) if (!stream.getTracks().includes(t)) stream.addTrack(t);
      const old = before.get(userId);
      const same = old && old.audioTrack === audio && old.videoTrack === video;
      users.set(userId, same ? old : { userId, stream, hasAudio: audio !== null, hasVideo: video !== null, audioTrack: audio, videoTrack: video });
      if (!old || old.hasAudio !== (audio !== null) || old.hasVideo !== (video !== null)) {
        changes.push({ userId, hasAudio: audio !== null, hasVideo: video !== null });
      }
    }
    for (const userId of before.keys()) {
      if (users.has(userId)) continue;
      const stream = this.#streams.get(userId);
      for (const t of stream?.getTracks() ?? []) stream?.removeTrack(t);
      this.#streams.delete(userId);
      changes.push({ userId, hasAudio: false, hasVideo: false });
    }
    const changed = users.size !== before.size || [...users].some(([id, u]) => before.get(id) !== u);
    if (changed) this.setState({ users });
    for (const c of changes) this.emit('onRemoteMediaChanged', c);
  }
}
