/**
 * @onseat/client: the framework-agnostic onseat SDK. `LiveClient` is the connection; `createOnseatClient()` builds
 * the AtomicX-style stores (login, live list, seats, co-guest, audience, devices, remote media) on top of it.
 */
export { LiveClient } from './LiveClient.js';
export type { LiveClientOptions, LiveClientEvents, ConnectionState, HelloResult } from './LiveClient.js';
export type { AnyLiveEvent, LiveEvent, LiveExit } from './client/liveTracker.js';
export type { ReconnectOptions } from './client/backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './client/socket.js';
export { signalUrl } from './client/url.js';
export { OnseatError, isOnseatError } from './errors.js';
export type { Logger } from './logger.js';
export { EventHub, type EventCallback } from './EventHub.js';
export { OnseatContext, type OnseatClientOptions, type LiveSink } from './context.js';
export { createOnseatClient, type OnseatClient } from './createOnseatClient.js';
export { Store } from './stores/Store.js';
export { LoginStore, type LoginSnapshot } from './stores/LoginStore.js';
export { LiveListStore, type LiveListSnapshot } from './stores/LiveListStore.js';
export { LiveSeatStore, type LiveSeatSnapshot } from './stores/LiveSeatStore.js';
export { CoGuestStore, type CoGuestSnapshot } from './stores/CoGuestStore.js';
export { LiveAudienceStore, type LiveAudienceSnapshot } from './stores/LiveAudienceStore.js';
export { BarrageStore, type BarrageSnapshot, MAX_MESSAGES } from './stores/BarrageStore.js';
export { LiveGiftStore, type LiveGiftSnapshot } from './stores/LiveGiftStore.js';
export { BarrageType, BarrageEvent, LiveGiftEvents } from './chatEnums.js';
export type * from './chatTypes.js';
export { DeviceStore, type DeviceSnapshot, type DeviceEventMap } from './stores/DeviceStore.js';
export { MediaStatsStore, type MediaStatsSnapshot } from './stores/MediaStatsStore.js';
export { qualityOf, type NetworkInfo as MediaNetworkInfo, type AVStatistics as MediaAVStatistics } from './media/statsMath.js';
export {
  RemoteMediaStore,
  type RemoteMediaSnapshot,
  type RemoteMediaEventMap,
  type RemoteUserMedia,
  type InboundTrackStats,
} from './stores/RemoteMediaStore.js';
export { MediaSession, type MediaKind, type MediaRequester, type MediaSessionOptions, type RemoteTrack } from './media/MediaSession.js';
export { LiveMedia, type MediaOptions, type SessionChange, type SessionCause } from './media/LiveMedia.js';
export { browserMediaEnv, type MediaEnv } from './media/MediaEnv.js';
export {
  AudioRoute,
  DeviceError,
  DeviceType,
  MirrorType,
  VideoQuality,
  VIDEO_QUALITY_PROFILES,
  deviceErrorOf,
  type TUIDeviceInfo,
} from './media/deviceTypes.js';
export * from './enums.js';
export type * from './types.js';
