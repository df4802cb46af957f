import { createOnseatClient, type Logger, type OnseatClient, type OnseatClientOptions } from '@onseat/client';
import { effectScope, hasInjectionContext, inject, provide, type App, type InjectionKey } from 'vue';
import { createCoGuestState, type CoGuestState } from './states/coGuestState.js';
import { createDeviceState, type DeviceState } from './states/deviceState.js';
import { createLiveAudienceState, type LiveAudienceState } from './states/liveAudienceState.js';
import { createLiveListState, type LiveListState } from './states/liveListState.js';
import { createLiveSeatState, type LiveSeatState } from './states/liveSeatState.js';
import { createLoginState, type LoginState } from './states/loginState.js';
import { createLivePlayerState, type LivePlayerInternals, type LivePlayerState } from './states/livePlayerState.js';
import { createBarrageState, type BarrageState } from './states/barrageState.js';
import { createLiveGiftState, type LiveGiftState } from './states/liveGiftState.js';

/**
 * Options of {@link createOnseat}: `serverUrl` (the onseat server's base URL, `http(s)://` or `ws(s)://`; default
 * the page's origin; `login({serverUrl})` overrides it), `WebSocket` (constructor; default `globalThis.WebSocket`,
 * pass `ws`'s in Node), `requestTimeoutMs`, `reconnect`, `pingIntervalMs`, `logger`.
 */
export type OnseatOptions = OnseatClientOptions;

/**
 * One independent onseat session (one user): its own connection, stores and state singletons. The package's
 * `useXxxState()` functions use the instance provided to the component tree (`app.use(onseat)` or
 * `onseat.provide()`), else the default instance.
 */
export interface Onseat {
  /** The framework-agnostic stores underneath (from `@onseat/client`). */
  readonly stores: OnseatClient;
  /** Where this instance's warnings and errors go (`options.logger`, default the console). */
  readonly logger: Logger;
  /** This instance's LoginState (the same object on every call). */
  useLoginState(): LoginState;
  /** This instance's LiveListState. */
  useLiveListState(): LiveListState;
  /** This instance's LiveSeatState. */
  useLiveSeatState(): LiveSeatState;
  /** This instance's CoGuestState. */
  useCoGuestState(): CoGuestState;
  /** This instance's LiveAudienceState. */
  useLiveAudienceState(): LiveAudienceState;
  /** This instance's DeviceState. */
  useDeviceState(): DeviceState;
  /** This instance's LivePlayerState (controls the LiveCoreView mounted last). */
  useLivePlayerState(): LivePlayerState;
  /** This instance's BarrageState. */
  useBarrageState(): BarrageState;
  /** This instance's LiveGiftState. */
  useLiveGiftState(): LiveGiftState;
  /** Vue plugin hook: `app.use(onseat)` makes every component of the app use this instance. */
  install(app: App): void;
  /** Call inside a component's `setup` to make its descendants use this instance (not the component itself). */
  provide(): void;
}

const consoleLogger: Logger = {
  warn: (message, ...args) => console.warn(`[onseat] ${message}`, ...args),
  error: (message, ...args) => console.error(`[onseat] ${message}`, ...args),
};

/** Injection key under which an {@link Onseat} instance is provided. */
export const ONSEAT_KEY: InjectionKey<Onseat> = Symbol('onseat');

/**
 * Create an isolated onseat instance. Use it for a second user in the same page or process (tests, bots), or to
 * pass options such as `serverUrl`: `app.use(createOnseat({ serverUrl: 'https://live.example.com' }))`.
 */
export function createOnseat(options: OnseatOptions = {}): Onseat {
  const stores = createOnseatClient(options);
  const logger = options.logger ?? consoleLogger;
  // Detached, never stopped: the states live as long as the instance, not as long as the first component using them.
  const scope = effectScope(true);
  const once = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    return () => (value ??= scope.run(make) as T);
  };
  const player = once(() => createLivePlayerState(logger));
  const onseat: Onseat = {
    stores,
    logger,
    useLoginState: once(() => createLoginState(stores.login)),
    useLiveListState: once(() => createLiveListState(stores.liveList)),
    useLiveSeatState: once(() => createLiveSeatState(stores.liveSeat, stores.device, logger, stores.mediaStats, stores.remoteMedia)),
    useCoGuestState: once(() => createCoGuestState(stores.coGuest)),
    useLiveAudienceState: once(() => createLiveAudienceState(stores.liveAudience)),
    useDeviceState: once(() => createDeviceState(stores, logger)),
    useLivePlayerState: () => player().state,
    useBarrageState: once(() => createBarrageState(stores.barrage)),
    useLiveGiftState: once(() => createLiveGiftState(stores.liveGift)),
    install(app) {
      app.provide(ONSEAT_KEY, onseat);
    },
    provide() {
      provide(ONSEAT_KEY, onseat);
    },
  };
  players.set(onseat, player);
  return onseat;
}

const players = new WeakMap<Onseat, () => LivePlayerInternals>();

/** The LivePlayerState of `onseat` with what LiveCoreView needs to follow it (package-internal). */
export function livePlayerOf(onseat: Onseat): LivePlayerInternals {
  let player = players.get(onseat);
  if (!player) {
    // An instance not made by createOnseat (a test double): give it its own player state.
    const internals = createLivePlayerState(onseat.logger ?? consoleLogger);
    player = () => internals;
    players.set(onseat, player);
  }
  return player();
}

let defaultOnseat: Onseat | null = null;

/** The module-level default instance (created on first use) that plain `useXxxState()` calls share. */
export function getDefaultOnseat(): Onseat {
  return (defaultOnseat ??= createOnseat());
}

/** The instance in effect here: the one provided to the current component tree, else the default one. */
export function useOnseat(): Onseat {
  const provided = hasInjectionContext() ? inject(ONSEAT_KEY, null) : null;
  return provided ?? getDefaultOnseat();
}
