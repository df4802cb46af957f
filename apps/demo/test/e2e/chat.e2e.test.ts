/**
 * Chat, a mute, gifts and likes through the demo app in headless Chromium, against the server as `npm start` runs it:
 * a host and two viewers chat; the host mutes viewer A from the moderation list, A sees the error when writing; a
 * gift and likes show up for everyone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../packages/server/test/e2e/support/browser.js';
import { signIn, type DemoUser } from './support/demoPages.js';
import { startDemoServer, type DemoServer } from './support/demoServer.js';

let server: DemoServer;
let browser: Browser;
let users: DemoUser[] = [];

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
}, 30_000);

afterEach(async () => {
  const errors = users.flatMap((u) => u.errors);
  await Promise.all(users.map((u) => u.context.close()));
  users = [];
  expect(errors, 'uncaught exceptions in the demo pages').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function person(userId: string, name: string, path: string): Promise<DemoUser> {
  const u = await signIn(browser, server.url, userId, name, path);
  users.push(u);
  return u;
}

async function say(p: Page, text: string): Promise<void> {
  await p.locator('.onseat-barrage-input-text').fill(text);
  await p.locator('.onseat-barrage-input-text').press('Enter');
  // Sent (or refused): the input empties only on success. A socket's requests are handled in order, so on a busy
  // machine the host's first message can wait behind its camera's SDP negotiation.
  await expect
    .poll(
      async () => (await p.locator('.onseat-barrage-input-text').inputValue()) === '' || (await p.locator('.onseat-barrage-input-error').count()) > 0,
      {
        timeout: 20_000,
      },
    )
    .toBe(true);
}

const chatTexts = (p: Page) => p.locator('.onseat-barrage-text').allInnerTexts();

async function seesChat(p: Page, texts: string[]): Promise<void> {
  const missing = async () => {
    const seen = await chatTexts(p);
    return texts.filter((t) => !seen.includes(t));
  };
  await expect.poll(missing, { timeout: 20_000 }).toEqual([]);
}

describe('demo chat in Chromium', () => {
  it('host and two viewers chat; a muted viewer sees the error; a gift and likes show up for everyone', async () => {
    const host = await person('hina', 'Hina', '/host');
    await host.page.locator('#live-name').fill("Hina's live");
    await host.page.getByRole('button', { name: 'Start live' }).click();
    await host.page.getByRole('button', { name: 'End live' }).waitFor();
    const liveUrl = `/live/live_${host.userId}`;
    const a = await person('aki', 'Aki', liveUrl);
    const b = await person('ben', 'Ben', liveUrl);
    for (const p of [a.page, b.page]) await p.locator('.onseat-barrage-input-text').waitFor();

    await say(a.page, 'hi from Aki');
    await say(host.page, 'welcome everyone');
    await say(b.page, 'Ben here');
    for (const u of [host, a, b]) await seesChat(u.page, ['hi from Aki', 'welcome everyone', 'Ben here']);
    await expect.poll(() => host.page.locator('.onseat-barrage-sender').first().innerText()).toBe('Aki:');

    // The host mutes Aki from the moderation list; Aki's next message is refused and Aki sees why.
    const akiRow = host.page.locator('.onseat-audience-item[data-user-id="aki"]');
    await akiRow.locator('.onseat-audience-mute').click();
    await akiRow.locator('.onseat-audience-muted').waitFor();
    await say(a.page, 'am I muted?');
    await expect.poll(() => a.page.locator('.onseat-barrage-input-error').innerText(), { timeout: 10_000 }).toContain('-2381');
    await say(b.page, 'Ben still talks');
    await seesChat(host.page, ['Ben still talks']);
    expect(await chatTexts(host.page)).not.toContain('am I muted?');
    expect(await chatTexts(b.page)).not.toContain('am I muted?');

    // Ben sends a rose, Aki likes twice: everyone sees both.
    await b.page.locator('.onseat-gift-item[data-gift-id="rose"]').click();
    for (const u of [host, a, b]) {
      await expect.poll(() => u.page.locator('.onseat-gift-received').innerText(), { timeout: 10_000 }).toContain('Ben sent Rose ×1');
    }
    await a.page.locator('.onseat-like-button').click();
    await a.page.locator('.onseat-like-button').click();
    for (const u of [host, a, b]) {
      await expect.poll(() => u.page.locator('.onseat-like-count').first().innerText(), { timeout: 10_000 }).toBe('2');
    }
  }, 90_000);
});
