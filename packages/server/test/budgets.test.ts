import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_TYPES, type RequestType } from '@onseat/protocol';
import { createServer, type OnseatServer } from '../src/createServer.js';
import type { ServerOptions } from '../src/config.js';
import { FakeClock } from '../src/engine/Clock.js';
import { silentLogger } from '../src/logger.js';
import { CONNECTION_BUDGETS, REQUEST_BUDGETS, type RequestBudget } from '../src/transport/budgets.js';
import { connectAs, type TestApp, type WsClient } from './support/wsClient.js';

const servers: OnseatServer[] = [];
const clients: WsClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: ServerOptions = {}): Promise<{ url: string; app: TestApp; clock: FakeClock }> {
  const clock = new FakeClock();
  const server = createServer({ port: 0, logger: silentLogger, media: 'none', clock, ...opts });
  servers.push(server);
  const { url } = await server.listen();
  return { url, app: server.devApp!, clock };
}

async function login(url: string, app: TestApp, userId: string): Promise<WsClient> {
  const c = await connectAs(url, app, userId);
  clients.push(c);
  return c;
}

/** Sends `n` requests of a type at once; returns how many were refused FREQ_LIMIT. */
async function flood(c: WsClient, type: string, payload: unknown, n: number): Promise<{ limited: number; messages: string[] }> {
  const replies = await Promise.all(Array.from({ length: n }, () => c.request(type, payload)));
  const refused = replies.filter((r) => !r.ok && r.error.name === 'FREQ_LIMIT');
  return { limited: refused.length, messages: refused.map((r) => (r.ok ? '' : r.error.message)) };
}

describe('the request budget table', () => {
  it('has a reviewed entry for every request type of the protocol', () => {
    expect(Object.keys(REQUEST_BUDGETS).sort()).toEqual([...REQUEST_TYPES].sort());
    for (const b of Object.values(REQUEST_BUDGETS) as RequestBudget[]) {
      if (b.perUser === null || b.perUser === 'configured') continue;
      expect(b.perUser.burst).toBeGreaterThanOrEqual(1);
      expect(b.perUser.perSecond).toBeGreaterThan(0);
    }
    // A table missing a request type does not compile:
    // @ts-expect-error 'session.ping' and the others are missing
    const partial: { readonly [T in RequestType]: RequestBudget } = { 'session.hello': { class: 'session', perUser: null } };
    expect(partial).toBeDefined();
  });

  it('limits user.setSelfInfo per user (burst 5, 1/s) with FREQ_LIMIT; another user is not affected', async () => {
    const { url, app, clock } = await start();
    const a = await login(url, app, 'a');
    const b = await login(url, app, 'b');
    expect((await flood(a, 'user.setSelfInfo', { userName: 'x' }, 20)).limited).toBe(15);
    expect((await flood(b, 'user.setSelfInfo', { userName: 'y' }, 5)).limited).toBe(0);
    clock.advance(1000);
    expect((await flood(a, 'user.setSelfInfo', { userName: 'x' }, 2)).limited).toBe(1);
  });

  it('limits live.start per user (burst 5, one per 2 s)', async () => {
    const { url, app, clock } = await start();
    const a = await login(url, app, 'a');
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const r = await a.request('live.start', { liveId: `l${i}` });
      if (!r.ok && r.error.name === 'FREQ_LIMIT') refused++;
      else await a.call('live.leave', {});
    }
    expect(refused).toBe(3);
    clock.advance(2000);
    expect((await a.request('live.start', { liveId: 'again' })).ok).toBe(true);
  });

  it('gives each connection a read allowance apart from its writes; over it, FREQ_LIMIT names the connection', async () => {
    const { url, app, clock } = await start();
    const a = await login(url, app, 'a');
    // live.info and live.getMetadata have 50 each per user; together they exceed the connection's 100 reads.
    const info = await flood(a, 'live.info', { liveId: 'nope' }, 50);
    const meta = await flood(a, 'live.getMetadata', {}, 50);
    const list = await flood(a, 'live.list', {}, 10);
    expect(info.limited + meta.limited).toBe(0);
    expect(list.limited).toBe(10);
    expect(list.messages[0]).toMatch(/on this connection/);
    // Writes are not affected by spent reads.
    expect((await a.request('user.setSelfInfo', { userName: 'n' })).ok).toBe(true);
    clock.advance(1000);
    expect(CONNECTION_BUDGETS.read.perSecond).toBeGreaterThanOrEqual(20);
    expect((await flood(a, 'live.list', {}, 20)).limited).toBe(0);
  });

  it('never starves media.answer: it passes when every other budget of the user and connection is spent', async () => {
    const { url, app } = await start();
    const a = await login(url, app, 'a');
    await flood(a, 'media.unsubscribe', {}, 40);
    expect((await flood(a, 'seat.leave', {}, 70)).limited).toBeGreaterThan(0);
    const answer = await a.request('media.answer', { revision: 1, sdp: 'v=0' });
    expect(answer).toMatchObject({ ok: false });
    expect(answer.ok ? '' : answer.error.name).not.toBe('FREQ_LIMIT');
  });

  it('scales every budget with requestBudgetScale (not the configured coGuest rate)', async () => {
    const { url, app } = await start({ requestBudgetScale: 2, rateLimit: { burst: 3, perSecond: 1 } });
    const a = await login(url, app, 'a');
    expect((await flood(a, 'user.setSelfInfo', { userName: 'x' }, 12)).limited).toBe(2);
    expect((await flood(a, 'coGuest.invite', { userId: 'nobody', seatIndex: -1, timeout: 0 }, 5)).limited).toBe(2);
  });
});
