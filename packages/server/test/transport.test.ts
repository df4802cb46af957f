import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, Errors, MAX_FRAME_BYTES, PROTOCOL_VERSION } from '@onseat/protocol';
import { createUserSig } from '../src/auth/userSig.js';
import { createServer, type OnseatServer } from '../src/createServer.js';
import type { ServerOptions } from '../src/config.js';
import { FakeClock } from '../src/engine/Clock.js';
import { silentLogger } from '../src/logger.js';
import { heartbeatSlots, SLOT_TARGET, spreadOrder } from '../src/transport/WsGateway.js';
import { UpgradeRejected, WsClient, connectAs, type TestApp } from './support/wsClient.js';

const servers: OnseatServer[] = [];
const clients: WsClient[] = [];

async function start(opts: ServerOptions = {}): Promise<{ server: OnseatServer; url: string; app: TestApp }> {
  const server = createServer({ port: 0, logger: silentLogger, ...opts });
  servers.push(server);
  const { url } = await server.listen();
  const app = server.devApp ?? opts.apps?.[0];
  if (!app) throw new Error('no app');
  return { server, url, app };
}

async function raw(url: string, opts: Parameters<typeof WsClient.connect>[1] = {}): Promise<WsClient> {
  const c = await WsClient.connect(url, opts);
  clients.push(c);
  return c;
}

async function login(url: string, app: TestApp, userId: string, opts: Parameters<typeof connectAs>[3] = {}): Promise<WsClient> {
  const c = await connectAs(url, app, userId, opts);
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The socket still works: a ping gets an ok answer. */
async function expectAlive(c: WsClient): Promise<void> {
  const res = await c.request('session.ping', {});
  expect(res.ok).toBe(true);
}

describe('bad frames', () => {
  it('answers each bad frame with its code and keeps the socket open', async () => {
    const { url, app } = await start();
    const c = await login(url, app, 'alice');

    c.sendRaw(Buffer.from('{"kind":"req","id":"b1","type":"session.ping","payload":{}}'));
    expect(await c.nextResponse('')).toMatchObject({ ok: false, error: { name: 'FRAME_MALFORMED', code: 40001 } });
    await expectAlive(c);

    c.sendRaw('{not json');
    expect(await c.nextResponse('')).toMatchObject({ ok: false, error: { name: 'FRAME_MALFORMED' } });
    await expectAlive(c);

    c.sendRaw(JSON.stringify({ kind: 'req', id: 'm1', type: 42 }));
    expect(await c.nextResponse('m1')).toMatchObject({ ok: false, error: { name: 'FRAME_MALFORMED' } });
    c.sendRaw(JSON.stringify({ kind: 'nope' }));
    expect(await c.nextResponse('')).toMatchObject({ ok: false, error: { name: 'FRAME_MALFORMED' } });
    c.sendRaw('[1,2,3]');
    expect(await c.nextResponse('')).toMatchObject({ ok: false, error: { name: 'FRAME_MALFORMED' } });
    await expectAlive(c);

    expect(await c.request('coGuest.teleport', {})).toMatchObject({
      ok: false,
      error: { name: 'UNKNOWN_REQUEST_TYPE', code: Errors.UNKNOWN_REQUEST_TYPE.code },
    });
    await expectAlive(c);

    const bad = await c.request('coGuest.apply', { seatIndex: 'one', timeout: 30_000 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.name).toBe('INVALID_PARAMETER');
    expect(bad.error.code).toBe(-1001);
    expect(bad.error.message).toMatch(/^seatIndex: /);
    const issues = (bad.error.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual(['seatIndex', 'timeout']);
    expect(issues[1]?.message).toMatch(/seconds/);
    await expectAlive(c);
  });

  it('rejects an oversized frame (>64 KiB, <1 MiB) with FRAME_TOO_LARGE, echoing its id, and survives', async () => {
    const { url, app } = await start();
    const c = await login(url, app, 'alice');
    const frame = JSON.stringify({ kind: 'req', id: 'huge', type: 'live.setMetadata', payload: { metadata: { k: 'x'.repeat(200_000) } } });
    expect(Buffer.byteLength(frame)).toBeGreaterThan(MAX_FRAME_BYTES);
    c.sendRaw(frame);
    const res = await c.nextResponse('huge');
    expect(res).toMatchObject({ ok: false, error: { name: 'FRAME_TOO_LARGE', code: 40002 } });
    await expectAlive(c);
  });

  it('closes the socket (1009) for a message above the 1 MiB WebSocket limit', async () => {
    const { url, app } = await start();
    const c = await login(url, app, 'alice');
    c.sendRaw('x'.repeat(1024 * 1024 + 10));
    expect((await c.waitClose()).code).toBe(1009);
  });

  it('tolerates 20 bad frames within the window and closes with POLICY_VIOLATION on the 21st', async () => {
    const { url, app } = await start();
    const c = await login(url, app, 'alice');
    for (let i = 0; i < 20; i++) c.sendRaw(`garbage ${i}`);
    for (let i = 0; i < 20; i++) await c.nextResponse('');
    await expectAlive(c);
    c.sendRaw('garbage 21');
    const closed = await c.waitClose();
    expect(closed.code).toBe(CloseCode.POLICY_VIOLATION);
  });
});

describe('session.hello', () => {
  it('answers NOT_LOGGED_IN before hello, then logs in and answers with the protocol result', async () => {
    const { url, app } = await start({ reconnectGraceMs: 12_345 });
    const c = await raw(url);
    expect(await c.request('live.list', {})).toMatchObject({ ok: false, error: { name: 'NOT_LOGGED_IN', code: -1002 } });
    const sig = await createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId: 'alice', userName: 'Alice' });
    const res = await c.hello(app.sdkAppId, 'alice', sig);
    expect(res).toMatchObject({
      ok: true,
      payload: {
        protocolVersion: PROTOCOL_VERSION,
        user: { userId: 'alice', userName: 'Alice', avatarUrl: '' },
        reconnectGraceMs: 12_345,
      },
    });
    expect(await c.hello(app.sdkAppId, 'alice', sig)).toMatchObject({ ok: false, error: { name: 'ALREADY_LOGGED_IN' } });
    await expectAlive(c);
  });

  it('closes with AUTH_FAILED when no hello arrives in time', async () => {
    const { url } = await start({ helloTimeoutMs: 150 });
    const c = await raw(url);
    expect((await c.waitClose()).code).toBe(CloseCode.AUTH_FAILED);
  });

  it('answers a forged token with USER_SIG_INVALID, then closes with AUTH_FAILED', async () => {
    const { url, app } = await start();
    const c = await raw(url);
    const forged = await createUserSig({ sdkAppId: app.sdkAppId, secret: 'someone-elses-secret-000000', userId: 'alice' });
    expect(await c.hello(app.sdkAppId, 'alice', forged)).toMatchObject({ ok: false, error: { name: 'USER_SIG_INVALID', code: 70003 } });
    expect((await c.waitClose()).code).toBe(CloseCode.AUTH_FAILED);
  });

  it('answers an expired token (server clock) with USER_SIG_EXPIRED and an unknown app with SDK_APP_ID_UNKNOWN', async () => {
    const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    const { url, app } = await start({ clock });
    const old = await createUserSig({ ...app, userId: 'alice', expiresInSeconds: 60, now: new Date(clock.now() - 120_000) });
    const c1 = await raw(url);
    expect(await c1.hello(app.sdkAppId, 'alice', old)).toMatchObject({ ok: false, error: { name: 'USER_SIG_EXPIRED' } });
    expect((await c1.waitClose()).code).toBe(CloseCode.AUTH_FAILED);
    const c2 = await raw(url);
    const other = await createUserSig({ sdkAppId: 42, secret: app.secret, userId: 'alice' });
    expect(await c2.hello(42, 'alice', other)).toMatchObject({ ok: false, error: { name: 'SDK_APP_ID_UNKNOWN' } });
    expect((await c2.waitClose()).code).toBe(CloseCode.AUTH_FAILED);
  });

  it("answers another user's token with USER_SIG_MISMATCH", async () => {
    const { url, app } = await start();
    const c = await raw(url);
    const bobs = await createUserSig({ ...app, userId: 'bob' });
    expect(await c.hello(app.sdkAppId, 'mallory', bobs)).toMatchObject({ ok: false, error: { name: 'USER_SIG_MISMATCH' } });
    expect((await c.waitClose()).code).toBe(CloseCode.AUTH_FAILED);
  });

  it('answers an unsupported protocol version with PROTOCOL_VERSION_UNSUPPORTED, then closes with 4004', async () => {
    const { url, app } = await start();
    const c = await raw(url);
    const sig = await createUserSig({ ...app, userId: 'alice' });
    expect(await c.hello(app.sdkAppId, 'alice', sig, 999)).toMatchObject({
      ok: false,
      error: { name: 'PROTOCOL_VERSION_UNSUPPORTED', code: 40004 },
    });
    expect((await c.waitClose()).code).toBe(CloseCode.PROTOCOL_VERSION);
  });
});

describe('idempotency and rate limits', () => {
  async function liveWithAudience(opts: ServerOptions = {}) {
    const env = await start(opts);
    const host = await login(env.url, env.app, 'host');
    await host.call('live.start', { liveId: 'room-1' });
    const aud = await login(env.url, env.app, 'aud');
    await aud.call('live.join', { liveId: 'room-1' });
    return { ...env, host, aud };
  }

  it('a repeated request id returns the stored reply without executing again', async () => {
    const { aud, host } = await liveWithAudience();
    const first = await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'apply-1' });
    expect(first.ok).toBe(true);
    const again = await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'apply-1' });
    expect(again).toEqual(first);
    // A genuinely new request is executed and refused: the first application is still the only one.
    expect(await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'apply-2' })).toMatchObject({
      ok: false,
      error: { name: 'ALREADY_ON_THE_SEAT_QUEUE' },
    });
    await host.nextEvent('coGuest.applicationReceived');
    expect(host.events('coGuest.applicationReceived')).toHaveLength(1);
  });

  it('does not remember a refusal: repeating its id runs the request again and gets the current answer', async () => {
    const { aud, host } = await liveWithAudience();
    await aud.call('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'first' });
    const refused = await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'again' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'ALREADY_ON_THE_SEAT_QUEUE' } });
    await aud.call('coGuest.cancelApplication', {});
    // The refused request changed nothing; sent again with the same id (a client that never saw the refusal), it runs.
    expect(await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'again' })).toMatchObject({ ok: true });
    // An ok reply is still replayed as it was.
    expect(await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'first' })).toMatchObject({ ok: true });
    // The host got two applications (the first one, then the repeated id that ran), not three.
    await vi.waitFor(() => expect(host.events('coGuest.applicationReceived')).toHaveLength(2));
  });

  it('remembers request ids per user across reconnects', async () => {
    const { url, app, aud } = await liveWithAudience();
    const first = await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'apply-x' });
    expect(first.ok).toBe(true);
    await aud.close();
    const again = await login(url, app, 'aud');
    expect(await again.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'apply-x' })).toEqual(first);
    // Another user's identical id is independent of it.
    const other = await login(url, app, 'aud2');
    await other.call('live.join', { liveId: 'room-1' });
    const theirs = await other.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'apply-x' });
    expect(theirs.ok).toBe(true);
    expect(theirs).not.toEqual(first);
  });

  it('a repeat arriving while the first is still running waits for it and gets its reply', async () => {
    const { server, url, app } = await start();
    const original = server.engine.execute.bind(server.engine);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const execute = vi.spyOn(server.engine, 'execute').mockImplementation(async (conn, type, payload) => {
      const reply = await original(conn, type, payload);
      started();
      await gate; // the reply is held back: the request is "still running"
      return reply;
    });
    const first = await login(url, app, 'host');
    const firstReply = first.request('live.start', { liveId: 'slow' }, { id: 'start-1' });
    await running;
    // The same user reconnects (the old socket is kicked) and repeats the request.
    const second = await login(url, app, 'host');
    const repeat = second.request('live.start', { liveId: 'slow' }, { id: 'start-1' });
    release();
    const reply = await repeat;
    expect(reply).toMatchObject({ ok: true, payload: { snapshot: { live: { liveId: 'slow' } } } });
    expect(execute).toHaveBeenCalledTimes(1);
    await firstReply.catch(() => undefined); // the kicked socket may close before its answer
  });

  it('does not replay reads: a repeated live.sync id gets the current snapshot', async () => {
    const { host } = await liveWithAudience();
    const first = await host.call('live.sync', { liveId: 'room-1', sinceSeq: 0 }, { id: 'sync-1' });
    await host.call('live.update', { liveName: 'changed' });
    const again = await host.call('live.sync', { liveId: 'room-1', sinceSeq: 0 }, { id: 'sync-1' });
    expect(first.mode === 'snapshot' && again.mode === 'snapshot').toBe(true);
    if (first.mode !== 'snapshot' || again.mode !== 'snapshot') return;
    expect(again.snapshot.seq).toBeGreaterThan(first.snapshot.seq);
    expect(again.snapshot.live.liveName).toBe('changed');
  });

  it('answers REQUEST_ID_REPEAT when an id is reused for another type', async () => {
    const { aud } = await liveWithAudience();
    expect((await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 }, { id: 'same' })).ok).toBe(true);
    expect(await aud.request('coGuest.cancelApplication', {}, { id: 'same' })).toMatchObject({
      ok: false,
      error: { name: 'REQUEST_ID_REPEAT', code: -2312 },
    });
    await expectAlive(aud);
  });

  it('rate-limits coGuest.apply and coGuest.invite per user with FREQ_LIMIT and refills over time', async () => {
    const clock = new FakeClock();
    const { aud, host } = await liveWithAudience({ clock, rateLimit: { burst: 2, perSecond: 1 } });
    expect((await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 })).ok).toBe(true);
    expect(await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 })).toMatchObject({
      error: { name: 'ALREADY_ON_THE_SEAT_QUEUE' },
    });
    expect(await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 })).toMatchObject({ error: { name: 'FREQ_LIMIT', code: -2 } });
    // Other request types are not limited.
    expect((await aud.request('coGuest.cancelApplication', {})).ok).toBe(true);
    clock.advance(1000);
    expect((await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 })).ok).toBe(true);
    expect(await aud.request('coGuest.apply', { seatIndex: -1, timeout: 0 })).toMatchObject({ error: { name: 'FREQ_LIMIT' } });
    // The host's invite bucket is separate from the audience's apply bucket.
    await aud.call('coGuest.cancelApplication', {});
    expect((await host.request('coGuest.invite', { userId: 'aud', seatIndex: -1, timeout: 0 })).ok).toBe(true);
    expect((await host.request('coGuest.cancelInvitation', { inviteeId: 'aud' })).ok).toBe(true);
    expect((await host.request('coGuest.invite', { userId: 'aud', seatIndex: -1, timeout: 0 })).ok).toBe(true);
    expect(await host.request('coGuest.invite', { userId: 'aud', seatIndex: -1, timeout: 0 })).toMatchObject({
      error: { name: 'FREQ_LIMIT' },
    });
  });
});

describe('media request budget', () => {
  it('limits media.* per user (30 at once, 5 per second) with FREQ_LIMIT; other users and requests are not affected', async () => {
    const clock = new FakeClock();
    const env = await start({ clock, media: 'none' });
    const a = await login(env.url, env.app, 'a');
    const b = await login(env.url, env.app, 'b');
    const limited = async (c: typeof a) => {
      const r = await c.request('media.unsubscribe', {});
      return !r.ok && r.error.name === 'FREQ_LIMIT';
    };
    for (let i = 0; i < 30; i++) expect(await limited(a)).toBe(false);
    expect(await a.request('media.unsubscribe', {})).toMatchObject({ ok: false, error: { name: 'FREQ_LIMIT', code: -2 } });
    expect(await limited(b)).toBe(false);
    expect((await a.request('session.ping', {})).ok).toBe(true);
    clock.advance(1000);
    for (let i = 0; i < 5; i++) expect(await limited(a)).toBe(false);
    expect(await limited(a)).toBe(true);
  });
});

describe('heartbeat, origin, shutdown', () => {
  it('terminates a socket that stops answering pings and detaches it exactly once', async () => {
    const { server, url, app } = await start({ heartbeatMs: 100 });
    const detach = vi.spyOn(server.engine, 'detach');
    const healthy = await login(url, app, 'healthy');
    const dead = await login(url, app, 'dead', { autoPong: false });
    const closed = await dead.waitClose(3000);
    expect(closed.code).toBe(1006);
    await vi.waitFor(() => expect(detach).toHaveBeenCalledTimes(1));
    expect(detach.mock.calls[0]?.[0].principal.userId).toBe('dead');
    // Other sockets keep going through several heartbeats.
    await expectAlive(healthy);
    expect(healthy.isClosed).toBe(false);
    expect(server.engine.stats.connections).toBe(1);
  });

  it('with 300 sockets over the heartbeat slots, the silent one that joined last is cut and the others live', async () => {
    const { server, url, app } = await start({ heartbeatMs: 150, helloTimeoutMs: 120_000 });
    const many: { c: WsClient; i: number }[] = [];
    for (let i = 0; i < 300; i += 50) {
      many.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => raw(url, { timeoutMs: 20_000 }).then((c) => ({ c, i: i + j }))))));
    }
    const dead = await login(url, app, 'dead-last', { autoPong: false }); // joined last: the end of its slot's sweep
    expect((await dead.waitClose(4000)).code).toBe(1006);
    for (const { c } of many.filter(({ i }) => i % 50 === 0)) expect(c.isClosed).toBe(false);
    await vi.waitFor(() => expect(server.engine.stats.connections).toBe(0));
    await Promise.all(many.map(({ c }) => c.close()));
  });

  it('spreads the heartbeat over the interval: every socket pinged about once per interval, not all at the same instant', async () => {
    // 1,000 ms → 50 slots, slot i swept i × 20 ms into each interval; the default 2,000 ms → 100; short test intervals → fewer
    expect(heartbeatSlots(1000)).toBe(50);
    expect(heartbeatSlots(2000)).toBe(100);
    expect(heartbeatSlots(10_000)).toBe(100);
    expect(heartbeatSlots(150)).toBe(7);
    expect(heartbeatSlots(30)).toBe(1);
    // sockets fill slots in an order that spreads the slots in use over the interval
    expect(spreadOrder(4)).toEqual([0, 2, 1, 3]);
    expect(spreadOrder(50).slice(0, 4)).toEqual([0, 25, 12, 37]);
    expect([...spreadOrder(100)].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const { url, app } = await start({ heartbeatMs: 1000, helloTimeoutMs: 120_000 });
    // 2 × SLOT_TARGET + 40 sockets: three slots, swept at 0, 500 and 240 ms into each interval
    const sockets: WsClient[] = [];
    for (let i = 0; i < 2 * SLOT_TARGET + 40; i += 50)
      sockets.push(...(await Promise.all(Array.from({ length: 50 }, () => raw(url, { timeoutMs: 20_000 })))));
    const pings: number[][] = sockets.map(() => []);
    const t0 = performance.now();
    sockets.forEach((c, i) => c.ws.on('ping', () => pings[i]?.push(performance.now() - t0)));
    const dead = await login(url, app, 'dead', { autoPong: false });
    await new Promise((r) => setTimeout(r, 3100));
    // each socket: 3 pings in 3.1 s (one per interval; a slot tick may come a few ms late on a loaded machine)
    for (const p of pings) expect(p.length === 3 || p.length === 4, `pings at ${p.map((x) => x.toFixed(0)).join(', ')}`).toBe(true);
    // the first pings of the sockets of one slot come together; the three slots are spread over the interval
    const first = pings.map((p) => p[0] as number);
    const slotOf = (i: number) => Math.floor(i / SLOT_TARGET);
    for (const k of [0, 1, 2]) {
      const mine = first.filter((_, i) => slotOf(i) === k);
      expect(Math.max(...mine) - Math.min(...mine), `slot ${k}`).toBeLessThan(150);
    }
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(400);
    // a socket that answers nothing is still cut: silent > 2.5 s with a ping unanswered
    expect((await dead.waitClose(4000)).code).toBe(1006);
    for (const c of sockets) expect(c.isClosed).toBe(false);
    await Promise.all(sockets.map((c) => c.close()));
  });

  it('pings plain audience members every audienceHeartbeatMs and the stage every heartbeatMs, and cuts each after its own timeout', async () => {
    // heartbeat 100 ms (timeout 250), audience 500 ms (timeout 1,250)
    const { url, app } = await start({ heartbeatMs: 100, audienceHeartbeatMs: 500 });
    const host = await login(url, app, 'host');
    await host.call('live.start', { liveId: 'hb' });
    const viewer = await login(url, app, 'viewer');
    const applicant = await login(url, app, 'applicant');
    for (const c of [viewer, applicant]) await c.call('live.join', { liveId: 'hb' });
    await applicant.call('coGuest.apply', { seatIndex: -1, timeout: 0 });
    const pings = new Map<WsClient, number>([host, viewer, applicant].map((c) => [c, 0]));
    for (const c of pings.keys()) c.ws.on('ping', () => pings.set(c, (pings.get(c) ?? 0) + 1));
    await new Promise((r) => setTimeout(r, 1500));
    expect(pings.get(host)).toBeGreaterThanOrEqual(10);
    expect(pings.get(applicant)).toBeGreaterThanOrEqual(10);
    expect(pings.get(viewer)).toBeGreaterThanOrEqual(2);
    expect(pings.get(viewer)).toBeLessThanOrEqual(4);
    // The viewer applies: from then on it is pinged like the stage.
    await viewer.call('coGuest.apply', { seatIndex: -1, timeout: 0 });
    pings.set(viewer, 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(pings.get(viewer)).toBeGreaterThanOrEqual(6);
    // A silent audience member is cut after ~1.25 s of silence; a silent member of the stage after ~0.25 s.
    const quiet = await login(url, app, 'quiet', { autoPong: false });
    await quiet.call('live.join', { liveId: 'hb' });
    const quietFrom = performance.now();
    const quietStage = await login(url, app, 'quiet-stage', { autoPong: false });
    await quietStage.call('live.join', { liveId: 'hb' });
    await quietStage.call('coGuest.apply', { seatIndex: -1, timeout: 0 });
    const stageFrom = performance.now();
    expect((await quietStage.waitClose(2000)).code).toBe(1006);
    expect(performance.now() - stageFrom).toBeLessThan(1000);
    expect(quiet.isClosed).toBe(false);
    expect((await quiet.waitClose(4000)).code).toBe(1006);
    expect(performance.now() - quietFrom).toBeGreaterThan(1200);
    for (const c of [host, viewer, applicant]) expect(c.isClosed).toBe(false);
  });

  it('a socket closed while broadcast frames are held for it (a sliced round) gets them first, in order, then the close', async () => {
    const { server, url, app } = await start();
    const c = await login(url, app, 'held');
    const conn = server.engine.presence.connectionOf(`${app.sdkAppId}:held`);
    if (!conn?.defer) throw new Error('the WebSocket connection holds broadcast frames (Connection.defer)');
    const frame = (n: number) => Buffer.from(JSON.stringify({ kind: 'evt', type: 'test.held', liveId: 'x', seq: n, payload: {} }));
    conn.defer(frame(1));
    conn.defer(frame(2));
    conn.close(CloseCode.KICKED_OFFLINE, 'closed with frames held');
    const closed = await c.waitClose(2000);
    expect(closed.code).toBe(CloseCode.KICKED_OFFLINE);
    const held = c.frames.filter((f): f is Extract<typeof f, { kind: 'evt' }> => f.kind === 'evt' && f.type === 'test.held');
    expect(held.map((f) => f.seq)).toEqual([1, 2]);
  });

  it('rejects a browser Origin that is not allowed with HTTP 403, accepts loopback and no Origin in dev', async () => {
    const { url } = await start();
    await expect(raw(url, { origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(raw(url, { origin: 'null' })).rejects.toBeInstanceOf(UpgradeRejected);
    await raw(url, { origin: 'http://localhost:5173' });
    await raw(url, { origin: 'https://127.0.0.1' });
    await raw(url, { origin: 'http://[::1]:8080' });
    await raw(url);
  });

  it('uses the configured origin list (and * for any)', async () => {
    const { url } = await start({ allowedOrigins: ['https://app.example.com'] });
    await raw(url, { origin: 'https://app.example.com' });
    await expect(raw(url, { origin: 'http://localhost:5173' })).rejects.toMatchObject({ status: 403 });
    await expect(raw(url, { origin: 'https://app.example.com.evil.io' })).rejects.toMatchObject({ status: 403 });
    const any = await start({ allowedOrigins: ['*'] });
    await raw(any.url, { origin: 'https://anything.example' });
  });

  it('allows no browser origin by default in production', async () => {
    const app = { sdkAppId: 7, secret: 'production-secret-0123456789' };
    const { url } = await start({ mode: 'production', host: '127.0.0.1', apps: [app] });
    await expect(raw(url, { origin: 'http://localhost:5173' })).rejects.toMatchObject({ status: 403 });
    await login(url, app, 'alice');
  });

  it('answers upgrades on other paths with 404', async () => {
    const { url } = await start();
    await expect(raw(url.replace('http', 'ws') + '/other')).rejects.toMatchObject({ status: 404 });
  });

  it('closes every socket with SERVER_RESTARTING on close()', async () => {
    const { server, url, app } = await start();
    const a = await login(url, app, 'a');
    const b = await raw(url);
    await server.close();
    expect((await a.waitClose()).code).toBe(CloseCode.SERVER_RESTARTING);
    expect((await b.waitClose()).code).toBe(CloseCode.SERVER_RESTARTING);
    await expect(raw(url)).rejects.toBeDefined();
  });
});
