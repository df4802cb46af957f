import type { MediaEnv } from './MediaEnv.js';
import type { RecoveryTiming } from './TransportRecovery.js';

/** Media settings of `createOnseatClient()`. */
export interface MediaOptions {
  /** Browser APIs; default the real ones (`browserMediaEnv()`). Unit tests pass fakes. */
  env?: MediaEnv;
  /** ICE servers for clients behind strict NATs (TURN), as the server operator hands them out. Default none. */
  iceServers?: RTCIceServer[];
  /** Longest wait for ICE gathering before an SDP is sent anyway (ms). Default 2000. */
  gatherTimeoutMs?: number;
  /** Longest wait for a new publish transport to connect before an open fails (ms). Default 10000. */
  connectTimeoutMs?: number;
  /**
   * Recovery of a transport that breaks while signalling is up: ICE restart after `graceMs` (default 1000) of
   * `disconnected` (at once when `failed`), a fresh transport when that has not reconnected within
   * `iceRestartTimeoutMs` (default 2500), new ones after 2 s, 3 s, … up to `rebuildTimeoutMs` (default 4000) each
   * until one connects; `stuckMs` (default 5000) of `connecting` counts as broken too.
   */
  recovery?: RecoveryTiming;
}
