import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type OnseatServer } from '../src/createServer.js';
import type { ServerOptions } from '../src/config.js';
import { verifyUserSig } from '../src/auth/userSig.js';
import { silentLogger } from '../src/logger.js';
import { WsClient, connectAs } from './support/wsClient.js';

const servers: OnseatServer[] = [];
const clients: WsClient[] = [];

async function start(opts: ServerOptions = {}): Promise<{ server: OnseatServer; url: string }> {
  const server = createServer({ port: 0, logger: silentLogger, ...opts });
  servers.push(server);
  const { url } = await server.listen();
  return { server, url };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const PROD = { mode: 'production', host: '127.0.0.1', apps: [{ sdkAppId: 77, secret: 'a-production-secret-123456' }] } as const;

/** The body of an HTTP error, checked to be exactly `{error: {code, name, message}}` with a non-empty message; returns code and name. */
async function errorBody(res: Response): Promise<Record<string, unknown>> {
  const body = (await res.json()) as { error?: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  const { message, ...rest } = body.error ?? {};
  expect(message).toMatch(/\S/);
  return rest;
}

describe('HTTP', () => {
  it('GET /healthz reports status, uptime, lives and connections', async () => {
    const { server, url } = await start();
    const empty = await fetch(`${url}/healthz`);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toMatch(/application\/json/);
    const { uptimeSeconds, ...body0 } = (await empty.json()) as Record<string, unknown>;
    expect(uptimeSeconds).toBeTypeOf('number');
    expect(body0).toEqual({ status: 'ok', lives: 0, connections: 0 });
    const host = await connectAs(url, server.devApp!, 'host');
    clients.push(host);
    await host.call('live.start', { liveId: 'h1' });
    const body1 = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
    expect(body1).toMatchObject({ status: 'ok', lives: 1, connections: 1 });
  });

  it('GET /metrics serves Prometheus text with the onseat metrics and counts requests', async () => {
    const { server, url } = await start();
    const c = await connectAs(url, server.devApp!, 'alice');
    clients.push(c);
    await c.call('live.start', { liveId: 'm1' });
    await c.request('seat.lock', { seatIndex: 99 });
    c.sendRaw('not json');
    await c.nextResponse('');
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      'onseat_connections',
      'onseat_lives',
      'onseat_live_members',
      'onseat_requests_total',
      'onseat_request_duration_seconds',
      'onseat_bad_frames_total',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/^onseat_connections 1$/m);
    expect(text).toMatch(/^onseat_lives 1$/m);
    expect(text).toMatch(/^onseat_live_members 1$/m);
    expect(text).toMatch(/^onseat_requests_total\{type="session.hello",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^onseat_requests_total\{type="live.start",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^onseat_requests_total\{type="seat.lock",outcome="INVALID_PARAMETER"\} 1$/m);
    expect(text).toMatch(/^onseat_request_duration_seconds_count\{type="live.start"\} 1$/m);
    expect(text).toMatch(/^onseat_bad_frames_total\{reason="FRAME_MALFORMED"\} 1$/m);
  });

  it('keeps metrics per server', async () => {
    const a = await start();
    const b = await start();
    const c = await connectAs(a.url, a.server.devApp!, 'alice');
    clients.push(c);
    const textB = await (await fetch(`${b.url}/metrics`)).text();
    expect(textB).not.toMatch(/onseat_requests_total\{type="session.hello"/);
    const textA = await (await fetch(`${a.url}/metrics`)).text();
    expect(textA).toMatch(/onseat_requests_total\{type="session.hello",outcome="ok"\} 1/);
  });

  it('GET /dev/user-sig returns exactly {sdkAppId, userId, userSig} with a token the server accepts', async () => {
    const { server, url } = await start({ devSdkAppId: 1400000123 });
    const res = await fetch(`${url}/dev/user-sig?userId=dev_user-1`);
    expect(res.status).toBe(200);
    const raw = await res.text();
    const body = JSON.parse(raw) as { sdkAppId: number; userId: string; userSig: string };
    expect(Object.keys(body)).toEqual(['sdkAppId', 'userId', 'userSig']);
    expect(body.sdkAppId).toBe(1400000123);
    expect(body.userId).toBe('dev_user-1');
    const v = await verifyUserSig(server.config.apps, body.sdkAppId, body.userId, body.userSig);
    expect(v.ok).toBe(true);
    const c = await WsClient.connect(url);
    clients.push(c);
    expect((await c.hello(body.sdkAppId, body.userId, body.userSig)).ok).toBe(true);
  });

  it('GET /dev/user-sig rejects a missing or invalid userId with 400', async () => {
    const { url } = await start();
    for (const q of ['', '?userId=', '?userId=has%20space', `?userId=${'x'.repeat(65)}`, '?user=bob']) {
      const res = await fetch(`${url}/dev/user-sig${q}`);
      expect(res.status).toBe(400);
      expect(await errorBody(res)).toEqual({ code: -1001, name: 'INVALID_PARAMETER' });
    }
  });

  it('sends CORS headers to allowed browser origins only', async () => {
    const { url } = await start();
    const ok = await fetch(`${url}/dev/user-sig?userId=a`, { headers: { origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const evil = await fetch(`${url}/dev/user-sig?userId=a`, { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('has no /dev/user-sig in production (404) and keeps /healthz', async () => {
    const { url } = await start(PROD);
    const res = await fetch(`${url}/dev/user-sig?userId=bob`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { name: string } }).error.name).toBe('NOT_FOUND');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers unknown paths with a JSON 404 and other methods with 405', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect(await errorBody(res)).toEqual({ code: 404, name: 'NOT_FOUND' });
    const post = await fetch(`${url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    // A plain GET on the signalling path is not an upgrade: 404 too.
    expect((await fetch(`${url}/v1/signal`)).status).toBe(404);
  });
});
