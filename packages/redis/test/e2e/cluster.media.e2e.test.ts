/**
 * Media across nodes, in headless Chromium with the real client SDK: two `onseat --redis` processes with the werift
 * SFU on one redis-server. The host logs in to node A (it owns the live and runs its SFU room) and publishes its camera;
 * a viewer connected to node B decodes the host's video: B forwards its media signalling to A, and its media flows to
 * A's address. Then A is killed (kill -9): B takes the live over, the host's SDK reconnects to B (its second URL) and
 * publishes again; B tells the viewer's socket (still connected) `media.moved` and its SDK subscribes again at once,
 * without waiting for ICE to notice the dead SFU; the viewer decodes the host again without anyone doing anything.
 * The time that takes is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUserSig } from '@onseat/server';
import { bundlePage, launchChromium, pollPage, servePage } from '../../../server/test/e2e/support/browser.js';
import { APP } from '../support/cluster.js';
import { metricValue, NodeProcess } from '../support/nodeProcess.js';
import { TestRedis } from '../support/redisServer.js';
import type { ClusterPageApi } from './page/main.js';

type Win = { onseat: ClusterPageApi };
const LIVE = 'cluster-media';

let redis: TestRedis;
let a: NodeProcess;
let b: NodeProcess;
let page: { url: string; close: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  redis = await TestRedis.start();
  const bundle = bundlePage(new URL('./page/main.ts', import.meta.url).pathname);
  const start = () => NodeProcess.start(redis.url, ['--allowed-origins', '*'], { media: true });
  [a, b] = await Promise.all([start(), start()]);
  page = await servePage(await bundle);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await Promise.all([a, b].map((n) => n?.kill()));
  await redis?.stop();
}, 30_000);

async function openAs(userId: string, serverUrls: string[]): Promise<Page> {
  const p = await browser.newPage();
  p.on('pageerror', (e) => console.log(`${userId} page error: ${e.message}`));
  await p.goto(page.url);
  await p.waitForFunction(() => 'onseat' in window);
  const sig = await createUserSig({ sdkAppId: APP.sdkAppId, secret: APP.secret, userId });
  await p.evaluate(([urls, id, uid, s]) => (window as unknown as Win).onseat.login(urls, id, uid, s), [
    serverUrls,
    APP.sdkAppId,
    userId,
    sig,
  ] as const);
  return p;
}

const framesDecoded = async (p: Page, key: string): Promise<number> =>
  (await p.evaluate(() => (window as unknown as Win).onseat.inbound()))[key]?.framesDecoded ?? 0;

/** Resolves once `key` decodes frames: two readings 250 ms apart differ by at least 3 frames. */
async function framesFlowing(p: Page, key: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let before = await framesDecoded(p, key);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await framesDecoded(p, key);
    if (now - before >= 3) return;
    if (Date.now() > end) throw new Error(`${key} does not decode frames within ${timeoutMs} ms (frames: ${now})`);
    before = now;
  }
}

describe('media across two nodes', () => {
  it('a viewer on B decodes the host publishing through A (the owner); after A is killed the viewer decodes the host again by itself', async () => {
    const host = await openAs('host', [a.url, b.url]);
    await host.evaluate((id) => (window as unknown as Win).onseat.start(id), LIVE);
    await host.evaluate(() => (window as unknown as Win).onseat.openCamera());
    expect(metricValue(await a.metrics(), 'onseat_cluster_lives_owned')).toBe(1);
    expect(metricValue(await b.metrics(), 'onseat_cluster_lives_owned')).toBe(0);

    const viewer = await openAs('viewer', [b.url]);
    await viewer.evaluate((id) => (window as unknown as Win).onseat.join(id), LIVE);
    await framesFlowing(viewer, 'host:video', 30_000);
    // the viewer's signalling went through B, its media to A's SFU
    expect(metricValue(await b.metrics(), 'onseat_cluster_forwarded_commands_total')).toBeGreaterThan(0);

    const killedAt = Date.now();
    await a.kill();
    await pollPage(
      () => host.evaluate(() => (window as unknown as Win).onseat.state()),
      (s) => s === 'connected',
      'the host to reconnect to B',
      30_000,
    );
    await framesFlowing(viewer, 'host:video', 60_000);
    const recoveredMs = Date.now() - killedAt;
    console.log(`cluster media: owner killed → viewer on the other node decodes the host again: ${recoveredMs} ms`);
    // the viewer's socket never dropped: it moved because B told it so
    expect(await viewer.evaluate(() => (window as unknown as Win).onseat.moved())).toBe(1);
    expect(await viewer.evaluate(() => (window as unknown as Win).onseat.disconnects())).toBe(0);
    expect(metricValue(await b.metrics(), 'onseat_cluster_media_moved_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(await b.metrics(), 'onseat_cluster_lives_owned')).toBe(1);
    expect(metricValue(await b.metrics(), 'onseat_cluster_takeovers_total')).toBe(1);
  }, 180_000);
});
