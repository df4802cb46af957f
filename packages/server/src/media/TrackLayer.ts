import type { LayerStat } from './layerPolicy.js';

/** A layer with no packet for this long is not being sent (the publisher's browser turned it off). */
export const LAYER_IDLE_MS = 1500;
/** Bitrate measurement window. */
const RATE_WINDOW_MS = 1000;

/**
 * One encoding of a published track: a simulcast layer (`rid`), or the only encoding of a track sent without
 * simulcast. Measures its bitrate and frame size, and asks the publisher for its keyframes (at most one PLI per
 * `keyframeIntervalMs`; a request inside the interval is sent at its end, one made before the first packet when it
 * arrives).
 */
export class TrackLayer implements LayerStat {
  ssrc: number | undefined;
  width = 0;
  height = 0;
  bitrate = 0;
  lastPacketAt = -Infinity;
  #bytes = 0;
  #windowStart = -1;
  #lastKeyframeAt = -Infinity;
  #keyframeTimer: NodeJS.Timeout | undefined;
  #keyframeWanted = false;

  constructor(
    /** The rid of a simulcast layer; undefined without simulcast. */
    readonly rid: string | undefined,
    /** Position in the publisher's offer (the order of its encodings). */
    readonly order: number,
    private readonly sendPli: (ssrc: number) => void,
    private readonly keyframeIntervalMs: number,
  ) {}

  get active(): boolean {
    return Date.now() - this.lastPacketAt < LAYER_IDLE_MS;
  }

  /** Counts one packet (`bytes` of payload) at `now`. */
  packet(ssrc: number, bytes: number, now: number): void {
    if (this.ssrc === undefined) {
      this.ssrc = ssrc;
      // A new encoder starts with a keyframe: ask again only if someone asked before its first packet.
      if (this.#keyframeWanted) this.requestKeyframe(now);
    }
    this.lastPacketAt = now;
    if (this.#windowStart < 0) this.#windowStart = now;
    this.#bytes += bytes;
    const elapsed = now - this.#windowStart;
    if (elapsed >= RATE_WINDOW_MS) {
      const rate = (this.#bytes * 8 * 1000) / elapsed;
      this.bitrate = this.bitrate === 0 ? rate : Math.round(this.bitrate * 0.5 + rate * 0.5);
      this.#bytes = 0;
      this.#windowStart = now;
    }
  }

  requestKeyframe(now = Date.now()): void {
    if (this.#keyframeTimer) return;
    const wait = this.#lastKeyframeAt + this.keyframeIntervalMs - now;
    if (wait > 0) {
      this.#keyframeTimer = setTimeout(() => {
        this.#keyframeTimer = undefined;
        this.requestKeyframe();
      }, wait);
      this.#keyframeTimer.unref();
      return;
    }
    if (this.ssrc === undefined) {
      this.#keyframeWanted = true; // asked again when the first packet arrives
      return;
    }
    this.#keyframeWanted = false;
    this.#lastKeyframeAt = now;
    this.sendPli(this.ssrc);
  }

  close(): void {
    if (this.#keyframeTimer) clearTimeout(this.#keyframeTimer);
    this.#keyframeTimer = undefined;
  }
}
