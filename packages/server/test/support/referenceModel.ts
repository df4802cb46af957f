/**
 * A small reference model of one live's seats, applications and invitations, written independently of the engine from
 * the rules in ARCHITECTURE.md and the error precedence documented in the protocol. The model-based test runs random
 * command sequences through both and compares outcomes and state.
 */
import type { ErrorName } from '@onseat/protocol';

export const OWNER = 'host';
export const ADMIN = 'adm';
export const GRACE_MS = 20_000;

interface Pending {
  seat: number;
  deadline: number | null;
  host?: string;
}

export interface ModelState {
  now: number;
  seats: { locked: boolean; user: string | null }[];
  apps: Map<string, Pending>;
  invs: Map<string, Pending>;
  members: Set<string>;
  dropped: Map<string, number>;
}

/** 'ok', or the registry name of the error the engine must answer with. */
export type Outcome = 'ok' | ErrorName;

export function initialModel(seatCount: number, now: number): ModelState {
  const seats = Array.from({ length: seatCount }, () => ({ locked: false, user: null as string | null }));
  seats[0]!.user = OWNER;
  return { now, seats, apps: new Map(), invs: new Map(), members: new Set([OWNER]), dropped: new Map() };
}

const isHost = (u: string) => u === OWNER || u === ADMIN;
const seatOf = (m: ModelState, u: string) => m.seats.findIndex((s) => s.user === u);

function choose(m: ModelState, index: number): number | ErrorName {
  if (index === -1) {
    const i = m.seats.findIndex((s) => !s.locked && !s.user);
    return i >= 0 ? i : 'ALL_SEAT_OCCUPIED';
  }
  const s = m.seats[index];
  if (!s) return 'SEAT_INDEX_NOT_EXIST';
  if (s.locked) return 'SEAT_LOCKED';
  if (s.user) return 'SEAT_OCCUPIED';
  return index;
}

function seat(m: ModelState, u: string, i: number): void {
  m.seats[i]!.user = u;
  m.apps.delete(u);
  m.invs.delete(u);
}

function vacate(m: ModelState, u: string): void {
  const i = seatOf(m, u);
  if (i >= 0) m.seats[i]!.user = null;
}

function removeMember(m: ModelState, u: string): void {
  m.apps.delete(u);
  m.invs.delete(u);
  if (u !== OWNER) vacate(m, u);
  m.members.delete(u);
  m.dropped.delete(u);
}

export type Cmd =
  | { c: 'join'; u: string }
  | { c: 'leave'; u: string }
  | { c: 'apply'; u: string; seat: number; timeout: number }
  | { c: 'cancel'; u: string }
  | { c: 'accept'; u: string; target: string }
  | { c: 'reject'; u: string; target: string }
  | { c: 'invite'; u: string; target: string; seat: number; timeout: number }
  | { c: 'cancelInv'; u: string; target: string }
  | { c: 'acceptInv'; u: string; inviter: string }
  | { c: 'rejectInv'; u: string; inviter: string }
  | { c: 'disconnect'; u: string }
  | { c: 'take'; u: string; seat: number }
  | { c: 'lock'; u: string; seat: number; locked: boolean }
  | { c: 'kick'; u: string; target: string }
  /** The user's socket closed; `at`: when they were last heard from (grace counts from there; default now). */
  | { c: 'drop'; u: string; at?: number }
  | { c: 'resume'; u: string }
  | { c: 'tick'; ms: number };

/** Applies one command to the model; returns 'ok' or the error name the engine must give. */
export function step(m: ModelState, cmd: Cmd): Outcome {
  if (cmd.c === 'tick') {
    m.now += cmd.ms;
    for (const [u, p] of [...m.apps]) if (p.deadline !== null && p.deadline <= m.now) m.apps.delete(u);
    for (const [u, p] of [...m.invs]) if (p.deadline !== null && p.deadline <= m.now) m.invs.delete(u);
    for (const [u, at] of [...m.dropped]) if (at + GRACE_MS <= m.now) removeMember(m, u);
    return 'ok';
  }
  const u = cmd.u;
  if (cmd.c === 'drop') {
    if (m.members.has(u)) m.dropped.set(u, cmd.at ?? m.now);
    return 'ok';
  }
  if (cmd.c === 'resume') {
    if (!m.members.has(u)) return 'USER_NOT_IN_LIVE';
    m.dropped.delete(u);
    return 'ok';
  }
  if (cmd.c === 'join') {
    m.members.add(u);
    m.dropped.delete(u);
    return 'ok';
  }
  if (!m.members.has(u)) return 'NOT_IN_LIVE';
  const deadline = (t: number) => (t > 0 ? m.now + t * 1000 : null);
  switch (cmd.c) {
    case 'leave':
      removeMember(m, u);
      return 'ok';
    case 'apply': {
      if (seatOf(m, u) >= 0) return 'ALREADY_IN_SEAT';
      if (m.apps.has(u)) return 'ALREADY_ON_THE_SEAT_QUEUE';
      const c = choose(m, cmd.seat);
      if (typeof c === 'string') return c;
      m.apps.set(u, { seat: cmd.seat, deadline: deadline(cmd.timeout) });
      return 'ok';
    }
    case 'cancel':
      if (!m.apps.has(u)) return 'NOT_ON_THE_SEAT_QUEUE';
      m.apps.delete(u);
      return 'ok';
    case 'accept':
    case 'reject': {
      if (!isHost(u)) return 'NEED_ADMIN_PERMISSION';
      const app = m.apps.get(cmd.target);
      if (!app) return 'REQUEST_ID_INVALID';
      if (cmd.c === 'reject') {
        m.apps.delete(cmd.target);
        return 'ok';
      }
      const c = choose(m, app.seat);
      if (typeof c === 'string') {
        m.apps.delete(cmd.target);
        return c;
      }
      seat(m, cmd.target, c);
      return 'ok';
    }
    case 'invite': {
      if (!isHost(u)) return 'NEED_ADMIN_PERMISSION';
      if (cmd.target === u) return 'INVALID_PARAMETER';
      if (!m.members.has(cmd.target)) return 'USER_NOT_IN_LIVE';
      if (seatOf(m, cmd.target) >= 0) return 'ALREADY_IN_SEAT';
      if (m.invs.has(cmd.target)) return 'REQUEST_CONFLICT';
      const c = choose(m, cmd.seat);
      if (typeof c === 'string') return c;
      m.invs.set(cmd.target, { seat: cmd.seat, deadline: deadline(cmd.timeout), host: u });
      return 'ok';
    }
    case 'cancelInv':
      if (!isHost(u)) return 'NEED_ADMIN_PERMISSION';
      if (!m.invs.has(cmd.target)) return 'REQUEST_ID_INVALID';
      m.invs.delete(cmd.target);
      return 'ok';
    case 'acceptInv':
    case 'rejectInv': {
      const inv = m.invs.get(u);
      if (!inv || inv.host !== cmd.inviter) return 'REQUEST_ID_INVALID';
      if (cmd.c === 'rejectInv') {
        m.invs.delete(u);
        return 'ok';
      }
      const c = choose(m, inv.seat);
      if (typeof c === 'string') {
        m.invs.delete(u);
        return c;
      }
      seat(m, u, c);
      return 'ok';
    }
    case 'disconnect': {
      if (seatOf(m, u) < 0) return 'USER_NOT_IN_SEAT';
      if (u === OWNER) return 'INSUFFICIENT_OPERATION_PERMISSIONS';
      vacate(m, u);
      return 'ok';
    }
    case 'take': {
      if (seatOf(m, u) >= 0) return 'ALREADY_IN_SEAT';
      if (!isHost(u)) return 'NEED_ADMIN_PERMISSION';
      const s = m.seats[cmd.seat];
      if (!s) return 'SEAT_INDEX_NOT_EXIST';
      if (s.locked) return 'SEAT_LOCKED';
      if (s.user) return 'SEAT_OCCUPIED';
      seat(m, u, cmd.seat);
      return 'ok';
    }
    case 'lock': {
      if (!isHost(u)) return 'NEED_ADMIN_PERMISSION';
      const s = m.seats[cmd.seat];
      if (!s) return 'SEAT_INDEX_NOT_EXIST';
      if (cmd.locked && s.user === OWNER) return 'INSUFFICIENT_OPERATION_PERMISSIONS';
      if (cmd.locked && s.user) s.user = null;
      s.locked = cmd.locked;
      return 'ok';
    }
    case 'kick': {
      if (!isHost(u)) return 'NEED_ADMIN_PERMISSION';
      if (seatOf(m, cmd.target) < 0) return 'USER_NOT_IN_SEAT';
      if (cmd.target === OWNER) return u === OWNER ? 'INSUFFICIENT_OPERATION_PERMISSIONS' : 'NEED_OWNER_PERMISSION';
      vacate(m, cmd.target);
      return 'ok';
    }
  }
}
