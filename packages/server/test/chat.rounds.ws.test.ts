/**
 * Sliced delivery rounds over real WebSockets (a real server on port 0, 400 real audience sockets in this process):
 * seat events are not held behind a chat round, messages arrive in order exactly once across rounds, batched, and a
 * socket that stops reading holds nobody else back and loses nothing. Seat-event broadcasts to every member are
 * written in slices too, without any member getting the live's events out of seq order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatOptions } from '../src/chat/options.js';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { connectAs, type TestApp, type WsClient } from './support/wsClient.js';

let server: OnseatServer | undefined;
const clients: WsClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

/** Arrival order over every socket of this process. */
let arrivals = 0;
/** Called when any audience socket receives a chat frame, in the turn it arrives. */
let onChat: (() => void) | undefined;

interface Audience {
  client: WsClient;
  /** Message sequences in arrival order, and the arrival number of each chat frame. */
  sequences: number[];
  chatFrames: number[];
  /** The live's (seq'd) events in arrival order, with their arrival numbers. */
  events: { type: string; seq: number; at: number }[];
}

async function setup(audienceSize: number, chat: ChatOptions) {
  server = createServer({
    port: 0,
    logger: silentLogger,
    media: 'none',
    // One synthetic talker sends far faster than a person: the request budgets and chat buckets are raised.
    requestBudgetScale: 1000,
    rateLimit: { burst: 1_000_000, perSecond: 1_000_000 },
    chat: { rateBurst: 1000, ratePerSecond: 1000, ...chat },
  });
  const { url } = await server.listen();
  const app = server.devApp as TestApp;
  const as = async (userId: string): Promise<WsClient> => {
    const c = await connectAs(url, app, userId);
    clients.push(c);
    return c;
  };
  const host = await as('host');
  await host.call('live.start', { liveId: 'big' });
  const audience: Audience[] = [];
  for (let i = 0; i < audienceSize; i += 50) {
    const part = await Promise.all(
      Array.from({ length: Math.min(50, audienceSize - i) }, async (_, k) => {
        const client = await as(`viewer${i + k}`);
        await client.call('live.join', { liveId: 'big' });
        const a: Audience = { client, sequences: [], chatFrames: [], events: [] };
        client.ws.on('message', (data: Buffer) => {
          const n = ++arrivals;
          const frame = JSON.parse(data.toString()) as { type?: string; seq?: number; payload?: { messages?: { sequence: number }[] } };
          if (frame.seq) a.events.push({ type: frame.type ?? '', seq: frame.seq, at: n });
          if (frame.type !== 'chat.batch') return;
          a.chatFrames.push(n);
          onChat?.();
          for (const m of frame.payload?.messages ?? []) a.sequences.push(m.sequence);
        });
        return a;
      }),
    );
    audience.push(...part);
  }
  return { host, audience, as };
}

const waitFor = async (what: string, done: () => boolean, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('chat rounds over WebSockets', () => {
  it('a seat event reaches the host before a chat round to 400 sockets has reached them all', async () => {
    const { host, audience } = await setup(400, { sliceMs: 0.1 });
    const [talker, applicant] = audience as [Audience, Audience, ...Audience[]];
    let hostGot = 0;
    host.ws.on('message', (data: Buffer) => {
      if (data.includes('"coGuest.applicationReceived"')) hostGot = ++arrivals;
    });
    // The application leaves as soon as the first socket has the chat frame, i.e. while the round is being written.
    let applied: Promise<unknown> | undefined;
    onChat = () => {
      onChat = undefined;
      applied = applicant.client.call('coGuest.apply', { seatIndex: -1, timeout: 0 });
    };
    await talker.client.call('barrage.sendText', { text: 'hello everyone' });
    await waitFor('the chat round', () => audience.every((a) => a.sequences.length === 1));
    await waitFor('applicationReceived', () => hostGot > 0);
    await applied;
    const lastChat = Math.max(...audience.map((a) => a.chatFrames[0] ?? 0));
    const chatBeforeHost = audience.filter((a) => (a.chatFrames[0] ?? 0) < hostGot).length;
    expect(hostGot).toBeLessThan(lastChat);
    // The host's event was not queued behind the round: most sockets got the chat frame after it.
    expect(chatBeforeHost).toBeLessThan(audience.length / 2);
  });

  it('messages arrive in order, each exactly once, in a few frames: what arrives during a round leaves with the next one', async () => {
    const { audience } = await setup(400, { sliceMs: 0.1 });
    const [talker] = audience as [Audience];
    const count = 40;
    const replies = [];
    // One message per millisecond: sent one frame per tick, this would be one frame per message.
    for (let i = 0; i < count; i++) {
      replies.push(talker.client.call('barrage.sendText', { text: `m${i}` }));
      await new Promise((r) => setTimeout(r, 1));
    }
    const sequences = (await Promise.all(replies)).map((r) => r.message.sequence);
    await waitFor('every message on every socket', () => audience.every((a) => a.sequences.length >= count));
    await new Promise((r) => setTimeout(r, 100));
    for (const a of audience) expect(a.sequences).toEqual(sequences);
    const frames = audience.map((a) => a.chatFrames.length);
    // A round to 400 sockets spans many turns; what arrives meanwhile leaves together in the next round.
    expect(Math.max(...frames)).toBeLessThanOrEqual(count / 4);
    // The same rounds reach every member: everyone got the same number of frames.
    expect(new Set(frames).size).toBe(1);
  });

  it('a socket that stops reading delays nobody and, once it reads again, gets every message in order', async () => {
    const { audience } = await setup(100, {});
    const [talker, slow] = audience as [Audience, Audience, ...Audience[]];
    const socket = (slow.client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const text = 'x'.repeat(190);
    // Sent in bursts, well inside the heartbeat timeout (a socket silent for 5 s is cut, see transport.test.ts).
    const replies = [];
    for (let i = 0; i < 200; i++) {
      replies.push(talker.client.call('barrage.sendText', { text: `${i}${text}` }));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 2));
    }
    const sequences = (await Promise.all(replies)).map((r) => r.message.sequence);
    const others = audience.filter((a) => a !== slow);
    await waitFor('the others', () => others.every((a) => a.sequences.length === 200), 3000);
    for (const a of others) expect(a.sequences).toEqual(sequences);
    expect(slow.sequences).toEqual([]);
    socket.resume();
    await waitFor('the slow socket', () => slow.sequences.length === 200, 3000);
    expect(slow.sequences).toEqual(sequences);
  });
});

describe('seat-event broadcasts in slices', () => {
  it('a targeted event right after a broadcast reaches its member after the broadcast and before the broadcast has reached everyone', async () => {
    const { host, audience } = await setup(400, { sliceMs: 0.1 });
    const last = audience.at(-1) as Audience;
    const lastId = 'viewer399';
    // Both requests leave in one write, so the server runs them in one turn: the lock broadcasts seat.listChanged
    // (seq n) to every member, the invitation is for the member the broadcast reaches last (seq n + 1).
    const locked = host.call('seat.lock', { seatIndex: 3 });
    const invited = host.call('coGuest.invite', { userId: lastId, seatIndex: -1, timeout: 0 });
    await Promise.all([locked, invited]);
    await waitFor('the broadcast on every socket', () => audience.every((a) => a.events.some((e) => e.type === 'seat.listChanged')));
    await waitFor('the invitation', () => last.events.some((e) => e.type === 'coGuest.invitationReceived'));
    const listChanged = last.events.find((e) => e.type === 'seat.listChanged');
    const invitation = last.events.find((e) => e.type === 'coGuest.invitationReceived');
    // In seq order on the invitee's socket, although it was last in the round.
    expect(listChanged && invitation && listChanged.seq < invitation.seq && listChanged.at < invitation.at).toBe(true);
    // The invitation did not wait for the whole broadcast: members after it in the round got seat.listChanged later.
    const broadcastArrivals = audience.map((a) => a.events.find((e) => e.type === 'seat.listChanged')?.at ?? 0);
    expect(broadcastArrivals.filter((at) => at > (invitation?.at ?? Infinity)).length).toBeGreaterThan(0);
  });

  it('under a burst of broadcasts and targeted events every member gets the live events in strictly increasing seq', async () => {
    const { host, audience } = await setup(400, { sliceMs: 0.1 });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      calls.push(host.call('seat.lock', { seatIndex: 3 }), host.call('coGuest.invite', { userId: `viewer${399 - i}`, seatIndex: -1, timeout: 0 }));
      calls.push(host.call('seat.unlock', { seatIndex: 3 }), host.call('coGuest.cancelInvitation', { inviteeId: `viewer${399 - i}` }));
    }
    await Promise.all(calls);
    await waitFor('20 broadcasts on every socket', () => audience.every((a) => a.events.filter((e) => e.type === 'seat.listChanged').length === 20));
    for (const a of audience) {
      const seqs = a.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    // The invitees got their own events between the broadcasts, in order.
    const invitee = audience.at(-1) as Audience;
    expect(invitee.events.map((e) => e.type).slice(0, 4)).toEqual([
      'seat.listChanged',
      'coGuest.invitationReceived',
      'seat.listChanged',
      'coGuest.invitationCancelled',
    ]);
  });
});
