import {
  Role,
  type ApplicationInfo,
  type AudienceInfo,
  type EventPayload,
  type EventType,
  type InvitationInfo,
  type LiveInfo,
  type LiveSnapshot,
  type LiveUserInfo,
  type SeatInfo,
} from '@onseat/protocol';
import type { Connection } from './Connection.js';
import type { Clock, TimerHandle } from './Clock.js';
import type { LiveRecord, OccupantRecord, RequestRecord, SeatRecord } from './state.js';
import type { LiveChat } from '../chat/LiveChat.js';
import { giftTotalsOf } from './ops/gifts.js';

/** A member while in the live on this node. `conn` is null during the reconnect grace period. */
export interface Member {
  user: LiveUserInfo;
  joinedAt: number;
  /** Position in join order on this node (audience.list cursors): increases with every join. */
  joinNo: number;
  conn: Connection | null;
  graceTimer: TimerHandle | null;
}

/** Recipients of an event: everyone, the hosts (owner + admins) plus some users, or just some users. */
export type Audience = 'all' | { hosts: true; plus?: string[] } | { users: string[] };

export interface OutgoingEvent {
  type: EventType;
  payload: unknown;
  to: Audience;
}

/** How a request ended, kept for a while so a late second decision can say who won. */
export interface EndedRequest {
  requestId: string;
  status: string;
  byUserId: string;
}

/**
 * One live on this node: its record (persistent state), its members and its timers. Commands (in ./ops) mutate it
 * and queue events with `emit`; the Engine flushes the queue (assigns seq, serialises once, delivers, logs).
 */
export class Live {
  readonly record: LiveRecord;
  readonly members = new Map<string, Member>();
  /** The last `joinNo` given. */
  joins = 0;
  readonly requestTimers = new Map<string, TimerHandle>();
  readonly recentlyEnded = new Map<string, EndedRequest>();
  readonly outbox: OutgoingEvent[] = [];
  /** Connections of members removed by the current command, so events addressed to them still reach them. */
  readonly departed = new Map<string, Connection>();
  ended = false;
  countTimer: TimerHandle | null = null;
  /** Armed while the owner is not in the live: ends it when they stay away too long. */
  abandonTimer: TimerHandle | null = null;
  lastEmittedCount = -1;
  /** Chat state (history ring, pending batch); created by the ChatService on the first message. Never in the event log. */
  chat: LiveChat | undefined;

  constructor(
    record: LiveRecord,
    readonly clock: Clock,
    private readonly onDeadline: (live: Live, requestId: string) => void,
  ) {
    this.record = record;
  }

  get key(): string {
    return this.record.key;
  }

  // ---- roles -------------------------------------------------------------------------------------------------

  roleOf(userId: string): Role {
    if (userId === this.record.owner.userId) return Role.Owner;
    return this.record.admins.includes(userId) ? Role.Administrator : Role.GeneralUser;
  }

  isHost(userId: string): boolean {
    return this.roleOf(userId) !== Role.GeneralUser;
  }

  /** Owner and admins who are members now (from the short admin list, not a scan of the members). */
  hostIds(): string[] {
    const ids: string[] = [];
    const { owner, admins } = this.record;
    if (this.members.has(owner.userId)) ids.push(owner.userId);
    for (const id of admins) if (id !== owner.userId && this.members.has(id)) ids.push(id);
    return ids;
  }

  /** Members other than the owner. */
  audienceCount(): number {
    return this.members.size - (this.members.has(this.record.owner.userId) ? 1 : 0);
  }

  userInfo(userId: string): LiveUserInfo {
    const m = this.members.get(userId);
    if (m) return m.user;
    if (userId === this.record.owner.userId) return this.record.owner;
    return { userId, userName: userId, avatarUrl: '' };
  }

  // ---- seats -------------------------------------------------------------------------------------------------

  seatOf(userId: string): SeatRecord | undefined {
    return this.record.seats.find((s) => s.occupant?.userId === userId);
  }

  firstFreeSeat(): SeatRecord | undefined {
    return this.record.seats.find((s) => !s.locked && !s.occupant);
  }

  occupy(seat: SeatRecord, userId: string): void {
    const occupant: OccupantRecord = {
      userId,
      microphoneOn: false,
      cameraOn: false,
      microphoneLocked: false,
      cameraLocked: false,
      since: this.clock.now(),
    };
    seat.occupant = occupant;
  }

  // ---- requests ----------------------------------------------------------------------------------------------

  applicationOf(userId: string): RequestRecord | undefined {
    return this.record.applications.find((r) => r.userId === userId);
  }

  invitationOf(userId: string): RequestRecord | undefined {
    return this.record.invitations.find((r) => r.userId === userId);
  }

  addRequest(r: RequestRecord): void {
    (r.kind === 'application' ? this.record.applications : this.record.invitations).push(r);
    this.armDeadline(r);
  }

  armDeadline(r: RequestRecord): void {
    if (r.deadline === null) return;
    const t = this.clock.setTimer(() => this.onDeadline(this, r.requestId), r.deadline - this.clock.now());
    this.requestTimers.set(r.requestId, t);
  }

  disarm(requestId: string): void {
    const t = this.requestTimers.get(requestId);
    if (t !== undefined) this.clock.clearTimer(t);
    this.requestTimers.delete(requestId);
  }

  forget(r: RequestRecord, byUserId: string): void {
    const list = r.kind === 'application' ? this.record.applications : this.record.invitations;
    const i = list.indexOf(r);
    if (i >= 0) list.splice(i, 1);
    if (r.kind === 'application') {
      this.recentlyEnded.set(r.userId, { requestId: r.requestId, status: r.status, byUserId });
      if (this.recentlyEnded.size > 256) this.recentlyEnded.delete(this.recentlyEnded.keys().next().value as string);
    }
  }

  findRequest(requestId: string): RequestRecord | undefined {
    return this.record.applications.find((r) => r.requestId === requestId) ?? this.record.invitations.find((r) => r.requestId === requestId);
  }

  /** This node lets go of the live (it ended, or another node owns it now): every timer stops. Idempotent. */
  close(): void {
    this.disarmAll();
  }

  disarmAll(): void {
    for (const t of this.requestTimers.values()) this.clock.clearTimer(t);
    this.requestTimers.clear();
    if (this.countTimer) this.clock.clearTimer(this.countTimer);
    this.countTimer = null;
    if (this.abandonTimer) this.clock.clearTimer(this.abandonTimer);
    this.abandonTimer = null;
    for (const m of this.members.values()) {
      if (m.graceTimer) this.clock.clearTimer(m.graceTimer);
      m.graceTimer = null;
    }
  }

  // ---- events ------------------------------------------------------------------------------------------------

  emit<T extends EventType>(type: T, payload: EventPayload<T>, to: Audience): void {
    this.outbox.push({ type, payload, to });
  }

  emitSeats(): void {
    this.emit('seat.listChanged', { seats: this.seatsWire() }, 'all');
  }

  // ---- wire views --------------------------------------------------------------------------------------------

  seatsWire(): SeatInfo[] {
    return this.record.seats.map((s) => {
      const o = s.occupant;
      return {
        index: s.index,
        isLocked: s.locked,
        isAudioLocked: o?.microphoneLocked ?? false,
        isVideoLocked: o?.cameraLocked ?? false,
        userInfo: o
          ? {
              ...this.userInfo(o.userId),
              role: this.roleOf(o.userId),
              microphoneStatus: o.microphoneOn ? 1 : 0,
              cameraStatus: o.cameraOn ? 1 : 0,
              allowOpenMicrophone: !o.microphoneLocked,
              allowOpenCamera: !o.cameraLocked,
              onSeatTimestamp: o.since,
            }
          : null,
      };
    });
  }

  infoWire(): LiveInfo {
    return liveInfoOf(this.record, this.audienceCount());
  }

  applicationWire(r: RequestRecord): ApplicationInfo {
    return { requestId: r.requestId, user: this.userInfo(r.userId), seatIndex: r.seatIndex, createdAt: r.createdAt, deadline: r.deadline };
  }

  invitationWire(r: RequestRecord): InvitationInfo {
    return {
      requestId: r.requestId,
      host: this.userInfo(r.hostId),
      guest: this.userInfo(r.userId),
      seatIndex: r.seatIndex,
      createdAt: r.createdAt,
      deadline: r.deadline,
    };
  }

  audienceWire(userId: string): AudienceInfo {
    const m = this.members.get(userId);
    const info: AudienceInfo = { ...this.userInfo(userId), role: this.roleOf(userId), joinedTimestamp: m?.joinedAt ?? 0 };
    if (this.record.messageBanned?.includes(userId)) info.isMessageDisabled = true;
    return info;
  }

  /** The live as `userId` may see it: hosts see every pending request, others only their own. */
  snapshotFor(userId: string): LiveSnapshot {
    const host = this.isHost(userId);
    return {
      seq: this.record.seq,
      live: this.infoWire(),
      seats: this.seatsWire(),
      applications: this.record.applications.filter((r) => host || r.userId === userId).map((r) => this.applicationWire(r)),
      invitations: this.record.invitations.filter((r) => host || r.userId === userId).map((r) => this.invitationWire(r)),
      self: { userId, role: this.roleOf(userId) },
      audienceCount: this.audienceCount(),
      metadata: { ...this.record.metadata },
      barrage: this.chat?.history.toArray() ?? [],
      messageBannedUsers: (this.record.messageBanned ?? []).map((id) => ({ ...this.userInfo(id) })),
      totalLikes: this.record.likes ?? 0,
      giftTotals: giftTotalsOf(this.record),
    };
  }
}

/** A live's public description from its record and its audience count (also for lives another node owns). */
export function liveInfoOf(r: LiveRecord, audienceCount: number): LiveInfo {
  return {
    liveId: r.liveId,
    liveName: r.liveName,
    notice: r.notice,
    coverUrl: r.coverUrl,
    backgroundUrl: r.backgroundUrl,
    categoryList: [...r.categoryList],
    activityStatus: r.activityStatus,
    isPublicVisible: r.isPublicVisible,
    isMessageDisable: r.isMessageDisable,
    isGiftEnabled: r.isGiftEnabled,
    isSeatEnabled: r.isSeatEnabled,
    keepOwnerOnSeat: r.keepOwnerOnSeat,
    seatMode: r.seatMode,
    maxSeatCount: r.seats.length,
    layoutTemplate: r.layoutTemplate,
    liveOwner: { ...r.owner },
    currentViewerCount: audienceCount,
    totalViewerCount: r.totalViewerCount,
    createTime: r.createTime,
  };
}
