/**
 * Simulcast in headless Chromium through the real client SDK and the werift SFU: the host's camera goes out in three
 * layers (540p / 270p / 135p); a viewer whose downlink is throttled to 250 kbit/s (a UDP relay the test controls)
 * gets a lower layer while an unthrottled one keeps the top; when the unthrottled one renders the host in a 160 × 90
 * tile it gets the smallest layer, then the top again when the tile grows. Frame sizes come from the viewers' getStats
 * (`inbound-rtp.frameWidth`).
 */
import { loadavg } from 'node:os';
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
    if (msg === 'layer switch') switches.push(`${Date.now() % 100000} ${JSON.stringify(obj)}`);
    if (msg?.startsWith('layer step up undone')) switches.push(`undone ${JSON.stringify(obj)}`);
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
  for (const end = Date.now() + ms; Date.now() < end;) {
    out.push(await widthOf(page, userId));
    await new Promise((r) => setTimeout(r, 500));
  }
  return out;
}

/** Resolves once every width read (every 500 ms) for `holdMs` was a layer below the top; fails after `timeoutMs`. */
async function settledBelowTop(page: Page, userId: string, holdMs: number, timeoutMs: number): Promise<void> {
  let since = -1;
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const w = await widthOf(page, userId);
    if (w > 0 && w < TOP) {
      if (since < 0) since = Date.now();
      if (Date.now() - since >= holdMs) return;
    } else since = -1;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${userId}'s video did not stay below the top layer for ${holdMs} ms within ${timeoutMs} ms`);
}

/** The throttled viewer's downlink: under the top layer's rate (~350 kbit/s at 540p here), above the middle one's. */
const THROTTLE_KBPS = 250;
const TOP = 960;
const SMALLEST = 240;

/** The longest run of consecutive `xs` that satisfy `ok`. */
const longestRun = (xs: number[], ok: (x: number) => boolean): number => {
  let best = 0;
  let run = 0;
  for (const x of xs) best = Math.max(best, (run = ok(x) ? run + 1 : 0));
  return best;
};

/** Share of `xs` that satisfy `ok`. */
const share = (xs: number[], ok: (x: number) => boolean): number => xs.filter(ok).length / Math.max(1, xs.length);

describe('simulcast in Chromium', () => {
  it('a viewer throttled to 250 kbit/s gets a lower layer while an unthrottled one keeps the top; a 160 px tile gets the smallest', async () => {
    const host = await open('hostS');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'simulcast-live', maxSeatCount: 4 });
      // 540p (layers of 960, 480 and 240 px): the smallest quality with three layers, to spare a loaded machine's CPU.
      await app.device.updateVideoQuality({ quality: 2 });
      await app.device.openLocalCamera();
    });

    const free = await open('viewerFree');
    const relays = new RelaySet();
    relaySets.push(relays);
    relays.downKbps = THROTTLE_KBPS;
    const slow = await open('viewerSlow', (p) => relayPage(p, relays));
    for (const p of [free, slow]) await p.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'simulcast-live' }));

    // The publisher's browser ramps up to all three layers; the unthrottled viewer gets the top one, the throttled
    // one settles below it.
    await pollPage(
      () => widthOf(free, 'hostS'),
      (w) => w === TOP,
      `the unthrottled viewer decoding ${TOP} px frames`,
      30_000,
      250,
    );
    // Like every viewer it may start on the top layer (no estimate of its link yet); it steps down when its link
    // shows loss or its browser's REMB goes down, then stays down: wait until it has been below the top for 3 s.
    await settledBelowTop(slow, 'hostS', 3000, 40_000);
    const [freeW, slowW] = await Promise.all([widthsOver(free, 'hostS', 8000), widthsOver(slow, 'hostS', 8000)]);
    console.log(`frame widths over 8 s: unthrottled ${freeW.join(',')} | throttled ${slowW.join(',')} (load ${loadavg()[0]?.toFixed(1)})`);
    // The throttled viewer stays below the top layer: the SFU may probe one layer up when its REMB leaves room
    // (layerPolicy: at most once per hold of 4 s, doubled after each failed probe), and a failed probe is undone as
    // soon as the viewer NACKs much of it (~250–470 ms here), or else by the loss of the next receiver report (~1 s) and
    // the next decision (every 500 ms), then a keyframe of the lower layer from a CPU-starved publisher: up to ~2.5 s on a loaded machine (a CI run saw 5 readings on the top, 2.5 s; the
    // top layer here is only ~1.4× the link, so it half decodes meanwhile). So at most one such probe in the 8 s: 60 %
    // of the readings below the top at least, never more than 6 readings (3 s) in a row on it. The unthrottled one
    // keeps the top (three quarters of the time at least: on a loaded machine a CPU-starved browser really does lose
    // packets and lower its REMB).
    expect(share(slowW, (w) => w > 0 && w < TOP)).toBeGreaterThanOrEqual(0.6);
    expect(longestRun(slowW, (w) => w === TOP)).toBeLessThanOrEqual(6);
    expect(share(freeW, (w) => w === TOP)).toBeGreaterThanOrEqual(0.75);
    // A step up the throttled viewer NACKs heavily is undone at once (logged); the unthrottled one never sees that.
    expect(switches.filter((s) => s.startsWith('undone') && s.includes('"viewerFree"'))).toEqual([]);
    // /metrics counts what the log shows (read between two looks at the log: a switch may land meanwhile).
    const metric = async (name: string) => (await rig.server.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? -1;
    const logged = () => {
      const undone = switches.filter((s) => s.startsWith('undone')).length;
      return { undone, switched: switches.length - undone };
    };
    const before = logged();
    const [undoneMetric, switchedMetric] = [await metric('onseat_media_step_ups_undone_total'), await metric('onseat_media_layer_switches_total')];
    const after = logged();
    expect(undoneMetric).toBeGreaterThanOrEqual(before.undone);
    expect(undoneMetric).toBeLessThanOrEqual(after.undone);
    expect(switchedMetric).toBeGreaterThanOrEqual(before.switched);
    expect(switchedMetric).toBeLessThanOrEqual(after.switched);
    expect(switchedMetric).toBeGreaterThan(0);

    // Both keep decoding: new frames in every second of 3 s (no freeze of a second or more). The frame rate itself is
    // not asserted: a throttled viewer on a layer near its link's rate, next to a CPU-starved publisher, decoded
    // 2.5 fps in a loaded CI run — slow, not frozen.
    const frames = (p: Page) =>
      p.evaluate(async () => (await (window as unknown as Win).app.remoteMedia.inboundStats())['hostS:video']?.framesDecoded ?? 0);
    let previous = await Promise.all([free, slow].map(frames));
    for (let second = 1; second <= 3; second++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await Promise.all([free, slow].map(frames));
      now.forEach((n, i) => expect(n - (previous[i] ?? 0), `viewer ${i} decodes in second ${second}`).toBeGreaterThan(0));
      previous = now;
    }

    // The unthrottled viewer plays the host in a 160 × 90 tile: it gets the smallest layer; grown to 1280 × 720, the
    // top layer again (after the hold before a step up).
    await free.evaluate(async () => {
      const div = document.createElement('div');
      div.id = 'tile';
      div.style.cssText = 'width:160px;height:90px';
      document.body.appendChild(div);
      await (window as unknown as Win).app.remoteMedia.startPlayStream({ view: 'tile', userId: 'hostS' });
    });
    await pollPage(
      () => widthOf(free, 'hostS'),
      (w) => w > 0 && w <= SMALLEST,
      `the 160 px tile decoding the ${SMALLEST} px layer`,
      20_000,
      250,
    );
    await free.evaluate(() => {
      const div = document.getElementById('tile');
      if (div) div.style.cssText = 'width:1280px;height:720px';
    });
    await pollPage(
      () => widthOf(free, 'hostS'),
      (w) => w === TOP,
      `the grown tile decoding ${TOP} px frames`,
      30_000,
      250,
    );
    for (const p of [host, free, slow]) await p.close();
  }, 150_000);
});
