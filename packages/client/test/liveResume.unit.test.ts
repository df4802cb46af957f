import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient, type AnyLiveEvent, type LiveClientEvents } from '../src/index.js';
import { evt, FakeNetwork, fail, ok, until } from './support/fakeNetwork.js';
import { seats, snapshot } from './support/wire.js';

const clients: LiveClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

function makeClient(net: FakeNetwork): LiveClient {
  const client = new LiveClient({
    serverUrl: 'ws://127.0.0.1:1',
    sdkAppId: 1,
    userId: 'alice',
    userSig: 's',
    WebSocket: net.WebSocket,
    logger: {},
    requestTimeoutMs: 1000,
    reconnect: { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2000 },
    pingIntervalMs: 0,
  });
  clients.push(client);
  return client;
}

function record<K extends keyof LiveClientEvents>(client: LiveClient, name: K): LiveClientEvents[K][] {
  const out: LiveClientEvents[K][] = [];
  client.on(name, (p) => out.push(p));
  return out;
}

const countChanged = (seq: number, count = seq) => evt('audience.countChanged', 'L1', seq, { count });
const seqs = (events: AnyLiveEvent[]) => events.map((e) => e.seq);

/** Connected, joined L1 at seq 10. */
async function inLive(net: FakeNetwork) {
  const client = makeClient(net);
  await client.connect();
  const events = record(client, 'event');
  const exits = record(client, 'exit');
  const snaps = record(client, 'snapshot');
  const join = client.request('live.join', { liveId: 'L1' });
  const [sock, frame] = await net.next('live.join');
  sock.reply(frame, ok({ snapshot: snapshot('L1', 'host', { userId: 'alice', role: 2 }) }));
  await join;
  return { client, events, exits, snaps, sock };
}

describe('live events', () => {
  it('holds events that arrive before the join answer and applies the newer ones after the snapshot', async () => {
    const net = new FakeNetwork();
    const client = makeClient(net);
    await client.connect();
    const order: string[] = [];
    client.on('snapshot', () => order.push('snapshot'));
    client.on('event', (e) => order.push(`evt${e.seq}`));
    const join = client.request('live.join', { liveId: 'L1' });
    const [sock, frame] = await net.next('live.join');
    sock.push(countChanged(9)); // already contained in the snapshot (seq 10)
    sock.push(countChanged(11));
    sock.reply(frame, ok({ snapshot: snapshot('L1', 'host', { userId: 'alice', role: 2 }) }));
    await join;
    expect(order).toEqual(['snapshot', 'evt11']);
    expect(client.liveId).toBe('L1');
    expect(client.lastSeq).toBe(11);
  });

  it('ignores duplicates (seq ≤ last), other lives, unknown types and malformed payloads', async () => {
    const net = new FakeNetwork();
    const { client, events, sock } = await inLive(net);
    sock.push(countChanged(12));
    sock.push(countChanged(12));
    sock.push(countChanged(11));
    sock.push(evt('audience.countChanged', 'OTHER', 50, { count: 1 }));
    sock.push(evt('future.thing', 'L1', 13, {}));
    sock.push(evt('audience.countChanged', 'L1', 14, { count: 'many' }));
    sock.push(evt('seat.listChanged', 'L1', 15, { seats: seats(2, 'host') }));
    expect(seqs(events)).toEqual([12, 15]);
    expect(events[1]!.type).toBe('seat.listChanged');
    expect(client.lastSeq).toBe(15);
  });

  it('delivers ephemeral (seq 0) events of the current live without touching the seq', async () => {
    const net = new FakeNetwork();
    const { client, events, sock } = await inLive(net);
    sock.push(countChanged(12));
    sock.push(evt('media.audioLevels', 'L1', 0, { levels: [{ userId: 'host', level: 30 }] }));
    sock.push(evt('media.audioLevels', 'L1', 0, { levels: [] }));
    sock.push(evt('media.audioLevels', 'OTHER', 0, { levels: [] }));
    expect(events.map((e) => [e.type, e.seq])).toEqual([
      ['audience.countChanged', 12],
      ['media.audioLevels', 0],
      ['media.audioLevels', 0],
    ]);
    expect(client.lastSeq).toBe(12);
  });

  it('turns live.ended and live.kickedOut into exits', async () => {
    const net = new FakeNetwork();
    const a = await inLive(net);
    a.sock.push(evt('live.ended', 'L1', 11, { liveId: 'L1', reason: 1 }));
    expect(a.exits).toEqual([{ liveId: 'L1', cause: 'ended', reason: 1 }]);
    expect(a.client.liveId).toBeNull();
    const b = await inLive(net);
    b.sock.push(evt('live.kickedOut', 'L1', 11, { liveId: 'L1', reason: 0 }));
    expect(b.exits).toEqual([{ liveId: 'L1', cause: 'kicked', reason: 0 }]);
  });

  it('counts live.ended during its own live.end as leaving (one exit, cause left)', async () => {
    const net = new FakeNetwork();
    const { client, exits, sock } = await inLive(net);
    const end = client.request('live.end', {});
    const [, frame] = await net.next('live.end');
    sock.push(evt('live.ended', 'L1', 11, { liveId: 'L1', reason: 1 }));
    sock.reply(frame, ok({}));
    await end;
    expect(exits).toEqual([{ liveId: 'L1', cause: 'left' }]);
  });
});

describe('resume after a reconnect', () => {
  it('syncs since the last seq and applies missed events in order, then those that came meanwhile', async () => {
    const net = new FakeNetwork();
    const { client, events, sock } = await inLive(net);
    sock.push(countChanged(12));
    sock.drop(1006);
    const [sock2, sync] = await net.next('live.sync');
    expect(sync.payload).toEqual({ liveId: 'L1', sinceSeq: 12 });
    sock2.push(countChanged(16)); // live while the sync is in flight
    sock2.reply(sync, ok({ mode: 'events', events: [countChanged(14), countChanged(12), countChanged(13), countChanged(16)] }));
    await until(
      (cb) => client.on('state', cb),
      () => client.state === 'connected',
    );
    expect(seqs(events)).toEqual([12, 13, 14, 16]);
    expect(client.lastSeq).toBe(16);
  });

  it('replaces the state from a snapshot when the server no longer has the events', async () => {
    const net = new FakeNetwork();
    const { client, snaps, sock } = await inLive(net);
    sock.drop(1006);
    const [sock2, sync] = await net.next('live.sync');
    sock2.reply(sync, ok({ mode: 'snapshot', snapshot: snapshot('L1', 'host', { userId: 'alice', role: 2 }, { seq: 40 }) }));
    await until(
      (cb) => client.on('snapshot', cb),
      () => snaps.length === 2,
    );
    expect(snaps.map((s) => s.cause)).toEqual(['enter', 'resync']);
    expect(client.lastSeq).toBe(40);
  });

  it.each([
    [100005, 'USER_NOT_IN_LIVE', { liveId: 'L1', cause: 'kicked', reason: 3 }],
    [-2101, 'NOT_IN_LIVE', { liveId: 'L1', cause: 'kicked', reason: 3 }],
    [100004, 'LIVE_NOT_EXIST', { liveId: 'L1', cause: 'ended', reason: 2 }],
  ])('treats sync error %i (%s) as having lost the live', async (code, name, exit) => {
    const net = new FakeNetwork();
    const { client, exits, sock } = await inLive(net);
    sock.drop(1006);
    const [sock2, sync] = await net.next('live.sync');
    sock2.reply(sync, fail(code, name));
    await until(
      (cb) => client.on('state', cb),
      () => client.state === 'connected',
    );
    expect(exits).toEqual([exit]);
    expect(client.liveId).toBeNull();
  });

  it('retries on a new socket when the sync itself fails for another reason', async () => {
    const net = new FakeNetwork();
    const { client, sock } = await inLive(net);
    sock.drop(1006);
    const [sock2, sync] = await net.next('live.sync');
    sock2.reply(sync, fail(-1301, 'SERVER_PROCESS_FAILED'));
    const [sock3, sync2] = await net.next('live.sync');
    expect(sock3).not.toBe(sock2);
    sock3.reply(sync2, ok({ mode: 'events', events: [] }));
    await until(
      (cb) => client.on('state', cb),
      () => client.state === 'connected',
    );
    expect(client.liveId).toBe('L1');
  });

  it('does not sync while its own live.leave is pending; the re-sent leave settles it', async () => {
    const net = new FakeNetwork();
    const { client, exits, sock } = await inLive(net);
    const leave = client.request('live.leave', {});
    const [, first] = await net.next('live.leave');
    sock.drop(1006);
    const [sock2, again] = await net.next('live.leave');
    expect(again.id).toBe(first.id);
    sock2.reply(again, ok({}));
    await leave;
    expect(net.sentOf('live.sync')).toHaveLength(0);
    expect(exits).toEqual([{ liveId: 'L1', cause: 'left' }]);
  });
});
