/** Bundles the client-SDK test page (the real SDK sources) and opens pages logged in as a user. */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { createUserSig, type OnseatServer } from '@onseat/server';
import type * as Sdk from '../../src/index.js';

/** What the page exposes on `window`. */
export type Win = { sdk: typeof Sdk; app: Sdk.OnseatClient; ready: boolean; firstFrameAt(userId: string, timeoutMs: number): Promise<number> };

/** Bundles `page/main.ts` with esbuild (workspace packages resolve to their sources). */
export async function bundleClientPage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page/main.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced nothing');
  return out.text;
}

/** A new page with `window.app` logged in as `userId` against `server`. */
export async function pageAs(browser: Browser, pageUrl: string, server: OnseatServer, signalUrl: string, userId: string): Promise<Page> {
  const p = await browser.newPage();
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
