import type { Engine } from './Engine.js';
import type { Live } from './Live.js';

/**
 * The invariants of ARCHITECTURE.md that hold between commands, checked on one live. Returns the violations found
 * (empty = all hold). Tests run it after every command; it is cheap enough for a debug mode.
 */
export function liveInvariantViolations(live: Live): string[] {
  const v: string[] = [];
  const r = live.record;
  const seatedCount = new Map<string, number>();
  for (const s of r.seats) {
    const id = s.occupant?.userId;
    if (id) seatedCount.set(id, (seatedCount.get(id) ?? 0) + 1);
    // 2. a locked seat is empty
    if (s.locked && s.occupant) v.push(`seat ${s.index} is locked but holds ${id}`);
    // every occupant is a member, or the owner keeping seat 0
    if (id && !live.members.has(id) && !(id === r.owner.userId && r.keepOwnerOnSeat)) v.push(`seat ${s.index} holds ${id} who is not a member`);
  }
  // 1. a user holds at most one seat (a seat holds at most one user by construction)
  for (const [id, n] of seatedCount) if (n > 1) v.push(`${id} holds ${n} seats`);
  // 3. at most one pending application per user, one pending invitation per invitee
  const dup = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) v.push(`${id} has more than one pending ${what}`);
      seen.add(id);
    }
  };
  dup(
    r.applications.map((a) => a.userId),
    'application',
  );
  dup(
    r.invitations.map((a) => a.userId),
    'invitation',
  );
  for (const req of [...r.applications, ...r.invitations]) {
    // 4. a seated user has no pending request
    if (seatedCount.has(req.userId)) v.push(`${req.userId} is seated but has a pending ${req.kind}`);
    // 5. pending requests are pending, members, and their deadline is armed
    if (req.status !== 'pending') v.push(`${req.kind} ${req.requestId} is ${req.status} but still listed`);
    if (!live.members.has(req.userId)) v.push(`${req.kind} ${req.requestId} belongs to ${req.userId} who is not a member`);
    if (req.deadline !== null && !live.requestTimers.has(req.requestId)) v.push(`${req.kind} ${req.requestId} has a deadline but no timer`);
    if (req.deadline === null && live.requestTimers.has(req.requestId)) v.push(`${req.kind} ${req.requestId} has a timer but no deadline`);
  }
  if (live.requestTimers.size !== [...r.applications, ...r.invitations].filter((q) => q.deadline !== null).length) {
    v.push(`${live.requestTimers.size} request timers armed for a different number of pending deadlines`);
  }
  // 8. the owner sits on seat 0 while live
  if (r.keepOwnerOnSeat && r.seats.length > 0 && r.seats[0]?.occupant?.userId !== r.owner.userId) v.push('the owner is not on seat 0');
  if (live.outbox.length > 0) v.push('events left unflushed');
  return v;
}

/** All lives' invariants plus the engine's user → live map agreeing with the members. */
export function engineInvariantViolations(engine: Engine): string[] {
  const v: string[] = [];
  const map = engine.userLiveForTesting();
  for (const live of engine.livesForTesting()) {
    for (const x of liveInvariantViolations(live)) v.push(`${live.record.liveId}: ${x}`);
    for (const id of live.members.keys()) {
      if (map.get(`${live.record.sdkAppId}:${id}`) !== live.key) v.push(`${live.record.liveId}: member ${id} is not mapped to it`);
    }
  }
  for (const [pk, key] of map) {
    const live = [...engine.livesForTesting()].find((l) => l.key === key);
    const userId = pk.slice(pk.indexOf(':') + 1);
    if (!live || !live.members.has(userId)) v.push(`${pk} is mapped to ${key} but is not a member there`);
  }
  return v;
}
