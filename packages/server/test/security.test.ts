/**
 * Every privileged command tried by an audience member, by a seated guest and by the owner of another live, and
 * logins with expired, forged and impersonating tokens: all refused, and the live is exactly as before (same
 * snapshot, same seq: not a single event was emitted).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode, type ErrorName, type LiveSnapshot } from '@onseat/protocol';
import { createUserSig } from '../src/auth/userSig.js';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { FakeClock } from '../src/engine/Clock.js';
import { silentLogger } from '../src/logger.js';
import { WsClient, connectAs, type TestApp } from './support/wsClient.js';

const A = 'sec-a';
const B = 'sec-b';
let server: OnseatServer;
let url: string;
let app: TestApp;
let clock: FakeClock;
const clients: WsClient[] = [];
const c: Record<string, WsClient> = {};

async function as(userId: string): Promise<WsClient> {
  const client = await connectAs(url, app, userId, { now: new Date(clock.now()) });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2031-06-01T00:00:00Z'));
  server = createServer({ port: 0, logger: silentLogger, clock });
  ({ url } = await server.listen());
  app = server.devApp as TestApp;
  for (const id of ['owner', 'adm', 'guest', 'aud', 'applicant', 'invitee', 'ownerB']) c[id] = await as(id);
  const { owner, adm, guest, aud, applicant, invitee, ownerB } = c;
  await owner!.call('live.start', { liveId: A, maxSeatCount: 4 });
  for (const u of [adm, guest, aud, applicant, invitee]) await u!.call('live.join', { liveId: A });
  await owner!.call('audience.setAdministrator', { userId: 'adm' });
  await owner!.call('coGuest.invite', { userId: 'guest', seatIndex: 1, timeout: 0 });
  await guest!.call('coGuest.acceptInvitation', { inviterId: 'owner' });
  await owner!.call('seat.closeRemoteDevice', { userId: 'guest', device: 'camera' });
  await owner!.call('seat.lock', { seatIndex: 3 });
  await applicant!.call('coGuest.apply', { seatIndex: -1, timeout: 600 });
  await owner!.call('coGuest.invite', { userId: 'invitee', seatIndex: -1, timeout: 600 });
  await ownerB!.call('live.start', { liveId: B, maxSeatCount: 4 });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((x) => x.close()));
  await server.close();
});

async function snapshotA(): Promise<LiveSnapshot> {
  const r = await c['owner']!.call('live.sync', { liveId: A, sinceSeq: 0 });
  if (r.mode !== 'snapshot') throw new Error('expected a snapshot');
  return r.snapshot;
}

type Attempt = [type: string, payload: Record<string, unknown>];

/** Privileged requests aimed at live A's members (`self` is the attacker, so they never target themselves). */
function privileged(self: string): Attempt[] {
  const victim = self === 'aud' ? 'applicant' : 'aud';
  return [
    ['live.update', { liveName: 'pwned' }],
    ['seat.lock', { seatIndex: 1 }],
    ['seat.unlock', { seatIndex: 3 }],
    ['seat.kick', { userId: 'guest' }],
    ['seat.move', { userId: 'guest', targetIndex: 2, policy: 1 }],
    ['seat.closeRemoteDevice', { userId: 'guest', device: 'microphone' }],
    ['seat.openRemoteDevice', { userId: 'guest', device: 'camera' }],
    ['coGuest.acceptApplication', { userId: 'applicant' }],
    ['coGuest.rejectApplication', { userId: 'applicant' }],
    ['coGuest.invite', { userId: victim, seatIndex: -1, timeout: 0 }],
    ['coGuest.cancelInvitation', { inviteeId: 'invitee' }],
    ['audience.setAdministrator', { userId: victim }],
    ['audience.revokeAdministrator', { userId: 'adm' }],
    ['audience.kick', { userId: victim }],
    ['seat.take', { seatIndex: 2 }],
    ['live.end', {}],
  ];
}

const OWNER_ONLY = new Set(['live.end', 'audience.setAdministrator', 'audience.revokeAdministrator']);

/** What a member of live A without host rights must get. */
function expectedForMember(attacker: string, type: string): ErrorName[] {
  if (OWNER_ONLY.has(type)) return ['NEED_OWNER_PERMISSION'];
  if (type === 'seat.take' && attacker === 'guest') return ['NEED_ADMIN_PERMISSION', 'ALREADY_IN_SEAT'];
  return ['NEED_ADMIN_PERMISSION'];
}

async function attempt(attacker: WsClient, [type, payload]: Attempt) {
  return attacker.request(type, payload);
}

describe('privileged commands by non-hosts of the live', () => {
  for (const attacker of ['aud', 'guest']) {
    it(`are refused for ${attacker === 'aud' ? 'an audience member' : 'a seated guest'} and change nothing`, async () => {
      const before = await snapshotA();
      for (const a of privileged(attacker)) {
        const res = await attempt(c[attacker]!, a);
        expect(res.ok, `${a[0]} by ${attacker} must fail`).toBe(false);
        if (res.ok) continue;
        expect(expectedForMember(attacker, a[0]), `${a[0]} by ${attacker}: got ${res.error.name}`).toContain(res.error.name);
        expect([-2300, -2301, 100203]).toContain(res.error.code);
      }
      expect(await snapshotA()).toEqual(before);
      for (const u of ['owner', 'guest', 'aud', 'applicant', 'invitee']) expect(c[u]!.events('live.ended')).toEqual([]);
    });
  }

  it('cannot reach another live: its owner only ever acts on their own live', async () => {
    const before = await snapshotA();
    const ownerB = c['ownerB']!;
    const expected: Record<string, ErrorName[] | 'ok-on-B'> = {
      'live.update': 'ok-on-B',
      'seat.lock': 'ok-on-B',
      'seat.unlock': 'ok-on-B',
      'seat.kick': ['USER_NOT_IN_SEAT', 'USER_NOT_IN_LIVE'],
      'seat.move': ['USER_NOT_IN_SEAT', 'USER_NOT_IN_LIVE'],
      'seat.closeRemoteDevice': ['USER_NOT_IN_SEAT', 'USER_NOT_IN_LIVE'],
      'seat.openRemoteDevice': ['USER_NOT_IN_SEAT', 'USER_NOT_IN_LIVE'],
      'coGuest.acceptApplication': ['REQUEST_ID_INVALID'],
      'coGuest.rejectApplication': ['REQUEST_ID_INVALID'],
      'coGuest.invite': ['USER_NOT_IN_LIVE'],
      'coGuest.cancelInvitation': ['REQUEST_ID_INVALID'],
      'audience.setAdministrator': ['USER_NOT_IN_LIVE'],
      'audience.revokeAdministrator': 'ok-on-B', // a no-op in B (adm is not B's administrator)
      'audience.kick': ['USER_NOT_IN_LIVE'],
      'seat.take': ['ALREADY_IN_SEAT'], // B's owner already sits on B's seat 0
      'live.end': 'ok-on-B',
    };
    expect(await ownerB.request('live.join', { liveId: A })).toMatchObject({ ok: false, error: { name: 'ALREADY_IN_OTHER_LIVE' } });
    for (const a of privileged('ownerB')) {
      const res = await attempt(ownerB, a);
      const want = expected[a[0]];
      if (want === 'ok-on-B') expect(res.ok, `${a[0]} by ownerB acts on B`).toBe(true);
      else {
        expect(res.ok, `${a[0]} by ownerB must fail`).toBe(false);
        if (!res.ok) expect(want, `${a[0]} by ownerB: got ${res.error.name}`).toContain(res.error.name);
      }
    }
    expect((await ownerB.nextEvent('live.ended')).payload.liveId).toBe(B);
    expect(await snapshotA()).toEqual(before);
    for (const u of ['owner', 'guest', 'aud']) expect(c[u]!.events('live.ended')).toEqual([]);
  });
});

describe('bad tokens', () => {
  async function refused(userId: string, sig: string, error: ErrorName): Promise<void> {
    const ws = await WsClient.connect(url);
    clients.push(ws);
    const hello = ws.hello(app.sdkAppId, userId, sig);
    // Pipelined right behind the hello: must never run.
    const end = ws.request('live.end', {}).catch((e: Error) => e);
    expect(await hello).toMatchObject({ ok: false, error: { name: error } });
    const endReply = await end;
    if (!(endReply instanceof Error)) expect(endReply).toMatchObject({ ok: false, error: { name: 'NOT_LOGGED_IN' } });
    expect((await ws.waitClose()).code).toBe(CloseCode.AUTH_FAILED);
  }

  it('rejects expired, forged and impersonating tokens of the owner and changes nothing', async () => {
    const before = await snapshotA();
    const expired = await createUserSig({ ...app, userId: 'owner', expiresInSeconds: 60, now: new Date(clock.now() - 3_600_000) });
    await refused('owner', expired, 'USER_SIG_EXPIRED');
    const forged = await createUserSig({ sdkAppId: app.sdkAppId, secret: 'guessed-secret-guessed-secret', userId: 'owner' });
    await refused('owner', forged, 'USER_SIG_INVALID');
    const now = new Date(clock.now());
    const tampered = (await createUserSig({ ...app, userId: 'aud', now })).split('.');
    const claims = JSON.parse(Buffer.from(tampered[1]!, 'base64url').toString()) as Record<string, unknown>;
    tampered[1] = Buffer.from(JSON.stringify({ ...claims, sub: 'owner' })).toString('base64url');
    await refused('owner', tampered.join('.'), 'USER_SIG_INVALID');
    await refused('owner', await createUserSig({ ...app, userId: 'aud', now }), 'USER_SIG_MISMATCH');
    await refused('owner', 'not.a.jwt', 'USER_SIG_INVALID');
    expect(await snapshotA()).toEqual(before);
    expect(c['owner']!.isClosed).toBe(false); // the real owner was not kicked by any of these
  });
});
