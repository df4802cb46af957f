/**
 * The browser side of the cluster media e2e test (bundled with esbuild): the real client SDK (`createOnseatClient`,
 * with one or several server URLs), exposed as `window.onseat` for Playwright to drive.
 */
import { createOnseatClient, TUISeatMode, type OnseatClient } from '@onseat/client';

let onseat: OnseatClient | undefined;
/** `media.moved` notices received, and how often the socket left the connected state. */
let moved = 0;
let disconnects = 0;

const api = {
  async login(serverUrl: string[], sdkAppId: number, userId: string, userSig: string): Promise<void> {
    onseat = createOnseatClient({ serverUrl, reconnect: { initialDelayMs: 100, maxDelayMs: 500, maxElapsedMs: 60_000 } });
    await onseat.login.login({ sdkAppId, userId, userSig });
    onseat.client?.on('event', (e) => {
      if (e.type === 'media.moved') moved++;
    });
    onseat.client?.on('state', (s) => {
      if (s.previous === 'connected') disconnects++;
    });
  },
  start: (liveId: string) => onseat!.liveList.startLive({ liveId, liveName: 'Cluster media', seatMode: TUISeatMode.kApplyToTake, maxSeatCount: 2 }),
  join: (liveId: string) => onseat!.liveList.joinLive({ liveId }),
  openCamera: () => onseat!.device.openLocalCamera(),
  /** Inbound RTP counters by `${userId}:${kind}`. */
  inbound: () => onseat!.remoteMedia.inboundStats(),
  state: () => onseat?.client?.state ?? 'none',
  moved: () => moved,
  disconnects: () => disconnects,
};
(window as unknown as { onseat: typeof api }).onseat = api;
export type ClusterPageApi = typeof api;
