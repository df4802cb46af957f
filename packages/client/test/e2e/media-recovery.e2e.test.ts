/**
 * Media that recovers, in headless Chromium through the real client SDK against a real server with the werift SFU.
 * A user's media path runs through a UDP relay the test controls (udpRelay.ts): the test drops all of its packets for
 * 5 s and restores it. The transports go `disconnected`, the SDK restarts ICE (and replaces the transport when that
 * is not enough) while the WebSocket stays up; decoded frames resume within 3 s and no seat state changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startMediaRig, type MediaRig } from '../../../server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from './support.js';
import { RelaySet, relayPage } from './udpRelay.js';

let rig: MediaRig;
const relaySets: RelaySet[] = [];
const CUT_MS = 5000;
const RESUME_LIMIT_MS = 3000;

beforeAll(async () => {
  rig = await startMediaRig(await bundleClientPage(), { mediaOptions: { bindAddress: '127.0.0.1' } });
}, 30_000);

afterAll(async () => {
  await rig?.close();
  for (const r of relaySets) r.close();
});

const open = (userId: string): Promise<Page> => pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, userId);

/** A page whose every media packet goes through relays the test can cut. */
async function openRelayed(userId: string): Promise<{ page: Page; relays: RelaySet }> {
  const relays = new RelaySet();
  relaySets.push(relays);
  const page = await pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, userId, (p) => relayPage(p, relays));
  page.on('console', (m) => {
    if (m.text().includes('[onseat]')) console.log(`[${userId}] ${m.text()}`);
  });
  return { page, relays };
}

/** Frames of `userId`'s video decoded on `page` (the current subscribe transport's count). */
const framesOf = (page: Page, userId: string): Promise<number> =>
  page.evaluate(async (u) => (await (window as unknown as Win).app.remoteMedia.inboundStats())[`${u}:video`]?.framesDecoded ?? 0, userId);

async function waitDecoding(page: Page, userId: string, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    async (u) => ((await (window as unknown as Win).app.remoteMedia.inboundStats())[`${u}:video`]?.framesDecoded ?? 0) > 10,
    userId,
    { timeout: timeoutMs, polling: 100 },
  );
}

/**
 * Cuts `relays` for 5 s while `viewer` decodes `userId`: checks that frames really stop, restores the path, and returns
 * how long after the restore frames were decoded again (two rising readings 100 ms apart; a new transport starts at 0).
 */
async function cutAndMeasure(relays: RelaySet, viewer: Page, userId: string): Promise<number> {
  relays.cut(true);
  const cutAt = Date.now();
  await new Promise((r) => setTimeout(r, CUT_MS - 1500));
  const a = await framesOf(viewer, userId);
  await new Promise((r) => setTimeout(r, 1000));
  const b = await framesOf(viewer, userId);
  expect(b - a, 'frames stop while the path is cut').toBeLessThanOrEqual(2);
  await new Promise((r) => setTimeout(r, Math.max(0, cutAt + CUT_MS - Date.now())));
  relays.cut(false);
  const restoredAt = Date.now();
  let last = await framesOf(viewer, userId);
  while (Date.now() - restoredAt < 15_000) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await framesOf(viewer, userId);
    if (now > last && now > 0) return Date.now() - restoredAt;
    last = now;
  }
  throw new Error(`no frames of ${userId} within 15 s of restoring the path`);
}

const seatsOf = (p: Page): Promise<string> =>
  p.evaluate(() => {
    const { app } = window as unknown as Win;
    return JSON.stringify({ seats: app.liveSeat.getSnapshot().seatList, apps: app.coGuest.getSnapshot() });
  });

describe('media recovery in Chromium', () => {
  it("a viewer's media path is cut for 5 s: frames resume within 3 s, seats untouched; the same for a seated guest's publisher", async () => {
    const host = await open('host');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'recovery-live', maxSeatCount: 4 });
      await app.device.openLocalCamera();
    });

    // A viewer behind a relay.
    const { page: viewer, relays: viewerRelays } = await openRelayed('viewerR');
    await viewer.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'recovery-live' }));
    await waitDecoding(viewer, 'host');
    const seatsBefore = [await seatsOf(host), await seatsOf(viewer)];
    const viewerResume = await cutAndMeasure(viewerRelays, viewer, 'host');
    console.log(`viewer: frames again ${viewerResume} ms after the path was restored`);
    expect(viewerResume).toBeLessThanOrEqual(RESUME_LIMIT_MS);
    expect([await seatsOf(host), await seatsOf(viewer)]).toEqual(seatsBefore);
    expect(await viewer.evaluate(() => (window as unknown as Win).app.client?.state)).toBe('connected');

    // A guest behind a relay takes a seat and opens the camera; a plain viewer watches it.
    const { page: guest, relays: guestRelays } = await openRelayed('guestR');
    await guest.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.joinLive({ liveId: 'recovery-live' });
      await app.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    });
    await host.evaluate(() => (window as unknown as Win).app.coGuest.acceptApplication({ userId: 'guestR' }));
    await guest.waitForFunction(() => (window as unknown as Win).app.liveSeat.getSnapshot().seatList.some((s) => s.userInfo.userId === 'guestR'));
    await guest.evaluate(async () => {
      const w = window as unknown as Win & { statusChanges: number[] };
      await w.app.device.openLocalCamera();
      w.statusChanges = [];
      w.app.device.subscribe((s) => w.statusChanges.push(s.cameraStatus));
    });
    const watcher = await open('watcherW');
    await watcher.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'recovery-live' }));
    await waitDecoding(watcher, 'guestR');
    const guestSeatsBefore = [await seatsOf(host), await seatsOf(guest)];
    const guestResume = await cutAndMeasure(guestRelays, watcher, 'guestR');
    console.log(`guest publisher: frames again at a viewer ${guestResume} ms after the path was restored`);
    expect(guestResume).toBeLessThanOrEqual(RESUME_LIMIT_MS);
    expect([await seatsOf(host), await seatsOf(guest)]).toEqual(guestSeatsBefore);
    // The camera stayed On for the whole time (no status change was ever published).
    expect(await guest.evaluate(() => (window as unknown as { statusChanges: number[] }).statusChanges.filter((s) => s !== 1))).toEqual([]);
    for (const p of [host, viewer, guest, watcher]) await p.close();
  }, 120_000);

  it("a guest's old path never comes back: ICE restart fails, new transports publish and receive again; seats untouched", async () => {
    const host = await open('host2');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'recovery-live-2', maxSeatCount: 4 });
      await app.device.openLocalCamera();
    });
    const { page: guest, relays } = await openRelayed('guest2');
    await guest.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.joinLive({ liveId: 'recovery-live-2' });
      await app.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    });
    await host.evaluate(() => (window as unknown as Win).app.coGuest.acceptApplication({ userId: 'guest2' }));
    await guest.waitForFunction(() => (window as unknown as Win).app.liveSeat.getSnapshot().seatList.some((s) => s.userInfo.userId === 'guest2'));
    await guest.evaluate(() => (window as unknown as Win).app.device.openLocalCamera());
    const watcher = await open('watcher2');
    await watcher.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'recovery-live-2' }));
    await waitDecoding(watcher, 'guest2');
    await waitDecoding(guest, 'host2');
    const seatsBefore = [await seatsOf(host), await seatsOf(guest)];
    const portsBefore = relays.ports;

    relays.killExisting();
    const cutAt = Date.now();
    // The guest's camera reaches the watcher again, and the guest receives the host again, on new transports.
    let last = await framesOf(watcher, 'guest2');
    let lastRx = await framesOf(guest, 'host2');
    let publishBack = 0;
    let receiveBack = 0;
    while ((!publishBack || !receiveBack) && Date.now() - cutAt < 30_000) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await framesOf(watcher, 'guest2');
      const rx = await framesOf(guest, 'host2');
      // Frames in the first 2 s are still in flight or buffered; after that a rise means a working path.
      if (!publishBack && Date.now() - cutAt > 2000 && now > last && now > 0) publishBack = Date.now() - cutAt;
      if (!receiveBack && Date.now() - cutAt > 2000 && rx !== lastRx && rx > 0 && relays.ports > portsBefore) receiveBack = Date.now() - cutAt;
      last = now;
      lastRx = rx;
    }
    console.log(`old path gone: guest's camera at the watcher again after ${publishBack} ms, host at the guest after ${receiveBack} ms`);
    // Chrome notices within a few seconds; + 1 s grace, 2.5 s of ICE restart (publish), a new transport (~0.5 s).
    expect(publishBack).toBeGreaterThan(0);
    expect(publishBack).toBeLessThanOrEqual(15_000);
    expect(receiveBack).toBeGreaterThan(0);
    expect(receiveBack).toBeLessThanOrEqual(15_000);
    expect(relays.ports).toBeGreaterThanOrEqual(portsBefore + 2); // new SFU transports for both directions
    expect([await seatsOf(host), await seatsOf(guest)]).toEqual(seatsBefore);
    expect(await guest.evaluate(() => (window as unknown as Win).app.device.getSnapshot().cameraStatus)).toBe(1);
    for (const p of [host, guest, watcher]) await p.close();
  }, 120_000);
});
