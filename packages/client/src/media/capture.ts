/** Capturing local tracks and turning failures into AtomicX DeviceErrors and TRTC error codes. */
import type { ErrorName } from '@onseat/protocol';
import { OnseatError } from '../errors.js';
import { DeviceError, deviceErrorOf, VIDEO_QUALITY_PROFILES, type VideoQuality } from './deviceTypes.js';
import type { MediaEnv } from './MediaEnv.js';

/** Which local source: microphone, camera or screen. */
export type LocalSource = 'microphone' | 'camera' | 'screen';

/** TRTC codes of capture failures (TUIErrorCode -1100..-1108), by source and DeviceError. */
const CAPTURE_CODES: Record<LocalSource, Partial<Record<DeviceError, ErrorName>> & { start: ErrorName }> = {
  camera: {
    start: 'CAMERA_START_FAILED',
    [DeviceError.NoSystemPermission]: 'CAMERA_NOT_AUTHORIZED',
    [DeviceError.OccupiedError]: 'CAMERA_OCCUPIED',
    [DeviceError.NoDeviceDetected]: 'CAMERA_DEVICE_EMPTY',
  },
  microphone: {
    start: 'MICROPHONE_START_FAILED',
    [DeviceError.NoSystemPermission]: 'MICROPHONE_NOT_AUTHORIZED',
    [DeviceError.OccupiedError]: 'MICROPHONE_OCCUPIED',
    [DeviceError.NoDeviceDetected]: 'MICROPHONE_DEVICE_EMPTY',
  },
  screen: { start: 'SCREEN_SHARE_START_FAILED' },
};

/** A capture failure: the DeviceError for `*LastError` and the error to reject with (TRTC's code). */
export class CaptureFailed extends Error {
  constructor(
    readonly deviceError: DeviceError,
    readonly error: OnseatError,
  ) {
    super(error.message);
  }
}

function failure(source: LocalSource, cause: unknown): CaptureFailed {
  const deviceError = deviceErrorOf(cause);
  const table = CAPTURE_CODES[source];
  const name = table[deviceError] ?? table.start;
  const why = (cause as { name?: string; message?: string } | null) ?? {};
  const message = `Could not open the ${source}: ${why.name ?? 'Error'}${why.message ? ` (${why.message})` : ''}`;
  return new CaptureFailed(deviceError, OnseatError.of(name, message));
}

/** Constraints of the camera for a quality, a device and a facing. */
export function cameraConstraints(quality: VideoQuality, deviceId: string | null, front: boolean): MediaTrackConstraints {
  const p = VIDEO_QUALITY_PROFILES[quality];
  const c: MediaTrackConstraints = { width: { ideal: p.width }, height: { ideal: p.height }, frameRate: { ideal: p.frameRate } };
  if (deviceId) c.deviceId = { exact: deviceId };
  else c.facingMode = { ideal: front ? 'user' : 'environment' };
  return c;
}

/** Captures one track of `source`; rejects with {@link CaptureFailed}. */
export async function captureTrack(env: MediaEnv, source: LocalSource, constraints: MediaTrackConstraints | true): Promise<MediaStreamTrack> {
  let stream: MediaStream;
  try {
    if (source === 'screen') stream = await env.getDisplayMedia({ video: constraints, audio: false });
    else if (source === 'microphone') stream = await env.getUserMedia({ audio: constraints, video: false });
    else stream = await env.getUserMedia({ audio: false, video: constraints });
  } catch (error) {
    throw failure(source, error);
  }
  const track = source === 'microphone' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  for (const t of stream.getTracks()) if (t !== track) t.stop();
  if (!track) throw failure(source, { name: 'NotFoundError', message: 'the stream has no track' });
  return track;
}
