import type { OnseatContext } from '../context.js';
import type { LiveMedia } from '../media/LiveMedia.js';
import { qualityOf, receivedStats, rttOf, sentStats, type AVStatistics, type NetworkInfo, type Previous, type StatLike } from '../media/statsMath.js';
import { Store } from './Store.js';

/** State of the {@link MediaStatsStore} (AtomicX LiveSeatState `networkQualities`/`avStatistics`, DeviceState `networkInfo`). */
export interface MediaStatsSnapshot {
  /** userId → network quality: yours (while you publish or receive) and that of each user whose media you receive. */
  networkQualities: ReadonlyMap<string, NetworkInfo>;
  /** Statistics of what you send (`userID ''`) and of each user you receive. */
  avStatistics: readonly AVStatistics[];
  /** Your own network: uplink loss from the server's receiver reports, downlink loss from what you receive. */
  networkInfo: NetworkInfo | null;
}

const EMPTY: MediaStatsSnapshot = { networkQualities: new Map(), avStatistics: [], networkInfo: null };

/** How long one `touch()` keeps the statistics refreshing (Vue reads them through it). */
const LEASE_MS = 10_000;

/**
 * Network quality and stream statistics from the browser's getStats() of both media transports, refreshed every
 * `intervalMs` (2 s) — but only while someone uses them: a `subscribe()` listener, or a `touch()` within the last
 * 10 s. An app that never reads them costs no getStats() calls.
 */
export class MediaStatsStore extends Store<MediaStatsSnapshot, Record<never, never>> {
  readonly #media: LiveMedia;
  readonly #intervalMs: number;
  #users = 0;
  #leaseUntil = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #prev: Previous = new Map();
  #polls = 0;
  /** The server's view of each publisher's uplink (`media.networkStats`), by userId. */
  #uplinks = new Map<string, { upLoss: number; jitter: number; rtt: number }>();
  /** Whether the server was asked for `media.networkStats` (while polling). */
  #watching = false;

  constructor(ctx: OnseatContext, media: LiveMedia, intervalMs = 2000) {
    super(ctx, EMPTY);
    this.#media = media;
    this.#intervalMs = intervalMs;
    media.onSession(({ session }) => {
      this.#prev = new Map();
      this.#uplinks = new Map();
      this.#watching = false; // a new session (entered, or after a reconnect): ask again on the next poll
      if (!session) this.resetState();
    });
    ctx.addSink({
      liveEvent: (event) => {
        if (event.type !== 'media.networkStats') return;
        this.#uplinks = new Map(event.payload.users.map((u) => [u.userId, { upLoss: u.upLoss, jitter: u.jitter, rtt: u.rtt }]));
      },
    });
  }

  /** True while the statistics are being refreshed. */
  get polling(): boolean {
    return this.#timer !== undefined;
  }

  /** How many getStats() rounds ran so far. */
  get polls(): number {
    return this.#polls;
  }

  /** A listener keeps the statistics refreshing until it unsubscribes. */
  override subscribe(listener: (snapshot: MediaStatsSnapshot) => void): () => void {
    const off = super.subscribe(listener);
    this.#users += 1;
    this.#ensure();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      this.#users -= 1;
    };
  }

  /** A listener that does not keep the statistics refreshing (pair it with `touch()` on every read). */
  observe(listener: (snapshot: MediaStatsSnapshot) => void): () => void {
    return super.subscribe(listener);
  }

  /** Someone read the statistics: keep them refreshing for 10 s more. */
  touch(): void {
    this.#leaseUntil = Date.now() + LEASE_MS;
    this.#ensure();
  }

  #wanted(): boolean {
    return this.#users > 0 || Date.now() < this.#leaseUntil;
  }

  #ensure(): void {
    if (this.#timer || !this.#wanted()) return;
    this.#timer = setTimeout(() => void this.#tick(), 0);
  }

  async #tick(): Promise<void> {
    try {
      await this.#poll();
    } catch (error) {
      this.ctx.logger.debug?.('media statistics: getStats failed', error);
    }
    const again = this.#wanted();
    this.#timer = again ? setTimeout(() => void this.#tick(), this.#intervalMs) : undefined;
    if (!again) this.#watch(false);
  }

  /** Asks the server for (or to stop) the publishers' uplink statistics. */
  #watch(on: boolean): void {
    if (this.#watching === on || !this.#media.session) return;
    this.#watching = on;
    if (!on) this.#uplinks = new Map();
    this.ctx.request('media.watchStats', { on }).catch((error: unknown) => {
      this.#watching = false;
      this.ctx.logger.debug?.(`media.watchStats ${String(on)} failed`, error);
    });
  }

  async #poll(): Promise<void> {
    const session = this.#media.session;
    if (!session) return;
    this.#polls += 1;
    this.#watch(true);
    const read = async (pc: RTCPeerConnection | null): Promise<StatLike[]> => {
      if (!pc) return [];
      const out: StatLike[] = [];
      (await pc.getStats()).forEach((s: StatLike) => out.push(s));
      return out;
    };
    const [up, down] = await Promise.all([read(session.publishConnection), read(session.subscribeConnection)]);
    if (this.#media.session !== session) return;
    const prev = this.#prev;
    const byMid = new Map(session.remoteTracks.map((t) => [t.mid, t.userId]));
    const received = receivedStats(down, prev, (mid) => byMid.get(mid));
    const sent = up.length > 0 ? sentStats(up, prev) : null;
    this.#prev = new Map([...up, ...down].map((s) => [s.id, s]));
    if (prev.size === 0) return; // rates need two readings

    // The smallest of the round-trip estimates (each transport's ICE checks, the receiver reports): one late STUN
    // answer from a busy server must not make the whole network look bad.
    const rtts = [rttOf(down), rttOf(up), sent?.rttMs ?? NaN].filter(Number.isFinite);
    const rtt = rtts.length > 0 ? Math.min(...rtts) : NaN;
    const delay = Number.isFinite(rtt) ? Math.round(rtt) : 0;
    const qualities = new Map<string, NetworkInfo>();
    const statistics: AVStatistics[] = [];
    // Your downlink loss is the least among the streams you receive: loss in one stream only happened before the
    // server (on its publisher's uplink), not on your side.
    let leastDown = NaN;
    let jitter = NaN; // the least jitter among received streams, for the same reason
    for (const [userId, r] of received) {
      statistics.push(r.stats);
      if (!Number.isNaN(r.downLoss)) leastDown = Number.isNaN(leastDown) ? r.downLoss : Math.min(leastDown, r.downLoss);
      jitter = Number.isNaN(jitter) ? r.jitterMs : Math.min(jitter, r.jitterMs);
      const downLoss = Number.isNaN(r.downLoss) ? 0 : round1(r.downLoss);
      // Another user's quality is about their network: their uplink loss and RTT as the server sees them, and what
      // is left of the loss on the way to you after it. Jitter (and your RTT) describe your side; they are in your
      // own networkInfo, not here.
      const up = this.#uplinks.get(userId);
      const upLoss = up ? up.upLoss : 0;
      const ownDown = Math.max(0, downLoss - upLoss);
      const quality = qualityOf(Math.max(upLoss, ownDown), up && up.rtt >= 0 ? up.rtt : 0, 0);
      qualities.set(userId, { userId, quality, upLoss, downLoss, delay });
    }
    let networkInfo: NetworkInfo | null = null;
    if (sent || received.size > 0) {
      const upLoss = sent && !Number.isNaN(sent.upLoss) ? round1(sent.upLoss) : 0;
      const downLoss = Number.isNaN(leastDown) ? 0 : round1(leastDown);
      const j = Math.max(Number.isNaN(jitter) ? 0 : jitter, sent?.jitterMs ?? 0);
      const quality = qualityOf(Math.max(upLoss, downLoss), rtt, j);
      networkInfo = { userId: this.#media.userId, quality, upLoss, downLoss, delay };
      qualities.set(this.#media.userId, networkInfo);
    }
    if (sent) statistics.unshift(sent.stats);
    this.setState({ networkQualities: qualities, avStatistics: statistics, networkInfo });
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
