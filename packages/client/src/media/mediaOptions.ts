import type { MediaEnv } from './MediaEnv.js';

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
}
