/** AtomicX DeviceState enums and types (`tuikit-atomicx-vue3` values), and how capture failures map onto them. */

/** Why the last open of a device failed. */
export enum DeviceError {
  NoError = 0,
  NoDeviceDetected = 1,
  NoSystemPermission = 2,
  NotSupportCapture = 3,
  OccupiedError = 4,
  UnknownError = 5,
}

/** Kind of local device. */
export enum DeviceType {
  Microphone = 0,
  Camera = 1,
  ScreenShare = 2,
}

/** Audio output route (mobile only; kept for API compatibility). */
export enum AudioRoute {
  Speakerphone = 0,
  Earpiece = 1,
}

/** Local preview mirroring. */
export enum MirrorType {
  Auto = 0,
  Enable = 1,
  Disable = 2,
}

/** Camera capture and encoding quality. */
export enum VideoQuality {
  Quality360P = 1,
  Quality540P = 2,
  Quality720P = 3,
  Quality1080P = 4,
}

/** Capture size, frame rate and encoder bitrate cap of each {@link VideoQuality}. */
export const VIDEO_QUALITY_PROFILES: Readonly<Record<VideoQuality, { width: number; height: number; frameRate: number; maxBitrate: number }>> = {
  1: { width: 640, height: 360, frameRate: 15, maxBitrate: 500_000 },
  2: { width: 960, height: 540, frameRate: 15, maxBitrate: 900_000 },
  3: { width: 1280, height: 720, frameRate: 15, maxBitrate: 1_500_000 },
  4: { width: 1920, height: 1080, frameRate: 15, maxBitrate: 2_500_000 },
};

/** A capture device (AtomicX `TUIDeviceInfo`). */
export interface TUIDeviceInfo {
  deviceId: string;
  deviceName: string;
}

/**
 * The DeviceError for a getUserMedia/getDisplayMedia rejection: NotAllowedError/SecurityError → NoSystemPermission,
 * NotFoundError/OverconstrainedError → NoDeviceDetected, NotReadableError → OccupiedError, NotSupportedError (no
 * capture API here) → NotSupportCapture, anything else → UnknownError.
 */
export function deviceErrorOf(error: unknown): DeviceError {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return DeviceError.NoSystemPermission;
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return DeviceError.NoDeviceDetected;
    case 'NotReadableError':
    case 'TrackStartError':
      return DeviceError.OccupiedError;
    case 'NotSupportedError':
      return DeviceError.NotSupportCapture;
    default:
      return DeviceError.UnknownError;
  }
}

/** Device lists of one kind out of `enumerateDevices()` (labels may be empty before permission is granted). */
export function devicesOfKind(all: readonly MediaDeviceInfo[], kind: MediaDeviceKind): TUIDeviceInfo[] {
  const out: TUIDeviceInfo[] = [];
  let n = 0;
  for (const d of all) {
    if (d.kind !== kind) continue;
    n += 1;
    const fallback = kind === 'audioinput' ? `Microphone ${n}` : kind === 'videoinput' ? `Camera ${n}` : `Speaker ${n}`;
    out.push({ deviceId: d.deviceId, deviceName: d.label || fallback });
  }
  return out;
}
