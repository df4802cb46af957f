/**
 * The command vocabulary of the model-based tests: the users, the random command generator, each command as a
 * request, and both sides in the model's terms. Shared by the one-engine test (engine.model.test.ts) and the
 * three-node cluster test (packages/redis/test/cluster.model.test.ts), which run the same commands against the same
 * reference model.
 */
import fc from 'fast-check';
import type { EngineRequestType } from '../../src/engine/api.js';
import type { Live } from '../../src/engine/Live.js';
import { ADMIN, GRACE_MS, OWNER, type Cmd, type ModelState } from './referenceModel.js';

export const MODEL_LIVE_ID = 'live-1';
export const AUDIENCE = ['u1', 'u2', 'u3'];
export const USERS = [OWNER, ADMIN, ...AUDIENCE];
export const SEATS = 4;

const user = fc.constantFrom(...USERS);
const seatArb = fc.integer({ min: -1, max: SEATS });
const fixedSeat = fc.integer({ min: 0, max: SEATS });
const timeout = fc.constantFrom(0, 1, 2, 5);

/** One random command of a host, the admin or an audience member (or the clock moving on). */
export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ c: fc.constant('join' as const), u: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('leave' as const), u: user }) },
  { weight: 5, arbitrary: fc.record({ c: fc.constant('apply' as const), u: user, seat: seatArb, timeout }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('cancel' as const), u: user }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('accept' as const), u: user, target: user }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('reject' as const), u: user, target: user }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('invite' as const), u: user, target: user, seat: seatArb, timeout }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('cancelInv' as const), u: user, target: user }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('acceptInv' as const), u: user, inviter: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('rejectInv' as const), u: user, inviter: user }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('disconnect' as const), u: user }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('take' as const), u: user, seat: fixedSeat }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('lock' as const), u: user, seat: fixedSeat, locked: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('kick' as const), u: user, target: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('drop' as const), u: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('resume' as const), u: user }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('tick' as const), ms: fc.constantFrom(1, 999, 1000, 2500, 6000, GRACE_MS) }) },
);

/** A command that is a request of one user. */
export type RequestCmd = Exclude<Cmd, { c: 'tick' | 'drop' | 'resume' }>;

/** The request a command sends. */
export function request(cmd: RequestCmd): [EngineRequestType, Record<string, unknown>] {
  switch (cmd.c) {
    case 'join':
      return ['live.join', { liveId: MODEL_LIVE_ID }];
    case 'leave':
      return ['live.leave', {}];
    case 'apply':
      return ['coGuest.apply', { seatIndex: cmd.seat, timeout: cmd.timeout }];
    case 'cancel':
      return ['coGuest.cancelApplication', {}];
    case 'accept':
      return ['coGuest.acceptApplication', { userId: cmd.target }];
    case 'reject':
      return ['coGuest.rejectApplication', { userId: cmd.target }];
    case 'invite':
      return ['coGuest.invite', { userId: cmd.target, seatIndex: cmd.seat, timeout: cmd.timeout }];
    case 'cancelInv':
      return ['coGuest.cancelInvitation', { inviteeId: cmd.target }];
    case 'acceptInv':
      return ['coGuest.acceptInvitation', { inviterId: cmd.inviter }];
    case 'rejectInv':
      return ['coGuest.rejectInvitation', { inviterId: cmd.inviter }];
    case 'disconnect':
      return ['coGuest.disconnect', {}];
    case 'take':
      return ['seat.take', { seatIndex: cmd.seat }];
    case 'lock':
      return [cmd.locked ? 'seat.lock' : 'seat.unlock', { seatIndex: cmd.seat }];
    case 'kick':
      return ['seat.kick', { userId: cmd.target }];
  }
}

/** The state of the model's kind: seats, pending applications and invitations, members. */
export interface ModelView {
  seats: { locked: boolean; user: string | null }[];
  apps: Record<string, number>;
  invs: Record<string, string | undefined>;
  members: string[];
}

/** An engine's live in the model's terms. */
export function liveView(live: Live): ModelView {
  const r = live.record;
  return {
    seats: r.seats.map((s) => ({ locked: s.locked, user: s.occupant?.userId ?? null })),
    apps: Object.fromEntries(r.applications.map((a) => [a.userId, a.seatIndex])),
    invs: Object.fromEntries(r.invitations.map((a) => [a.userId, a.hostId])),
    members: [...live.members.keys()].sort(),
  };
}

export function modelView(m: ModelState): ModelView {
  return {
    seats: m.seats.map((s) => ({ ...s })),
    apps: Object.fromEntries([...m.apps].map(([u, p]) => [u, p.seat])),
    invs: Object.fromEntries([...m.invs].map(([u, p]) => [u, p.host])),
    members: [...m.members].sort(),
  };
}

/** The model at the start of every sequence: the owner's live with the admin set, u1 and u2 joined, u3 connected only. */
export const JOINED_AT_START = [ADMIN, 'u1', 'u2'];
