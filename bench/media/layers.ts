/**
 * Layer-switch phase of bench/media: a host sends 720p simulcast (1280/640/320 px layers); a viewer in Chromium plays
 * it in a 1280 × 720 tile (top layer), then the tile shrinks to 160 × 90. Measured in the page: from the resize (the
 * trigger: the SDK reports the new size, the SFU decides, asks for a keyframe of the small layer and switches at it)
 * to the first decoded frame of the 320 px layer (`inbound-rtp.frameWidth`). Between rounds the tile grows back and
 * the viewer returns to the top layer (after the SFU's hold before a step up, not measured).
 */
import type { Page } from 'playwright-core';
import { createServer, silentLogger } from '@onseat/server';
import { launchChromium, servePage } from '../../packages/server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from '../../packages/client/test/e2e/support.js';

/** ms from the trigger until `host`'s video decodes frames whose width satisfies `done` (NaN after 30 s). */
const resizeAndWait = (page: Page, size: { w: number; h: number }, done: { max: number; min: number }): Promise<number> =>
  page.evaluate(
    async ([s, d]) => {
      const { app } = window as unknown as Win;
      const tile = document.getElementById('tile');
      if (!tile) return NaN;
      const t0 = performance.now();
      tile.style.cssText = `width:${s.w}px;height:${s.h}px`;
      while (performance.now() - t0 < 30_000) {
        const v = (await app.remoteMedia.inboundStats())['host:video'];
        if (v && v.frameWidth >= d.min && v.frameWidth <= d.max) return Math.round(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
      return NaN;
    },
    [size, done] as const,
  );

/** Milliseconds from a view shrinking (1280 → 160 px wide) to decoded frames of the small layer, for `rounds` rounds. */
export async function runLayerSwitchPhase(rounds: number, log: (s: string) => void): Promise<number[]> {
  const server = createServer({ port: 0, logger: silentLogger, mediaOptions: { bindAddress: '127.0.0.1' } });
  const signalUrl = (await server.listen()).url;
  const site = await servePage(await bundleClientPage());
  const browser = await launchChromium();
  try {
    const host = await pageAs(browser, site.url, server, signalUrl, 'host');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'bench-layers', maxSeatCount: 2 });
      await app.device.openLocalCamera(); // 720p
    });
    const viewer = await pageAs(browser, site.url, server, signalUrl, 'viewer');
    await viewer.evaluate(async () => {
      const { app } = window as unknown as Win;
      const tile = document.createElement('div');
      tile.id = 'tile';
      tile.style.cssText = 'width:1280px;height:720px';
      document.body.appendChild(tile);
      await app.liveList.joinLive({ liveId: 'bench-layers' });
      await app.remoteMedia.startPlayStream({ view: 'tile', userId: 'host' });
    });
    const out: number[] = [];
    // A round counts only when the viewer was above the smallest layer when the tile shrank (a loaded machine's
    // viewer may have stepped down by itself meanwhile); at most 3 × `rounds` tries.
    for (let tries = 0; out.length < rounds && tries < 3 * rounds; tries++) {
      // Back above the smallest layer (the top one on an idle machine; the encoder ramps up first, later rounds wait
      // out the hold before a step up).
      const up = await resizeAndWait(viewer, { w: 1280, h: 720 }, { min: 640, max: 1280 });
      if (Number.isNaN(up)) throw new Error('the viewer never decoded a layer above 320 px');
      await new Promise((r) => setTimeout(r, 1500));
      const widthBefore = await viewer.evaluate(
        async () => (await (window as unknown as Win).app.remoteMedia.inboundStats())['host:video']?.frameWidth ?? 0,
      );
      if (widthBefore <= 320) continue;
      const ms = await resizeAndWait(viewer, { w: 160, h: 90 }, { min: 1, max: 320 });
      out.push(ms);
      log(`  tile 1280 → 160 px wide: the 320 px layer decodes after ${ms} ms (from a ${widthBefore} px layer)`);
    }
    return out;
  } finally {
    await browser.close();
    await site.close();
    await server.close();
  }
}
