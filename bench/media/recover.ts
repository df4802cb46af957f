/**
 * Recovery phase of bench/media: a viewer in Chromium whose media path runs through a UDP relay (the client e2e
 * tests' relay) loses it for 5 s; measured is restore → decoded frames of the host again (the SDK's transport
 * recovery: ICE restart / new transport while the WebSocket stays up).
 */
import type { Page } from 'playwright-core';
import { createServer, silentLogger } from '@onseat/server';
import { launchChromium, servePage } from '../../packages/server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from '../../packages/client/test/e2e/support.js';
import { RelaySet, relayPage } from '../../packages/client/test/e2e/udpRelay.js';

const framesOf = (page: Page, userId: string): Promise<number> =>
  page.evaluate(async (u) => (await (window as unknown as Win).app.remoteMedia.inboundStats())[`${u}:video`]?.framesDecoded ?? 0, userId);

/** Milliseconds from restoring a viewer's path (cut for `cutMs`) to its next decoded frames, for `rounds` cuts. */
export async function runRecoverPhase(rounds: number, cutMs: number, log: (s: string) => void): Promise<number[]> {
  const server = createServer({ port: 0, logger: silentLogger, mediaOptions: { bindAddress: '127.0.0.1' } });
  const signalUrl = (await server.listen()).url;
  const site = await servePage(await bundleClientPage());
  const browser = await launchChromium();
  const relays = new RelaySet();
  try {
    const host = await pageAs(browser, site.url, server, signalUrl, 'host');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'bench-recover', maxSeatCount: 2 });
      await app.device.openLocalCamera();
    });
    const viewer = await pageAs(browser, site.url, server, signalUrl, 'viewer', (p) => relayPage(p, relays));
    await viewer.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'bench-recover' }));
    await viewer.waitForFunction(
      async () => ((await (window as unknown as Win).app.remoteMedia.inboundStats())['host:video']?.framesDecoded ?? 0) > 10,
      undefined,
      { timeout: 20_000, polling: 100 },
    );
    const out: number[] = [];
    for (let i = 0; i < rounds; i++) {
      relays.cut(true);
      await new Promise((r) => setTimeout(r, cutMs));
      relays.cut(false);
      const restoredAt = Date.now();
      let last = await framesOf(viewer, 'host');
      let ms = NaN;
      while (Date.now() - restoredAt < 20_000) {
        await new Promise((r) => setTimeout(r, 50));
        const now = await framesOf(viewer, 'host');
        if (now > last && now > 0) {
          ms = Date.now() - restoredAt;
          break;
        }
        last = now;
      }
      out.push(ms);
      log(`  cut ${cutMs} ms, restored: frames again after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 3000)); // settle before the next cut
    }
    return out;
  } finally {
    await browser.close();
    await site.close();
    await server.close();
    relays.close();
  }
}
