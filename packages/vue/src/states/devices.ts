import { OnseatError, type DeviceStore, type Logger } from '@onseat/client';
import type { TUIDeviceInfo } from '../types.js';

/** The three kinds of device lists. */
export type DeviceKind = 'microphone' | 'camera' | 'speaker';

const LIST = { microphone: 'microphoneList', camera: 'cameraList', speaker: 'speakerList' } as const;

/**
 * Marks a promise's rejection as handled (logging it as a warning) and returns the same promise: callers that
 * `await` it still get the error, while code that calls without awaiting (as the TRTC samples do with
 * `openLocalMicrophone()`) does not produce an unhandled rejection. The error is never silent.
 */
export function softly(logger: Logger): <T>(promise: Promise<T>) => Promise<T> {
  return (promise) => {
    promise.catch((error: unknown) => {
      const e = error as { code?: unknown; message?: unknown } | null;
      const code = typeof e?.code === 'number' || typeof e?.code === 'string' ? e.code : 'none';
      logger.warn?.(`${typeof e?.message === 'string' ? e.message : String(error)} (code ${code})`);
    });
    return promise;
  };
}

/** Refreshing the device lists through the store, returning the refreshed list. */
export interface DeviceListMethods {
  /** Re-read the devices and return the list of `kind` (rejects when enumeration fails). */
  refresh(kind: DeviceKind): Promise<TUIDeviceInfo[]>;
}

/**
 * Device list access over the `DeviceStore`; reads the lists once at creation where devices can be enumerated (the
 * store follows hot-plug itself).
 */
export function listMethods(device: DeviceStore, logger: Logger): DeviceListMethods {
  const load = { microphone: () => device.getMicrophoneList(), camera: () => device.getCameraList(), speaker: () => device.getSpeakerList() };
  const methods: DeviceListMethods = {
    async refresh(kind) {
      await load[kind]();
      return [...device.getSnapshot()[LIST[kind]]];
    },
  };
  // The speaker list first: its failure (no enumerateDevices here, e.g. Node) sets no `*LastError`.
  load
    .speaker()
    .then(() => Promise.all([load.microphone(), load.camera()]))
    .catch((error: unknown) => logger.debug?.('media devices cannot be listed here', error));
  return methods;
}

/** Selecting a device by id: it must be in the (refreshed) list, else -1001 INVALID_PARAMETER. */
export function selectMethod(device: DeviceStore, lists: DeviceListMethods): (kind: DeviceKind, deviceId: string) => Promise<void> {
  const set = {
    microphone: (deviceId: string) => device.setCurrentMicrophone({ deviceId }),
    camera: (deviceId: string) => device.setCurrentCamera({ deviceId }),
    speaker: (deviceId: string) => device.setCurrentSpeaker({ deviceId }),
  };
  return async (kind, deviceId) => {
    const known = () => device.getSnapshot()[LIST[kind]].some((d) => d.deviceId === deviceId);
    if (!known()) await lists.refresh(kind).catch(() => undefined);
    if (!known()) throw OnseatError.of('INVALID_PARAMETER', `No ${kind} with deviceId "${deviceId}"`);
    await set[kind](deviceId);
  };
}
