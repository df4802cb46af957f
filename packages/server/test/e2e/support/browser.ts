/**
 * Browser-test plumbing: bundles the test page with esbuild, serves it from a static server on 127.0.0.1, and
 * launches Debian Chromium (playwright-core) with the flags that make fake devices and loopback WebRTC work here.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type OnseatServer } from '../../../src/createServer.js';
import type { ServerOptions } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

/** Bundles a browser page script (default: this folder's `page/main.ts`); workspace packages resolve to their sources. */
export async function bundlePage(entry = fileURLToPath(new URL('../page/main.ts', import.meta.url))): Promise<string> {
  const result = await build({
    entryPoints: [entry],
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

/** Serves the page (`/`) and its bundle (`/bundle.js`) on 127.0.0.1:0. */
export async function servePage(bundle: string): Promise<{ url: string; close: () => Promise<void> }> {
  const html = '<!doctype html><meta charset="utf-8"><title>onseat media e2e</title><script type="module" src="/bundle.js"></script>';
  const server: Server = createHttpServer((req, res) => {
    if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A real server with the werift media plane, a served page bundle and a Chromium: what each media e2e suite needs. */
export interface MediaRig {
  server: OnseatServer;
  signalUrl: string;
  pageUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startMediaRig(bundle: string, options: Pick<ServerOptions, 'mediaOptions' | 'logger'> = {}): Promise<MediaRig> {
  const server = createServer({ port: 0, logger: silentLogger, ...options });
  const signalUrl = (await server.listen()).url;
  const page = await servePage(bundle);
  const browser = await launchChromium();
  return {
    server,
    signalUrl,
    pageUrl: page.url,
    browser,
    async close() {
      await browser.close();
      await page.close();
      await server.close();
    },
  };
}

/**
 * Waits until `check(await read())` holds, reading the page with `page.evaluate` (which awaits the page function).
 * Use it instead of `page.waitForFunction` for anything async such as getStats(): Playwright does not await a
 * promise returned to waitForFunction, so an async predicate would pass at once. Resolves with the last value read.
 */
export async function pollPage<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
    last = await read();
  }
  return last;
}
