/**
 * Simulcast in headless Chromium through the real client SDK and the werift SFU: the host's camera goes out in three
 * layers (720p / 360p / 180p); a viewer whose downlink is throttled to 500 kbit/s (a UDP relay the test controls)
 * gets a lower layer while an unthrottled one keeps the top, and a viewer that renders the host in a 160 × 90 tile
 * gets the smallest layer, then the top again when the tile grows. Frame sizes come from the viewers' getStats
 * (`inbound-rtp.frameWidth`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pollPage, startMediaRig, type MediaRig } from '../../../server/test/e2e/support/browser.js';
import type { Logger } from '../../../server/src/logger.js';
import { bundleClientPage, pageAs, type Win } from './support.js';
import { RelaySet, relayPage } from './udpRelay.js';

let rig: MediaRig;
const relaySets: RelaySet[] = [];
const switches: string[] = [];
const noop = () => undefined;
const logger: Logger = {
  info: noop,
  warn: noop,
  error: noop,
  debug: (obj: unknown, msg?: string) => {
    if (msg === 'layer switch') switches.push(JSON.stringify(obj));
  },
};

beforeAll(async () => {
  rig = await startMediaRig(await bundleClientPage(), { mediaOptions: { bindAddress: '127.0.0.1' }, logger });
}, 30_000);

afterAll(async () => {
  console.log(`layer switches: ${switches.length}\n${switches.slice(0, 30).join('\n')}`);
  await rig?.close();
  for (const r of relaySets) r.close();
});

const open = (userId: string, prepare?: (p: Page) => Promise<void>): Promise<Page> =>
  pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, userId, prepare);

/** Width of the last frame of `userId`'s video decoded on `page` (0 before the first). */
const widthOf = (page: Page, userId: string): Promise<number> =>
  page.evaluate(async (u) => (await (window as unknown as Win).app.remoteMedia.inboundStats())[`${u}:video`]?.frameWidth ?? 0, userId);

/** Widths read every 500 ms for `ms`. */
async function widthsOver(page: Page, userId: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  for (const end = Date.now() + ms; Date.now() < end; ) {
    out.push(await widthOf(page, userId));
    await new Promise((r) => setTimeout(r, 500));
  }
  return out;
}

describe('simulcast in Chromium', () => {
  it('a viewer throttled to 500 kbit/s gets a lower layer, an unthrottled one keeps the top, a 160 px tile gets the smallest', async () => {
    const host = await open('hostS');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'simulcast-live', maxSeatCount: 4 });
      await app.device.openLocalCamera(); // 720p: layers of 1280, 640 and 320 px
    });

    const free = await open('viewerFree');
    const relays = new RelaySet();
    relaySets.push(relays);
    relays.downKbps = 500;
    const slow = await open('viewerSlow', (p) => relayPage(p, relays));
    const tile = await open('viewerTile');
    await tile.evaluate(() => {
      const div = document.createElement('div');
      div.id = 'tile';
      div.style.cssText = 'width:160px;height:90px';
      document.body.appendChild(div);
    });
    for (const p of [free, slow, tile]) await p.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'simulcast-live' }));
    await tile.evaluate(() => (window as unknown as Win).app.remoteMedia.startPlayStream({ view: 'tile', userId: 'hostS' }));

    // The publisher's browser ramps up to all three layers; the unthrottled viewer ends on the top one.
    await pollPage(() => widthOf(free, 'hostS'), (w) => w === 1280, 'the unthrottled viewer decoding 1280 px frames', 30_000, 250);
    await pollPage(() => widthOf(tile, 'hostS'), (w) => w > 0 && w <= 320, 'the 160 px tile decoding the 320 px layer', 20_000, 250);
    await pollPage(() => widthOf(slow, 'hostS'), (w) => w > 0 && w < 1280, 'the throttled viewer decoding a lower layer', 30_000, 250);

    // Over the next 8 s: the free viewer stays on top, the throttled one below it, the tile on the smallest layer.
    const [freeW, slowW, tileW] = await Promise.all([widthsOver(free, 'hostS', 8000), widthsOver(slow, 'hostS', 8000), widthsOver(tile, 'hostS', 8000)]);
    console.log(`frame widths over 8 s: free ${freeW.join(',')} | throttled ${slowW.join(',')} | tile ${tileW.join(',')}`);
    expect(freeW.every((w) => w === 1280)).toBe(true);
    expect(slowW.every((w) => w > 0 && w < 1280)).toBe(true);
    expect(tileW.every((w) => w > 0 && w <= 320)).toBe(true);
    // Every viewer keeps decoding (no freeze at the switches).
    const frames = (p: Page) => p.evaluate(async () => (await (window as unknown as Win).app.remoteMedia.inboundStats())['hostS:video']?.framesDecoded ?? 0);
    const before = await Promise.all([free, slow, tile].map(frames));
    await new Promise((r) => setTimeout(r, 2000));
    const after = await Promise.all([free, slow, tile].map(frames));
    after.forEach((n, i) => expect(n - (before[i] ?? 0), `viewer ${i} decodes`).toBeGreaterThan(10));

    // The tile grows to 1280 × 720: the top layer comes back (after the hold before a step up).
    await tile.evaluate(() => {
      const div = document.getElementById('tile');
      if (div) div.style.cssText = 'width:1280px;height:720px';
    });
    await pollPage(() => widthOf(tile, 'hostS'), (w) => w === 1280, 'the grown tile decoding 1280 px frames', 20_000, 250);
    for (const p of [host, free, slow, tile]) await p.close();
  }, 120_000);
});
