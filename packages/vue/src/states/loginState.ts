import type { LoginEvent, LoginEventMap, LoginParams, LoginStatus, LoginStore, LoginUserInfo, SetSelfInfoParams } from '@onseat/client';
import type { Ref } from 'vue';
import { atomicxWritableRef, snapshotRef } from '../reactive.js';

/** What `useLoginState()` returns (AtomicX LoginState). */
export interface LoginState {
  /** The logged-in user; null before login, after logout and after being kicked offline. */
  loginUserInfo: Ref<LoginUserInfo | null>;
  /** `LoginStatus.LOGINED` (1) while logged in, else `UNKNOWN` (0). */
  loginStatus: Ref<LoginStatus>;
  /**
   * Connect to the onseat server as `userId`. `serverUrl` (onseat-only) is the server's base URL, `http(s)://` or
   * `ws(s)://`; default: the `serverUrl` given to `createOnseat`, else the page's origin. Rejects with the server's
   * error (e.g. 70001 userSig expired, 70003 userSig invalid).
   */
  login: (params: LoginParams) => Promise<void>;
  /** Leave the current live (best effort) and close the connection. */
  logout: () => Promise<void>;
  /** Change your name/avatar for everyone (`customInfo` stays local). */
  setSelfInfo: (params: SetSelfInfoParams) => Promise<void>;
  /** Register a callback for `onLoginExpired` / `onKickedOffline`. */
  subscribeEvent: <K extends LoginEvent>(event: K, callback: (eventInfo: LoginEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends LoginEvent>(event: K, callback: (eventInfo: LoginEventMap[K]) => void) => void;
}

/** Build the LoginState of one onseat instance (called once per instance). */
export function createLoginState(store: LoginStore): LoginState {
  const snapshot = snapshotRef(store);
  return {
    loginUserInfo: atomicxWritableRef(snapshot, 'loginUserInfo'),
    loginStatus: atomicxWritableRef(snapshot, 'loginStatus'),
    login: (params) => store.login(params),
    logout: () => store.logout(),
    setSelfInfo: (params) => store.setSelfInfo(params),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
