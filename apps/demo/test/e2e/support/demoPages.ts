/**
 * Driving the demo app in Chromium like a person would: sign in through the login page, wait for toasts, read the
 * inbound media counters the app exposes for tests (`window.__onseat.inboundStats()`, from the receiving
 * RTCPeerConnection's getStats()), and take screenshots without the transient toasts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pollPage } from '../../../../../packages/server/test/e2e/support/browser.js';

/** A desktop window. */
export const DESKTOP = { width: 1280, height: 800 } as const;
/** A phone-width window (iPhone 12/13/14 CSS pixels). */
export const PHONE = { width: 390, height: 844 } as const;

/** One signed-in person with their own browser context (own storage, own fake camera and microphone). */
export interface DemoUser {
  userId: string;
  name: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions of the page (should stay empty). */
  errors: string[];
}

/** Inbound RTP counters per `${userId}:${kind}`, as the demo's test hook reports them. */
export type InboundStats = Record<string, { packetsReceived: number; framesDecoded: number }>;
type HookWindow = { __onseat: { inboundStats(): Promise<InboundStats> } };

/**
 * Opens the login page in a fresh context, signs in as `userId` with display name `name` (the token comes from the
 * server's /dev/user-sig, as in the demo) and lands on `path` (e.g. `/host` or `/live/<id>`).
 */
export async function signIn(browser: Browser, baseUrl: string, userId: string, name: string, path: string): Promise<DemoUser> {
  const context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${userId}: ${e.message}`));
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(path)}`);
  await page.locator('#user-id').fill(userId);
  await page.locator('#user-name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { userId, name, context, page, errors };
}

/** Resolves when a toast containing `text` is on screen. */
export async function toastShown(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.toasts .toast').filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

/** The page's inbound media counters now. */
export function inboundStats(page: Page): Promise<InboundStats> {
  return page.evaluate(() => (window as unknown as HookWindow).__onseat.inboundStats());
}

/**
 * Waits until every key flows on `page`: `user:video` has decoded more than `minFrames` frames, `user:audio` has
 * received packets. Resolves with the counters at that moment.
 */
export async function waitForMedia(page: Page, keys: readonly string[], minFrames = 0, timeoutMs = 20_000): Promise<InboundStats> {
  return pollPage(
    () => inboundStats(page),
    (s) =>
      keys.every((k) => {
        const v = s[k];
        return v !== undefined && (k.endsWith(':video') ? v.framesDecoded > minFrames : v.packetsReceived > 0);
      }),
    `${keys.join(', ')} flowing (more than ${minFrames} frames)`,
    timeoutMs,
    200,
  );
}

/** Waits until `page` has received a few more audio packets from `userId` than `before` (audio keeps arriving). */
export async function waitForMoreAudio(page: Page, userId: string, before: number, timeoutMs = 10_000): Promise<void> {
  await pollPage(
    () => inboundStats(page),
    (s) => (s[`${userId}:audio`]?.packetsReceived ?? 0) > before + 10,
    `more audio from ${userId}`,
    timeoutMs,
    200,
  );
}

/** Waits until every `<video>` inside `selector` shows a picture (so a screenshot is not black). */
export async function waitForPictures(page: Page, selector: string, minCount: number): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) => {
      const videos = [...document.querySelectorAll<HTMLVideoElement>(`${sel} video`)].filter((v) => v.srcObject);
      return videos.length >= n && videos.every((v) => v.readyState >= 2 && v.videoWidth > 0);
    },
    [selector, minCount] as const,
    { timeout: 20_000, polling: 200 },
  );
}

/** Full-page screenshot to `path` (folders made as needed), without toasts, hover or animations. */
export async function screenshot(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await page.mouse.move(0, 0); // no hover highlight where the last click was
  await page.screenshot({ path, fullPage: true, animations: 'disabled', style: '.toasts { display: none !important; }' });
}
