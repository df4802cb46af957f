/**
 * Renegotiation under stress, in headless Chromium through the real client SDK against a real server with the werift
 * SFU: three seated guests toggle microphone and camera 20 times in a burst while one viewer's answers are refused by
 * the server (the page removes the DTLS fingerprint from its next two `media.answer` frames). Every viewer ends up
 * receiving exactly the tracks the seats show as on, and decodes every video among them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startMediaRig, type MediaRig } from '../../../server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from './support.js';

let rig: MediaRig;

beforeAll(async () => {
  rig = await startMediaRig(await bundleClientPage(), { mediaOptions: { bindAddress: '127.0.0.1' } });
}, 30_000);

afterAll(async () => {
  await rig?.close();
});

const LIVE = 'renegotiation-live';
const open = (userId: string, prepare?: (p: Page) => Promise<void>): Promise<Page> =>
  pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, userId, prepare);

/** Before the page loads: the next `window.refuseAnswers` media.answer frames lose their fingerprint (the server refuses them). */
const breakAnswers = async (p: Page): Promise<void> => {
  await p.addInitScript(() => {
    const w = window as unknown as { refuseAnswers: number; refused: number };
    w.refuseAnswers = 0;
    w.refused = 0;
    const send = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'send')?.value as (this: WebSocket, data: string) => void;
    WebSocket.prototype.send = function (this: WebSocket, data: string) {
      if (w.refuseAnswers > 0 && typeof data === 'string' && data.includes('"media.answer"')) {
        const frame = JSON.parse(data) as { payload: { sdp: string } };
        frame.payload.sdp = frame.payload.sdp.replace(/a=fingerprint:[^\r\n]*\r\n/g, '');
        w.refuseAnswers -= 1;
        w.refused += 1;
        return send.call(this, JSON.stringify(frame));
      }
      return send.call(this, data);
    };
  });
};

/** What a viewer receives and what the seats it sees say, as `userId:kind` lists. */
const received = (p: Page): Promise<{ media: string[]; seats: string[] }> =>
  p.evaluate(() => {
    const { app } = window as unknown as Win;
    const media: string[] = [];
    for (const [id, u] of app.remoteMedia.getSnapshot().users) {
      if (u.hasAudio) media.push(`${id}:audio`);
      if (u.hasVideo) media.push(`${id}:video`);
    }
    const seats: string[] = [];
    const { On } = (window as unknown as Win).sdk.DeviceStatus;
    for (const s of app.liveSeat.getSnapshot().seatList) {
      if (!s.userInfo.userId) continue;
      if (s.userInfo.microphoneStatus === On) seats.push(`${s.userInfo.userId}:audio`);
      if (s.userInfo.cameraStatus === On) seats.push(`${s.userInfo.userId}:video`);
    }
    return { media: media.sort(), seats: seats.sort() };
  });

describe('renegotiation in Chromium', () => {
  it('a refused answer and a burst of 20 device toggles by 3 guests: every viewer ends with exactly the seated tracks, decoding', async () => {
    const host = await open('hostN');
    await host.evaluate(async (liveId) => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId, maxSeatCount: 4 });
      await app.device.updateVideoQuality({ quality: 1 });
      await app.device.openLocalCamera();
    }, LIVE);
    const guests: Page[] = [];
    for (const id of ['g1', 'g2', 'g3']) {
      const g = await open(id);
      await g.evaluate(async (liveId) => {
        const { app } = window as unknown as Win;
        await app.liveList.joinLive({ liveId });
        await app.device.updateVideoQuality({ quality: 1 });
        await app.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
      }, LIVE);
      await host.evaluate((userId) => (window as unknown as Win).app.coGuest.acceptApplication({ userId }), id);
      await g.waitForFunction((u) => (window as unknown as Win).app.liveSeat.getSnapshot().seatList.some((s) => s.userInfo.userId === u), id);
      guests.push(g);
    }
    const v1 = await open('viewer1', breakAnswers);
    const v2 = await open('viewer2');
    for (const v of [v1, v2]) await v.evaluate((liveId) => (window as unknown as Win).app.liveList.joinLive({ liveId }), LIVE);
    await v1.waitForFunction(() => (window as unknown as Win).app.remoteMedia.getSnapshot().users.get('hostN')?.hasVideo === true);

    // The burst: 7 + 7 + 6 toggles, each guest's fired without waiting for the previous one.
    await v1.evaluate(() => {
      (window as unknown as { refuseAnswers: number }).refuseAnswers = 2;
    });
    const plans: string[][] = [
      ['cam+', 'mic+', 'cam-', 'cam+', 'mic-', 'mic+', 'cam-'],
      ['mic+', 'cam+', 'mic-', 'cam-', 'cam+', 'mic+', 'mic-'],
      ['cam+', 'cam-', 'mic+', 'cam+', 'mic-', 'mic+'],
    ];
    expect(plans.flat()).toHaveLength(20);
    await Promise.all(
      guests.map((g, i) =>
        g.evaluate(async (plan) => {
          const d = (window as unknown as Win).app.device;
          const run = (op: string) =>
            op === 'cam+'
              ? d.openLocalCamera()
              : op === 'cam-'
                ? d.closeLocalCamera()
                : op === 'mic+'
                  ? d.openLocalMicrophone()
                  : d.closeLocalMicrophone();
          await Promise.allSettled(plan.map(run));
        }, plans[i] ?? []),
      ),
    );
    // Each guest's last toggle per device wins.
    const finals = await Promise.all(
      guests.map((g) =>
        g.evaluate(() => {
          const s = (window as unknown as Win).app.device.getSnapshot();
          return [s.microphoneStatus, s.cameraStatus];
        }),
      ),
    );
    expect(finals).toEqual([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const expected = ['g1:audio', 'g2:video', 'g3:audio', 'g3:video', 'hostN:video'];

    for (const v of [v1, v2]) {
      const deadline = Date.now() + 30_000;
      let last = await received(v);
      while ((last.media.join() !== expected.join() || last.seats.join() !== expected.join()) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        last = await received(v);
      }
      expect(last).toEqual({ media: expected, seats: expected });
      // Every video among them decodes, and keeps decoding.
      await v.waitForFunction(
        async () => {
          const s = await (window as unknown as Win).app.remoteMedia.inboundStats();
          return ['g2', 'g3', 'hostN'].every((u) => (s[`${u}:video`]?.framesDecoded ?? 0) > 5);
        },
        undefined,
        { timeout: 20_000, polling: 200 },
      );
      const before = await v.evaluate(async () => (window as unknown as Win).app.remoteMedia.inboundStats());
      await v.waitForFunction(
        async (b) => {
          const s = await (window as unknown as Win).app.remoteMedia.inboundStats();
          return ['g2', 'g3', 'hostN'].every((u) => (s[`${u}:video`]?.framesDecoded ?? 0) > (b[`${u}:video`]?.framesDecoded ?? 0));
        },
        before,
        { timeout: 10_000, polling: 200 },
      );
    }
    // The viewer's two answers were really refused (and it recovered from that).
    expect(await v1.evaluate(() => (window as unknown as { refused: number }).refused)).toBe(2);
    for (const p of [host, ...guests, v1, v2]) await p.close();
  }, 150_000);
});
