/**
 * Browser phases of bench/media (headless Chromium pages running the real client SDK against an in-process
 * server): audience joinLive → first decoded frame of the host, and host accept → a viewer decodes the new guest.
 */
import type { Browser, Page } from 'playwright-core';
import { createServer, silentLogger, type OnseatServer } from '@onseat/server';
import { launchChromium, servePage } from '../../packages/server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from '../../packages/client/test/e2e/support.js';

/** How long the host waits between the application and its accept (a person reading it). */
export const ACCEPT_AFTER_MS = 1000;

export interface BrowserResults {
  ttffMs: number[];
  acceptToFrameMs: number[];
}

/** Date.now() in the page once `userId`'s video has decoded a frame there. */
const firstFrameAt = (p: Page, userId: string): Promise<number> => p.evaluate((uid) => (window as unknown as Win).firstFrameAt(uid, 20_000), userId);

export async function runBrowserPhases(viewers: number, guests: number, log: (s: string) => void): Promise<BrowserResults> {
  const server: OnseatServer = createServer({ port: 0, logger: silentLogger });
  const signalUrl = (await server.listen()).url;
  const site = await servePage(await bundleClientPage());
  const browser: Browser = await launchChromium();
  const open = (userId: string) => pageAs(browser, site.url, server, signalUrl, userId);
  try {
    const host = await open('host');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'bench', maxSeatCount: 4 });
      await app.device.openLocalCamera();
      await app.device.openLocalMicrophone();
    });
    // Let the host's encoder ramp up (what a viewer joining a running live meets).
    await host.waitForTimeout(2000);
    const ttffMs: number[] = [];
    for (let i = 0; i < viewers; i++) {
      const v = await open(`viewer${i}`);
      const joinAt = await v.evaluate(() => {
        const t = Date.now();
        void (window as unknown as Win).app.liveList.joinLive({ liveId: 'bench' });
        return t;
      });
      const ms = (await firstFrameAt(v, 'host')) - joinAt;
      ttffMs.push(ms);
      log(`  viewer${i}: joinLive → first decoded frame ${ms} ms`);
      await v.evaluate(() => (window as unknown as Win).app.liveList.leaveLive());
      await v.close();
    }
    const watcher = await open('watcher');
    await watcher.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'bench' }));
    await firstFrameAt(watcher, 'host');
    const acceptToFrameMs: number[] = [];
    for (let i = 0; i < guests; i++) {
      const gid = `guest${i}`;
      const g = await open(gid);
      await g.evaluate(async () => {
        const { app } = window as unknown as Win;
        await app.liveList.joinLive({ liveId: 'bench' });
        app.coGuest.subscribeEvent('onGuestApplicationResponded', ({ isAccept }) => {
          if (isAccept) void Promise.all([app.device.openLocalMicrophone(), app.device.openLocalCamera()]);
        });
        await app.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
      });
      // A host takes a moment to read an application before accepting it; an instant accept would measure a race
      // with the guest's own setup (its publish transport connects while it waits).
      await host.waitForTimeout(ACCEPT_AFTER_MS);
      const frame = firstFrameAt(watcher, gid);
      const acceptAt = await host.evaluate(async (uid) => {
        const t = Date.now();
        await (window as unknown as Win).app.coGuest.acceptApplication({ userId: uid });
        return t;
      }, gid);
      const ms = (await frame) - acceptAt;
      acceptToFrameMs.push(ms);
      log(`  ${gid}: host accept → watcher decodes the guest ${ms} ms`);
      await g.evaluate(() => (window as unknown as Win).app.coGuest.disConnect());
      await g.close();
    }
    return { ttffMs, acceptToFrameMs };
  } finally {
    await browser.close();
    await site.close();
    await server.close();
  }
}
