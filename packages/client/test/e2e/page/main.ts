/**
 * The browser side of the client-SDK media e2e test and bench/media (bundled with esbuild): the real
 * `@onseat/client`, exposed as `window.sdk` (the module) and `window.app` (one `createOnseatClient()` per page)
 * for Playwright to drive.
 */
import * as sdk from '../../../src/index.js';

/** Resolves with Date.now() once `userId`'s video has decoded a frame on this page (polled every 10 ms). */
function firstFrameAt(userId: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = async (): Promise<void> => {
      const stats = (await w.app?.remoteMedia.inboundStats()) ?? {};
      if ((stats[`${userId}:video`]?.framesDecoded ?? 0) > 0) return resolve(Date.now());
      if (Date.now() - started > timeoutMs) return reject(new Error(`no decoded frame of ${userId} in ${timeoutMs} ms`));
      setTimeout(() => void poll(), 10);
    };
    void poll();
  });
}

const w = window as unknown as { sdk: typeof sdk; app?: sdk.OnseatClient; ready: boolean; firstFrameAt: typeof firstFrameAt };
w.sdk = sdk;
w.firstFrameAt = firstFrameAt;
w.ready = true;
