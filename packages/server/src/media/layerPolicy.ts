/**
 * The layer rule: which simulcast layer of each video track a viewer should get, from the size the viewer renders it
 * at and the viewer's bandwidth estimate (REMB from its browser; the loss its receiver reports as a fallback), with
 * hysteresis so it does not flap. Pure logic plus a little state per viewer; the clock is passed in.
 */

/** One layer of a track as measured by the SFU, smallest first. */
export interface LayerStat {
  /** Frame size from its last keyframe; 0 = not seen yet. */
  width: number;
  height: number;
  /** Measured bits per second (0 = not measured yet). */
  bitrate: number;
  /** Packets arrived recently (the publisher may stop sending a layer when its own uplink is short). */
  active: boolean;
}

/** The size a viewer renders a user's video at, in device pixels. */
export interface ViewSize {
  width: number;
  height: number;
}

/** A layer counts as big enough for a view when it has at least this share of the view's width and height. */
export const VIEW_FIT = 0.85;

/** The largest layer index worth sending to `view`: the smallest active layer that covers it (none: the largest). */
export function viewLimit(layers: readonly LayerStat[], view: ViewSize | undefined): number {
  const top = topActive(layers);
  if (!view || view.width <= 0 || view.height <= 0) return top;
  for (let i = 0; i <= top; i++) {
    const l = layers[i];
    if (!l?.active || l.width === 0) continue;
    if (l.width >= view.width * VIEW_FIT && l.height >= view.height * VIEW_FIT) return i;
  }
  return top;
}

function topActive(layers: readonly LayerStat[]): number {
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i]?.active) return i;
  return layers.length - 1;
}

function nextActive(layers: readonly LayerStat[], from: number, limit: number): number {
  for (let i = from + 1; i <= limit; i++) if (layers[i]?.active) return i;
  return -1;
}

function lowestActive(layers: readonly LayerStat[]): number {
  const i = layers.findIndex((l) => l.active);
  return i < 0 ? 0 : i;
}

/** A track to allocate: its layers and the largest index its view allows. */
export interface AllocTrack {
  layers: readonly LayerStat[];
  limit: number;
  /** Device pixels of its view (bigger views are served first); Infinity when unknown. */
  area: number;
}

/**
 * Splits `budget` bits/s over the tracks: every track gets its lowest active layer, then the tracks with the biggest
 * views step up one layer at a time while the budget lasts, never above their limit. No budget: every track gets
 * its limit.
 */
export function allocate(tracks: readonly AllocTrack[], budget: number | undefined): number[] {
  if (budget === undefined) return tracks.map((t) => t.limit);
  const idx = tracks.map((t) => Math.min(lowestActive(t.layers), t.limit));
  let left = budget - tracks.reduce((sum, t, i) => sum + (t.layers[idx[i] ?? 0]?.bitrate ?? 0), 0);
  const order = tracks.map((_, i) => i).sort((a, b) => (tracks[b]?.area ?? 0) - (tracks[a]?.area ?? 0));
  for (let stepped = true; stepped;) {
    stepped = false;
    for (const i of order) {
      const t = tracks[i];
      const cur = idx[i];
      if (!t || cur === undefined) continue;
      const next = nextActive(t.layers, cur, t.limit);
      if (next < 0) continue;
      const cost = (t.layers[next]?.bitrate ?? 0) - (t.layers[cur]?.bitrate ?? 0);
      if (cost > left) continue;
      left -= cost;
      idx[i] = next;
      stepped = true;
    }
  }
  return idx;
}

/** Tuning of the hysteresis (defaults in `DEFAULT_POLICY`). */
export interface PolicyTiming {
  /** Wait after any switch of a track before it may go up (ms); doubled by each failed step up, up to `maxUpHoldMs`. */
  upHoldMs: number;
  maxUpHoldMs: number;
  /** A step down this soon after a step up means the step up failed (ms). */
  failedUpMs: number;
  /** Share of the REMB estimate spent on video. */
  headroom: number;
  /**
   * The REMB counts as a congestion signal (steps down) only below this share of what is being sent: a receiver's
   * estimate starts near what it receives and grows from there, so an early REMB just under the rate is no reason.
   */
  rembDown: number;
  /** Receiver-reported loss above which the viewer steps down one layer even without a lower REMB. */
  lossDown: number;
  /** Loss under which a step up may be tried (probe) when the REMB leaves room (`probeRatio`). */
  lossOk: number;
  /** Try the next layer up when the REMB is at least this multiple of what is being sent (the link is not full). */
  probeRatio: number;
  /**
   * A step up fails at once, without waiting for a receiver report, when within this time (ms) the viewer NACKs more
   * than `nackShare` of the packets sent to it since, and at least `nackMin` of them (see `stepUpFailed`).
   */
  nackWindowMs: number;
  nackShare: number;
  nackMin: number;
}

export const DEFAULT_POLICY: PolicyTiming = {
  upHoldMs: 4000,
  maxUpHoldMs: 60_000,
  failedUpMs: 8000,
  headroom: 0.9,
  rembDown: 0.8,
  lossDown: 0.1,
  lossOk: 0.02,
  probeRatio: 1.3,
  nackWindowMs: 2000,
  nackShare: 0.1,
  nackMin: 10,
};

/** A viewer's bandwidth signals. */
export interface Estimate {
  /** Last REMB of the viewer's browser (bits/s), if it sends any. */
  remb: number | undefined;
  /**
   * The REMB has only grown since the viewer's first one: the receiver's estimate starts near what it receives and
   * ramps up, so until it first goes down a REMB under the rate means congestion only together with loss.
   */
  rembRamping?: boolean;
  /** Fraction lost (0–1) on video, smoothed over the viewer's receiver reports (see `LossFilter`). */
  loss: number;
}

/** Per track hysteresis state (kept by the caller, one per viewer × track). */
export interface TrackState {
  current: number;
  lastSwitchAt: number;
  lastUpAt: number;
  upHoldMs: number;
}

export function newTrackState(timing: PolicyTiming = DEFAULT_POLICY): TrackState {
  return { current: -1, lastSwitchAt: -Infinity, lastUpAt: -Infinity, upHoldMs: timing.upHoldMs };
}

export interface PolicyTrack {
  layers: readonly LayerStat[];
  view: ViewSize | undefined;
  state: TrackState;
}

/**
 * Picks the layer of every track of one viewer (indices into each `layers`) and updates their states:
 * - a track starts on its smallest flowing layer and may step up at the next decision (no hold);
 * - the view size caps each track at once (a bigger view is a step up like any other);
 * - down at once to what the REMB estimate pays for when it is under `rembDown` × what is sent (while the REMB is
 *   still ramping up — it has never gone down — only if loss exceeds `lossOk` too); without REMB or while it ramps,
 *   one layer down when the smoothed loss exceeds `lossDown`;
 * - up only `upHoldMs` after the track's last switch; a step down within `failedUpMs` of a step up doubles that wait;
 * - with the REMB well above what is being sent (`probeRatio`) and no loss, one track may try one layer up (a step up
 *   the viewer then NACKs heavily is undone before the next decision: `stepUpFailed`, `undoStepUp`).
 */
export function decideLayers(tracks: readonly PolicyTrack[], est: Estimate, now: number, timing: PolicyTiming = DEFAULT_POLICY): number[] {
  const limits = tracks.map((t) => viewLimit(t.layers, t.view));
  const budget = est.remb === undefined ? undefined : est.remb * timing.headroom;
  const alloc = allocate(
    tracks.map((t, i) => ({ layers: t.layers, limit: limits[i] ?? 0, area: t.view ? t.view.width * t.view.height : Infinity })),
    budget,
  );
  const sending = tracks.reduce((sum, t) => sum + (t.layers[t.state.current]?.bitrate ?? 0), 0);
  // While the REMB is still ramping up, being under the rate is congestion only when the viewer also loses packets
  // (an unthrottled viewer's early estimate trails what it receives; a throttled one's comes with loss).
  const congested = est.remb !== undefined && est.remb < sending * timing.rembDown && (est.rembRamping !== true || est.loss > timing.lossOk);
  let probed = false;
  return tracks.map((t, i) => {
    const s = t.state;
    const limit = limits[i] ?? 0;
    let want = alloc[i] ?? 0;
    const cur = s.current;
    // Loss is the signal of a viewer whose browser sends no REMB or whose REMB is still ramping (after that, the
    // estimate already says it).
    const lossy = (est.remb === undefined || est.rembRamping === true) && est.loss > timing.lossDown;
    if (cur >= 0 && lossy) want = Math.min(want, prevActive(t.layers, cur));
    // The first layer: the smallest one flowing (its keyframe is the quickest first frame; the top layer of a
    // publisher that just started may not be sent yet), with no hold: the next decision steps up to `want` at once.
    if (cur < 0) {
      s.current = Math.min(want, lowestActive(t.layers));
      return s.current;
    }
    // Nothing arrives at all (the publisher stalled or its transport recovers): nothing to choose from.
    if (!t.layers.some((l) => l.active)) return cur;
    if (t.layers[cur]?.active !== true) return set(s, want, now, timing);
    // Below the current layer only for congestion (REMB well under the rate, or loss) or a smaller view.
    if (want < cur) {
      if (congested || lossy) return set(s, want, now, timing, true);
      return limit < cur ? set(s, want, now, timing) : cur;
    }
    if (want === cur && !probed && est.remb !== undefined && est.loss < timing.lossOk && est.remb >= sending * timing.probeRatio) {
      const next = nextActive(t.layers, cur, limit);
      if (next >= 0 && now - s.lastSwitchAt >= s.upHoldMs) {
        probed = true;
        return set(s, next, now, timing);
      }
    }
    if (want > cur) return now - s.lastSwitchAt >= s.upHoldMs ? set(s, want, now, timing) : cur;
    // A smaller view can shrink what is sent at once even inside the hold.
    return cur > limit ? set(s, limit, now, timing) : cur;
  });
}

/** What a viewer got and NACKed of one track since a step up (counted by the caller). */
export interface SinceStepUp {
  /** ms since the step up was decided. */
  ms: number;
  /** Packets sent to the viewer since (the old layer's until the new one's keyframe, then the new layer's). */
  sent: number;
  /** Distinct packets the viewer reported lost (NACK) since. */
  nacked: number;
}

/**
 * The new layer does not fit the viewer's link: soon after the step up it loses a large share of what it gets. A
 * drop-tail queue overflowing shows in NACKs within a round trip, where the receiver reports that `decideLayers`
 * reads come ~1 s apart and are smoothed (the viewer would see the top layer freeze meanwhile).
 */
export function stepUpFailed(since: SinceStepUp, timing: PolicyTiming = DEFAULT_POLICY): boolean {
  return since.ms <= timing.nackWindowMs && since.nacked >= timing.nackMin && since.nacked > since.sent * timing.nackShare;
}

/** A failed step up of track state `s`: back to layer `from` (where it stepped up from), the next step up waits twice as long. */
export function undoStepUp(s: TrackState, from: number, now: number, timing: PolicyTiming = DEFAULT_POLICY): number {
  return set(s, from, now, timing, true);
}

function prevActive(layers: readonly LayerStat[], from: number): number {
  for (let i = from - 1; i >= 0; i--) if (layers[i]?.active) return i;
  return from;
}

/** Switches a track to `layer`; `congestion`: a step down for lack of bandwidth (a failed step up doubles the hold). */
function set(s: TrackState, layer: number, now: number, timing: PolicyTiming, congestion = false): number {
  if (layer === s.current) return layer;
  if (congestion && now - s.lastUpAt < timing.failedUpMs) {
    s.upHoldMs = Math.min(timing.maxUpHoldMs, s.upHoldMs * 2);
  } else if (layer > s.current && now - s.lastSwitchAt > timing.maxUpHoldMs) {
    s.upHoldMs = timing.upHoldMs; // stable for long: back to the short wait
  }
  // A step up is a try, except the first one from the starting layer.
  if (layer > s.current && s.lastSwitchAt !== -Infinity) s.lastUpAt = now;
  s.current = layer;
  s.lastSwitchAt = now;
  return layer;
}

/**
 * Smooths the fraction lost of a viewer's receiver reports (one reading per report, ~1 s apart): a single lossy
 * report (a burst, a keyframe squeezed through a queue) moves it half way.
 */
export class LossFilter {
  value = 0;

  /** One report's fraction lost (0–1). */
  add(fraction: number): number {
    this.value = (this.value + fraction) / 2;
    return this.value;
  }
}
