import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createUserSig, verifyUserSig } from '../src/auth/userSig.js';

const SECRET_A = 'secret-of-app-a-0123456789abcdef';
const SECRET_B = 'secret-of-app-b-0123456789abcdef';
const apps = new Map<number, string>([
  [1400000001, SECRET_A],
  [1400000002, SECRET_B],
  [1400000003, SECRET_A], // shares app A's secret: only the sdkAppId claim tells them apart
]);
const NOW = new Date('2025-01-01T00:00:00Z');

describe('userSig', () => {
  it('round-trips: create then verify gives the principal with name and avatar', async () => {
    const sig = await createUserSig({
      sdkAppId: 1400000001,
      secret: SECRET_A,
      userId: 'alice_1',
      userName: 'Alice',
      avatarUrl: 'https://example.com/a.png',
      now: NOW,
    });
    const r = await verifyUserSig(apps, 1400000001, 'alice_1', sig, NOW);
    expect(r).toEqual({
      ok: true,
      principal: { sdkAppId: 1400000001, userId: 'alice_1', userName: 'Alice', avatarUrl: 'https://example.com/a.png' },
    });
  });

  it('defaults name and avatar to empty strings and lives 7 days', async () => {
    const sig = await createUserSig({ sdkAppId: 1400000001, secret: SECRET_A, userId: 'bob', now: NOW });
    const almost = new Date(NOW.getTime() + 7 * 24 * 3600_000 - 1000);
    expect(await verifyUserSig(apps, 1400000001, 'bob', sig, almost)).toEqual({
      ok: true,
      principal: { sdkAppId: 1400000001, userId: 'bob', userName: '', avatarUrl: '' },
    });
    const after = new Date(NOW.getTime() + 7 * 24 * 3600_000 + 1000);
    expect(await verifyUserSig(apps, 1400000001, 'bob', sig, after)).toEqual({ ok: false, error: 'USER_SIG_EXPIRED' });
  });

  it('rejects an expired token with USER_SIG_EXPIRED', async () => {
    const sig = await createUserSig({ sdkAppId: 1400000001, secret: SECRET_A, userId: 'u', expiresInSeconds: 60, now: NOW });
    const later = new Date(NOW.getTime() + 61_000);
    expect(await verifyUserSig(apps, 1400000001, 'u', sig, later)).toEqual({ ok: false, error: 'USER_SIG_EXPIRED' });
  });

  it('rejects a token signed with another secret (forged) with USER_SIG_INVALID', async () => {
    const sig = await createUserSig({ sdkAppId: 1400000001, secret: 'not-the-real-secret-0123456789', userId: 'u', now: NOW });
    expect(await verifyUserSig(apps, 1400000001, 'u', sig, NOW)).toEqual({ ok: false, error: 'USER_SIG_INVALID' });
  });

  it("rejects another app's token: other secret → USER_SIG_INVALID, same secret other claim → USER_SIG_MISMATCH", async () => {
    const sigB = await createUserSig({ sdkAppId: 1400000002, secret: SECRET_B, userId: 'u', now: NOW });
    expect(await verifyUserSig(apps, 1400000001, 'u', sigB, NOW)).toEqual({ ok: false, error: 'USER_SIG_INVALID' });
    const sigC = await createUserSig({ sdkAppId: 1400000003, secret: SECRET_A, userId: 'u', now: NOW });
    expect(await verifyUserSig(apps, 1400000001, 'u', sigC, NOW)).toEqual({ ok: false, error: 'USER_SIG_MISMATCH' });
  });

  it("rejects another user's token with USER_SIG_MISMATCH", async () => {
    const sig = await createUserSig({ sdkAppId: 1400000001, secret: SECRET_A, userId: 'alice', now: NOW });
    expect(await verifyUserSig(apps, 1400000001, 'mallory', sig, NOW)).toEqual({ ok: false, error: 'USER_SIG_MISMATCH' });
  });

  it('rejects an unknown sdkAppId with SDK_APP_ID_UNKNOWN', async () => {
    const sig = await createUserSig({ sdkAppId: 999, secret: SECRET_A, userId: 'u', now: NOW });
    expect(await verifyUserSig(apps, 999, 'u', sig, NOW)).toEqual({ ok: false, error: 'SDK_APP_ID_UNKNOWN' });
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['two parts', 'abc.def'],
    ['bad base64', '!!!.@@@.###'],
    ['empty signature', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.'],
  ])('rejects a malformed token (%s) with USER_SIG_INVALID', async (_name, token) => {
    expect(await verifyUserSig(apps, 1400000001, 'u', token, NOW)).toEqual({ ok: false, error: 'USER_SIG_INVALID' });
  });

  it('rejects alg "none" and tokens without exp', async () => {
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(NOW.getTime() / 1000) + 3600;
    const none = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'u', sdkAppId: 1400000001, exp })}.`;
    expect(await verifyUserSig(apps, 1400000001, 'u', none, NOW)).toEqual({ ok: false, error: 'USER_SIG_INVALID' });
    const noExp = await new SignJWT({ sdkAppId: 1400000001 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .sign(new TextEncoder().encode(SECRET_A));
    expect(await verifyUserSig(apps, 1400000001, 'u', noExp, NOW)).toEqual({ ok: false, error: 'USER_SIG_INVALID' });
  });

  it('rejects a token whose sdkAppId claim is a string', async () => {
    const exp = Math.floor(NOW.getTime() / 1000) + 3600;
    const sig = await new SignJWT({ sdkAppId: '1400000001' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(SECRET_A));
    expect(await verifyUserSig(apps, 1400000001, 'u', sig, NOW)).toEqual({ ok: false, error: 'USER_SIG_MISMATCH' });
  });
});
