/**
 * The scenario suite: a host and audience members run the co-guest flows of the seed over real WebSockets, a late
 * joiner gets the current snapshot and a reconnecting client resumes with live.sync. It runs against a topology: one
 * server (packages/server/test/integration.test.ts) or a cluster of nodes with the clients spread over them
 * (packages/redis/test/cluster.integration.test.ts), unchanged. The engines' timers (request deadlines, reconnect
 * grace, count throttle) run on one FakeClock shared by every node.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSnapshot, SeatInfo } from '@onseat/protocol';
import { liveKeyOf } from '../../src/engine/Connection.js';
import { FakeClock } from '../../src/engine/Clock.js';
import type { Engine } from '../../src/engine/Engine.js';
import { connectAs, type EvtFrame, type TestApp, type WsClient } from './wsClient.js';

/** Where the suite runs: the servers' URLs (clients are spread over them in turn) and their engines. */
export interface ScenarioTopology {
  urls: string[];
  app: TestApp;
  engines: Engine[];
  close(): Promise<void>;
}

const LIVE = 'int-live';

export function runScenarioSuite(name: string, start: (clock: FakeClock) => Promise<ScenarioTopology>): void {
  let topology: ScenarioTopology | undefined;
  const clients: WsClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await topology?.close();
    topology = undefined;
  });

  async function setup() {
    const clock = new FakeClock();
    const t = (topology = await start(clock));
    let next = 0;
    /** Logs a user in on the next server in turn (a reconnect lands on another node than before). */
    const as = async (userId: string): Promise<WsClient> => {
      const url = t.urls[next++ % t.urls.length]!;
      const c = await connectAs(url, t.app, userId, { userName: `${userId}-name`, now: new Date(clock.now()) });
      clients.push(c);
      return c;
    };
    const host = await as('host');
    const started = await host.call('live.start', { liveId: LIVE, liveName: 'Integration', maxSeatCount: 3 });
    const aud1 = await as('aud1');
    const aud2 = await as('aud2');
    await aud1.call('live.join', { liveId: LIVE });
    await aud2.call('live.join', { liveId: LIVE });
    /** Resolves once the engine running the live (its owner, in a cluster) knows the user's socket is gone. */
    const dropped = async (userId: string): Promise<void> => {
      const key = liveKeyOf(t.app.sdkAppId, LIVE);
      for (let i = 0; i < 500; i++) {
        const live = t.engines.map((e) => e.lives.get(key)).find((l) => l !== undefined);
        if (live?.members.get(userId)?.conn === null) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the live's engine never saw ${userId} drop`);
    };
    return { clock, as, dropped, host, aud1, aud2, started: started.snapshot };
  }

  const seatOf = (seats: SeatInfo[], userId: string): number | undefined => seats.find((s) => s.userInfo?.userId === userId)?.index;
  const hasSeat = (userId: string, index: number) => (p: { seats: SeatInfo[] }) => seatOf(p.seats, userId) === index;
  const seatEmpty = (index: number) => (p: { seats: SeatInfo[] }) => p.seats[index]?.userInfo === null;

  /**
   * Round trip through the engine running the live (its owner, in a cluster): every event it sent this client before
   * answering is now in the client's buffer.
   */
  async function barrier(c: WsClient): Promise<void> {
    await c.call('live.info', { liveId: LIVE });
  }

  async function snapshotOf(c: WsClient): Promise<LiveSnapshot> {
    const r = await c.call('live.sync', { liveId: LIVE, sinceSeq: 0 });
    if (r.mode !== 'snapshot') throw new Error('expected a snapshot');
    return r.snapshot;
  }

  describe(name, () => {
    describe('co-guest flows over WebSockets', () => {
      it('apply → accept → seated (seat already theirs when told) → disConnect', async () => {
        const { clock, host, aud1, aud2, started } = await setup();
        expect(started.seats.map((s) => s.userInfo?.userId ?? null)).toEqual(['host', null, null]);

        const { application } = await aud1.call('coGuest.apply', { seatIndex: -1, timeout: 30 });
        expect(application).toMatchObject({ user: { userId: 'aud1', userName: 'aud1-name' }, seatIndex: -1, deadline: clock.now() + 30_000 });
        const received = await host.nextEvent('coGuest.applicationReceived');
        expect(received.payload.application.requestId).toBe(application.requestId);

        expect(await host.call('coGuest.acceptApplication', { userId: 'aud1' })).toEqual({ seatIndex: 1 });
        const responded = await aud1.nextEvent('coGuest.applicationResponded');
        expect(responded.payload).toMatchObject({ isAccept: true, seatIndex: 1, hostUser: { userId: 'host' } });
        const seated = await aud1.nextEvent('seat.listChanged', hasSeat('aud1', 1));
        expect(seated.seq).toBeLessThan(responded.seq); // the seat was theirs before they heard of the acceptance
        await host.nextEvent('coGuest.applicationResponded');
        await host.nextEvent('seat.listChanged', hasSeat('aud1', 1));
        await aud2.nextEvent('seat.listChanged', hasSeat('aud1', 1));
        await barrier(aud2);
        expect(aud2.events('coGuest.applicationReceived')).toEqual([]); // hosts only
        expect(aud2.events('coGuest.applicationResponded')).toEqual([]);

        await aud1.call('coGuest.disconnect', {});
        for (const c of [host, aud1, aud2]) await c.nextEvent('seat.listChanged', seatEmpty(1));
        expect(seatOf((await snapshotOf(host)).seats, 'aud1')).toBeUndefined();
      });

      it('invite → reject, invite → timeout after 1 s, cancelApplication', async () => {
        const { clock, host, aud1, aud2 } = await setup();

        const { invitation } = await host.call('coGuest.invite', { userId: 'aud2', seatIndex: -1, timeout: 0 });
        const got = await aud2.nextEvent('coGuest.invitationReceived');
        expect(got.payload.invitation).toMatchObject({ requestId: invitation.requestId, host: { userId: 'host' }, guest: { userId: 'aud2' } });
        await aud2.call('coGuest.rejectInvitation', { inviterId: 'host' });
        expect((await host.nextEvent('coGuest.invitationResponded')).payload).toMatchObject({ isAccept: false });
        await barrier(aud1);
        expect(aud1.events('coGuest.invitationReceived')).toEqual([]);

        await host.call('coGuest.invite', { userId: 'aud2', seatIndex: -1, timeout: 1 });
        await aud2.nextEvent('coGuest.invitationReceived');
        clock.advance(999);
        await barrier(aud2);
        expect(aud2.events('coGuest.invitationTimedOut')).toEqual([]);
        clock.advance(1);
        await aud2.nextEvent('coGuest.invitationTimedOut');
        await host.nextEvent('coGuest.invitationTimedOut');
        expect(await aud2.request('coGuest.acceptInvitation', { inviterId: 'host' })).toMatchObject({
          ok: false,
          error: { name: 'REQUEST_ID_INVALID' },
        });

        await aud1.call('coGuest.apply', { seatIndex: 2, timeout: 0 });
        await host.nextEvent('coGuest.applicationReceived');
        await aud1.call('coGuest.cancelApplication', {});
        expect((await host.nextEvent('coGuest.applicationCancelled')).payload).toMatchObject({
          reason: 'cancelled',
          application: { user: { userId: 'aud1' } },
        });
        expect(await host.request('coGuest.acceptApplication', { userId: 'aud1' })).toMatchObject({
          ok: false,
          error: { name: 'REQUEST_ID_INVALID' },
        });
        const snap = await snapshotOf(host);
        expect(snap.applications).toEqual([]);
        expect(snap.invitations).toEqual([]);
        expect(snap.seats.map((s) => s.userInfo?.userId ?? null)).toEqual(['host', null, null]);
      });

      it('kick off seat, lock an occupied seat, then end the live for everyone', async () => {
        const { host, aud1, aud2 } = await setup();
        await aud1.call('coGuest.apply', { seatIndex: -1, timeout: 0 });
        await host.nextEvent('coGuest.applicationReceived');
        await host.call('coGuest.acceptApplication', { userId: 'aud1' });
        await aud1.nextEvent('seat.listChanged', hasSeat('aud1', 1));

        await host.call('seat.kick', { userId: 'aud1' });
        expect((await aud1.nextEvent('seat.kickedOff')).payload).toMatchObject({ seatIndex: 1, hostUser: { userId: 'host' } });
        await aud2.nextEvent('seat.listChanged', seatEmpty(1));

        await host.call('coGuest.invite', { userId: 'aud2', seatIndex: 2, timeout: 0 });
        await aud2.nextEvent('coGuest.invitationReceived');
        expect(await aud2.call('coGuest.acceptInvitation', { inviterId: 'host' })).toEqual({ seatIndex: 2 });
        await aud1.nextEvent('seat.listChanged', hasSeat('aud2', 2));

        await host.call('seat.lock', { seatIndex: 2 });
        expect((await aud2.nextEvent('seat.kickedOff')).payload.seatIndex).toBe(2);
        const locked = await aud1.nextEvent('seat.listChanged', (p) => p.seats[2]?.isLocked === true);
        expect(locked.payload.seats[2]?.userInfo).toBeNull();
        expect(await aud1.request('coGuest.apply', { seatIndex: 2, timeout: 0 })).toMatchObject({ ok: false, error: { name: 'SEAT_LOCKED' } });

        await host.call('live.end', {});
        for (const c of [host, aud1, aud2]) {
          expect((await c.nextEvent('live.ended')).payload).toEqual({ liveId: LIVE, reason: 1 });
        }
        expect(await aud1.request('live.info', { liveId: LIVE })).toMatchObject({ ok: false, error: { name: 'LIVE_NOT_EXIST' } });
        expect(await aud2.request('coGuest.apply', { seatIndex: -1, timeout: 0 })).toMatchObject({ ok: false, error: { name: 'NOT_IN_LIVE' } });
      });
    });

    describe('snapshots and resume', () => {
      it('a late joiner gets the current seats; a late host also sees every pending application', async () => {
        const { host, aud1, aud2, as } = await setup();
        await host.call('coGuest.invite', { userId: 'aud2', seatIndex: -1, timeout: 0 });
        await aud2.nextEvent('coGuest.invitationReceived');
        await aud2.call('coGuest.acceptInvitation', { inviterId: 'host' });
        const { application } = await aud1.call('coGuest.apply', { seatIndex: -1, timeout: 60 });

        const late = await as('late');
        const { snapshot } = await late.call('live.join', { liveId: LIVE });
        expect(snapshot.seats.map((s) => s.userInfo?.userId ?? null)).toEqual(['host', 'aud2', null]);
        expect(snapshot.applications).toEqual([]); // audience see only their own
        expect(snapshot.self).toEqual({ userId: 'late', role: 2 });
        expect(snapshot.live).toMatchObject({ liveId: LIVE, liveName: 'Integration', liveOwner: { userId: 'host' } });

        // The applicant sees their own application.
        expect((await snapshotOf(aud1)).applications.map((a) => a.requestId)).toEqual([application.requestId]);

        // An administrator joining late sees every pending application.
        const adm = await as('adm');
        await adm.call('live.join', { liveId: LIVE });
        await host.call('audience.setAdministrator', { userId: 'adm' });
        await adm.call('live.leave', {});
        const rejoined = await adm.call('live.join', { liveId: LIVE });
        expect(rejoined.snapshot.self.role).toBe(1);
        expect(rejoined.snapshot.applications).toEqual([application]);
        expect(rejoined.snapshot.seq).toBeGreaterThan(snapshot.seq);
      });

      it('a reconnecting client gets the events it missed, in seq order, and keeps its seat and application (grace)', async () => {
        const { clock, as, dropped, host, aud1, aud2 } = await setup();
        await host.call('coGuest.invite', { userId: 'aud2', seatIndex: -1, timeout: 0 });
        await aud2.nextEvent('coGuest.invitationReceived');
        await aud2.call('coGuest.acceptInvitation', { inviterId: 'host' });
        await aud1.call('coGuest.apply', { seatIndex: -1, timeout: 0 });
        await host.nextEvent('coGuest.applicationReceived');
        await barrier(aud2);
        const lastSeq = Math.max(...aud2.events().map((e) => e.seq));

        // Both drop their connections.
        await aud2.close();
        await aud1.close();
        await dropped('aud2');
        await dropped('aud1');
        await host.call('live.update', { liveName: 'Renamed while away' });
        await host.call('seat.closeRemoteDevice', { userId: 'aud2', device: 'microphone' });
        clock.advance(10_000); // within the 20 s grace

        const back2 = await as('aud2');
        const sync = await back2.call('live.sync', { liveId: LIVE, sinceSeq: lastSeq });
        expect(sync.mode).toBe('events');
        if (sync.mode !== 'events') return;
        const seqs = sync.events.map((e) => e.seq);
        expect(seqs.length).toBeGreaterThanOrEqual(2);
        expect(seqs[0]).toBeGreaterThan(lastSeq);
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] as number);
        const types = sync.events.map((e) => e.type);
        expect(types).toContain('live.infoChanged');
        const seatEvents = sync.events.filter((e) => e.type === 'seat.listChanged') as EvtFrame<{ seats: SeatInfo[] }>[];
        const lastSeats = seatEvents[seatEvents.length - 1]?.payload.seats ?? [];
        expect(lastSeats[1]?.userInfo).toMatchObject({ userId: 'aud2', allowOpenMicrophone: false });
        expect(sync.events.some((e) => e.type === 'coGuest.applicationReceived')).toBe(false); // not addressed to aud2

        const back1 = await as('aud1');
        const snap1 = await back1.call('live.sync', { liveId: LIVE, sinceSeq: 0 });
        expect(snap1.mode).toBe('snapshot');
        if (snap1.mode === 'snapshot') expect(snap1.snapshot.applications.map((a) => a.user.userId)).toEqual(['aud1']);
        expect(host.events('coGuest.applicationCancelled')).toEqual([]);

        // Events now reach the new socket.
        await host.call('live.update', { liveName: 'Back again' });
        expect((await back2.nextEvent('live.infoChanged', (p) => p.live.liveName === 'Back again')).payload.live.liveId).toBe(LIVE);

        // Past the grace period a member who did not come back leaves, and their application with them.
        await back1.close();
        await dropped('aud1');
        clock.advance(20_001);
        expect((await host.nextEvent('coGuest.applicationCancelled')).payload).toMatchObject({ reason: 'userLeft' });
        const after = await snapshotOf(host);
        expect(after.applications).toEqual([]);
        expect(seatOf(after.seats, 'aud2')).toBe(1);
      });
    });
  });
}
