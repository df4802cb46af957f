import type { Logger } from '@onseat/client';
import { shallowRef, type ShallowRef } from 'vue';
import { DeviceError } from '../enums.js';
import type { TUIDeviceInfo } from '../types.js';

/** The three kinds of device lists. */
export type DeviceKind = 'microphone' | 'camera' | 'speaker';

const KIND_OF: Record<MediaDeviceKind, DeviceKind> = {
  audioinput: 'microphone',
  videoinput: 'camera',
  audiooutput: 'speaker',
};
const KINDS: readonly DeviceKind[] = ['microphone', 'camera', 'speaker'];

/** Device lists and selections read from `navigator.mediaDevices` (when the environment has it). */
export interface DeviceLists {
  readonly list: Record<DeviceKind, ShallowRef<readonly TUIDeviceInfo[]>>;
  readonly current: Record<DeviceKind, ShallowRef<TUIDeviceInfo | null>>;
  /** Called when a list could not be read (NoSystemPermission) or came back empty (NoDeviceDetected). */
  onError: ((kind: DeviceKind, error: DeviceError) => void) | null;
  /** Re-read the lists (all kinds at once) and return the one asked for. Rejects when enumeration fails. */
  refresh(kind: DeviceKind): Promise<TUIDeviceInfo[]>;
  /** Select a device of the current list; false when there is no such deviceId. */
  select(kind: DeviceKind, deviceId: string): boolean;
  /** Read the lists once and follow `devicechange`. */
  start(): void;
}

function mediaDevices(): MediaDevices | null {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return nav?.mediaDevices && typeof nav.mediaDevices.enumerateDevices === 'function' ? nav.mediaDevices : null;
}

/** Create the device lists of one DeviceState. */
export function deviceLists(logger: Logger): DeviceLists {
  const list = {
    microphone: shallowRef<readonly TUIDeviceInfo[]>([]),
    camera: shallowRef<readonly TUIDeviceInfo[]>([]),
    speaker: shallowRef<readonly TUIDeviceInfo[]>([]),
  };
  const current = {
    microphone: shallowRef<TUIDeviceInfo | null>(null),
    camera: shallowRef<TUIDeviceInfo | null>(null),
    speaker: shallowRef<TUIDeviceInfo | null>(null),
  };
  const lists: DeviceLists = {
    list,
    current,
    onError: null,
    async refresh(kind) {
      const md = mediaDevices();
      if (!md) return [];
      let infos: MediaDeviceInfo[];
      try {
        infos = await md.enumerateDevices();
      } catch (error) {
        lists.onError?.(kind, DeviceError.NoSystemPermission);
        throw error;
      }
      for (const k of KINDS) {
        const next = infos
          .filter((d) => KIND_OF[d.kind] === k)
          .map((d) => Object.freeze({ deviceId: d.deviceId, deviceName: d.label }));
        list[k].value = Object.freeze(next);
        const selected = current[k].value;
        if (!selected || !next.some((d) => d.deviceId === selected.deviceId)) {
          current[k].value = next.find((d) => d.deviceId === 'default') ?? next[0] ?? null;
        }
        if (next.length === 0 && k !== 'speaker') lists.onError?.(k, DeviceError.NoDeviceDetected);
      }
      return [...list[kind].value];
    },
    select(kind, deviceId) {
      const found = list[kind].value.find((d) => d.deviceId === deviceId);
      if (found) current[kind].value = found;
      return !!found;
    },
    start() {
      const md = mediaDevices();
      if (!md) return;
      const reload = () => {
        lists.refresh('microphone').catch((error: unknown) => logger.warn?.('could not list media devices', error));
      };
      md.addEventListener?.('devicechange', reload);
      reload();
    },
  };
  return lists;
}
