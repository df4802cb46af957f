import { LiveKickedOutReason, Role, type ParsedRequestPayload } from '@onseat/protocol';
import { fail } from '../EngineError.js';
import type { Audience, Live } from '../Live.js';
import type { OpContext, EngineHooks } from './context.js';
import { supersedeRequestsOf } from './requests.js';
import { requireHost, requireOwner, vacate } from './seats.js';

/** While the audience is at most this big, everyone hears joins and leaves; above it only the hosts do. */
export const SMALL_AUDIENCE = 50;

export function membershipAudience(live: Live): Audience {
  return live.audienceCount() <= SMALL_AUDIENCE ? 'all' : { hosts: true };
}

/**
 * Takes `userId` out of the live: ends their pending requests, frees their seat (the owner keeps seat 0 with devices
 * off), tells the others. Used by leave, kick, grace expiry.
 */
export function removeMember(live: Live, userId: string, hooks: EngineHooks): void {
  const member = live.members.get(userId);
  if (!member) return;
  supersedeRequestsOf(live, userId, 'userLeft');
  const seat = live.seatOf(userId);
  if (seat?.occupant) {
    if (userId === live.record.owner.userId && live.record.keepOwnerOnSeat) {
      if (seat.occupant.microphoneOn || seat.occupant.cameraOn) {
        seat.occupant.microphoneOn = false;
        seat.occupant.cameraOn = false;
        live.emitSeats();
      }
    } else {
      vacate(live, seat, null);
      live.emitSeats();
    }
  }
  if (member.graceTimer) live.clock.clearTimer(member.graceTimer);
  if (member.conn) live.departed.set(userId, member.conn);
  const info = live.audienceWire(userId);
  live.members.delete(userId);
  if (userId !== live.record.owner.userId) live.emit('audience.left', { user: info }, membershipAudience(live));
  else live.emit('audience.ownerLeft', { user: info }, 'all');
  hooks.userLeftLive(live, userId);
}

/**
 * One page of the audience in join order. Members are kept in join order (a Map in insertion order, each with an
 * increasing `joinNo`), so a page costs its position plus its size, never a sort of the whole audience. The cursor
 * is the `joinNo` of the page's last member: members who left meanwhile do not shift the next page, and a member who
 * left and came back is at the end. (Cursors are per server process: after a restart, list from the start.)
 */
export function listAudience(ctx: OpContext, p: ParsedRequestPayload<'audience.list'>) {
  const { live } = ctx;
  const owner = live.record.owner.userId;
  const count = p.count ?? 100;
  const after = p.cursor ? parseAudienceCursor(p.cursor) : 0;
  const page: [string, number][] = [];
  let more = false;
  for (const [id, m] of live.members) {
    if (m.joinNo <= after || id === owner) continue;
    if (page.length === count) {
      more = true;
      break;
    }
    page.push([id, m.joinNo]);
  }
  const last = page[page.length - 1];
  return {
    audience: page.map(([id]) => live.audienceWire(id)),
    cursor: last && more ? String(last[1]) : '',
    total: live.audienceCount(),
  };
}

function parseAudienceCursor(cursor: string): number {
  const n = Number(cursor);
  if (!Number.isSafeInteger(n) || n < 0) fail('INVALID_PARAMETER', 'cursor: not a cursor returned by audience.list');
  return n;
}

export function setAdministrator(ctx: OpContext, p: ParsedRequestPayload<'audience.setAdministrator'>, admin: boolean) {
  requireOwner(ctx);
  const { live } = ctx;
  if (p.userId === live.record.owner.userId) fail('INVALID_PARAMETER', 'The owner is not an administrator');
  if (admin && !live.members.has(p.userId)) fail('USER_NOT_IN_LIVE', `User ${p.userId} is not in the live`);
  const has = live.record.admins.includes(p.userId);
  if (has === admin) return {};
  live.record.admins = admin ? [...live.record.admins, p.userId] : live.record.admins.filter((id) => id !== p.userId);
  live.emit('audience.roleChanged', { user: live.audienceWire(p.userId) }, 'all');
  if (live.seatOf(p.userId)) live.emitSeats();
  return {};
}

export function kickOutOfLive(ctx: OpContext, p: ParsedRequestPayload<'audience.kick'>) {
  requireHost(ctx);
  const { live } = ctx;
  if (p.userId === ctx.userId) fail('INVALID_PARAMETER', 'Use live.leave to leave the live');
  if (!live.members.has(p.userId)) fail('USER_NOT_IN_LIVE', `User ${p.userId} is not in the live`);
  const targetRole = live.roleOf(p.userId);
  if (targetRole === Role.Owner || (targetRole === Role.Administrator && live.roleOf(ctx.userId) !== Role.Owner)) {
    fail('NEED_OWNER_PERMISSION', 'Only the owner may remove an administrator, and nobody the owner');
  }
  live.emit('live.kickedOut', { liveId: live.record.liveId, reason: LiveKickedOutReason.ByAdmin }, { users: [p.userId] });
  removeMember(live, p.userId, ctx.hooks);
  return {};
}
