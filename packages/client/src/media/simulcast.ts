/**
 * Simulcast: the camera is sent as up to three encodings of the same picture (rid `q` = ¼, `h` = ½, `f` = full size),
 * and the SFU forwards each viewer the one that fits its bandwidth and the size it renders the video at.
 */

/** The rids of the video sender, smallest first (the order of `sendEncodings`). */
export const SIMULCAST_RIDS = ['q', 'h', 'f'] as const;

/** A layer smaller than this (pixels of height) is not sent: too small to be worth its bits. */
export const MIN_LAYER_HEIGHT = 135;

const SCALE: Record<(typeof SIMULCAST_RIDS)[number], number> = { q: 4, h: 2, f: 1 };
/** Share of the full layer's bitrate cap given to each smaller layer. */
const SHARE: Record<(typeof SIMULCAST_RIDS)[number], number> = { q: 0.1, h: 0.3, f: 1 };

/** The encodings the video transceiver is created with (all three; `applySimulcast` sets the quality's values). */
export function initialEncodings(): RTCRtpEncodingParameters[] {
  return SIMULCAST_RIDS.map((rid) => ({ rid, scaleResolutionDownBy: SCALE[rid], active: true }));
}

/**
 * The values of each layer for a quality (full-size `height` and bitrate cap `maxBitrate`): ½ and ¼ size at 30 % and
 * 10 % of the cap; the ¼ layer is off below {@link MIN_LAYER_HEIGHT} × 4 (360p sends two layers).
 */
export function layerSettings(
  height: number,
  maxBitrate: number,
): { rid: string; scaleResolutionDownBy: number; maxBitrate: number; active: boolean }[] {
  return SIMULCAST_RIDS.map((rid) => ({
    rid,
    scaleResolutionDownBy: SCALE[rid],
    maxBitrate: Math.round(maxBitrate * SHARE[rid]),
    active: height / SCALE[rid] >= MIN_LAYER_HEIGHT,
  }));
}

/**
 * Applies a quality to a video sender: per-layer bitrate caps and which layers are on. A sender without our three
 * encodings (a browser that refused simulcast) gets the full cap on what it has. Best effort, like every browser's
 * `setParameters`.
 */
export async function applySimulcast(sender: RTCRtpSender | null, height: number, maxBitrate: number): Promise<void> {
  if (!sender) return;
  const params = sender.getParameters();
  if (!params.encodings || params.encodings.length === 0) return;
  const layers = new Map(layerSettings(height, maxBitrate).map((l) => [l.rid, l]));
  for (const e of params.encodings) {
    const l = e.rid === undefined ? undefined : layers.get(e.rid);
    if (!l) {
      e.maxBitrate = maxBitrate;
      continue;
    }
    e.maxBitrate = l.maxBitrate;
    e.scaleResolutionDownBy = l.scaleResolutionDownBy;
    e.active = l.active;
  }
  await sender.setParameters(params);
}
