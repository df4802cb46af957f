/**
 * The seed's guest-connection flow in headless Chromium through the real client SDK stores (bundled with esbuild)
 * against a real server with the werift SFU: the host goes live with camera + microphone; audience A joins, applies,
 * is accepted, and A's `onGuestApplicationResponded` handler opens microphone and camera; a plain viewer's remote
 * media store shows host and A with video that decodes (A's publish transport connected while it applied, and the
 * accept only renegotiated it); the host closes A's microphone: A's status turns Off and
 * A's `openLocalMicrophone` rejects with -2360.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pollPage, startMediaRig, type MediaRig } from '../../../server/test/e2e/support/browser.js';
import { bundleClientPage, pageAs, type Win } from './support.js';

let rig: MediaRig;

beforeAll(async () => {
  rig = await startMediaRig(await bundleClientPage());
}, 30_000);

afterAll(async () => {
  await rig?.close();
});

const open = (userId: string): Promise<Page> => pageAs(rig.browser, rig.pageUrl, rig.server, rig.signalUrl, userId);

/** Waits until a device status of page `p` is `value` (DeviceStatus), via the store's subscribe. */
function deviceStatus(p: Page, key: 'microphoneStatus' | 'cameraStatus', value: 0 | 1): Promise<unknown> {
  return p.evaluate(
    ([k, v]) =>
      new Promise<void>((resolve) => {
        const d = (window as unknown as Win).app.device;
        const check = () => Number(d.getSnapshot()[k]) === v && (off(), resolve());
        const off = d.subscribe(check);
        check();
      }),
    [key, value] as const,
  );
}

describe('client SDK media in Chromium', () => {
  it("seed flow: host live on camera + mic, A accepted opens both, a viewer decodes both; closing A's mic locks it", async () => {
    const host = await open('host');
    await host.evaluate(async () => {
      const { app } = window as unknown as Win;
      await app.liveList.startLive({ liveId: 'seed-live', maxSeatCount: 4 });
      await app.device.openLocalCamera();
      await app.device.openLocalMicrophone();
    });
    expect(
      await host.evaluate(() => {
        const s = (window as unknown as Win).app.device.getSnapshot();
        return [s.cameraStatus, s.microphoneStatus, s.localStream?.getTracks().length];
      }),
    ).toEqual([1, 1, 2]);

    const a = await open('aliceA');
    await a.evaluate(async () => {
      const { app } = window as unknown as Win;
      const w = window as unknown as { opened?: Promise<unknown>; pcs: RTCPeerConnection[] };
      // Every transport the SDK creates in this page, in order.
      w.pcs = [];
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          w.pcs.push(this);
        }
      };
      await app.liveList.joinLive({ liveId: 'seed-live' });
      // Not seated yet: opening is refused with the TRTC code and nothing turns On.
      const refused = await app.device.openLocalMicrophone().then(
        () => 0,
        (e: { code: number }) => e.code,
      );
      if (refused !== -2361) throw new Error(`expected -2361, got ${refused}`);
      app.coGuest.subscribeEvent('onGuestApplicationResponded', ({ isAccept }) => {
        if (isAccept) w.opened = Promise.all([app.device.openLocalMicrophone(), app.device.openLocalCamera()]);
      });
      await app.coGuest.applyForSeat({ seatIndex: -1, timeout: 30 });
    });
    // While A waits for the host, its publish transport is already connected (ICE + DTLS), sending nothing.
    const publishTransport = () =>
      a.evaluate(() =>
        (window as unknown as { pcs: RTCPeerConnection[] }).pcs.map((pc) => ({
          state: pc.connectionState,
          sending: pc.getSenders().filter((s) => s.track !== null).length,
          kinds: pc.getTransceivers().map((t) => `${t.receiver.track.kind}:${t.currentDirection ?? ''}`),
        })),
      );
    const prepared = await pollPage(
      publishTransport,
      (pcs) => pcs.some((pc) => pc.state === 'connected' && pc.kinds.join() === 'audio:inactive,video:inactive'),
      'a connected publish transport for the applicant',
    );
    const pubIndex = prepared.findIndex((pc) => pc.kinds.join() === 'audio:inactive,video:inactive');
    expect(prepared[pubIndex]?.sending).toBe(0);
    await host.evaluate(() => (window as unknown as Win).app.coGuest.acceptApplication({ userId: 'aliceA' }));
    await a.waitForFunction(() => (window as unknown as { opened?: unknown }).opened !== undefined);
    await a.evaluate(() => (window as unknown as { opened: Promise<unknown> }).opened);
    await deviceStatus(a, 'microphoneStatus', 1);
    await deviceStatus(a, 'cameraStatus', 1);
    // The accept renegotiated that same transport: no new one.
    const after = await publishTransport();
    expect(after).toHaveLength(prepared.length);
    expect(after[pubIndex]).toMatchObject({ state: 'connected', sending: 2, kinds: ['audio:sendonly', 'video:sendonly'] });

    const viewer = await open('viewerV');
    await viewer.evaluate(() => (window as unknown as Win).app.liveList.joinLive({ liveId: 'seed-live' }));
    await viewer.waitForFunction(
      () => {
        const users = (window as unknown as Win).app.remoteMedia.getSnapshot().users;
        return ['host', 'aliceA'].every((u) => users.get(u)?.hasVideo && users.get(u)?.hasAudio);
      },
      undefined,
      { timeout: 15_000, polling: 100 },
    );
    // getStats() confirms audio packets and decoded frames from both, and that the frames keep coming.
    const inbound = () => viewer.evaluate(() => (window as unknown as Win).app.remoteMedia.inboundStats());
    const first = await pollPage(
      inbound,
      (s) =>
        ['host:audio', 'aliceA:audio'].every((k) => (s[k]?.packetsReceived ?? 0) > 0) &&
        (s['host:video']?.framesDecoded ?? 0) > 0 &&
        (s['aliceA:video']?.framesDecoded ?? 0) > 0,
      'audio and video of host and A on the viewer',
    );
    await pollPage(
      inbound,
      (s) =>
        (s['host:video']?.framesDecoded ?? 0) > (first['host:video']?.framesDecoded ?? 0) &&
        (s['aliceA:video']?.framesDecoded ?? 0) > (first['aliceA:video']?.framesDecoded ?? 0),
      'frames keep coming',
      5_000,
    );
    // The seat list the viewer sees shows A's devices as reported.
    const aSeat = await viewer.evaluate(
      () => (window as unknown as Win).app.liveSeat.getSnapshot().seatList.find((s) => s.userInfo.userId === 'aliceA')?.userInfo,
    );
    expect(aSeat).toMatchObject({ microphoneStatus: 1, cameraStatus: 1 });

    // The host closes A's microphone: A's status turns Off, reopening is refused with -2360, the camera stays On.
    await host.evaluate(() => (window as unknown as Win).app.liveSeat.closeRemoteMicrophone({ userId: 'aliceA' }));
    await deviceStatus(a, 'microphoneStatus', 0);
    const reopen = await a.evaluate(() =>
      (window as unknown as Win).app.device.openLocalMicrophone().then(
        () => 0,
        (e: { code: number }) => e.code,
      ),
    );
    expect(reopen).toBe(-2360);
    expect(await a.evaluate(() => (window as unknown as Win).app.device.getSnapshot().cameraStatus)).toBe(1);
    await viewer.waitForFunction(() => (window as unknown as Win).app.remoteMedia.getSnapshot().users.get('aliceA')?.hasAudio === false, undefined, {
      timeout: 5_000,
      polling: 100,
    });
  }, 60_000);
});
