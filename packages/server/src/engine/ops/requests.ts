import { assertNever } from '../../assertNever.js';
import { Errors, type RequestCancelReason } from '@onseat/protocol';
import type { Live } from '../Live.js';
import { transition, type RequestEvent } from '../requestMachine.js';
import type { RequestRecord } from '../state.js';

export interface EndContext {
  /** Who decided (host for accept/reject, the requester for cancel, '' for the server). */
  byUserId: string;
  /** accept: the seat already chosen and checked free. */
  seatIndex?: number;
  /** cancel/supersede. */
  reason?: RequestCancelReason;
  /** fail. */
  errorName?: keyof typeof Errors;
}

/**
 * Ends a pending request through the machine and carries out its effects. Returns false when the request was no
 * longer pending (nothing happens then).
 */
export function endRequest(live: Live, r: RequestRecord, event: RequestEvent, ctx: EndContext): boolean {
  const t = transition(r.status, event);
  if (!t.ok) return false;
  r.status = t.status;
  // Wire views are taken before `forget`/`seatUser` change the live, so events describe the request as it was.
  const appWire = r.kind === 'application' ? live.applicationWire(r) : null;
  const invWire = r.kind === 'invitation' ? live.invitationWire(r) : null;
  const to = { hosts: true as const, plus: r.kind === 'invitation' ? [r.userId, r.hostId] : [r.userId] };
  for (const effect of t.effects) {
    switch (effect) {
      case 'clearDeadline':
        live.disarm(r.requestId);
        break;
      case 'forget':
        live.forget(r, ctx.byUserId);
        break;
      case 'seatUser':
        seatUser(live, r, ctx.seatIndex ?? -1);
        break;
      case 'notifyAccepted':
      case 'notifyRejected': {
        const isAccept = effect === 'notifyAccepted';
        const seatIndex = isAccept ? (ctx.seatIndex ?? -1) : -1;
        if (appWire)
          live.emit('coGuest.applicationResponded', { application: appWire, isAccept, hostUser: live.userInfo(ctx.byUserId), seatIndex }, to);
        if (invWire) live.emit('coGuest.invitationResponded', { invitation: invWire, isAccept, seatIndex }, to);
        break;
      }
      case 'notifyCancelled': {
        const reason = ctx.reason ?? 'cancelled';
        if (appWire) live.emit('coGuest.applicationCancelled', { application: appWire, reason }, to);
        if (invWire) live.emit('coGuest.invitationCancelled', { invitation: invWire, reason }, to);
        break;
      }
      case 'notifyTimedOut':
        if (appWire) live.emit('coGuest.applicationTimedOut', { application: appWire }, to);
        if (invWire) live.emit('coGuest.invitationTimedOut', { invitation: invWire }, to);
        break;
      case 'notifyFailed': {
        const e = Errors[ctx.errorName ?? 'FAILED'];
        if (appWire)
          live.emit(
            'coGuest.applicationFailed',
            { application: appWire, hostUser: live.userInfo(ctx.byUserId), code: e.code, message: e.message },
            to,
          );
        if (invWire) live.emit('coGuest.invitationFailed', { invitation: invWire, code: e.code, message: e.message }, to);
        break;
      }
      default:
        assertNever(effect, 'request effect');
    }
  }
  return true;
}

/** Seats the request's user on a seat the caller checked, and supersedes the user's other pending request. */
function seatUser(live: Live, r: RequestRecord, seatIndex: number): void {
  const seat = live.record.seats[seatIndex];
  if (!seat) throw new Error(`seatUser: no seat ${seatIndex}`);
  live.occupy(seat, r.userId);
  live.emitSeats();
  supersedeRequestsOf(live, r.userId, 'superseded');
}

/** Ends every pending request of `userId` (as applicant or invitee) without an answer. */
export function supersedeRequestsOf(live: Live, userId: string, reason: RequestCancelReason): void {
  const app = live.applicationOf(userId);
  if (app) endRequest(live, app, 'supersede', { byUserId: '', reason });
  const inv = live.invitationOf(userId);
  if (inv) endRequest(live, inv, 'supersede', { byUserId: '', reason });
}
