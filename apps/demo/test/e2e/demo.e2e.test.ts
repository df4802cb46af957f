/**
 * The demo app end to end, in headless Debian Chromium with fake camera and microphone, against the server as
 * `npm start` runs it (the built CLI serving the built demo). Three people in three browser contexts: a host, viewer
 * A (applies with video) and viewer B (applies audio-only and cancels, then takes the host's invitation). A second
 * test lets an application time out. The first test also takes the README's screenshots: into docs/img/ when
 * ONSEAT_UPDATE_SCREENSHOTS=1 (then commit them), otherwise into a temporary folder so a test run leaves the tree clean.
 */
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../packages/server/test/e2e/support/browser.js';
import { DESKTOP, PHONE, inboundStats, screenshot, signIn, toastShown, waitForMedia, waitForPictures, type DemoUser } from './support/demoPages.js';
import { REPO_ROOT, startDemoServer, type DemoServer } from './support/demoServer.js';

const IMG = process.env['ONSEAT_UPDATE_SCREENSHOTS'] === '1' ? `${REPO_ROOT}docs/img/` : `${tmpdir()}/onseat-screenshots/`;

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

/** Signs the host in and starts a live from the "Go live" form; resolves on the host console. */
async function goLive(userId: string, name: string): Promise<DemoUser> {
  const host = await person(userId, name, '/host');
  await host.page.locator('#live-name').fill(`${name}'s live`);
  await host.page.getByRole('button', { name: 'Start live' }).click();
  await host.page.getByRole('button', { name: 'End live' }).waitFor();
  return host;
}

/** Opens "Ask for a seat", picks video or audio only, sends; resolves when the page waits for the host. */
async function askForSeat(p: Page, media: 'Video' | 'Audio only'): Promise<void> {
  await p.getByRole('button', { name: 'Ask for a seat' }).click();
  const dialog = p.getByRole('dialog', { name: 'Ask for a seat' });
  await dialog.getByRole('radio', { name: new RegExp(`^${media}`) }).check();
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await p.getByRole('button', { name: 'Cancel request' }).waitFor();
}

const pending = (host: DemoUser, n: number) => host.page.getByLabel(`${n} pending`, { exact: true }).waitFor();
const tileSelector = (user: DemoUser) => `.tile[data-user-id="${user.userId}"]`;
/** The tile of `user` by its accessible name ("Seat N: <name>, microphone …, camera …"). */
const tileOf = (p: Page, user: DemoUser) => p.getByRole('group', { name: new RegExp(`^Seat \\d+: ${user.name}\\b`) });

describe('demo app in Chromium', () => {
  it("host goes live; A applies with video and is accepted; B cancels, then takes an invitation audio-only; host closes A's mic, removes B and ends the live", async () => {
    const host = await goLive('hana', 'Hana');
    const liveUrl = `/live/live_${host.userId}`;
    const a = await person('ari', 'Ari', liveUrl);
    const b = await person('bo', 'Bo', liveUrl);

    // A asks for a seat with video; the host sees the badge and the request, and accepts.
    await askForSeat(a.page, 'Video');
    await pending(host, 1);
    await host.page.getByRole('button', { name: 'Accept Ari' }).click();
    await toastShown(a.page, 'The host accepted');
    await a.page.getByText(/You are on seat \d/).waitFor();
    await pending(host, 0);
    await tileOf(host.page, a).waitFor();
    await tileOf(b.page, a).waitFor();

    // A's video reaches the host and B: the receiving RTCPeerConnection decodes frames, and keeps decoding; A's tile
    // plays it. B also gets the host's camera.
    const onHost = await waitForMedia(host.page, ['ari:video', 'ari:audio']);
    const onB = await waitForMedia(b.page, ['ari:video', 'ari:audio', 'hana:video', 'hana:audio']);
    await waitForMedia(host.page, ['ari:video'], (onHost['ari:video']?.framesDecoded ?? 0) + 10);
    await waitForMedia(b.page, ['ari:video'], (onB['ari:video']?.framesDecoded ?? 0) + 10);
    await waitForPictures(host.page, tileSelector(a), 1);
    await waitForPictures(b.page, tileSelector(a), 1);
    await waitForPictures(b.page, tileSelector(host), 1);

    // Screenshots of the audience page (desktop and phone width), taken from B who is watching.
    await screenshot(b.page, `${IMG}audience.png`);
    await b.page.setViewportSize(PHONE);
    await screenshot(b.page, `${IMG}audience-phone.png`);
    await b.page.setViewportSize(DESKTOP);

    // B asks audio-only, then cancels: the request leaves the host's list.
    await askForSeat(b.page, 'Audio only');
    await pending(host, 1);
    await host.page.getByRole('button', { name: 'Accept Bo' }).waitFor();
    await b.page.getByRole('button', { name: 'Cancel request' }).click();
    await toastShown(b.page, 'Request cancelled');
    await pending(host, 0);
    await host.page.getByRole('button', { name: 'Accept Bo' }).waitFor({ state: 'detached' });

    // The host invites B; B accepts without camera and is on a seat with microphone only.
    await host.page.getByRole('button', { name: 'Invite Bo to a seat' }).click();
    const invitation = b.page.getByRole('dialog', { name: "You're invited to a seat" });
    await invitation.getByRole('checkbox', { name: /Join with camera/ }).uncheck();
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await toastShown(b.page, 'You are on a seat');
    await toastShown(host.page, 'Bo accepted and took a seat');
    await host.page.getByRole('group', { name: /^Seat \d+: Bo, microphone on, camera off$/ }).waitFor();
    // B's tile is audio-only: B's sound arrives on the host's page, no video from B, no <video> in B's tile.
    await waitForMedia(host.page, ['bo:audio']);
    expect(Object.keys(await inboundStats(host.page))).not.toContain('bo:video');
    expect(await host.page.locator(`${tileSelector(b)} video`).count()).toBe(0);

    await waitForPictures(host.page, tileSelector(host), 1); // the host's own preview, for the screenshot
    await screenshot(host.page, `${IMG}host-console.png`);

    // The host closes A's microphone: A is told, and A's microphone button stays disabled.
    await host.page.getByRole('button', { name: "Close Ari's microphone" }).click();
    await toastShown(a.page, 'The host closed your microphone.');
    const micButton = a.page.getByRole('button', { name: /Mic closed by host/ });
    await micButton.waitFor();
    expect(await micButton.isDisabled()).toBe(true);
    await host.page.getByRole('button', { name: 'Allow Ari to open the microphone' }).waitFor();
    expect(await micButton.getAttribute('aria-pressed')).toBe('false');
    await host.page.getByRole('group', { name: /^Seat \d+: Ari, microphone off, camera on$/ }).waitFor();

    // The host removes B from the seat: B is told and can ask again.
    await host.page.getByRole('button', { name: 'Remove Bo from the seat' }).click();
    await toastShown(b.page, 'The host removed you from the seat.');
    await b.page.getByRole('button', { name: 'Ask for a seat' }).waitFor();
    await tileOf(host.page, b).waitFor({ state: 'detached' });

    // The host ends the live (confirming the dialog): both viewers see the "ended" overlay.
    await host.page.getByRole('button', { name: 'End live' }).click();
    await host.page.getByRole('dialog', { name: 'End the live?' }).getByRole('button', { name: 'End live' }).click();
    for (const viewer of [a, b]) await viewer.page.getByRole('alertdialog', { name: 'The live has ended' }).waitFor();
    await host.page.getByRole('button', { name: 'Start live' }).waitFor();
  }, 180_000);

  it("an application the host does not answer times out: the viewer is told and it leaves the host's list", async () => {
    const host = await goLive('kai', 'Kai');
    // ?applyTimeout=3: the audience page applies with a 3-second timeout instead of 60 (see apps/demo/src/lib/config.ts).
    const viewer = await person('cy', 'Cy', `/live/live_${host.userId}?applyTimeout=3`);
    await askForSeat(viewer.page, 'Audio only');
    await pending(host, 1);
    await host.page.getByRole('button', { name: 'Accept Cy' }).waitFor();
    await toastShown(viewer.page, 'Your request timed out');
    await viewer.page.getByRole('button', { name: 'Ask for a seat' }).waitFor();
    await pending(host, 0);
    await host.page.getByRole('button', { name: 'Accept Cy' }).waitFor({ state: 'detached' });
    expect(await host.page.getByText('No application for live').isVisible()).toBe(true);
  }, 60_000);
});
