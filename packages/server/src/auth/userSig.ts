import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { ErrorName } from '@onseat/protocol';
import type { Principal } from '../engine/Connection.js';

const encoder = new TextEncoder();
const SEVEN_DAYS_S = 7 * 24 * 3600;

/** Input of `createUserSig`. */
export interface CreateUserSigOptions {
  sdkAppId: number;
  /** The app's secret (the same string the server is configured with). */
  secret: string;
  userId: string;
  /** Lifetime in seconds. Default 7 days. */
  expiresInSeconds?: number;
  /** Display name carried in the token (`name` claim). */
  userName?: string;
  /** Avatar URL carried in the token (`avatar` claim). */
  avatarUrl?: string;
  /** Issue time, for tests and clock-injected servers. Default now. */
  now?: Date;
}

/**
 * Create a userSig for one user of one app: a JWT (HS256) with `sub` = userId, `sdkAppId`, `iat`, `exp` and
 * optional `name`/`avatar`. App servers call this after their own login and hand the token to the browser.
 */
export async function createUserSig(opts: CreateUserSigOptions): Promise<string> {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = { sdkAppId: opts.sdkAppId };
  if (opts.userName !== undefined) claims['name'] = opts.userName;
  if (opts.avatarUrl !== undefined) claims['avatar'] = opts.avatarUrl;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.expiresInSeconds ?? SEVEN_DAYS_S))
    .sign(encoder.encode(opts.secret));
}

/** Outcome of `verifyUserSig`: the principal, or the registry name of the error. */
export type VerifyResult =
  | { ok: true; principal: Principal }
  | { ok: false; error: Extract<ErrorName, 'SDK_APP_ID_UNKNOWN' | 'USER_SIG_INVALID' | 'USER_SIG_EXPIRED' | 'USER_SIG_MISMATCH'> };

const keyCache = new WeakMap<object, Map<number, Uint8Array>>();

function keyOf(apps: ReadonlyMap<number, string>, sdkAppId: number): Uint8Array | undefined {
  const secret = apps.get(sdkAppId);
  if (secret === undefined) return undefined;
  let perApps = keyCache.get(apps);
  if (!perApps) keyCache.set(apps, (perApps = new Map<number, Uint8Array>()));
  let key = perApps.get(sdkAppId);
  if (!key) perApps.set(sdkAppId, (key = encoder.encode(secret)));
  return key;
}

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');

/**
 * Check a userSig presented with `session.hello`. Signature and algorithm first (forged or malformed →
 * USER_SIG_INVALID), then expiry against `now` (USER_SIG_EXPIRED), then that the token is for this app and user
 * (USER_SIG_MISMATCH). An unknown app → SDK_APP_ID_UNKNOWN.
 */
export async function verifyUserSig(
  apps: ReadonlyMap<number, string>,
  sdkAppId: number,
  userId: string,
  userSig: string,
  now: Date = new Date(),
): Promise<VerifyResult> {
  const key = keyOf(apps, sdkAppId);
  if (!key) return { ok: false, error: 'SDK_APP_ID_UNKNOWN' };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(userSig, key, { algorithms: ['HS256'], currentDate: now, requiredClaims: ['sub', 'exp'] }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) return { ok: false, error: 'USER_SIG_EXPIRED' };
    return { ok: false, error: 'USER_SIG_INVALID' };
  }
  if (payload['sub'] !== userId || payload['sdkAppId'] !== sdkAppId) return { ok: false, error: 'USER_SIG_MISMATCH' };
  return {
    ok: true,
    principal: { sdkAppId, userId, userName: str(payload['name'], 64), avatarUrl: str(payload['avatar'], 2048) },
  };
}
