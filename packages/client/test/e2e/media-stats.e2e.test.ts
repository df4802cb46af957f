/**
 * Network quality and stream statistics in headless Chromium through the real client SDK against a real server with
 * the werift SFU: a guest whose uplink loses 10 % of its media packets (a UDP relay drops them) gets a worse
 * `networkInfo.quality` than a clean guest, with the loss in `upLoss`; a viewer's `avStatistics` bitrates match what
 * getStats() measures over the same time within 20 %; no getStats() runs while nobody reads the statistics; and
 * `startPlayStream` plays a user into an element.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startMediaRig, type MediaRig } from '../../../server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from './support.js';
import { RelaySet, relayPage } from './udpRelay.js';

let rig: MediaRig;
const relaySets: RelaySet[] = [];

beforeAll(async () => {
  rig = await startMediaRig(await bundleClientPage(), { mediaOptions: { bindAddress: '127.0.0.1' } });
}, 30_000);

afterAll(async () => {
  await rig?.close();
  for (const r of relaySets) r.close();
});

const LIVE = 'stats-live';

/** Before the page loads: count getStats() calls (window.getStatsCalls) and keep the answers the page applies. */
const countGetStats = async (p: Page): Promise<void> => {
  await p.addInitScript(() => {
    const w = window as unknown as { getStatsCalls: number; remoteAnswers: string[] };
    w.getStatsCalls = 0;
    w.remoteAnswers = [];
    const setRemote = Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, 'setRemoteDescription')?.value as (
      this: RTCPeerConnection,
      d: RTCSessionDescriptionInit,
    ) => Promise<void>;
    RTCPeerConnection.prototype.setRemoteDescription = function (this: RTCPeerConnection, d: RTCSessionDescriptionInit) {
      if (d.type === 'answer' && d.sdp) w.remoteAnswers.push(d.sdp);
      return setRemote.call(this, d);
    };
    const original = Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, 'getStats')?.value as (
      this: RTCPeerConnection,
    ) => Promise<RTCStatsReport>;
    RTCPeerConnection.prototype.getStats = function (this: RTCPeerConnection) {
      w.getStatsCalls += 1;
      return original.call(this);
    };
  });
};

async function seatGuest(host: Page, guest: Page, userId: string): Promise<void> {
  await guest.evaluate(async (liveId) => {
    const { app } = window as unknown as Win;
    await app.liveList.joinLive({ liveId });
    await app.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
  }, LIVE);
  await host.evaluate((u) => (window as unknown as Win).app.coGuest.acceptApplication({ userId: u }), userId);
  await guest.waitForFunction((u) => (window as unknown as Win).app.liveSeat.getSnapshot().seatList.some((s) => s.userInfo.userId === u), userId);
  await guest.evaluate(async () => {
    const { app } = window as unknown as Win;
    await app.device.updateVideoQuality({ quality: 1 });
    await app.device.openLocalCamera();
    await app.device.openLocalMicrophone();
  });
}

/** The page's own networkInfo after `ms` of watching it (subscribed, so it refreshes every 2 s). */
/** Means of `key`'s (a userId, or 'own' for networkInfo) upLoss and quality over the readings of the last 6 of 9 s (readings vary from one 2 s window to the next). */
const meanAfter = (p: Page, key: string) =>
  p.evaluate(async (k) => {
    const s = (window as unknown as Win).app.mediaStats;
    const seen: { upLoss: number; quality: number }[] = [];
    const started = Date.now();
    const off = s.subscribe((snap) => {
      const info = k === 'own' ? snap.networkInfo : snap.networkQualities.get(k);
      if (info && Date.now() - started > 3000) seen.push({ upLoss: info.upLoss, quality: info.quality });
    });
    await new Promise((r) => setTimeout(r, 9000));
    off();
    const mean = (f: (x: { upLoss: number; quality: number }) => number) => seen.reduce((a, x) => a + f(x), 0) / Math.max(1, seen.length);
    return { readings: seen.length, upLoss: mean((x) => x.upLoss), quality: mean((x) => x.quality) };
  }, key);

describe('media statistics in Chromium', () => {
  it('10 % uplink loss gives a worse NetworkQuality; avStatistics bitrates within 20 % of getStats; no polling while unused; startPlayStream', async () => {
    const host = await pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, 'hostS', countGetStats);
    await host.evaluate(async (liveId) => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId, maxSeatCount: 4 });
      await app.device.openLocalCamera();
      await app.device.openLocalMicrophone();
    }, LIVE);
    const lossyRelays = new RelaySet();
    relaySets.push(lossyRelays);
    const lossy = await pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, 'lossyG', (p) => relayPage(p, lossyRelays));
    const cleanRelays = new RelaySet();
    relaySets.push(cleanRelays);
    const clean = await pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, 'cleanG', (p) => relayPage(p, cleanRelays));
    await seatGuest(host, lossy, 'lossyG');
    await seatGuest(host, clean, 'cleanG');

    // Opus is negotiated with in-band FEC and DTX: the SFU's answer to the host's publish offer asks for both.
    const answers = await host.evaluate(() => (window as unknown as { remoteAnswers: string[] }).remoteAnswers);
    const opusFmtp = (sdp: string) => {
      const pt = /a=rtpmap:(\d+) opus\/48000/i.exec(sdp)?.[1];
      return pt ? (new RegExp(`a=fmtp:${pt} ([^\r\n]*)`).exec(sdp)?.[1] ?? '') : '';
    };
    const withOpus = answers.filter((a) => /opus\/48000/i.test(a));
    expect(withOpus.length).toBeGreaterThan(0);
    for (const a of withOpus) expect(opusFmtp(a)).toMatch(/useinbandfec=1;usedtx=1/);
    // Nobody has read the statistics yet: the host's page has made no getStats() call at all.
    await new Promise((r) => setTimeout(r, 3000));
    expect(
      await host.evaluate(() => [(window as unknown as { getStatsCalls: number }).getStatsCalls, (window as unknown as Win).app.mediaStats.polling]),
    ).toEqual([0, false]);

    lossyRelays.upLoss = 0.1;
    const [lossyInfo, cleanInfo, hostLossy, hostClean] = await Promise.all([
      meanAfter(lossy, 'own'),
      meanAfter(clean, 'own'),
      meanAfter(host, 'lossyG'),
      meanAfter(host, 'cleanG'),
    ]);
    const seenByHost = { lossy: hostLossy, clean: hostClean };
    console.log('networkInfo (means) lossy', lossyInfo, 'clean', cleanInfo, 'as the host sees them', seenByHost);
    for (const m of [lossyInfo, cleanInfo, hostLossy, hostClean]) expect(m.readings).toBeGreaterThanOrEqual(2);
    // The host sees the lossy guest's uplink as the server measures it (media.networkStats), and a worse quality.
    expect(seenByHost.lossy.upLoss).toBeGreaterThan(3);
    expect(seenByHost.clean.upLoss).toBeLessThan(1);
    expect(seenByHost.lossy.quality).toBeGreaterThan(seenByHost.clean.quality);
    // 10 % of the packets are dropped; NACK retransmissions bring some video back, so the reports count less.
    expect(lossyInfo.upLoss).toBeGreaterThan(3);
    expect(lossyInfo.upLoss).toBeLessThan(20);
    expect(cleanInfo.upLoss).toBeLessThan(1);
    expect(lossyInfo.quality).toBeGreaterThan(cleanInfo.quality);
    expect(cleanInfo.quality).toBeGreaterThanOrEqual(1);
    lossyRelays.upLoss = 0;

    // The host (a viewer of both guests) reads avStatistics for ~6 s; the test measures the same streams itself over
    // the same windows: from the first reading it keeps to the last (each reading covers the time since the one before,
    // so the mean of readings 2..n covers exactly that span, even while a bitrate still ramps up after the loss).
    const compared = await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      const bytes = async () => {
        const out: Record<string, number> = {};
        const inbound = await app.remoteMedia.inboundStats();
        for (const [key, s] of Object.entries(inbound)) out[key] = s.bytesReceived;
        return { out, at: performance.now() };
      };
      type Reading = { values: Record<string, number>; bytes: Promise<Awaited<ReturnType<typeof bytes>>> };
      const readings: Reading[] = [];
      let keep = false;
      const off = app.mediaStats.subscribe((s) => {
        if (!keep) return;
        const values: Record<string, number> = {};
        for (const a of s.avStatistics) {
          if (!a.userID) continue;
          values[`${a.userID}:video`] = a.videoBitrate;
          values[`${a.userID}:audio`] = a.audioBitrate;
        }
        readings.push({ values, bytes: bytes() });
      });
      await new Promise((r) => setTimeout(r, 2500));
      keep = true;
      await new Promise((r) => setTimeout(r, 6500));
      off();
      const first = await readings[0]!.bytes;
      const last = await readings[readings.length - 1]!.bytes;
      const result: Record<string, { sdk: number; measured: number; readings: number }> = {};
      for (const key of ['lossyG:video', 'cleanG:video', 'cleanG:audio']) {
        const list = readings.slice(1).map((r) => r.values[key] ?? 0);
        const sdk = list.reduce((x, y) => x + y, 0) / Math.max(1, list.length);
        const measured = (((last.out[key] ?? 0) - (first.out[key] ?? 0)) * 8) / (last.at - first.at); // kbit/s
        result[key] = { sdk, measured, readings: list.length };
      }
      return result;
    });
    console.log('avStatistics vs getStats (kbit/s)', compared);
    for (const [key, { sdk, measured, readings }] of Object.entries(compared)) {
      expect(readings, key).toBeGreaterThanOrEqual(2);
      expect(measured, key).toBeGreaterThan(0);
      expect(Math.abs(sdk - measured) / measured, `${key}: sdk ${sdk} vs measured ${measured}`).toBeLessThanOrEqual(0.2);
    }
    // Unsubscribed: the refreshing stops.
    await host.waitForFunction(() => !(window as unknown as Win).app.mediaStats.polling, undefined, { timeout: 5000 });

    // startPlayStream plays one user into an element, stopPlayStream removes it; a missing element is refused.
    const played = await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      const el = document.createElement('div');
      el.id = 'stage';
      document.body.appendChild(el);
      await app.remoteMedia.startPlayStream({ view: 'stage', userId: 'cleanG' });
      const video = el.querySelector('video');
      await new Promise<void>((resolve) => {
        const check = () => (video && video.videoWidth > 0 ? resolve() : setTimeout(check, 100));
        check();
      });
      const width = video?.videoWidth ?? 0;
      const user = video?.dataset['userId'];
      await app.remoteMedia.stopPlayStream();
      const refused = await app.remoteMedia.startPlayStream({ view: 'nowhere' }).then(
        () => '',
        (e: { name: string }) => e.name,
      );
      return { width, user, left: el.querySelectorAll('video').length, refused };
    });
    expect([played.user, played.left, played.refused]).toEqual(['cleanG', 0, 'INVALID_PARAMETER']);
    expect(played.width).toBeGreaterThan(0);
    for (const p of [host, lossy, clean]) await p.close();
  }, 120_000);
});
