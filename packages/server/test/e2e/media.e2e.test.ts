/**
 * The Feature Demo in headless Chromium against a real server with the werift SFU: the host publishes camera + mic,
 * audience A (applied, accepted) camera + mic, audience B (invited) mic only; every other page decodes host's and
 * A's video and receives audio from all three, and no video from B. The host closes A's microphone: A's audio stops
 * for everyone and A's new publish of audio is refused with -2360. A plain viewer joining later decodes video.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUserSig } from '../../src/auth/userSig.js';
import type { PageApi } from './page/main.js';
import { bundlePage, pollPage, startMediaRig, type MediaRig } from './support/browser.js';

type Stats = Awaited<ReturnType<PageApi['inbound']>>;
type Win = { onseat: PageApi };

const LIVE = 'feature-demo';
let rig: MediaRig;

beforeAll(async () => {
  rig = await startMediaRig(await bundlePage());
}, 30_000);

afterAll(async () => {
  await rig?.close();
});

async function openAs(userId: string): Promise<Page> {
  const p = await rig.browser.newPage();
  await p.goto(rig.pageUrl);
  await p.waitForFunction(() => 'onseat' in window);
  const app = rig.server.devApp!;
  const sig = await createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId });
  await p.evaluate(([u, id, uid, s]) => (window as unknown as Win).onseat.login(u, id, uid, s), [rig.signalUrl, app.sdkAppId, userId, sig] as const);
  return p;
}

async function call(p: Page, type: string, payload: unknown): Promise<unknown> {
  const r = await p.evaluate(([t, pl]) => (window as unknown as Win).onseat.call(t, pl), [type, payload] as const);
  if (!r.ok) throw new Error(`${type} failed: ${JSON.stringify(r.error)}`);
  return r.payload;
}

const stats = (p: Page): Promise<Stats> => p.evaluate(() => (window as unknown as Win).onseat.inbound());

/** Waits until every key has video frames decoded / audio packets received on page `p`. */
async function waitFlowing(p: Page, keys: string[], timeoutMs = 15_000): Promise<Stats> {
  return pollPage(
    () => stats(p),
    (s) =>
      keys.every((k) => {
        const v = s[k];
        return v !== undefined && (k.endsWith(':video') ? v.framesDecoded > 0 : v.packetsReceived > 0);
      }),
    `${keys.join(', ')} flowing`,
    timeoutMs,
  );
}

describe('media in Chromium (werift SFU)', () => {
  it("Feature Demo: host + A on camera and mic, B on mic only; closing A's mic stops it for everyone; late viewer decodes", async () => {
    const startedAt = Date.now();
    const host = await openAs('host');
    await call(host, 'live.start', { liveId: LIVE, maxSeatCount: 4 });
    expect(await host.evaluate(() => (window as unknown as Win).onseat.open(true, true))).toBe(0);
    await host.evaluate(() => (window as unknown as Win).onseat.subscribe());

    const a = await openAs('aliceA');
    await call(a, 'live.join', { liveId: LIVE });
    await a.evaluate(() => (window as unknown as Win).onseat.subscribe());
    // Not seated yet: opening the microphone is refused by the media plane.
    expect(await a.evaluate(() => (window as unknown as Win).onseat.open(true, false))).toBe(-2361);
    await call(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    await call(host, 'coGuest.acceptApplication', { userId: 'aliceA' });
    expect(await a.evaluate(() => (window as unknown as Win).onseat.open(true, true))).toBe(0);

    const b = await openAs('bobB');
    await call(b, 'live.join', { liveId: LIVE });
    await b.evaluate(() => (window as unknown as Win).onseat.subscribe());
    await call(host, 'coGuest.invite', { userId: 'bobB', seatIndex: 2, timeout: 30 });
    await call(b, 'coGuest.acceptInvitation', { inviterId: 'host' });
    expect(await b.evaluate(() => (window as unknown as Win).onseat.open(true, false))).toBe(0);

    const expected: [Page, string[]][] = [
      [host, ['aliceA:video', 'aliceA:audio', 'bobB:audio']],
      [a, ['host:video', 'host:audio', 'bobB:audio']],
      [b, ['host:video', 'host:audio', 'aliceA:video', 'aliceA:audio']],
    ];
    const first = await Promise.all(expected.map(([p, keys]) => waitFlowing(p, keys)));
    for (const s of first) expect(Object.keys(s).some((k) => k.startsWith('bobB:video'))).toBe(false);
    // Video keeps decoding: frames grow on every page.
    await host.waitForTimeout(1000);
    const second = await Promise.all(expected.map(([p]) => stats(p)));
    expected.forEach(([, keys], i) => {
      for (const k of keys.filter((x) => x.endsWith(':video'))) {
        expect(second[i]?.[k]?.framesDecoded ?? 0).toBeGreaterThan(first[i]?.[k]?.framesDecoded ?? 0);
      }
    });

    // The host closes A's microphone: within ~1 s A's audio stops arriving on the other pages.
    const aMidOnHost = second[0]?.['aliceA:audio']?.mid ?? '';
    const aMidOnB = second[2]?.['aliceA:audio']?.mid ?? '';
    await call(host, 'seat.closeRemoteDevice', { userId: 'aliceA', device: 'microphone' });
    await host.waitForTimeout(1000);
    const mids = async () => [
      await host.evaluate((m) => (window as unknown as Win).onseat.packetsOnMid(m), aMidOnHost),
      await b.evaluate((m) => (window as unknown as Win).onseat.packetsOnMid(m), aMidOnB),
    ];
    const afterOne = await mids();
    await host.waitForTimeout(1000);
    const afterTwo = await mids();
    afterTwo.forEach((n, i) => expect(n).toBeLessThanOrEqual(afterOne[i] ?? 0));
    // ... while A's video keeps flowing, and A may not publish audio again.
    const hostNow = await stats(host);
    expect(hostNow['aliceA:video']?.framesDecoded ?? 0).toBeGreaterThan(second[0]?.['aliceA:video']?.framesDecoded ?? 0);
    const reopen = await a.evaluate(() => (window as unknown as Win).onseat.open(true, false));
    expect(reopen, await a.evaluate(() => String((window as unknown as { lastError?: string }).lastError))).toBe(-2360);
    expect(await a.evaluate(() => (window as unknown as Win).onseat.events('media.publishRevoked'))).toEqual([
      expect.objectContaining({ kind: 'audio', code: -2360 }),
    ]);

    // A plain viewer joining ≥ 5 s after the host went live decodes the host's video.
    const wait = startedAt + 5000 - Date.now();
    if (wait > 0) await host.waitForTimeout(wait);
    const c = await openAs('viewerC');
    const joinAt = Date.now();
    await call(c, 'live.join', { liveId: LIVE });
    await c.evaluate(() => (window as unknown as Win).onseat.subscribe());
    await waitFlowing(c, ['host:video', 'aliceA:video'], 10_000);
    const ttff = Date.now() - joinAt;
    console.log(`late joiner: live.join → first decoded frame of host and A: ${ttff} ms`);
    const cs = await stats(c);
    expect(Object.keys(cs).some((k) => k === 'bobB:video' || k === 'aliceA:audio')).toBe(false);

    // Speaking indicators: the fake microphone's tone reaches the audio levels the server reports.
    await c.waitForFunction(
      () =>
        ((window as unknown as Win).onseat.events('media.audioLevels') as { levels: { userId: string; level: number }[] }[]).some((e) =>
          e.levels.some((l) => l.userId === 'host' && l.level > 0),
        ),
      undefined,
      { timeout: 5000, polling: 100 },
    );
    const sendKbps = Math.round(await host.evaluate(() => (window as unknown as Win).onseat.outboundVideoKbps(1000)));
    const bweKbps = Math.round(await host.evaluate(() => (window as unknown as Win).onseat.availableOutgoingKbps()));
    console.log(`host video after ${Date.now() - startedAt} ms: sending ${sendKbps} kbit/s, Chrome's estimate ${bweKbps} kbit/s`);

    // A disconnects: A's tracks disappear from every page, and the seat list shows the seat free.
    await call(a, 'coGuest.disconnect', {});
    for (const p of [host, b, c]) {
      await p.waitForFunction(() => !(window as unknown as Win).onseat.remoteTracks().some((t) => t.userId === 'aliceA'), undefined, {
        timeout: 5000,
        polling: 100,
      });
    }
    const seats = (await c.evaluate(() => (window as unknown as Win).onseat.events('seat.listChanged'))) as {
      seats: { userInfo: { userId: string } | null }[];
    }[];
    expect(seats.at(-1)?.seats.some((s) => s.userInfo?.userId === 'aliceA')).toBe(false);
  }, 60_000);
});
