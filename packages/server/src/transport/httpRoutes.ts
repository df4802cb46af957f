import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserId, wireError } from '@onseat/protocol';
import { createUserSig } from '../auth/userSig.js';
import type { ServerConfig } from '../config.js';
import type { Clock } from '../engine/Clock.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import { isOriginAllowed } from './origin.js';
import { isReservedPath, serveStatic } from './staticFiles.js';

/** What the HTTP routes read. */
export interface HttpContext {
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  readonly startedAt: number;
  stats(): { lives: number; connections: number };
  /** `restoring` while lives are loaded after a start, `stopping` during a graceful shutdown (both answered 503). */
  status(): HealthStatus;
}

export type HealthStatus = 'ok' | 'restoring' | 'stopping';

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, name: string, message: string, code = status): void {
  send(res, status, JSON.stringify({ error: { code, name, message } }));
}

/** Serve `route` from the static folder when there is one and the request may have it, else a JSON 404/400. */
async function staticOr404(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
  const dir = ctx.config.staticDir;
  if (dir === undefined || (req.method !== 'GET' && req.method !== 'HEAD') || isReservedPath(route)) {
    return sendError(res, 404, 'NOT_FOUND', `No route for ${route}`);
  }
  try {
    const result = await serveStatic(dir, req, res, route);
    if (result === 'bad-path') return sendError(res, 400, 'BAD_REQUEST', 'Path not allowed');
    if (result === 'not-found') return sendError(res, 404, 'NOT_FOUND', `No file for ${route}`);
  } catch (err) {
    ctx.logger.error({ err, route }, 'static file failed');
    if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal server error');
    else res.destroy();
  }
}

async function devUserSig(ctx: HttpContext, url: URL, res: ServerResponse): Promise<void> {
  const app = ctx.config.devApp;
  if (ctx.config.mode !== 'dev' || !app) return sendError(res, 404, 'NOT_FOUND', `No route for ${url.pathname}`);
  const userId = url.searchParams.get('userId');
  const parsed = UserId.safeParse(userId ?? '');
  if (userId === null || !parsed.success) {
    const e = wireError('INVALID_PARAMETER', 'userId: 1-64 of A-Z a-z 0-9 - _ (query parameter ?userId=)');
    return sendError(res, 400, e.name, e.message, e.code);
  }
  const userSig = await createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId, now: new Date(ctx.clock.now()) });
  send(res, 200, JSON.stringify({ sdkAppId: app.sdkAppId, userId, userSig }));
}

/**
 * Plain HTTP: `GET /healthz`, `GET /metrics`, `GET /dev/user-sig?userId=` (dev mode only); with `staticDir`, every
 * other GET/HEAD outside `/v1/` and `/dev/` is served from that folder (SPA fallback to its index.html); everything
 * else is a JSON 404. Responses to an allowed browser Origin carry CORS headers so the dev demo can fetch tokens.
 */
export async function handleHttp(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return sendError(res, 400, 'BAD_REQUEST', 'Malformed URL');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && isOriginAllowed(origin, ctx.config.allowedOrigins)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
  const route = url.pathname;
  const known = route === '/healthz' || route === '/metrics' || (route === '/dev/user-sig' && ctx.config.mode === 'dev');
  if (!known) return await staticOr404(ctx, req, res, route);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed on ${route}`);
  }
  try {
    if (route === '/healthz') {
      const { lives, connections } = ctx.stats();
      const uptimeSeconds = Math.round((Date.now() - ctx.startedAt) / 1000);
      const status = ctx.status();
      return send(res, status === 'ok' ? 200 : 503, JSON.stringify({ status, uptimeSeconds, lives, connections }));
    }
    if (route === '/metrics') {
      const { contentType, body } = await ctx.metrics.render();
      return send(res, 200, body, contentType);
    }
    return await devUserSig(ctx, url, res);
  } catch (err) {
    ctx.logger.error({ err, route }, 'HTTP handler failed');
    if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal server error');
    else res.destroy();
  }
}
