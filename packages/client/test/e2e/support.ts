/** Bundles the client-SDK test page (the real SDK sources) and opens pages logged in as a user. */
import { fileURLToPath } from 'node:url';
import { bundlePage } from '../../../server/test/e2e/support/browser.js';
import type { Browser, Page } from 'playwright-core';
import { createUserSig, type OnseatServer } from '@onseat/server';
import type * as Sdk from '../../src/index.js';

/** What the page exposes on `window`. */
export type Win = { sdk: typeof Sdk; app: Sdk.OnseatClient; ready: boolean; firstFrameAt(userId: string, timeoutMs: number): Promise<number> };

/** Bundles `page/main.ts` (the real client SDK for the page) with esbuild. */
export function bundleClientPage(): Promise<string> {
  return bundlePage(fileURLToPath(new URL('./page/main.ts', import.meta.url)));
}

/** A new page with `window.app` logged in as `userId` against `server`. */
export async function pageAs(
  browser: Browser,
  pageUrl: string,
  server: OnseatServer,
  signalUrl: string,
  userId: string,
  prepare?: (page: Page) => Promise<void>,
): Promise<Page> {
  const p = await browser.newPage();
  await prepare?.(p);
  p.on('pageerror', (e) => console.error(`[${userId}] page error`, e));
  await p.goto(pageUrl);
  await p.waitForFunction(() => (window as unknown as Win).ready === true);
  const app = server.devApp;
  if (!app) throw new Error('the test server must run in dev mode');
  const sig = await createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId });
  await p.evaluate(
    async ([url, id, uid, s]) => {
      const w = window as unknown as Win;
      w.app = w.sdk.createOnseatClient({ serverUrl: url, media: { connectTimeoutMs: 8000 } });
      await w.app.login.login({ sdkAppId: id, userId: uid, userSig: s });
    },
    [signalUrl, app.sdkAppId, userId, sig] as const,
  );
  return p;
}
