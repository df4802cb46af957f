import { MoveSeatPolicy, SeatMode, type ErrorName, type ParsedRequestPayload } from '@onseat/protocol';
import { fail } from '../EngineError.js';
import type { Live } from '../Live.js';
import type { SeatRecord } from '../state.js';
import type { OpContext } from './context.js';
import { supersedeRequestsOf } from './requests.js';

/** The seat a request for `index` (-1 = any) would get now, or why none. */
export function chooseSeat(live: Live, index: number): { seat: SeatRecord } | { error: ErrorName } {
  if (live.record.seats.length === 0) return { error: 'SEAT_NOT_SUPPORT_LINK_MIC' };
  if (index === -1) {
    const seat = live.firstFreeSeat();
    return seat ? { seat } : { error: 'ALL_SEAT_OCCUPIED' };
  }
  const seat = live.record.seats[index];
  if (!seat) return { error: 'SEAT_INDEX_NOT_EXIST' };
  if (seat.locked) return { error: 'SEAT_LOCKED' };
  if (seat.occupant) return { error: 'SEAT_OCCUPIED' };
  return { seat };
}

export function requireHost(ctx: OpContext): void {
  if (!ctx.live.isHost(ctx.userId)) fail('NEED_ADMIN_PERMISSION');
}

export function requireOwner(ctx: OpContext): void {
  if (ctx.live.record.owner.userId !== ctx.userId) fail('NEED_OWNER_PERMISSION');
}

function seatAt(live: Live, index: number): SeatRecord {
  return (
    live.record.seats[index] ?? fail('SEAT_INDEX_NOT_EXIST', `Seat index ${index} does not exist (this live has ${live.record.seats.length} seats)`)
  );
}

function ownerKeepsSeat(live: Live, seat: SeatRecord): boolean {
  return live.record.keepOwnerOnSeat && seat.occupant?.userId === live.record.owner.userId;
}

/** The seated user `userId` (a host acting on a guest), refusing to act on the owner's kept seat. */
function seatedTarget(ctx: OpContext, userId: string): SeatRecord {
  const seat = ctx.live.seatOf(userId) ?? fail('USER_NOT_IN_SEAT', `User ${userId} is not in a seat`);
  if (userId === ctx.live.record.owner.userId && ctx.userId !== userId) fail('NEED_OWNER_PERMISSION', "Only the owner may change the owner's seat");
  return seat;
}

/** Removes whoever sits on `seat`, telling them when a host did it. */
export function vacate(live: Live, seat: SeatRecord, byHost: string | null): void {
  const userId = seat.occupant?.userId;
  seat.occupant = null;
  if (userId && byHost) live.emit('seat.kickedOff', { seatIndex: seat.index, hostUser: live.userInfo(byHost) }, { users: [userId] });
}

export function takeSeat(ctx: OpContext, p: ParsedRequestPayload<'seat.take'>): { seatIndex: number } {
  const { live } = ctx;
  if (live.seatOf(ctx.userId)) fail('ALREADY_IN_SEAT');
  if (!live.isHost(ctx.userId) && live.record.seatMode !== SeatMode.FreeToTake) {
    fail('NEED_ADMIN_PERMISSION', 'In applyToTake mode audience apply for a seat (coGuest.apply); only hosts take seats directly');
  }
  const seat = seatAt(live, p.seatIndex);
  if (seat.locked) fail('SEAT_LOCKED');
  if (seat.occupant) fail('SEAT_OCCUPIED');
  live.occupy(seat, ctx.userId);
  live.emitSeats();
  supersedeRequestsOf(live, ctx.userId, 'superseded');
  return { seatIndex: seat.index };
}

export function leaveSeat(ctx: OpContext): Record<string, never> {
  const { live } = ctx;
  const seat = live.seatOf(ctx.userId) ?? fail('USER_NOT_IN_SEAT');
  if (ownerKeepsSeat(live, seat)) fail('INSUFFICIENT_OPERATION_PERMISSIONS', 'The owner keeps seat 0 while live (keepOwnerOnSeat)');
  vacate(live, seat, null);
  live.emitSeats();
  return {};
}

export function lockSeat(ctx: OpContext, p: ParsedRequestPayload<'seat.lock'>, locked: boolean): Record<string, never> {
  requireHost(ctx);
  const { live } = ctx;
  const seat = seatAt(live, p.seatIndex);
  if (locked && ownerKeepsSeat(live, seat)) fail('INSUFFICIENT_OPERATION_PERMISSIONS', "The owner's seat cannot be locked");
  if (seat.locked === locked) return {};
  if (locked && seat.occupant) vacate(live, seat, ctx.userId);
  seat.locked = locked;
  live.emitSeats();
  return {};
}

export function kickOffSeat(ctx: OpContext, p: ParsedRequestPayload<'seat.kick'>): Record<string, never> {
  requireHost(ctx);
  const seat = seatedTarget(ctx, p.userId);
  if (ownerKeepsSeat(ctx.live, seat)) fail('INSUFFICIENT_OPERATION_PERMISSIONS', 'The owner keeps seat 0 while live');
  vacate(ctx.live, seat, ctx.userId);
  ctx.live.emitSeats();
  return {};
}

export function moveUser(ctx: OpContext, p: ParsedRequestPayload<'seat.move'>): Record<string, never> {
  requireHost(ctx);
  const { live } = ctx;
  const from = seatedTarget(ctx, p.userId);
  const to = seatAt(live, p.targetIndex);
  if (from === to) return {};
  if (ownerKeepsSeat(live, from) || ownerKeepsSeat(live, to)) fail('INSUFFICIENT_OPERATION_PERMISSIONS', 'The owner keeps seat 0 while live');
  if (to.locked) fail('SEAT_LOCKED');
  const policy = p.policy ?? MoveSeatPolicy.AbortWhenOccupied;
  if (to.occupant && policy === MoveSeatPolicy.AbortWhenOccupied) fail('SEAT_OCCUPIED');
  const moving = from.occupant;
  if (to.occupant && policy === MoveSeatPolicy.SwapPosition) {
    from.occupant = to.occupant;
  } else {
    if (to.occupant) vacate(live, to, ctx.userId);
    from.occupant = null;
  }
  to.occupant = moving;
  live.emitSeats();
  return {};
}

export function setRemoteDevice(ctx: OpContext, p: ParsedRequestPayload<'seat.closeRemoteDevice'>, close: boolean): Record<string, never> {
  requireHost(ctx);
  const seat = seatedTarget(ctx, p.userId);
  const o = seat.occupant;
  if (!o) return fail('USER_NOT_IN_SEAT');
  if (p.device === 'microphone') {
    if (o.microphoneLocked === close && (!close || !o.microphoneOn)) return {};
    o.microphoneLocked = close;
    if (close) o.microphoneOn = false;
  } else {
    if (o.cameraLocked === close && (!close || !o.cameraOn)) return {};
    o.cameraLocked = close;
    if (close) o.cameraOn = false;
  }
  ctx.live.emitSeats();
  return {};
}

export function reportDevice(ctx: OpContext, p: ParsedRequestPayload<'seat.reportDevice'>): Record<string, never> {
  const o = ctx.live.seatOf(ctx.userId)?.occupant;
  if (!o) {
    if (p.microphone === 1) fail('OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN');
    if (p.camera === 1) fail('OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN');
    return {};
  }
  if (p.microphone === 1 && o.microphoneLocked) fail('OPEN_MICROPHONE_NEED_SEAT_UNLOCK');
  if (p.camera === 1 && o.cameraLocked) fail('OPEN_CAMERA_NEED_SEAT_UNLOCK');
  let changed = false;
  if (p.microphone !== undefined && o.microphoneOn !== (p.microphone === 1)) {
    o.microphoneOn = p.microphone === 1;
    changed = true;
  }
  if (p.camera !== undefined && o.cameraOn !== (p.camera === 1)) {
    o.cameraOn = p.camera === 1;
    changed = true;
  }
  if (changed) ctx.live.emitSeats();
  return {};
}
