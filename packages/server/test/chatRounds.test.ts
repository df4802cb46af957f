/**
 * ChatRounds: sliced delivery of chat rounds, on a fake clock (every write costs 10 µs) and a manual turn queue, so
 * what one turn of the event loop writes is exact.
 */
import { describe, expect, it } from 'vitest';
import { ChatRounds, type Recipient } from '../src/chat/ChatRounds.js';
import type { Connection } from '../src/engine/Connection.js';

function world(sliceMs = 1) {
  let now = 0;
  const turns: (() => void)[] = [];
  const log: { conn: number; frame: string; turn: number }[] = [];
  let turn = 0;
  const rounds = new ChatRounds(
    sliceMs,
    (fn) => turns.push(fn),
    () => now,
  );
  const conn = (id: number): Connection => ({
    id,
    principal: { sdkAppId: 1, userId: `u${id}`, userName: '', avatarUrl: '' },
    send: (frame) => {
      now += 0.01;
      log.push({ conn: id, frame: frame.toString(), turn });
    },
    close: () => undefined,
  });
  const live = (from: number, n: number): Map<string, Recipient> =>
    new Map(Array.from({ length: n }, (_, i) => [`u${from + i}`, { conn: conn(from + i) }]));
  /** Runs the next turn of the event loop; false when nothing was scheduled. */
  const nextTurn = (): boolean => {
    const fn = turns.shift();
    if (!fn) return false;
    turn++;
    fn();
    return true;
  };
  return { rounds, live, log, nextTurn, turns };
}

describe('ChatRounds', () => {
  it('writes at most sliceMs per turn (in chunks of 32), then yields; done runs after the last member', () => {
    const w = world(1);
    const members = w.live(0, 1000);
    let done = 0;
    w.rounds.start(
      members,
      Buffer.from('a'),
      () => true,
      () => done++,
    );
    // The first slice runs at once: 1 ms of 10 µs writes, rounded up to whole chunks of 32.
    expect(w.log.length).toBe(128);
    expect(done).toBe(0);
    let turns = 0;
    while (w.nextTurn()) turns++;
    expect(w.log.length).toBe(1000);
    expect(new Set(w.log.map((l) => l.conn)).size).toBe(1000);
    expect(done).toBe(1);
    expect(turns).toBe(Math.ceil(1000 / 128) - 1);
    for (let t = 0; t <= turns; t++) expect(w.log.filter((l) => l.turn === t).length).toBeLessThanOrEqual(128);
  });

  it('shares the slices between lives: a small live is not held behind a big one', () => {
    const w = world(1);
    let bigDone = -1;
    let smallDone = -1;
    w.rounds.start(
      w.live(0, 5000),
      Buffer.from('big'),
      () => true,
      () => (bigDone = w.log.length),
    );
    w.rounds.start(
      w.live(10_000, 20),
      Buffer.from('small'),
      () => true,
      () => (smallDone = w.log.length),
    );
    w.nextTurn();
    // The small live's round finished within the first turn after it started, long before the big one's.
    expect(smallDone).toBeGreaterThan(0);
    expect(smallDone).toBeLessThanOrEqual(2 * 128 + 32);
    while (w.nextTurn());
    expect(bigDone).toBe(5020);
    expect(w.rounds.active).toBe(0);
  });

  it('skips members who left during the round, reaches those who joined, and drops the rest when the live ends', () => {
    const w = world(1);
    const members = w.live(0, 300);
    w.rounds.start(
      members,
      Buffer.from('a'),
      () => true,
      () => undefined,
    );
    members.delete('u299');
    members.set('late', { conn: w.live(500, 1).get('u500')?.conn ?? null });
    members.set('away', { conn: null });
    while (w.nextTurn());
    const got = new Set(w.log.map((l) => l.conn));
    expect(got.has(299)).toBe(false);
    expect(got.has(500)).toBe(true);
    expect(got.size).toBe(300);

    const v = world(1);
    let alive = true;
    let done = 0;
    v.rounds.start(
      v.live(0, 1000),
      Buffer.from('b'),
      () => alive,
      () => done++,
    );
    alive = false;
    while (v.nextTurn());
    expect(v.log.length).toBe(128);
    expect(done).toBe(1);
  });
});
