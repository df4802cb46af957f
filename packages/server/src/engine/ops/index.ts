import type { EngineRequestType } from '../api.js';
import type { OpContext } from './context.js';
import * as co from './coGuest.js';
import * as info from './liveInfo.js';
import * as members from './members.js';
import * as moderation from './moderation.js';
import * as seats from './seats.js';

type LiveOp = (ctx: OpContext, payload: never) => unknown;

/** Commands that act on the caller's current live, by request type. */
export const LIVE_OPS = {
  'live.update': info.updateLive,
  'live.setMetadata': info.setMetadata,
  'live.getMetadata': info.getMetadata,
  'seat.take': seats.takeSeat,
  'seat.leave': seats.leaveSeat,
  'seat.lock': (ctx, p) => seats.lockSeat(ctx, p, true),
  'seat.unlock': (ctx, p) => seats.lockSeat(ctx, p, false),
  'seat.kick': seats.kickOffSeat,
  'seat.move': seats.moveUser,
  'seat.closeRemoteDevice': (ctx, p) => seats.setRemoteDevice(ctx, p, true),
  'seat.openRemoteDevice': (ctx, p) => seats.setRemoteDevice(ctx, p, false),
  'seat.reportDevice': seats.reportDevice,
  'coGuest.apply': co.apply,
  'coGuest.cancelApplication': co.cancelApplication,
  'coGuest.acceptApplication': co.acceptApplication,
  'coGuest.rejectApplication': co.rejectApplication,
  'coGuest.invite': co.invite,
  'coGuest.cancelInvitation': co.cancelInvitation,
  'coGuest.acceptInvitation': co.acceptInvitation,
  'coGuest.rejectInvitation': co.rejectInvitation,
  'coGuest.disconnect': co.disconnect,
  'audience.list': members.listAudience,
  'audience.setAdministrator': (ctx, p) => members.setAdministrator(ctx, p, true),
  'audience.revokeAdministrator': (ctx, p) => members.setAdministrator(ctx, p, false),
  'audience.kick': members.kickOutOfLive,
  'audience.disableSendMessage': moderation.disableSendMessage,
  'audience.messageBannedList': moderation.messageBannedList,
} satisfies Partial<Record<EngineRequestType, LiveOp>>;
