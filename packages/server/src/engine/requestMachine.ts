/**
 * Lifecycle of a pending co-guest request (an application or an invitation), as a pure transition function.
 * Every request starts `pending` and reaches exactly one terminal state; a terminal request accepts no event.
 * The manager (Live) executes the effects: it never changes a request's status any other way.
 */

export type RequestStatus = 'pending' | 'accepted' | 'rejected' | 'cancelled' | 'timedOut' | 'failed' | 'superseded';
export type RequestEvent = 'accept' | 'reject' | 'cancel' | 'timeout' | 'fail' | 'supersede';

/**
 * - `clearDeadline`: disarm the request's timer.
 * - `seatUser`: put the applicant/invitee on the chosen seat (the manager checked the seat is free first).
 * - `notify*`: tell the requester, the target and the hosts how it ended.
 * - `forget`: drop the request from the live's pending set.
 */
export type RequestEffect =
  'clearDeadline' | 'seatUser' | 'notifyAccepted' | 'notifyRejected' | 'notifyCancelled' | 'notifyTimedOut' | 'notifyFailed' | 'forget';

export type TransitionResult =
  { ok: true; status: RequestStatus; effects: readonly RequestEffect[] } | { ok: false; status: RequestStatus; reason: 'notPending' };

export const TERMINAL_STATUSES: readonly RequestStatus[] = ['accepted', 'rejected', 'cancelled', 'timedOut', 'failed', 'superseded'];
export const REQUEST_EVENTS: readonly RequestEvent[] = ['accept', 'reject', 'cancel', 'timeout', 'fail', 'supersede'];

const TABLE: Record<RequestEvent, { status: RequestStatus; effects: readonly RequestEffect[] }> = {
  accept: { status: 'accepted', effects: ['clearDeadline', 'forget', 'seatUser', 'notifyAccepted'] },
  reject: { status: 'rejected', effects: ['clearDeadline', 'forget', 'notifyRejected'] },
  cancel: { status: 'cancelled', effects: ['clearDeadline', 'forget', 'notifyCancelled'] },
  timeout: { status: 'timedOut', effects: ['clearDeadline', 'forget', 'notifyTimedOut'] },
  fail: { status: 'failed', effects: ['clearDeadline', 'forget', 'notifyFailed'] },
  supersede: { status: 'superseded', effects: ['clearDeadline', 'forget', 'notifyCancelled'] },
};

export function transition(status: RequestStatus, event: RequestEvent): TransitionResult {
  if (status !== 'pending') return { ok: false, status, reason: 'notPending' };
  return { ok: true, ...TABLE[event] };
}
