/** Data types of `tuikit-atomicx-vue3` that `@onseat/client` does not define (device and media statistics). */
import type { LiveEndedEventInfo, LiveKickedOutEventInfo } from '@onseat/client';
import type { NetworkQuality } from './enums.js';

/** A local media device, as `microphoneList` / `cameraList` / `speakerList` hold it. */
export type { TUIDeviceInfo } from '@onseat/client';

/** Network quality of one user (filled once onseat has media). */
export interface NetworkInfo {
  userId?: string;
  quality: NetworkQuality;
  upLoss: number;
  downLoss: number;
  delay: number;
}

/** Media statistics of one stream (local entries have `userID ''`): the client's own shape, AtomicX's AVStatistics. */
export type { MediaAVStatistics as AVStatistics } from '@onseat/client';

/** An event callback as AtomicX types it (payload optional, untyped by default). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- AtomicX's own default
export type EventCallback<T = any> = (data?: T) => void;

/** Payload of a LiveListEvent (`onLiveEnded` or `onKickedOutOfLive`). */
export type LiveListEventInfo = LiveEndedEventInfo | LiveKickedOutEventInfo;

/** A co-guest request as AtomicX exports it (not used by the composables). */
export interface CoGuestRequestInfo {
  timestamp: number;
  requestId: string;
  userId: string;
  userName: string;
  nameCard: string;
  avatarUrl: string;
}
