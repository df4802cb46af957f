/**
 * The hostile side of the abuse suite, in its own process (its sockets and CPU do not disturb the measuring client):
 * `node --import tsx flooder.ts <baseUrl> <sdkAppId> <secret> <phase...>`. For each phase it floods the server at
 * FLOOD_RATE requests per second for PHASE_MS (bounded in count and time) and prints one JSON line:
 * `{"phase", "sent", "answered", "outcomes": {ok|ERROR_NAME: n}, "ms"}`; then `{"done":true}`.
 *
 * Phases: every request type by name (one user floods it; for host-only commands that user is an administrator of a
 * live with FLOOD_AUDIENCE members, so what is accepted fans out), `start-loop` (one user starting and leaving lives
 * in a loop), `list` (live.list over LIST_LIVES lives), `sync` (live.sync from the oldest seq). The set-up (the flood
 * live, the listed lives) is done first; `{"ready":true}` is printed when it is, then the floods begin QUIET_MS later (`{"flooding":true}`).
 */
import { PROTOCOL_VERSION, SIGNAL_PATH, type RequestType } from '@onseat/protocol';
import WebSocket from 'ws';
import { createUserSig } from '../../src/auth/userSig.js';

export const FLOOD_RATE = 5000;
export const PHASE_MS = Number(process.env['ABUSE_PHASE_MS'] ?? 300);
export const FLOOD_AUDIENCE = 50;
export const LIST_LIVES = Number(process.env['ABUSE_LIST_LIVES'] ?? 1000);
export const QUIET_MS = 1000;
const FLOOD_LIVE = 'flood-live';

const [base, appArg, secretArg, ...phases] = process.argv.slice(2);
if (!base || !appArg || !secretArg) throw new Error('usage: flooder.ts <baseUrl> <sdkAppId> <secret> <phase...>');
const secret: string = secretArg;
const sdkAppId = Number(appArg);
const wsUrl = `${base.replace(/^http/, 'ws')}${SIGNAL_PATH}`;

interface Client {
  ws: WebSocket;
  send(type: string, payload: unknown): void;
  call(type: string, payload: unknown): Promise<{ ok: boolean; error?: { name: string }; payload?: unknown }>;
  outcomes: Map<string, number>;
  answered: number;
}

let nextId = 0;

async function connect(userId: string): Promise<Client> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiters = new Map<string, (f: { ok: boolean; error?: { name: string }; payload?: unknown }) => void>();
  const c: Client = {
    ws,
    outcomes: new Map(),
    answered: 0,
    send(type, payload) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ kind: 'req', id: `x${++nextId}`, type, payload }));
    },
    call(type, payload) {
      const id = `c${++nextId}`;
      return new Promise((resolve) => {
        waiters.set(id, resolve);
        ws.send(JSON.stringify({ kind: 'req', id, type, payload }));
      });
    },
  };
  ws.on('message', (data: Buffer) => {
    const f = JSON.parse(data.toString()) as { kind: string; id?: string; ok?: boolean; error?: { name: string }; payload?: unknown };
    if (f.kind !== 'res' || !f.id) return;
    const w = waiters.get(f.id);
    if (w) {
      waiters.delete(f.id);
      w({ ok: f.ok === true, ...(f.error ? { error: f.error } : {}), payload: f.payload });
      return;
    }
    c.answered++;
    const k = f.ok ? 'ok' : (f.error?.name ?? '?');
    c.outcomes.set(k, (c.outcomes.get(k) ?? 0) + 1);
  });
  ws.on('error', () => undefined);
  const sig = await createUserSig({ sdkAppId, secret, userId });
  const hello = await c.call('session.hello', { protocolVersion: PROTOCOL_VERSION, sdkAppId, userId, userSig: sig });
  if (!hello.ok) throw new Error(`hello ${userId}: ${hello.error?.name}`);
  return c;
}

async function must(c: Client, type: string, payload: unknown): Promise<unknown> {
  for (;;) {
    const r = await c.call(type, payload);
    if (r.ok) return r.payload;
    if (r.error?.name !== 'FREQ_LIMIT') throw new Error(`${type}: ${r.error?.name}`);
    await sleep(250);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A valid payload of every request type (a new request type must get one here: the map is exhaustive). */
const PAYLOADS: { readonly [T in RequestType]: (i: number, sig: string) => unknown } = {
  'session.hello': (_i, sig) => ({ protocolVersion: PROTOCOL_VERSION, sdkAppId, userId: 'fadmin', userSig: sig }),
  'session.ping': () => ({}),
  'user.setSelfInfo': (i) => ({ userName: `flood ${i}`, avatarUrl: `https://example.com/${i}.png` }),
  'live.start': (i) => ({ liveId: `never-${i}` }),
  'live.join': () => ({ liveId: FLOOD_LIVE }),
  'live.leave': () => ({}),
  'live.end': () => ({}),
  'live.list': () => ({ count: 100 }),
  'live.info': () => ({ liveId: FLOOD_LIVE }),
  'live.update': (i) => ({ notice: `notice ${i}`.padEnd(400, '.') }),
  'live.setMetadata': (i) => ({ metadata: { k: `v${i}`.padEnd(1000, '.') } }),
  'live.getMetadata': () => ({}),
  'live.sync': () => ({ liveId: FLOOD_LIVE, sinceSeq: 1 }),
  'seat.take': (i) => ({ seatIndex: 1 + (i % 7) }),
  'seat.leave': () => ({}),
  'seat.lock': (i) => ({ seatIndex: 1 + (i % 7) }),
  'seat.unlock': (i) => ({ seatIndex: 1 + (i % 7) }),
  'seat.kick': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}` }),
  'seat.move': (i) => ({ userId: 'fadmin', targetIndex: 1 + (i % 7) }),
  'seat.closeRemoteDevice': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}`, device: 'microphone' }),
  'seat.openRemoteDevice': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}`, device: 'microphone' }),
  'seat.reportDevice': (i) => ({ microphone: i % 2 }),
  'coGuest.apply': () => ({ seatIndex: -1, timeout: 0 }),
  'coGuest.cancelApplication': () => ({}),
  'coGuest.acceptApplication': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}` }),
  'coGuest.rejectApplication': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}` }),
  'coGuest.invite': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}`, seatIndex: -1, timeout: 0 }),
  'coGuest.cancelInvitation': (i) => ({ inviteeId: `aud${i % FLOOD_AUDIENCE}` }),
  'coGuest.acceptInvitation': () => ({ inviterId: 'flood-owner' }),
  'coGuest.rejectInvitation': () => ({ inviterId: 'flood-owner' }),
  'coGuest.disconnect': () => ({}),
  'audience.list': () => ({ count: 100 }),
  'audience.setAdministrator': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}` }),
  'audience.revokeAdministrator': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}` }),
  'audience.kick': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}` }),
  'audience.disableSendMessage': (i) => ({ userId: `aud${i % FLOOD_AUDIENCE}`, isDisable: i % 2 === 0 }),
  'audience.messageBannedList': () => ({}),
  'barrage.sendText': (i) => ({ text: `flood ${i}` }),
  'barrage.sendCustom': (i) => ({ businessId: 'flood', data: `${i}`.padEnd(1000, '.') }),
  'gift.list': () => ({}),
  'gift.send': () => ({ giftId: 'rose', count: 1 }),
  'gift.like': () => ({ count: 999 }),
  'media.publish': () => ({ sdp: 'v=0\r\n' }),
  'media.unpublish': () => ({}),
  'media.subscribe': () => ({}),
  'media.unsubscribe': () => ({}),
  'media.answer': (i) => ({ revision: i, sdp: 'v=0\r\n' }),
  'media.watchStats': (i) => ({ on: i % 2 === 0 }),
  'media.viewSize': (i) => ({ views: [{ userId: `u${i % 64}`, width: 160 + (i % 1000), height: 90 }] }),
};

/** Sends `make(i)` at FLOOD_RATE for PHASE_MS (at most FLOOD_RATE × PHASE_MS / 1000 frames), then waits for answers while they come (≤ 1.5 s). */
async function flood(c: Client, make: (i: number) => [string, unknown]): Promise<{ sent: number; ms: number }> {
  const started = Date.now();
  const total = Math.round((FLOOD_RATE * PHASE_MS) / 1000);
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.round(((Date.now() - started) / 1000) * FLOOD_RATE));
    for (; sent < due; sent++) c.send(...make(sent));
    await sleep(5);
  }
  // The server stops reading a flooding connection for a while: what it did not read by then stays unanswered.
  const deadline = Date.now() + 1500;
  let seen = -1;
  while (c.answered < sent && c.answered !== seen && Date.now() < deadline && c.ws.readyState === WebSocket.OPEN) {
    seen = c.answered;
    await sleep(250);
  }
  return { sent, ms: Date.now() - started };
}

function report(phase: string, c: Client, r: { sent: number; ms: number }, extra: Record<string, unknown> = {}): void {
  const line = { phase, sent: r.sent, answered: c.answered, outcomes: Object.fromEntries(c.outcomes), ms: r.ms, end: Date.now(), ...extra };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  // The flood live: an owner, FLOOD_AUDIENCE members and the flooding user, made an administrator.
  const owner = await connect('flood-owner');
  await must(owner, 'live.start', { liveId: FLOOD_LIVE, seatMode: 1 });
  const audience: Client[] = [];
  for (let i = 0; i < FLOOD_AUDIENCE; i++) {
    const a = await connect(`aud${i}`);
    await must(a, 'live.join', { liveId: FLOOD_LIVE });
    audience.push(a);
  }
  const setup = await connect('fadmin');
  await must(setup, 'live.join', { liveId: FLOOD_LIVE });
  await must(owner, 'audience.setAdministrator', { userId: 'fadmin' });
  setup.ws.close();
  const fadminSig = await createUserSig({ sdkAppId, secret, userId: 'fadmin' });
  // Lives for the live.list phase: LIST_LIVES owners each start one (50 at a time) and go away.
  if (phases.includes('list')) {
    for (let i = 0; i < LIST_LIVES; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, LIST_LIVES - i) }, async (_, j) => {
          const o = await connect(`lister-${i + j}`);
          await must(o, 'live.start', { liveId: `listed-${i + j}`, liveName: `listed ${i + j}` });
          o.ws.terminate();
        }),
      );
    }
  }
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  // Let the measuring side settle.
  await sleep(QUIET_MS);
  process.stdout.write(`${JSON.stringify({ flooding: true })}\n`);

  for (const phase of phases) {
    if (phase === 'start-loop') {
      // One user starting a live and leaving it, in a loop, as fast as the server answers.
      const c = await connect('looper');
      const started = Date.now();
      let sent = 0;
      let ok = 0;
      while (Date.now() - started < PHASE_MS * 2) {
        const r = await c.call('live.start', { liveId: `loop-${sent++}` });
        if (r.ok) {
          ok++;
          await c.call('live.leave', {});
        }
        c.outcomes.set(r.ok ? 'ok' : (r.error?.name ?? '?'), (c.outcomes.get(r.ok ? 'ok' : (r.error?.name ?? '?')) ?? 0) + 1);
      }
      c.answered = sent;
      report(phase, c, { sent, ms: Date.now() - started }, { started: ok });
      c.ws.close();
    } else if (phase === 'list') {
      const c = await connect('list-reader');
      report(phase, c, await flood(c, () => ['live.list', { count: 100 }]), { lives: LIST_LIVES });
      c.ws.close();
    } else if (phase === 'sync') {
      const c = await connect(`aud${FLOOD_AUDIENCE - 1}`);
      report(phase, c, await flood(c, () => ['live.sync', { liveId: FLOOD_LIVE, sinceSeq: 1 }]));
      c.ws.close();
    } else {
      const type = phase as RequestType;
      const make = PAYLOADS[type];
      if (!make) throw new Error(`unknown phase ${phase}`);
      const c = await connect('fadmin');
      report(phase, c, await flood(c, (i) => [type, make(i, fadminSig)]));
      c.ws.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ done: true })}\n`);
  for (const a of audience) a.ws.terminate();
  owner.ws.terminate();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`flooder: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
