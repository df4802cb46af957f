import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '@onseat/protocol';
import { FakeClock } from '../src/engine/Clock.js';
import type { Reply } from '../src/engine/api.js';
import { checkFrame, parsePayload } from '../src/transport/frames.js';
import { IdempotencyCache } from '../src/transport/IdempotencyCache.js';
import { RateLimiter } from '../src/transport/RateLimiter.js';
import { isOriginAllowed } from '../src/transport/origin.js';

const text = (s: string): Buffer => Buffer.from(s);
const okReply: Reply = { ok: true, payload: {} };

describe('checkFrame', () => {
  it('accepts a request frame of a known type', () => {
    expect(checkFrame(text('{"kind":"req","id":"a","type":"session.ping","payload":{}}'), false)).toEqual({
      ok: true,
      id: 'a',
      type: 'session.ping',
      payload: {},
    });
  });

  it('checks binary first, then size, then JSON, then shape, then type', () => {
    const big = text(`{"kind":"req","id":"big-1","type":"nope","payload":"${'x'.repeat(MAX_FRAME_BYTES)}"}`);
    expect(checkFrame(big, true)).toMatchObject({ ok: false, id: '', error: { name: 'FRAME_MALFORMED' } });
    expect(checkFrame(big, false)).toMatchObject({ ok: false, id: 'big-1', error: { name: 'FRAME_TOO_LARGE' } });
    expect(checkFrame(text('{"kind":"req","id":"x"'), false)).toMatchObject({ ok: false, id: '', error: { name: 'FRAME_MALFORMED' } });
    expect(checkFrame(text('{"kind":"res","id":"r1","type":"session.ping"}'), false)).toMatchObject({
      ok: false,
      id: 'r1',
      error: { name: 'FRAME_MALFORMED' },
    });
    expect(checkFrame(text(`{"kind":"req","id":"${'i'.repeat(65)}","type":"session.ping"}`), false)).toMatchObject({
      ok: false,
      id: '',
    });
    expect(checkFrame(text('null'), false)).toMatchObject({ ok: false, id: '', error: { name: 'FRAME_MALFORMED' } });
    expect(checkFrame(text('{"kind":"req","id":"u","type":"toString"}'), false)).toMatchObject({
      ok: false,
      id: 'u',
      error: { name: 'UNKNOWN_REQUEST_TYPE' },
    });
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    const chars = Math.floor(MAX_FRAME_BYTES / 3);
    const frame = `{"kind":"req","id":"u8","type":"session.ping","payload":{"s":"${'€'.repeat(chars)}"}}`;
    expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);
    expect(checkFrame(text(frame), false)).toMatchObject({ ok: false, error: { name: 'FRAME_TOO_LARGE' } });
  });
});

describe('parsePayload', () => {
  it('treats a missing payload as {} and reports every issue with the first in the message', () => {
    expect(parsePayload('session.ping', undefined)).toEqual({ ok: true, value: {} });
    const r = parsePayload('seat.move', { userId: 'bad id!', targetIndex: -3 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.name).toBe('INVALID_PARAMETER');
    expect(r.error.message.startsWith('userId: ')).toBe(true);
    expect((r.error.details?.['issues'] as { path: string }[]).map((i) => i.path)).toEqual(['userId', 'targetIndex']);
  });

  it("uses TRTC's codes for a bad live id (-2105) or live name (-2107)", () => {
    const id = parsePayload('live.join', { liveId: 'has space' });
    expect(!id.ok && id.error).toMatchObject({ code: -2105, name: 'LIVE_ID_INVALID' });
    const name = parsePayload('live.start', { liveId: 'ok', liveName: 'x'.repeat(101) });
    expect(!name.ok && name.error).toMatchObject({ code: -2107, name: 'LIVE_NAME_INVALID' });
  });

  it('formats nested paths', () => {
    const r = parsePayload('live.update', { categoryList: [1, 'two'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^categoryList\[1\]: /);
  });
});

describe('IdempotencyCache', () => {
  it('remembers per user, refreshes on use and drops the least recently used beyond the limit', () => {
    const cache = new IdempotencyCache(new FakeClock(), { maxPerUser: 3 });
    for (const id of ['a', 'b', 'c']) cache.set('1:u', id, 'seat.leave', Promise.resolve(okReply));
    expect(cache.get('1:v', 'a')).toBeUndefined();
    expect(cache.get('1:u', 'a')?.type).toBe('seat.leave'); // a is now the most recent
    cache.set('1:u', 'd', 'seat.leave', Promise.resolve(okReply));
    expect(cache.get('1:u', 'b')).toBeUndefined();
    expect(cache.get('1:u', 'a')).toBeDefined();
    expect(cache.get('1:u', 'c')).toBeDefined();
    expect(cache.get('1:u', 'd')).toBeDefined();
  });

  it('forgets entries after the TTL and sweeps empty users', () => {
    const clock = new FakeClock();
    const cache = new IdempotencyCache(clock, { ttlMs: 1000 });
    cache.set('1:u', 'a', 'seat.leave', Promise.resolve(okReply));
    cache.set('1:w', 'a', 'seat.leave', Promise.resolve(okReply));
    clock.advance(999);
    expect(cache.get('1:u', 'a')).toBeDefined();
    clock.advance(1);
    expect(cache.get('1:u', 'a')).toBeUndefined();
    expect(cache.userCount).toBe(1);
    cache.sweep();
    expect(cache.userCount).toBe(0);
  });

  it('delete removes only the given entry', () => {
    const cache = new IdempotencyCache(new FakeClock());
    const first = cache.set('1:u', 'a', 'seat.leave', Promise.resolve(okReply));
    const second = cache.set('1:u', 'a', 'seat.leave', Promise.resolve(okReply));
    cache.delete('1:u', 'a', first);
    expect(cache.get('1:u', 'a')).toBe(second);
    cache.delete('1:u', 'a', second);
    expect(cache.get('1:u', 'a')).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refills at the configured rate', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, { burst: 3, perSecond: 2 });
    expect([rl.take('k'), rl.take('k'), rl.take('k'), rl.take('k')]).toEqual([true, true, true, false]);
    expect(rl.take('other')).toBe(true);
    clock.advance(499);
    expect(rl.take('k')).toBe(false);
    clock.advance(1);
    expect(rl.take('k')).toBe(true);
    expect(rl.take('k')).toBe(false);
    clock.advance(60_000);
    expect([rl.take('k'), rl.take('k'), rl.take('k'), rl.take('k')]).toEqual([true, true, true, false]);
  });

  it('sweeps buckets that have refilled', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, { burst: 2, perSecond: 1 });
    rl.take('a');
    rl.take('b');
    rl.take('b');
    clock.advance(1000);
    rl.sweep();
    expect(rl.size).toBe(1);
    clock.advance(1000);
    rl.sweep();
    expect(rl.size).toBe(0);
  });
});

describe('isOriginAllowed', () => {
  it('allows requests without Origin and applies the loopback rule', () => {
    expect(isOriginAllowed(undefined, [])).toBe(true);
    for (const o of ['http://localhost', 'http://localhost:5173', 'https://127.0.0.1:8443', 'http://[::1]:3000']) {
      expect(isOriginAllowed(o, 'loopback')).toBe(true);
    }
    for (const o of ['http://localhost.evil.com', 'http://127.0.0.2', 'null', 'file://', 'ws://localhost', 'garbage']) {
      expect(isOriginAllowed(o, 'loopback')).toBe(false);
    }
  });

  it('matches configured origins exactly (scheme, host and port) and * matches anything', () => {
    const list = ['https://app.example.com', 'http://localhost:8080'];
    expect(isOriginAllowed('https://app.example.com', list)).toBe(true);
    expect(isOriginAllowed('https://APP.example.com', list)).toBe(true);
    expect(isOriginAllowed('http://app.example.com', list)).toBe(false);
    expect(isOriginAllowed('https://app.example.com:444', list)).toBe(false);
    expect(isOriginAllowed('http://localhost:8081', list)).toBe(false);
    expect(isOriginAllowed('https://whatever', '*')).toBe(true);
    expect(isOriginAllowed('https://whatever', [])).toBe(false);
  });
});
