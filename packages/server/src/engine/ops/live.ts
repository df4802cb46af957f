import { LiveEndedReason, type EventFrame, type LiveUserInfo, type ParsedRequestPayload } from '@onseat/protocol';
import { liveKeyOf, type Connection } from '../Connection.js';
import type { EngineCore } from '../core.js';
import { fail } from '../EngineError.js';
import { Live } from '../Live.js';
import { newLiveRecord } from '../newLive.js';
import type { LiveRecord } from '../state.js';
import { membershipAudience, removeMember } from './members.js';

/**
 * The live lifecycle: start, join, leave, end, sync, list, info, and the user's own profile. Unlike the commands in
 * ./index.ts these act on the engine (which live a user is in, creating and dropping lives), not on one live alone.
 */

export async function startLive(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.start'>) {
  const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
  const current = core.presence.liveKeyOf(conn.principal);
  if (current === key) fail('ALREADY_IN_ROOM', 'You are already in this live');
  if (current !== undefined) fail('ALREADY_IN_OTHER_LIVE');
  if (core.lives.has(key)) fail('LIVE_ID_OCCUPIED');
  const record = newLiveRecord(key, conn.principal.sdkAppId, core.presence.profile(conn.principal), p, core.clock.now());
  const placeholder = new Live(record, core.clock, () => {});
  core.lives.set(key, placeholder); // reserve the key before the first await
  let created: boolean;
  try {
    created = await core.store.createLive(record);
  } finally {
    core.lives.delete(key);
  }
  if (!created) fail('LIVE_ID_OCCUPIED');
  core.forgetEnded(key);
  const live = core.adoptLive(record);
  return { snapshot: await enter(core, live, conn) };
}

export async function joinLive(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.join'>) {
  const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
  const live = core.lives.get(key);
  if (!live || live.ended) return core.noSuchLive(key, p.liveId);
  const current = core.presence.liveKeyOf(conn.principal);
  if (current === key) {
    core.presence.reattach(live, conn);
    await core.publisher.idle();
    return { snapshot: live.snapshotFor(conn.principal.userId) };
  }
  if (current !== undefined) fail('ALREADY_IN_OTHER_LIVE');
  if (live.members.size >= core.limits.maxMembersPerLive) fail('LIVE_USER_FULL');
  return { snapshot: await enter(core, live, conn) };
}

async function enter(core: EngineCore, live: Live, conn: Connection) {
  const { userId, sdkAppId } = conn.principal;
  const user = core.presence.profile(conn.principal);
  const joinedAt = core.clock.now();
  await core.runOnLive(live, () => {
    live.members.set(userId, { user, joinedAt, conn, graceTimer: null });
    core.presence.enterLive(sdkAppId, userId, live.key);
    core.publisher.memberJoined(live, { user, joinedAt });
    if (userId === live.record.owner.userId) {
      if (live.abandonTimer) core.clock.clearTimer(live.abandonTimer);
      live.abandonTimer = null;
      return;
    }
    live.record.totalViewerCount++;
    live.emit('audience.joined', { user: live.audienceWire(userId) }, membershipAudience(live));
    core.countChanged(live);
  });
  return live.snapshotFor(userId);
}

export async function leaveLive(core: EngineCore, conn: Connection) {
  const live = core.currentLive(conn);
  await core.runOnLive(live, () => removeMember(live, conn.principal.userId, core.hooks));
  return {};
}

export async function endLiveByOwner(core: EngineCore, conn: Connection) {
  const live = core.currentLive(conn);
  if (live.record.owner.userId !== conn.principal.userId) fail('NEED_OWNER_PERMISSION', 'Only the owner may end the live');
  await core.finishLive(live, LiveEndedReason.EndedByHost);
  return {};
}

export async function listLives(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.list'>) {
  const page = await core.store.listLives(conn.principal.sdkAppId, p.cursor ?? '', p.count ?? 20);
  return { lives: page.lives.map((r) => infoOf(core, r)), cursor: page.cursor };
}

function infoOf(core: EngineCore, record: LiveRecord) {
  const live = core.lives.get(record.key);
  return live ? live.infoWire() : new Live(record, core.clock, () => {}).infoWire();
}

export async function liveInfo(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.info'>) {
  const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
  const live = core.lives.get(key);
  if (!live || live.ended) return core.noSuchLive(key, p.liveId);
  return { live: live.infoWire() };
}

/** Catch-up after a reconnect: the events addressed to the user since `sinceSeq`, or a snapshot. */
export async function syncLive(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.sync'>) {
  const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
  const live = core.lives.get(key);
  if (!live || live.ended) return core.noSuchLive(key, p.liveId);
  const { userId } = conn.principal;
  if (!live.members.has(userId)) return fail('USER_NOT_IN_LIVE', 'You are no longer in this live; join it again');
  core.presence.reattach(live, conn);
  // What is logged is what was committed; wait for the tick in flight so the log and the snapshot agree.
  await core.publisher.idle();
  const snapshot = () => ({ mode: 'snapshot' as const, snapshot: live.snapshotFor(userId) });
  if (p.sinceSeq === 0 || p.sinceSeq > live.record.seq) return snapshot();
  const logged = await core.store.eventsAfter(live.key, p.sinceSeq);
  if (!logged) return snapshot();
  const events = logged.filter((e) => e.to === 'all' || e.to.includes(userId)).map((e) => JSON.parse(e.frame) as EventFrame);
  return { mode: 'events' as const, events };
}

export async function setSelfInfo(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'user.setSelfInfo'>) {
  const prev = core.presence.profile(conn.principal);
  const user: LiveUserInfo = { userId: prev.userId, userName: p.userName ?? prev.userName, avatarUrl: p.avatarUrl ?? prev.avatarUrl };
  core.presence.setProfile(conn.principal, user);
  const key = core.presence.liveKeyOf(conn.principal);
  const live = key === undefined ? undefined : core.lives.get(key);
  const member = live?.members.get(user.userId);
  if (live && member) {
    await core.runOnLive(live, () => {
      member.user = user;
      core.publisher.memberJoined(live, { user, joinedAt: member.joinedAt });
      if (user.userId === live.record.owner.userId) live.record.owner = { ...user };
      if (live.seatOf(user.userId)) live.emitSeats();
      if (user.userId !== live.record.owner.userId) {
        live.emit('audience.memberChanged', { user: live.audienceWire(user.userId) }, membershipAudience(live));
      }
    });
  }
  return { user };
}
