/**
 * Turns two getStats() readings of the media transports into AtomicX's statistics: per-user stream statistics
 * (`AVStatistics`, bitrates in kbit/s) and network quality (`NetworkInfo`, loss in %, delay in ms). Pure functions.
 */

/** Network quality of one user (AtomicX NetworkInfo): 0 Unknown, 1 Excellent … 5 VeryBad, 6 Down. */
export interface NetworkInfo {
  userId?: string;
  quality: number;
  /** Packets lost on the way up (sending), %. */
  upLoss: number;
  /** Packets lost on the way down (receiving), %. */
  downLoss: number;
  /** Round-trip time to the server, ms. */
  delay: number;
}

/** Statistics of one user's streams (AtomicX AVStatistics; the local user's entry has `userID ''`). */
export interface AVStatistics {
  userID: string;
  /** kbit/s */
  videoBitrate: number;
  videoWidth: number;
  videoHeight: number;
  frameRate: number;
  audioSampleRate: number;
  /** kbit/s */
  audioBitrate: number;
}

/** NetworkQuality from loss (%), round-trip time (ms) and jitter (ms); `Unknown` (0) without data. */
export function qualityOf(lossPercent: number, rttMs: number, jitterMs: number): number {
  if (![lossPercent, rttMs, jitterMs].every(Number.isFinite)) return 0;
  if (lossPercent < 1 && rttMs < 100 && jitterMs < 20) return 1;
  if (lossPercent < 3 && rttMs < 200 && jitterMs < 40) return 2;
  if (lossPercent < 8 && rttMs < 400 && jitterMs < 80) return 3;
  if (lossPercent < 15 && rttMs < 800 && jitterMs < 160) return 4;
  if (lossPercent < 30) return 5;
  return 6;
}

/** The fields of RTCStats entries used here (all optional: browsers differ). */
export interface StatLike {
  id: string;
  type: string;
  timestamp: number;
  kind?: string;
  mid?: string;
  bytesReceived?: number;
  bytesSent?: number;
  packetsReceived?: number;
  packetsLost?: number;
  jitter?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
  codecId?: string;
  clockRate?: number;
  fractionLost?: number;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  packetsSent?: number;
  localId?: string;
  nominated?: boolean;
  state?: string;
}

/** Per stats id: the counters of the previous reading. */
export type Previous = Map<string, StatLike>;

const rate = (now: StatLike, before: StatLike | undefined, field: 'bytesReceived' | 'bytesSent'): number => {
  const b = before?.[field];
  const n = now[field];
  if (b === undefined || n === undefined || now.timestamp <= (before?.timestamp ?? 0)) return 0;
  return Math.max(0, Math.round(((n - b) * 8) / (now.timestamp - (before?.timestamp ?? 0)))); // bits per ms = kbit/s
};

/** Round-trip time (ms) of the selected candidate pair of one transport's report, NaN when unknown. */
export function rttOf(stats: readonly StatLike[]): number {
  const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && s.currentRoundTripTime !== undefined);
  return pair?.currentRoundTripTime === undefined ? NaN : pair.currentRoundTripTime * 1000;
}

export interface Received {
  stats: AVStatistics;
  /** Loss of this user's streams on the way to us over the window, % (NaN without packets). */
  downLoss: number;
  jitterMs: number;
}

/** Statistics of what we receive, per sending user (`userOf(mid)` maps a receiving m-section to its user). */
export function receivedStats(stats: readonly StatLike[], prev: Previous, userOf: (mid: string) => string | undefined): Map<string, Received> {
  const byId = new Map(stats.map((s) => [s.id, s]));
  const out = new Map<string, Received & { recv: number; lost: number }>();
  for (const s of stats) {
    if (s.type !== 'inbound-rtp' || s.mid === undefined) continue;
    const userId = userOf(s.mid);
    if (!userId) continue;
    const entry = out.get(userId) ?? {
      stats: { userID: userId, videoBitrate: 0, videoWidth: 0, videoHeight: 0, frameRate: 0, audioSampleRate: 0, audioBitrate: 0 },
      downLoss: NaN,
      jitterMs: 0,
      recv: 0,
      lost: 0,
    };
    const before = prev.get(s.id);
    if (s.kind === 'video') {
      entry.stats.videoBitrate = rate(s, before, 'bytesReceived');
      entry.stats.videoWidth = s.frameWidth ?? 0;
      entry.stats.videoHeight = s.frameHeight ?? 0;
      entry.stats.frameRate = Math.round(s.framesPerSecond ?? 0);
    } else if (s.kind === 'audio') {
      entry.stats.audioBitrate = rate(s, before, 'bytesReceived');
      entry.stats.audioSampleRate = (s.codecId ? byId.get(s.codecId)?.clockRate : undefined) ?? 48_000;
    }
    if (before) {
      entry.recv += Math.max(0, (s.packetsReceived ?? 0) - (before.packetsReceived ?? 0));
      entry.lost += Math.max(0, (s.packetsLost ?? 0) - (before.packetsLost ?? 0));
    }
    entry.jitterMs = Math.max(entry.jitterMs, (s.jitter ?? 0) * 1000);
    out.set(userId, entry);
  }
  const result = new Map<string, Received>();
  for (const [userId, e] of out) {
    const total = e.recv + e.lost;
    result.set(userId, { stats: e.stats, downLoss: total > 0 ? (100 * e.lost) / total : NaN, jitterMs: e.jitterMs });
  }
  return result;
}

export interface Sent {
  stats: AVStatistics;
  /** Loss on the way up as the server's receiver reports say, % (NaN without reports). */
  upLoss: number;
  jitterMs: number;
  /** Round-trip time from the receiver reports, ms (NaN without). */
  rttMs: number;
}

/** Statistics of what we send (the local entry, `userID ''`), with the uplink loss from the server's receiver reports. */
export function sentStats(stats: readonly StatLike[], prev: Previous): Sent {
  const out: Sent = {
    stats: { userID: '', videoBitrate: 0, videoWidth: 0, videoHeight: 0, frameRate: 0, audioSampleRate: 0, audioBitrate: 0 },
    upLoss: NaN,
    jitterMs: 0,
    rttMs: NaN,
  };
  const byId = new Map(stats.map((s) => [s.id, s]));
  // Loss per kind over the window, summed over its encodings (a simulcast camera has three).
  const window = new Map<string, { lost: number; sent: number }>();
  for (const s of stats) {
    if (s.type === 'outbound-rtp') {
      const before = prev.get(s.id);
      if (s.kind === 'video') {
        out.stats.videoBitrate += rate(s, before, 'bytesSent');
        out.stats.videoWidth = Math.max(out.stats.videoWidth, s.frameWidth ?? 0);
        out.stats.videoHeight = Math.max(out.stats.videoHeight, s.frameHeight ?? 0);
        out.stats.frameRate = Math.max(out.stats.frameRate, Math.round(s.framesPerSecond ?? 0));
      } else if (s.kind === 'audio') {
        out.stats.audioBitrate = rate(s, before, 'bytesSent');
        out.stats.audioSampleRate = (s.codecId ? byId.get(s.codecId)?.clockRate : undefined) ?? 48_000;
      }
    } else if (s.type === 'remote-inbound-rtp') {
      // Loss over the window from the cumulative counters of the receiver reports; the last report's fraction otherwise.
      const before = prev.get(s.id);
      const sentNow = s.localId ? byId.get(s.localId)?.packetsSent : undefined;
      const sentBefore = s.localId ? prev.get(s.localId)?.packetsSent : undefined;
      if (
        before?.packetsLost !== undefined &&
        s.packetsLost !== undefined &&
        sentNow !== undefined &&
        sentBefore !== undefined &&
        sentNow > sentBefore
      ) {
        const w = window.get(s.kind ?? '') ?? { lost: 0, sent: 0 };
        w.lost += Math.max(0, s.packetsLost - before.packetsLost);
        w.sent += sentNow - sentBefore;
        window.set(s.kind ?? '', w);
      } else if (s.fractionLost !== undefined) {
        out.upLoss = Math.max(Number.isNaN(out.upLoss) ? 0 : out.upLoss, Math.min(100, s.fractionLost * 100));
      }
      if (s.roundTripTime !== undefined) out.rttMs = s.roundTripTime * 1000;
      out.jitterMs = Math.max(out.jitterMs, (s.jitter ?? 0) * 1000);
    }
  }
  for (const w of window.values()) out.upLoss = Math.max(Number.isNaN(out.upLoss) ? 0 : out.upLoss, Math.min(100, (100 * w.lost) / w.sent));
  return out;
}
