import type { AudienceInfo as WireAudience, LiveSnapshot } from '@onseat/protocol';
import type { AnyLiveEvent } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import type { AudienceInfo, LiveAudienceEventMap, LiveUserInfo } from '../types.js';
import { toAudience, toUser } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link LiveAudienceStore}. */
export interface LiveAudienceSnapshot {
  /** Administrators and audience (not the owner). */
  audienceList: readonly AudienceInfo[];
  /** Members of the live, as the server counts them. */
  audienceCount: number;
  /** Members the hosts banned from chatting (AtomicX v6). */
  messageBannedUserList: readonly LiveUserInfo[];
}

/** AtomicX LiveAudienceState: who is watching, and the owner's member controls. */
export class LiveAudienceStore extends Store<LiveAudienceSnapshot, LiveAudienceEventMap> {
  constructor(ctx: OnseatContext) {
    super(ctx, { audienceList: [], audienceCount: 0, messageBannedUserList: [] });
    ctx.addSink({
      liveSnapshot: (snapshot: LiveSnapshot) => {
        this.setState({ audienceCount: snapshot.audienceCount, messageBannedUserList: (snapshot.messageBannedUsers ?? []).map(toUser) });
        this.fetchAudienceList().catch((error: unknown) => this.ctx.logger.warn?.('fetchAudienceList failed', error));
      },
      liveEvent: (event: AnyLiveEvent) => this.#onEvent(event),
      liveExit: () => this.resetState(),
    });
  }

  /** Read the audience (first 100) into `audienceList` and return it. Called automatically on entering a live. */
  async fetchAudienceList(): Promise<AudienceInfo[]> {
    const liveId = this.ctx.liveId;
    // Membership events can arrive before the answer while the answer reflects an earlier moment: replay them on it.
    const seen: AnyLiveEvent[] = [];
    this.#fetches.add(seen);
    try {
      const { audience } = await this.ctx.request('audience.list', { count: 100 });
      let list: readonly AudienceInfo[] = audience.filter((a) => a.role !== 0).map(toAudience);
      for (const e of seen) list = applyMembership(list, e);
      if (this.ctx.liveId === liveId) this.setState({ audienceList: list });
      return [...list];
    } finally {
      this.#fetches.delete(seen);
    }
  }

  /** Membership events seen by each fetch in flight. */
  readonly #fetches = new Set<AnyLiveEvent[]>();

  /** Make a member an administrator (owner only). */
  async setAdministrator(params: { userId: string }): Promise<void> {
    await this.ctx.request('audience.setAdministrator', { userId: params.userId });
  }

  /** Take administrator rights back (owner only). */
  async revokeAdministrator(params: { userId: string }): Promise<void> {
    await this.ctx.request('audience.revokeAdministrator', { userId: params.userId });
  }

  /** Remove a member from the live. */
  async kickUserOutOfRoom(params: { userId: string }): Promise<void> {
    await this.ctx.request('audience.kick', { userId: params.userId });
  }

  /** Same as {@link kickUserOutOfRoom}. */
  kickUserOutOfLive(params: { userId: string }): Promise<void> {
    return this.kickUserOutOfRoom(params);
  }

  /** Ban a member from chatting (`isDisable: true`) or lift the ban. Owner and admins only; admins cannot ban admins. */
  async disableSendMessage(params: { userId: string; isDisable: boolean }): Promise<void> {
    await this.ctx.request('audience.disableSendMessage', { userId: params.userId, isDisable: params.isDisable });
  }

  #onEvent(e: AnyLiveEvent): void {
    if (e.type === 'audience.countChanged') return this.setState({ audienceCount: e.payload.count });
    if (e.type === 'audience.ownerJoined') return this.emit('onOwnerJoined', { owner: toUser(e.payload.user) });
    if (e.type === 'audience.ownerLeft') return this.emit('onOwnerLeft', { owner: toUser(e.payload.user) });
    if (e.type === 'audience.messageDisabledChanged') return this.#onMessageDisabled(e.payload.user, e.payload.isDisable);
    if (!isMembership(e)) return;
    if (e.payload.user.role === 0) return;
    for (const seen of this.#fetches) seen.push(e);
    const before = this.getSnapshot().audienceList;
    const after = applyMembership(before, e);
    if (after !== before) this.setState({ audienceList: after });
    const audience = toAudience(e.payload.user);
    const admin = e.payload.user.role === 1;
    if (e.type === 'audience.joined') {
      if (admin) this.emit('onAdminJoined', { admin: toUser(audience) });
      else this.emit('onAudienceJoined', { audience });
    }
    if (e.type === 'audience.left') {
      if (admin) this.emit('onAdminLeft', { admin: toUser(audience) });
      else this.emit('onAudienceLeft', { audience });
    }
  }

  #onMessageDisabled(user: LiveUserInfo, isDisable: boolean): void {
    const { audienceList, messageBannedUserList } = this.getSnapshot();
    const banned = messageBannedUserList.filter((u) => u.userId !== user.userId);
    this.setState({
      audienceList: audienceList.map((a) => (a.userId === user.userId ? { ...a, isMessageDisabled: isDisable } : a)),
      messageBannedUserList: isDisable ? [...banned, toUser(user)] : banned,
    });
    this.emit('onAudienceMessageDisabled', { audience: toUser(user), isDisable });
  }
}

type MembershipEvent = Extract<AnyLiveEvent, { type: 'audience.joined' | 'audience.left' | 'audience.roleChanged' | 'audience.memberChanged' }>;

function isMembership(e: AnyLiveEvent): e is MembershipEvent {
  return e.type === 'audience.joined' || e.type === 'audience.left' || e.type === 'audience.roleChanged' || e.type === 'audience.memberChanged';
}

/** The list after one membership event: join adds (or updates), leave removes, a role or profile change updates. */
function applyMembership(list: readonly AudienceInfo[], e: AnyLiveEvent): readonly AudienceInfo[] {
  if (!isMembership(e)) return list;
  const user: WireAudience = e.payload.user;
  const at = list.findIndex((a) => a.userId === user.userId);
  if (e.type === 'audience.left') return at < 0 ? list : list.filter((_, i) => i !== at);
  const info = toAudience(user);
  if (at >= 0) return list.map((a, i) => (i === at ? info : a));
  return e.type === 'audience.joined' ? [...list, info] : list;
}
