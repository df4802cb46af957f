/**
 * A live survives its server process: the real CLI on the SQLite store, real clients over WebSocket. kill -9 (no
 * shutdown at all) and SIGTERM (graceful) in the middle of a live with seated guests, a pending application and a
 * pending invitation: after the restart everything is there, the clients resume by themselves without "live ended",
 * and both deadlines fire exactly once at their original instants.
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOnseatClient,
  GuestEvent,
  HostEvent,
  LiveListEvent,
  TUISeatMode,
  type CoGuestEventMap,
  type OnseatClient,
  type WebSocketConstructor,
} from '../src/index.js';
import { cliNode, type CliNode } from './support/cliProcess.js';
import { eventually, waitFor } from './support/realServer.js';

const nodes: CliNode[] = [];
const clients: OnseatClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.client?.disconnect();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

interface Member {
  userId: string;
  onseat: OnseatClient;
  /** Names of the live-ending events this client saw (must stay empty). */
  ended: string[];
  /** Socket count (to see that a reconnect happened). */
  sockets: () => number;
}

async function member(node: CliNode, userId: string): Promise<Member> {
  let sockets = 0;
  class Counted extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets++;
      this.on('error', () => undefined);
    }
  }
  const onseat = createOnseatClient({
    serverUrl: node.url,
    WebSocket: Counted as unknown as WebSocketConstructor,
    logger: {},
    requestTimeoutMs: 8000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 250, maxElapsedMs: 60_000 },
  });
  clients.push(onseat);
  await onseat.login.login({ sdkAppId: node.sdkAppId(), userId, userSig: await node.sig(userId) });
  const ended: string[] = [];
  onseat.liveList.subscribeEvent(LiveListEvent.onLiveEnded, () => ended.push('onLiveEnded'));
  onseat.liveList.subscribeEvent(LiveListEvent.onKickedOutOfLive, () => ended.push('onKickedOutOfLive'));
  return { userId, onseat, ended, sockets: () => sockets };
}

const seatIds = (m: Member) => m.onseat.liveSeat.getSnapshot().seatList.map((s) => s.userInfo.userId);

/** host + 2 seated guests + 1 pending application + 1 pending invitation. */
async function busyLive(node: CliNode, applicationTimeoutS: number, invitationTimeoutS: number) {
  const host = await member(node, 'host');
  await host.onseat.liveList.startLive({ liveId: 'L1', liveName: 'Show', seatMode: TUISeatMode.kApplyToTake });
  const [g1, g2, applicant, invitee] = await Promise.all(['g1', 'g2', 'applicant', 'invitee'].map((id) => member(node, id)));
  for (const m of [g1!, g2!, applicant!, invitee!]) await m.onseat.liveList.joinLive({ liveId: 'L1' });
  for (const g of [g1!, g2!]) {
    await g.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: 0 });
    await waitFor(host.onseat.coGuest, (s) => s.applicants.some((a) => a.userId === g.userId), `${g.userId} applied`, 5000);
    await host.onseat.coGuest.acceptApplication({ userId: g.userId });
  }
  const t0 = Date.now();
  await applicant!.onseat.coGuest.applyForSeat({ seatIndex: -1, timeout: applicationTimeoutS });
  await host.onseat.coGuest.inviteToSeat({ userId: 'invitee', seatIndex: -1, timeout: invitationTimeoutS });
  await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 1, 'the application reached the host', 5000);
  return { host, g1: g1!, g2: g2!, applicant: applicant!, invitee: invitee!, t0 };
}

/** When each co-guest event of this name came. */
function track(store: OnseatClient['coGuest'], name: keyof CoGuestEventMap): number[] {
  const at: number[] = [];
  store.subscribeEvent(name, () => at.push(Date.now()));
  return at;
}

describe('a live survives its server process (SQLite store, real CLI)', { timeout: 60_000 }, () => {
  it('kill -9 mid-live: everything is back, clients resume, both deadlines fire once at their original instants', async () => {
    const node = await cliNode();
    nodes.push(node);
    await node.start();
    // Deadlines well past the restart (a start from sources takes ~2 s idle, 10+ s on a loaded machine).
    const { host, g1, g2, applicant, invitee, t0 } = await busyLive(node, 20, 22);
    const applicationTimedOut = track(applicant.onseat.coGuest, GuestEvent.onGuestApplicationNoResponse);
    const invitationTimedOut = track(host.onseat.coGuest, HostEvent.onHostInvitationNoResponse);
    const socketsBefore = host.sockets();
    expect(seatIds(host).slice(0, 3)).toEqual(['host', 'g1', 'g2']);

    await node.kill9();
    await new Promise((r) => setTimeout(r, 500));
    await node.start();

    // Clients come back by themselves and see the same live.
    for (const m of [host, g1, g2, applicant, invitee]) {
      await eventually(() => m.onseat.client?.state === 'connected', `${m.userId} reconnected (${m.onseat.client?.state})`, 15_000);
    }
    expect(host.sockets()).toBeGreaterThan(socketsBefore);
    await waitFor(g1.onseat.liveSeat, () => seatIds(g1).slice(0, 3).join() === 'host,g1,g2', 'guests still seated', 5000);
    expect(host.onseat.coGuest.getSnapshot().applicants.map((a) => a.userId)).toEqual(['applicant']);

    // The deadlines fire once, at the instants set before the crash (±1 s).
    await waitFor(host.onseat.coGuest, (s) => s.applicants.length === 0, 'the application timed out', 25_000);
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 22_000 - Date.now()) + 1500));
    expect(applicationTimedOut).toHaveLength(1);
    expect(invitationTimedOut).toHaveLength(1);
    expect(Math.abs(applicationTimedOut[0]! - (t0 + 20_000))).toBeLessThan(1_000);
    expect(Math.abs(invitationTimedOut[0]! - (t0 + 22_000))).toBeLessThan(1_000);
    for (const m of [host, g1, g2, applicant, invitee]) expect(m.ended).toEqual([]);
    expect(seatIds(host).slice(0, 3)).toEqual(['host', 'g1', 'g2']);
  });

  it('SIGTERM: graceful restart within 5 s; clients reconnect and nobody sees the live end', async () => {
    const node = await cliNode();
    nodes.push(node);
    await node.start();
    const { host, g1, g2, applicant, invitee } = await busyLive(node, 0, 0);
    const { code, ms } = await node.terminate();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    await node.start();
    for (const m of [host, g1, g2, applicant, invitee]) {
      await eventually(() => m.onseat.client?.state === 'connected', `${m.userId} reconnected (${m.onseat.client?.state})`, 15_000);
    }
    // A command after the restart works on the same live, and everyone hears it.
    await host.onseat.coGuest.acceptApplication({ userId: 'applicant' });
    for (const m of [host, g1, g2, applicant, invitee]) {
      await waitFor(m.onseat.liveSeat, () => seatIds(m).includes('applicant'), `${m.userId} sees the applicant seated`, 5000);
      expect(m.ended).toEqual([]);
    }
    expect(seatIds(host).slice(0, 4)).toEqual(['host', 'g1', 'g2', 'applicant']);
  });
});
