/**
 * The server dies mid-live (kill -9) and comes back on the same port and data dir, in headless Chromium through the
 * demo: the pages show "Reconnecting…", the guest keeps their seat, and the viewer decodes the guest's video again
 * without anyone reloading — media state is not durable, so the SDK re-publishes and re-subscribes by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../packages/server/test/e2e/support/browser.js';
import { inboundStats, signIn, toastShown, waitForMedia, type DemoUser } from './support/demoPages.js';
import { startDemoServer, type DemoServer } from './support/demoServer.js';

let server: DemoServer;
let browser: Browser;
const users: DemoUser[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'onseat-restart-e2e-'));

beforeAll(async () => {
  server = await startDemoServer({ dataDir });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await Promise.all(users.map((u) => u.context.close()));
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function person(userId: string, name: string, path: string): Promise<DemoUser> {
  const u = await signIn(browser, server.url, userId, name, path);
  users.push(u);
  return u;
}

/** Resolves once `key` decodes frames again: two readings 250 ms apart differ by at least 3 frames (~20 fps camera). */
async function framesFlowing(page: Page, key: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let before = (await inboundStats(page))[key]?.framesDecoded ?? 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = (await inboundStats(page))[key]?.framesDecoded ?? 0;
    if (now - before >= 3) return;
    if (Date.now() > end) throw new Error(`${key} does not decode frames again within ${timeoutMs} ms`);
    before = now;
  }
}

/** When the port first answers HTTP (the server is back, before it even printed its listening line). */
async function firstAnswer(port: number): Promise<number> {
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return performance.now();
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('the demo across a server crash', () => {
  it('kill -9 and restart: "Reconnecting…", the guest keeps the seat, the viewer decodes the guest again by itself', async () => {
    const host = await person('hana', 'Hana', '/host');
    await host.page.locator('#live-name').fill("Hana's live");
    await host.page.getByRole('button', { name: 'Start live' }).click();
    await host.page.getByRole('button', { name: 'End live' }).waitFor();
    const liveUrl = `/live/live_${host.userId}`;
    const guest = await person('ari', 'Ari', liveUrl);
    const viewer = await person('bo', 'Bo', liveUrl);

    await guest.page.getByRole('button', { name: 'Ask for a seat' }).click();
    const dialog = guest.page.getByRole('dialog', { name: 'Ask for a seat' });
    await dialog.getByRole('radio', { name: /^Video/ }).check();
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await host.page.getByRole('button', { name: 'Accept Ari' }).click();
    await toastShown(guest.page, 'The host accepted');
    await waitForMedia(viewer.page, ['ari:video', 'hana:video']);

    await server.kill9();
    for (const u of [host, guest, viewer]) await u.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();

    const port = server.port;
    const listening = firstAnswer(port);
    server = await startDemoServer({ port, dataDir });
    const back = await listening;
    await framesFlowing(viewer.page, 'ari:video', 15_000);
    const recoverMs = performance.now() - back;
    await framesFlowing(viewer.page, 'hana:video', 15_000);
    console.log(`restart → viewer decodes the guest again: ${Math.round(recoverMs)} ms`);

    for (const u of [host, guest, viewer]) {
      await u.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached' });
    }
    await guest.page.getByText(/You are on seat \d/).waitFor();
    expect(await viewer.page.getByText(/has ended/i).count()).toBe(0);
    // The ≤ 3 s goal is a speed target (measured and printed here, in docs/BENCHMARKS.md by bench:media's recover_ms);
    // the test only asserts that media comes back by itself, with room for a loaded 2-core machine.
    expect(recoverMs).toBeLessThan(15_000);
    expect(users.flatMap((u) => u.errors)).toEqual([]);
  }, 90_000);
});
