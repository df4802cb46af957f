import type { OnseatContext } from '../context.js';
import { browserMediaEnv, type MediaEnv } from './MediaEnv.js';
import type { MediaOptions } from './mediaOptions.js';

export type { MediaOptions } from './mediaOptions.js';
import { MediaSession } from './MediaSession.js';

/** How soon the local user is likely to publish (see `LiveMedia.setPublishLikely`). */
export type PublishLikely = 'none' | 'seated' | 'pending';

/**
 * Why the media session changed: entered a live, rebuilt (after a reconnect, or because the live's media moved to
 * another server: `media.moved`), or left the live.
 */
export type SessionCause = 'enter' | 'resume' | 'exit';

/** A new (or no) media session and why. */
export interface SessionChange {
  session: MediaSession | null;
  cause: SessionCause;
}

/**
 * The media session of the live the client is in, shared by the device store (publishing) and the remote media
 * store (receiving): created when the client enters a live, rebuilt with fresh transports after a reconnect (the
 * server may have dropped or lost them), closed when the client leaves. Feeds it the `media.*` events.
 */
export class LiveMedia {
  readonly env: MediaEnv;
  readonly connectTimeoutMs: number;
  readonly #ctx: OnseatContext;
  readonly #options: MediaOptions;
  readonly #listeners = new Set<(change: SessionChange) => void>();
  /** False without WebRTC (e.g. a Node bot with the default environment): no media sessions then. */
  readonly enabled: boolean;
  #session: MediaSession | null = null;
  /** How soon the local user is likely to publish (see `setPublishLikely`). */
  #publishLikely: PublishLikely = 'none';

  constructor(ctx: OnseatContext, options: MediaOptions = {}) {
    this.#ctx = ctx;
    this.#options = options;
    this.env = options.env ?? browserMediaEnv();
    this.enabled = options.env !== undefined || typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function';
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    ctx.addSink({
      liveSnapshot: (_snapshot, cause) => {
        if (cause === 'enter' || !this.#session) this.#replace(cause === 'enter' ? 'enter' : 'resume');
      },
      liveEvent: (event) => {
        // the live's SFU changed (a cluster's owner died): fresh transports at once, as after a reconnect
        if (event.type === 'media.moved') {
          if (this.#session) this.#replace('resume');
        } else if (event.type.startsWith('media.')) this.#session?.handleEvent(event.type, event.payload);
      },
      liveExit: () => this.#replace('exit'),
      connectionResumed: () => {
        if (this.#ctx.liveId) this.#replace('resume');
      },
    });
  }

  /** The current session (null when not in a live). */
  get session(): MediaSession | null {
    return this.#session;
  }

  /** The local user's id. */
  get userId(): string {
    return this.#ctx.userId;
  }

  /** Calls `listener` after each session change; returns the unsubscribe function. */
  onSession(listener: (change: SessionChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * How soon the local user is likely to publish: `seated` (holds a seat without publishing yet) keeps a publish
   * transport with its ICE candidates gathered, so the first publish does not wait for gathering; `pending` (an
   * application or invitation of theirs is open) also connects it (ICE + DTLS, nothing sent), so an accept only
   * renegotiates; `none` closes an unused one (and unpublishes it on the server).
   */
  setPublishLikely(likely: PublishLikely): void {
    this.#publishLikely = likely;
    this.#prepare();
  }

  #prepare(): void {
    const session = this.#session;
    if (!session) return;
    if (this.#publishLikely === 'none') session.releasePreparedPublish();
    else session.preparePublish(this.#publishLikely === 'pending' ? 'connect' : 'gather');
  }

  #replace(cause: SessionCause): void {
    this.#session?.close();
    this.#session = null;
    if (cause !== 'exit' && this.enabled) {
      const rtcConfig: RTCConfiguration = { iceServers: this.#options.iceServers ?? this.#ctx.client?.iceServers ?? [], bundlePolicy: 'max-bundle' };
      this.#session = new MediaSession((type, payload) => this.#ctx.request(type, payload), {
        env: this.env,
        rtcConfig,
        logger: this.#ctx.logger,
        ...(this.#options.recovery ? { recovery: this.#options.recovery } : {}),
        ...(this.#options.gatherTimeoutMs !== undefined ? { gatherTimeoutMs: this.#options.gatherTimeoutMs } : {}),
      });
      this.#prepare();
    }
    const change: SessionChange = { session: this.#session, cause };
    for (const l of [...this.#listeners]) {
      try {
        l(change);
      } catch (error) {
        this.#ctx.logger.error?.('media session listener failed', error);
      }
    }
  }
}
