import { describe, expect, it } from 'vitest';
import { Errors, errorNameOf, wireError, Requests, TimeoutSeconds } from '@onseat/protocol';

describe('error registry', () => {
  it('uses TRTC numbers for the seat conditions', () => {
    expect(Errors.SEAT_LOCKED.code).toBe(100200);
    expect(Errors.ALL_SEAT_OCCUPIED.code).toBe(100205);
    expect(Errors.SEAT_INDEX_NOT_EXIST.code).toBe(-2344);
    expect(Errors.NEED_ADMIN_PERMISSION.code).toBe(-2301);
    expect(errorNameOf(100202)).toBe('ALREADY_ON_THE_SEAT_QUEUE');
  });
  it('builds wire errors with name, code and message', () => {
    expect(wireError('SEAT_OCCUPIED')).toEqual({ code: 100201, name: 'SEAT_OCCUPIED', message: 'Seat is already occupied' });
    expect(wireError('FAILED', 'x', { a: 1 }).details).toEqual({ a: 1 });
  });
});

describe('request schemas', () => {
  it('rejects a millisecond-looking timeout with a message that says seconds', () => {
    const r = TimeoutSeconds.safeParse(30000);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/seconds/);
    expect(TimeoutSeconds.safeParse(0).success).toBe(true);
    expect(TimeoutSeconds.safeParse(1800).success).toBe(true);
  });
  it('validates userId characters', () => {
    expect(Requests['coGuest.acceptApplication'].payload.safeParse({ userId: 'a b' }).success).toBe(false);
    expect(Requests['coGuest.acceptApplication'].payload.safeParse({ userId: 'user_1-x' }).success).toBe(true);
  });
});
