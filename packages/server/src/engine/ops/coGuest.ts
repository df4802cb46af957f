import { SeatMode, type ParsedRequestPayload } from '@onseat/protocol';
import { fail } from '../EngineError.js';
import type { Live } from '../Live.js';
import type { RequestRecord } from '../state.js';
import type { OpContext } from './context.js';
import { endRequest, supersedeRequestsOf } from './requests.js';
import { chooseSeat, leaveSeat, requireHost } from './seats.js';

function newRequest(ctx: OpContext, kind: RequestRecord['kind'], userId: string, seatIndex: number, timeout: number): RequestRecord {
  return {
    kind,
    requestId: ctx.hooks.newRequestId(),
    userId,
    hostId: kind === 'invitation' ? ctx.userId : '',
    seatIndex,
    createdAt: ctx.now,
    deadline: timeout > 0 ? ctx.now + timeout * 1000 : null,
    status: 'pending',
  };
}

/** Refuses a request for a seat that could not be given right now. */
function requireSeatAvailable(live: Live, seatIndex: number): void {
  const c = chooseSeat(live, seatIndex);
  if ('error' in c) fail(c.error);
}

export function apply(ctx: OpContext, p: ParsedRequestPayload<'coGuest.apply'>) {
  const { live } = ctx;
  if (live.seatOf(ctx.userId)) fail('ALREADY_IN_SEAT');
  if (live.applicationOf(ctx.userId)) fail('ALREADY_ON_THE_SEAT_QUEUE');
  requireSeatAvailable(live, p.seatIndex);
  const r = newRequest(ctx, 'application', ctx.userId, p.seatIndex, p.timeout);
  if (live.record.seatMode === SeatMode.FreeToTake) {
    // Free seats: the application is granted at once; only the applicant hears about it.
    const seat = chooseSeat(live, p.seatIndex);
    if ('error' in seat) return fail(seat.error);
    r.status = 'accepted';
    const application = live.applicationWire(r);
    live.occupy(seat.seat, ctx.userId);
    live.emitSeats();
    supersedeRequestsOf(live, ctx.userId, 'superseded');
    live.emit(
      'coGuest.applicationResponded',
      { application, isAccept: true, hostUser: live.userInfo(live.record.owner.userId), seatIndex: seat.seat.index },
      { users: [ctx.userId] },
    );
    return { application };
  }
  live.addRequest(r);
  const application = live.applicationWire(r);
  live.emit('coGuest.applicationReceived', { application }, { hosts: true });
  return { application };
}

export function cancelApplication(ctx: OpContext) {
  const r = ctx.live.applicationOf(ctx.userId) ?? fail('NOT_ON_THE_SEAT_QUEUE', 'You have no pending application');
  endRequest(ctx.live, r, 'cancel', { byUserId: ctx.userId, reason: 'cancelled' });
  return {};
}

/** The pending application of `userId`, or REQUEST_ID_INVALID saying who already decided it. */
function pendingApplication(ctx: OpContext, userId: string): RequestRecord {
  const r = ctx.live.applicationOf(userId);
  if (r) return r;
  const ended = ctx.live.recentlyEnded.get(userId);
  if (
    ended &&
    ended.byUserId &&
    ended.byUserId !== ctx.userId &&
    (ended.status === 'accepted' || ended.status === 'rejected' || ended.status === 'failed')
  ) {
    return fail('REQUEST_ID_INVALID', `The application of ${userId} was already processed by another host (${ended.byUserId})`, {
      processedBy: ended.byUserId,
      outcome: ended.status,
    });
  }
  return fail('REQUEST_ID_INVALID', `No pending application from ${userId}`, ended ? { outcome: ended.status } : undefined);
}

export function acceptApplication(ctx: OpContext, p: ParsedRequestPayload<'coGuest.acceptApplication'>) {
  requireHost(ctx);
  return acceptRequest(ctx, pendingApplication(ctx, p.userId));
}

/** Seats the request's user on its seat, or ends the request as failed (and refuses) when no seat can be given. */
function acceptRequest(ctx: OpContext, r: RequestRecord): { seatIndex: number } {
  const c = chooseSeat(ctx.live, r.seatIndex);
  if ('error' in c) {
    endRequest(ctx.live, r, 'fail', { byUserId: ctx.userId, errorName: c.error });
    return fail(c.error);
  }
  endRequest(ctx.live, r, 'accept', { byUserId: ctx.userId, seatIndex: c.seat.index });
  return { seatIndex: c.seat.index };
}

export function rejectApplication(ctx: OpContext, p: ParsedRequestPayload<'coGuest.rejectApplication'>) {
  requireHost(ctx);
  const r = pendingApplication(ctx, p.userId);
  endRequest(ctx.live, r, 'reject', { byUserId: ctx.userId });
  return {};
}

export function invite(ctx: OpContext, p: ParsedRequestPayload<'coGuest.invite'>) {
  requireHost(ctx);
  const { live } = ctx;
  if (p.userId === ctx.userId) fail('INVALID_PARAMETER', 'A host cannot invite themself; use seat.take');
  if (!live.members.has(p.userId)) fail('USER_NOT_IN_LIVE', `User ${p.userId} is not in the live`);
  if (live.seatOf(p.userId)) fail('ALREADY_IN_SEAT', `User ${p.userId} is already in a seat`);
  if (live.invitationOf(p.userId)) fail('REQUEST_CONFLICT', `User ${p.userId} already has a pending invitation`);
  requireSeatAvailable(live, p.seatIndex);
  const r = newRequest(ctx, 'invitation', p.userId, p.seatIndex, p.timeout);
  live.addRequest(r);
  const invitation = live.invitationWire(r);
  live.emit('coGuest.invitationReceived', { invitation }, { hosts: true, plus: [p.userId] });
  return { invitation };
}

export function cancelInvitation(ctx: OpContext, p: ParsedRequestPayload<'coGuest.cancelInvitation'>) {
  requireHost(ctx);
  const r = ctx.live.invitationOf(p.inviteeId) ?? fail('REQUEST_ID_INVALID', `No pending invitation for ${p.inviteeId}`);
  endRequest(ctx.live, r, 'cancel', { byUserId: ctx.userId, reason: 'cancelled' });
  return {};
}

function myInvitation(ctx: OpContext, inviterId: string): RequestRecord {
  const r = ctx.live.invitationOf(ctx.userId);
  if (!r || r.hostId !== inviterId) return fail('REQUEST_ID_INVALID', `No pending invitation from ${inviterId}`);
  return r;
}

export function acceptInvitation(ctx: OpContext, p: ParsedRequestPayload<'coGuest.acceptInvitation'>) {
  return acceptRequest(ctx, myInvitation(ctx, p.inviterId));
}

export function rejectInvitation(ctx: OpContext, p: ParsedRequestPayload<'coGuest.rejectInvitation'>) {
  endRequest(ctx.live, myInvitation(ctx, p.inviterId), 'reject', { byUserId: ctx.userId });
  return {};
}

export function disconnect(ctx: OpContext) {
  return leaveSeat(ctx);
}

/** A request's deadline passed (fired by the live's timer). */
export function timeoutRequest(live: Live, requestId: string): void {
  const r = live.findRequest(requestId);
  if (r) endRequest(live, r, 'timeout', { byUserId: '' });
}
