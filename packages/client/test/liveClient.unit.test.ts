import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient, OnseatError, signalUrl, type LiveClientEvents, type LiveClientOptions } from '../src/index.js';
import { Backoff } from '../src/client/backoff.js';
import { evt, FakeNetwork, fail, ok, until } from './support/fakeNetwork.js';
import { snapshot } from './support/wire.js';

const silent = {};
const clients: LiveClient[] = [];

function makeClient(net: FakeNetwork, extra: Partial<LiveClientOptions> = {}): LiveClient {
  const client = new LiveClient({
    serverUrl: 'http://127.0.0.1:5080',
    sdkAppId: 1400000001,
    userId: 'alice',
    userSig: 'sig',
    WebSocket: net.WebSocket,
    logger: silent,
    requestTimeoutMs: 1000,
    reconnect: { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2000 },
    pingIntervalMs: 0,
    ...extra,
  });
  clients.push(client);
  return client;
}

/** Collect one kind of client event. */
function record<K extends keyof LiveClientEvents>(client: LiveClient, name: K): LiveClientEvents[K][] {
  const out: LiveClientEvents[K][] = [];
  client.on(name, (p) => out.push(p));
  return out;
}

const stateIs = (client: LiveClient, state: string) =>
  until(
    (cb) => client.on('state', cb),
    () => client.state === state,
    2000,
    `state ${state}`,
  );

/** Connect and join live L1 (snapshot seq 10). */
async function joined(net: FakeNetwork, extra: Partial<LiveClientOptions> = {}) {
  const client = makeClient(net, extra);
  await client.connect();
  const join = client.request('live.join', { liveId: 'L1' });
  const [sock, frame] = await net.next('live.join');
  sock.reply(frame, ok({ snapshot: snapshot('L1', 'host', { userId: 'alice', role: 2 }) }));
  await join;
  return client;
}

afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

describe('signalUrl', () => {
  it('maps http/https/ws/wss base URLs (with a path prefix) to the signal endpoint', () => {
    expect(signalUrl('http://h:1')).toBe('ws://h:1/v1/signal');
    expect(signalUrl('https://h')).toBe('wss://h/v1/signal');
    expect(signalUrl('ws://h:2/')).toBe('ws://h:2/v1/signal');
    expect(signalUrl('wss://h/prefix/')).toBe('wss://h/prefix/v1/signal');
  });
  it('rejects other schemes, bad URLs, and a missing URL outside a page', () => {
    expect(() => signalUrl('ftp://h')).toThrow(OnseatError);
    expect(() => signalUrl('not a url')).toThrow(/valid URL/);
    expect(() => signalUrl()).toThrow(/serverUrl is required/);
  });
});

describe('Backoff', () => {
  it('grows exponentially with 50–100 % jitter, caps at maxDelayMs and stops after maxElapsedMs', () => {
    const lo = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 10_000 }, () => 0);
    const hi = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 10_000 }, () => 1);
    lo.start(0);
    hi.start(0);
    expect([1, 2, 3, 4, 5].map(() => lo.next(0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map(() => hi.next(0))).toEqual([100, 200, 400, 800, 1000]);
    expect(hi.next(9_900)).toBe(100); // never beyond the budget
    expect(hi.next(10_000)).toBeNull();
  });

  it('stays at most fastMaxDelayMs for the first fastPhaseMs of an outage (a restarted server is found within ~1 s), then backs off further', () => {
    const b = new Backoff({ initialDelayMs: 250, maxDelayMs: 5000, fastPhaseMs: 15_000, fastMaxDelayMs: 1000, maxElapsedMs: 60_000 }, () => 1);
    b.start(0);
    expect([1, 2, 3, 4, 5, 6].map(() => b.next(1_000))).toEqual([250, 500, 1000, 1000, 1000, 1000]);
    expect(b.next(15_000)).toBe(5000);
    const defaults = new Backoff({}, () => 1);
    defaults.start(0);
    expect([1, 2, 3, 4, 5, 6].map(() => defaults.next(14_999))).toEqual([250, 500, 1000, 1000, 1000, 1000]);
    expect(defaults.next(20_000)).toBe(5000);
  });
});

describe('LiveClient connection', () => {
  it('opens /v1/signal, says hello with the credentials and reports the states', async () => {
    const net = new FakeNetwork({ userName: 'Alice' });
    const client = makeClient(net);
    const states = record(client, 'state');
    const hello = await client.connect();
    expect(net.last.url).toBe('ws://127.0.0.1:5080/v1/signal');
    expect(net.sentOf('session.hello')[0]!.payload).toEqual({ protocolVersion: 1, sdkAppId: 1400000001, userId: 'alice', userSig: 'sig' });
    expect(hello.user).toEqual({ userId: 'alice', userName: 'Alice', avatarUrl: '' });
    expect(client.user?.userName).toBe('Alice');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
    expect(client.state).toBe('connected');
  });

  it('rejects connect with the hello error and ends disconnected', async () => {
    const net = new FakeNetwork();
    net.responders.set('session.hello', () => fail(70003, 'USER_SIG_INVALID', 'bad sig'));
    const client = makeClient(net);
    const err = await client.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnseatError);
    expect(err).toMatchObject({ code: 70003, name: 'USER_SIG_INVALID', message: 'bad sig' });
    expect(client.state).toBe('disconnected');
  });

  it('rejects connect with DISCONNECTED when the socket cannot open', async () => {
    const net = new FakeNetwork();
    net.refuse = true;
    const err = await makeClient(net)
      .connect()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -1302, name: 'DISCONNECTED' });
  });

  it('rejects requests before connect with DISCONNECTED (-1302)', async () => {
    const client = makeClient(new FakeNetwork());
    await expect(client.request('live.list', {})).rejects.toMatchObject({ code: -1302, name: 'DISCONNECTED' });
  });
});

describe('LiveClient requests', () => {
  it('resolves the typed result, rejects with the server error as OnseatError', async () => {
    const net = new FakeNetwork();
    net.responders.set('live.list', () => ok({ lives: [], cursor: 'c2' }));
    net.responders.set('seat.take', () => ({
      ok: false,
      error: { code: 100200, name: 'SEAT_LOCKED', message: 'Seat is locked', details: { seatIndex: 1 } },
    }));
    const client = makeClient(net);
    await client.connect();
    await expect(client.request('live.list', { count: 5 })).resolves.toEqual({ lives: [], cursor: 'c2' });
    const err = (await client.request('seat.take', { seatIndex: 1 }).catch((e: unknown) => e)) as OnseatError;
    expect(err).toBeInstanceOf(OnseatError);
    expect(err).toBeInstanceOf(Error);
    expect([err.code, err.name, err.message, err.details]).toEqual([100200, 'SEAT_LOCKED', 'Seat is locked', { seatIndex: 1 }]);
  });

  it('rejects with SERVER_PROCESS_FAILED when a result does not match the protocol', async () => {
    const net = new FakeNetwork();
    net.responders.set('live.list', () => ok({ lives: 'nope' }));
    const client = makeClient(net);
    await client.connect();
    await expect(client.request('live.list', {})).rejects.toMatchObject({ code: -1301 });
  });

  it('times out with REQUEST_TIMEOUT (-1300) and ignores the late answer', async () => {
    const net = new FakeNetwork();
    const client = makeClient(net);
    await client.connect();
    const p = client.request('live.list', {}, { timeoutMs: 20 });
    const [sock, frame] = await net.next('live.list');
    await expect(p).rejects.toMatchObject({ code: -1300, name: 'REQUEST_TIMEOUT' });
    sock.reply(frame, ok({ lives: [], cursor: '' })); // nothing to resolve any more; must not throw
  });

  it('refuses to send session.hello / live.sync by hand', async () => {
    const client = makeClient(new FakeNetwork());
    await client.connect();
    await expect(client.request('live.sync', { liveId: 'x', sinceSeq: 0 })).rejects.toMatchObject({ code: -1001 });
  });

  it('gives every request a distinct id, also across two clients of the same user', async () => {
    const net = new FakeNetwork();
    net.responders.set('live.list', () => ok({ lives: [], cursor: '' }));
    const a = makeClient(net);
    const b = makeClient(net);
    await Promise.all([a.connect(), b.connect()]);
    await Promise.all([a.request('live.list', {}), b.request('live.list', {}), a.request('live.list', {})]);
    const ids = net.sockets.flatMap((s) => s.sent.map((f) => f.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.length >= 1 && id.length <= 64)).toBe(true);
  });
});

describe('LiveClient clock', () => {
  it('measures the server clock at hello and converts server timestamps (deadlines) to local time', async () => {
    const net = new FakeNetwork();
    const hello = net.responders.get('session.hello')!;
    net.responders.set('session.hello', (...args) => {
      const r = hello(...args) as { ok: true; payload: { serverTime: number } };
      r.payload.serverTime += 3_600_000; // the server's clock is an hour ahead
      return r;
    });
    const client = makeClient(net);
    expect(client.serverTimeOffset).toBe(0);
    await client.connect();
    expect(Math.abs(client.serverTimeOffset - 3_600_000)).toBeLessThan(100);
    expect(Math.abs(client.toLocalTime(Date.now() + 3_600_000 + 5_000) - (Date.now() + 5_000))).toBeLessThan(100);
  });
});

describe('LiveClient reconnect', () => {
  it('re-sends an in-flight request with the same id after an unexpected close', async () => {
    const net = new FakeNetwork();
    const client = makeClient(net);
    await client.connect();
    const states = record(client, 'state');
    const p = client.request('coGuest.apply', { seatIndex: -1, timeout: 30 });
    const [first, frame] = await net.next('coGuest.apply');
    first.drop(1006);
    expect(client.state).toBe('reconnecting');
    const [second, again] = await net.next('coGuest.apply');
    expect(second).not.toBe(first);
    expect(again.id).toBe(frame.id);
    expect(net.sentOf('session.hello')).toHaveLength(2);
    const app = { requestId: 'r1', user: { userId: 'alice', userName: 'a', avatarUrl: '' }, seatIndex: -1, createdAt: 1, deadline: null };
    second.reply(again, ok({ application: app }));
    await expect(p).resolves.toEqual({ application: app });
    expect(states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);
  });

  it('refuses connect() while it is reconnecting (REPEAT_OPERATION, -3)', async () => {
    const net = new FakeNetwork();
    const client = makeClient(net);
    await client.connect();
    net.autoAccept = false;
    net.last.drop(1006);
    expect(client.state).toBe('reconnecting');
    await expect(client.connect()).rejects.toMatchObject({ code: -3, name: 'REPEAT_OPERATION' });
  });

  it('queues requests made while reconnecting and sends them once connected', async () => {
    const net = new FakeNetwork();
    net.responders.set('live.list', () => ok({ lives: [], cursor: '' }));
    const client = makeClient(net);
    await client.connect();
    net.autoAccept = false;
    const next = net.nextSocket();
    net.last.drop(1001);
    const p = client.request('live.list', {});
    const socket = await next;
    expect(net.sentOf('live.list')).toHaveLength(0);
    socket.accept();
    await expect(p).resolves.toEqual({ lives: [], cursor: '' });
  });

  it.each([
    [4001, 'auth'],
    [4003, 'kicked offline'],
    [4004, 'protocol version'],
  ])('does not reconnect after close code %i (%s)', async (code) => {
    const net = new FakeNetwork();
    const client = await joined(net);
    const kicked = record(client, 'kickedOffline');
    const exits = record(client, 'exit');
    const pending = client.request('seat.leave', {});
    await net.next('seat.leave');
    net.last.drop(code, 'bye');
    await expect(pending).rejects.toMatchObject({ code: -1302 });
    expect(client.state).toBe('disconnected');
    expect(net.sockets).toHaveLength(1);
    expect(kicked).toEqual(code === 4003 ? [{ reason: 'bye' }] : []);
    expect(exits).toEqual([{ liveId: 'L1', cause: 'kicked', reason: code === 4003 ? 1 : 3 }]);
  });

  it('emits kickedOffline once for the session.kickedOffline event followed by close 4003', async () => {
    const net = new FakeNetwork();
    const client = makeClient(net);
    await client.connect();
    const kicked = record(client, 'kickedOffline');
    net.last.push(evt('session.kickedOffline', '', 0, { reason: 'logged in elsewhere' }));
    net.last.drop(4003, 'kicked');
    expect(kicked).toEqual([{ reason: 'logged in elsewhere' }]);
  });

  it('disconnect() closes for good and rejects what waits', async () => {
    const net = new FakeNetwork();
    const client = await joined(net);
    const exits = record(client, 'exit');
    const p = client.request('seat.leave', {});
    await net.next('seat.leave');
    client.disconnect();
    await expect(p).rejects.toMatchObject({ code: -1302 });
    expect(net.sockets[0]!.closedWith).toEqual({ code: 1000, reason: 'client disconnect' });
    expect(exits).toEqual([{ liveId: 'L1', cause: 'closed' }]);
    expect(client.state).toBe('disconnected');
    expect(net.sockets).toHaveLength(1);
  });

  it('gives up after maxElapsedMs: disconnected, DISCONNECTED, live lost (forNetworkDisconnected)', async () => {
    const net = new FakeNetwork();
    const client = await joined(net, { reconnect: { initialDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 30 } });
    const exits = record(client, 'exit');
    net.refuse = true;
    const p = client.request('live.leave', {});
    net.last.drop(1006);
    await expect(p).rejects.toMatchObject({ code: -1302 });
    await stateIs(client, 'disconnected');
    expect(net.sockets.length).toBeGreaterThan(2);
    expect(exits).toEqual([{ liveId: 'L1', cause: 'kicked', reason: 3 }]);
  });

  it('stops with authFailed when the reconnect hello is refused (userSig expired)', async () => {
    const net = new FakeNetwork();
    const client = makeClient(net);
    await client.connect();
    const auth = record(client, 'authFailed');
    net.responders.set('session.hello', () => fail(70001, 'USER_SIG_EXPIRED'));
    net.last.drop(1006);
    await stateIs(client, 'disconnected');
    expect(auth.map((e) => e.code)).toEqual([70001]);
    expect(net.sockets).toHaveLength(2);
  });

  it('drops a socket whose ping goes unanswered and reconnects', async () => {
    const net = new FakeNetwork();
    net.responders.delete('session.ping');
    const client = makeClient(net, { pingIntervalMs: 20 });
    await client.connect();
    await net.next('session.ping');
    await stateIs(client, 'reconnecting');
    await stateIs(client, 'connected');
    expect(net.sockets).toHaveLength(2);
  });
});
