/**
 * An app written against `tuikit-atomicx-vue3` (test/fixtures/atomicx-app: every state and kit component onseat has,
 * enum members as types, i18n at module load) with only the import specifier aliased to `@onseat/vue`:
 * it type-checks (vue-tsc), builds with Vite, and in headless Chromium (fake devices) runs the co-guest flow
 * through CoGuestPanel against a real server that serves the built app: the viewer applies, the host accepts in the
 * panel, the viewer is seated; the host disconnects them from the panel's management tab, the viewer hears it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, silentLogger, type OnseatServer } from '@onseat/server';
import { launchChromium } from '../../server/test/e2e/support/browser.js';

const app = resolve(import.meta.dirname, 'fixtures/atomicx-app');
const repo = resolve(import.meta.dirname, '../../..');
let outDir = '';
let server: OnseatServer;
let url = '';
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'onseat-atomicx-app-'));
  // Vite runs as its own process (inside the test worker its bundled dependencies clash with the test bundler's).
  await promisify(execFile)('npx', ['vite', 'build', app, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: repo });
  server = createServer({ port: 0, logger: silentLogger, staticDir: outDir });
  url = (await server.listen()).url;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function open(query: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1200 } });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${query}: ${e.message}`));
  await page.goto(`${url}/?${query}`);
  await page.locator('.login-status', { hasText: 'logged in' }).waitFor();
  return page;
}

describe('an AtomicX app on @onseat/vue (only the import aliased)', () => {
  it('type-checks with vue-tsc, the specifier mapped to @onseat/vue', () => {
    const r = spawnSync('npx', ['vue-tsc', '--noEmit', '-p', join(app, 'tsconfig.json')], { cwd: repo, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);

  it('runs the co-guest flow through CoGuestPanel in Chromium', async () => {
    const host = await open('user=hana&role=host&live=fixture-live');
    await host.getByRole('heading', { name: 'Fixture live' }).waitFor();
    const viewer = await open('user=vic&role=audience&live=fixture-live');
    await viewer.getByRole('heading', { name: 'Fixture live' }).waitFor();
    // The kit's LiveList shows the live to the viewer; clicking a card emits live-room-click.
    await viewer.locator('.onseat-live-card[data-live-id="fixture-live"]').click();
    await viewer.locator('.clicked', { hasText: 'fixture-live' }).waitFor();

    await viewer.getByRole('button', { name: 'Apply for a seat' }).click();
    await host.locator('.log', { hasText: 'applied:vic' }).waitFor();
    const panel = host.locator('.onseat-coguest-panel');
    await panel.getByRole('tab', { name: 'Application for live (1)' }).waitFor();
    await panel.getByRole('button', { name: 'Accept vic' }).click();
    await viewer.locator('.guest-status', { hasText: 'accepted' }).waitFor();
    await viewer.locator('.seated', { hasText: 'on a seat' }).waitFor();
    await host.locator('.connected-names', { hasText: 'vic' }).waitFor();
    await panel.getByText('No application for live').waitFor();

    // Management tab, reached with the keyboard: Disconnect takes the guest off the seat.
    await panel.getByRole('tab', { name: 'Application for live' }).focus();
    await host.keyboard.press('ArrowRight');
    await panel.getByRole('heading', { name: 'Current seat (2)' }).waitFor();
    await panel.getByRole('button', { name: 'Disconnect vic' }).click();
    await viewer.locator('.guest-status', { hasText: 'kicked off the seat' }).waitFor();
    await viewer.locator('.seated', { hasText: 'not on a seat' }).waitFor();
    await panel.getByRole('heading', { name: 'Current seat (1)' }).waitFor();

    // The settings panels render with Chromium's fake devices.
    await host.getByRole('button', { name: 'Settings' }).click();
    await host.locator('.onseat-video-setting-panel video[data-onseat-camera-test]').waitFor();
    await host.locator('.onseat-audio-setting-panel select').first().waitFor();
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
