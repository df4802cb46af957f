import { LiveEndedReason, type EventFrame, type LiveUserInfo, type ParsedRequestPayload } from '@onseat/protocol';
import { liveKeyOf, type Connection } from '../Connection.js';
import type { EngineCore } from '../core.js';
import { fail } from '../EngineError.js';
import { Live } from '../Live.js';
import { parseListCursor } from '../LiveIndex.js';
import { newLiveRecord } from '../newLive.js';
import { membershipAudience, removeMember } from './members.js';

/** A live.sync more than this many events behind gets a snapshot without the log being read. */
export const SYNC_MAX_EVENTS = 100;
/** A live.sync whose events would take more than this many bytes gets a snapshot instead. */
export const SYNC_MAX_BYTES = 64 * 1024;

/**
 * The live lifecycle: start, join, leave, end, sync, list, info, and the user's own profile. Unlike the commands in
 * ./index.ts these act on the engine (which live a user is in, creating and dropping lives), not on one live alone.
 */

export async function startLive(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.start'>) {
  const { sdkAppId, userId } = conn.principal;
  const key = liveKeyOf(sdkAppId, p.liveId);
  const current = core.presence.liveKeyOf(conn.principal);
  if (current === key) fail('ALREADY_IN_ROOM', 'You are already in this live');
  if (current !== undefined) fail('ALREADY_IN_OTHER_LIVE');
  if (core.lives.has(key)) fail('LIVE_ID_OCCUPIED');
  await makeRoomForOwner(core, sdkAppId, userId);
  if (core.lives.has(key)) fail('LIVE_ID_OCCUPIED');
  const count = core.index.countOf(sdkAppId);
  if (count >= core.limits.maxLivesPerApp) {
    fail('LIVE_COUNT_LIMIT', `This app has ${count} lives, the most it may have at once; start one when another has ended`, {
      limit: core.limits.maxLivesPerApp,
    });
  }
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

/**
 * A user owns at most `maxLivesPerUser` active lives. Starting one more ends (endedByServer) the oldest lives they own
 * until there is room. The user is in none of them (a user in a live cannot start another), so these are lives they
 * walked away from: without this, each would linger for `abandonedLiveMs`.
 */
async function makeRoomForOwner(core: EngineCore, sdkAppId: number, userId: string): Promise<void> {
  const owned = core.index.ownedBy(sdkAppId, userId);
  const excess = owned.length - (core.limits.maxLivesPerUser - 1);
  for (const key of owned.slice(0, Math.max(0, excess))) {
    const live = core.lives.get(key);
    if (!live || live.ended) continue;
    core.log.info({ live: key, userId }, 'owner started another live: ending their abandoned one');
    await core.finishLive(live, LiveEndedReason.EndedByServer);
  }
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
    live.members.set(userId, { user, joinedAt, joinNo: ++live.joins, conn, graceTimer: null });
    core.presence.enterLive(sdkAppId, userId, live.key);
    core.publisher.memberJoined(live, { user, joinedAt });
    if (userId === live.record.owner.userId) {
      if (live.abandonTimer) core.clock.clearTimer(live.abandonTimer);
      live.abandonTimer = null;
      // Back in their live (not its start): everyone hears it (AtomicX onOwnerJoined).
      if (live.members.size > 1) live.emit('audience.ownerJoined', { user: live.audienceWire(userId) }, 'all');
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

/** Public lives of the caller's app, newest first: one page from the engine's index (O(log n + page)). */
export function listLives(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.list'>) {
  const cursor = p.cursor ? (parseListCursor(p.cursor) ?? fail('INVALID_PARAMETER', 'cursor: not a cursor returned by live.list')) : null;
  const page = core.index.page(conn.principal.sdkAppId, cursor, p.count ?? 20);
  const lives = [];
  for (const key of page.keys) {
    const live = core.lives.get(key);
    if (live && !live.ended) lives.push(live.infoWire());
  }
  return Promise.resolve({ lives, cursor: page.cursor });
}

export async function liveInfo(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'live.info'>) {
  const key = liveKeyOf(conn.principal.sdkAppId, p.liveId);
  const live = core.lives.get(key);
  if (!live || live.ended) return core.noSuchLive(key, p.liveId);
  return { live: live.infoWire() };
}

/**
 * Catch-up after a reconnect: the events addressed to the user since `sinceSeq`, or a snapshot when they are no longer
 * kept, when the client is more than SYNC_MAX_EVENTS behind, or when they would take more than SYNC_MAX_BYTES.
 */
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
  if (p.sinceSeq === 0 || p.sinceSeq > live.record.seq || live.record.seq - p.sinceSeq > SYNC_MAX_EVENTS) return snapshot();
  const logged = await core.store.eventsAfter(live.key, p.sinceSeq);
  if (!logged) return snapshot();
  const frames: string[] = [];
  let bytes = 0;
  for (const e of logged) {
    if (e.to !== 'all' && !e.to.includes(userId)) continue;
    bytes += e.frame.length;
    if (bytes > SYNC_MAX_BYTES) return snapshot();
    frames.push(e.frame);
  }
  return { mode: 'events' as const, events: frames.map((f) => JSON.parse(f) as EventFrame) };
}

/** The caller's profile; members' lives hear of it once per tick (SelfInfoCoalescer), the reply waits for that. */
export async function setSelfInfo(core: EngineCore, conn: Connection, p: ParsedRequestPayload<'user.setSelfInfo'>) {
  const prev = core.presence.profile(conn.principal);
  const user: LiveUserInfo = { userId: prev.userId, userName: p.userName ?? prev.userName, avatarUrl: p.avatarUrl ?? prev.avatarUrl };
  core.presence.setProfile(conn.principal, user);
  const key = core.presence.liveKeyOf(conn.principal);
  const live = key === undefined ? undefined : core.lives.get(key);
  if (live?.members.has(user.userId)) await core.selfInfo.submit(live, user);
  return { user };
}

/** Applies the latest profile of each user (coalesced) to a live: stored, and told to the members once each. */
export async function applyProfiles(core: EngineCore, live: Live, users: ReadonlyMap<string, LiveUserInfo>): Promise<void> {
  if (live.ended) return;
  await core.runOnLive(live, () => {
    let seated = false;
    for (const user of users.values()) {
      const member = live.members.get(user.userId);
      if (!member) continue;
      member.user = user;
      core.publisher.memberJoined(live, { user, joinedAt: member.joinedAt });
      if (live.seatOf(user.userId)) seated = true;
      if (user.userId === live.record.owner.userId) live.record.owner = { ...user };
      else live.emit('audience.memberChanged', { user: live.audienceWire(user.userId) }, membershipAudience(live));
    }
    if (seated) live.emitSeats();
  });
}
