import { assertNever } from '../assertNever.js';
import type { ParsedRequestPayload, SeatInfo } from '@onseat/protocol';
import type { MediaPlane, MediaRequest } from '../engine/MediaPlane.js';
import { resolveMediaOptions, type ResolvedMediaOptions, type WeriftMediaOptions } from './options.js';
import type { Registry } from 'prom-client';
import { scrapedCounter, scrapedGauge } from '../metrics.js';
import { newMediaCounters, Room, type MediaLogger, type Notify } from './Room.js';

export interface WeriftMediaPlaneOptions extends WeriftMediaOptions {
  /**
   * Pushes an ephemeral event to a member; wire it to `engine.sendEphemeral` (the engine is usually created after
   * the media plane, so pass a function that looks the engine up when called).
   */
  notify: Notify;
  logger?: MediaLogger;
}

const silent: MediaLogger = { warn() {}, debug() {} };

/**
 * The embedded SFU (werift, in-process): one `Room` per live, created by the first `media.*` request of the live.
 * Publish transports for seated users only, one subscribe transport per member, server-initiated renegotiation,
 * keyframe requests, REMB, audio levels.
 */
export class WeriftMediaPlane implements MediaPlane {
  readonly options: ResolvedMediaOptions;
  readonly #rooms = new Map<string, Room>();
  readonly #notify: Notify;
  readonly #log: MediaLogger;

  constructor(options: WeriftMediaPlaneOptions) {
    this.options = resolveMediaOptions(options);
    this.#notify = options.notify;
    this.#log = options.logger ?? silent;
  }

  /** What the rooms counted since the start (layer switches, step ups undone, transports reaped). */
  readonly counters = newMediaCounters();

  /** The plane's metrics in `registry` (`onseat_media_*`, read at scrape time). */
  registerMetrics(registry: Registry): void {
    scrapedGauge(registry, 'onseat_media_rooms', 'Lives with media on this node', () => this.stats.rooms);
    scrapedGauge(
      registry,
      'onseat_media_publishers',
      'Publish transports (seated users, and applicants or invitees getting ready)',
      () => this.stats.publishers,
    );
    scrapedGauge(registry, 'onseat_media_subscribers', 'Subscribe transports', () => this.stats.subscribers);
    const c = this.counters;
    scrapedCounter(
      registry,
      'onseat_media_layer_switches_total',
      'Simulcast layer switches completed (at the new layer’s keyframe)',
      () => c.layerSwitches,
    );
    scrapedCounter(
      registry,
      'onseat_media_step_ups_undone_total',
      'Simulcast step ups undone because the viewer NACKed the new layer',
      () => c.stepUpsUndone,
    );
    scrapedCounter(
      registry,
      'onseat_media_transports_reaped_total',
      'Publish/subscribe transports closed after being broken for the reap time',
      () => c.transportsReaped,
    );
  }

  /** Lives with media, publishers and subscribers. */
  get stats(): { rooms: number; publishers: number; subscribers: number } {
    let publishers = 0;
    let subscribers = 0;
    for (const r of this.#rooms.values()) {
      publishers += r.publishers.size;
      subscribers += r.subscribers.size;
    }
    return { rooms: this.#rooms.size, publishers, subscribers };
  }

  /** For tests: the room of a live. */
  roomForTesting(liveKey: string): Room | undefined {
    return this.#rooms.get(liveKey);
  }

  seatsChanged(liveKey: string, seats: readonly SeatInfo[]): void {
    this.#rooms.get(liveKey)?.setSeats(seats);
  }

  memberLeft(liveKey: string, userId: string): void {
    const room = this.#rooms.get(liveKey);
    if (!room) return;
    room.memberLeft(userId);
    if (room.empty) {
      this.#rooms.delete(liveKey);
      void room.close();
    }
  }

  liveEnded(liveKey: string): void {
    const room = this.#rooms.get(liveKey);
    this.#rooms.delete(liveKey);
    void room?.close();
  }

  async handle(req: MediaRequest): Promise<unknown> {
    let room = this.#rooms.get(req.liveKey);
    if (!room) {
      const created = new Room(req.liveKey, this.options, this.#notify, this.#log, this.counters);
      created.onEmpty = () => {
        if (created.empty && this.#rooms.get(req.liveKey) === created) {
          this.#rooms.delete(req.liveKey);
          void created.close();
        }
      };
      room = created;
      this.#rooms.set(req.liveKey, room);
    }
    room.setSeat(req.userId, req.seat);
    try {
      return await this.#execute(room, req);
    } finally {
      if (room.empty && this.#rooms.get(req.liveKey) === room) {
        this.#rooms.delete(req.liveKey);
        void room.close();
      }
    }
  }

  async #execute(room: Room, req: MediaRequest): Promise<unknown> {
    switch (req.type) {
      case 'media.publish': {
        const p = req.payload as ParsedRequestPayload<'media.publish'>;
        return { sdp: await room.publish(req.userId, p.sdp) };
      }
      case 'media.unpublish':
        await room.unpublish(req.userId);
        return {};
      case 'media.subscribe': {
        const p = req.payload as ParsedRequestPayload<'media.subscribe'>;
        room.subscribe(req.userId, p.restart);
        return {};
      }
      case 'media.unsubscribe':
        await room.unsubscribe(req.userId);
        return {};
      case 'media.answer': {
        const p = req.payload as ParsedRequestPayload<'media.answer'>;
        await room.answer(req.userId, p.revision, p.sdp);
        return {};
      }
      case 'media.watchStats': {
        const p = req.payload as ParsedRequestPayload<'media.watchStats'>;
        room.watchStats(req.userId, p.on);
        return {};
      }
      case 'media.viewSize': {
        const p = req.payload as ParsedRequestPayload<'media.viewSize'>;
        room.viewSize(req.userId, p.views);
        return {};
      }
      default:
        return assertNever(req.type, 'media request type');
    }
  }

  async close(): Promise<void> {
    const rooms = [...this.#rooms.values()];
    this.#rooms.clear();
    await Promise.all(rooms.map((r) => r.close()));
  }
}
