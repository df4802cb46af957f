import { describe, expect, it } from 'vitest';
import {
  REQUEST_EVENTS,
  TERMINAL_STATUSES,
  transition,
  type RequestEffect,
  type RequestEvent,
  type RequestStatus,
} from '../src/engine/requestMachine.js';

const ALL_STATUSES: readonly RequestStatus[] = ['pending', 'accepted', 'rejected', 'cancelled', 'timedOut', 'failed', 'superseded'];
const ALL_EVENTS: readonly RequestEvent[] = ['accept', 'reject', 'cancel', 'timeout', 'fail', 'supersede'];

/** What a pending request becomes on each event, and what the manager must do. */
const EXPECTED_FROM_PENDING: Record<RequestEvent, { status: RequestStatus; effects: RequestEffect[] }> = {
  accept: { status: 'accepted', effects: ['clearDeadline', 'forget', 'seatUser', 'notifyAccepted'] },
  reject: { status: 'rejected', effects: ['clearDeadline', 'forget', 'notifyRejected'] },
  cancel: { status: 'cancelled', effects: ['clearDeadline', 'forget', 'notifyCancelled'] },
  timeout: { status: 'timedOut', effects: ['clearDeadline', 'forget', 'notifyTimedOut'] },
  fail: { status: 'failed', effects: ['clearDeadline', 'forget', 'notifyFailed'] },
  supersede: { status: 'superseded', effects: ['clearDeadline', 'forget', 'notifyCancelled'] },
};

describe('requestMachine.transition', () => {
  it('exports exactly the six terminal statuses and the six events', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(ALL_STATUSES.filter((s) => s !== 'pending').sort());
    expect([...REQUEST_EVENTS].sort()).toEqual([...ALL_EVENTS].sort());
  });

  // 7 statuses × 6 events = 42 cells.
  for (const status of ALL_STATUSES) {
    for (const event of ALL_EVENTS) {
      it(`${status} × ${event}`, () => {
        const r = transition(status, event);
        if (status === 'pending') {
          const want = EXPECTED_FROM_PENDING[event];
          expect(r).toEqual({ ok: true, status: want.status, effects: want.effects });
        } else {
          // A terminal request refuses every event and keeps its status.
          expect(r).toEqual({ ok: false, status, reason: 'notPending' });
        }
      });
    }
  }

  it('every accepted transition clears the deadline and forgets the request, and only accept seats the user', () => {
    for (const event of ALL_EVENTS) {
      const r = transition('pending', event);
      if (!r.ok) throw new Error(`pending × ${event} refused`);
      expect(r.effects).toContain('clearDeadline');
      expect(r.effects).toContain('forget');
      expect(r.effects.includes('seatUser')).toBe(event === 'accept');
      // exactly one notification per transition
      expect(r.effects.filter((e) => e.startsWith('notify'))).toHaveLength(1);
      expect(TERMINAL_STATUSES).toContain(r.status);
    }
  });

  it('seats the user before telling anyone it was accepted (the seat is theirs when they hear it)', () => {
    const r = transition('pending', 'accept');
    if (!r.ok) throw new Error('refused');
    expect(r.effects.indexOf('seatUser')).toBeLessThan(r.effects.indexOf('notifyAccepted'));
  });

  it('each event leads to a different terminal status', () => {
    const reached = ALL_EVENTS.map((e) => transition('pending', e).status);
    expect(new Set(reached).size).toBe(ALL_EVENTS.length);
  });
});
