import type { AudienceInfo as WireAudience, LiveSnapshot } from '@onseat/protocol';
import type { AnyLiveEvent } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import type { AudienceInfo, LiveAudienceEventMap } from '../types.js';
import { toAudience } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link LiveAudienceStore}. */
export interface LiveAudienceSnapshot {
  /** Administrators and audience (not the owner). */
  audienceList: readonly AudienceInfo[];
  /** Members of the live, as the server counts them. */
  audienceCount: number;
}

/** AtomicX LiveAudienceState: who is watching, and the owner's member controls. */
export class LiveAudienceStore extends Store<LiveAudienceSnapshot, LiveAudienceEventMap> {
  constructor(ctx: OnseatContext) {
    super(ctx, { audienceList: [], audienceCount: 0 });
    ctx.addSink({
      liveSnapshot: (snapshot: LiveSnapshot) => {
        this.setState({ audienceCount: snapshot.audienceCount });
        this.fetchAudienceList().catch((error: unknown) => this.ctx.logger.warn?.('fetchAudienceList failed', error));
      },
      liveEvent: (event: AnyLiveEvent) => this.#onEvent(event),
      liveExit: () => this.resetState(),
    });
  }

  /** Read the audience (first 100) into `audienceList` and return it. Called automatically on entering a live. */
  async fetchAudienceList(): Promise<AudienceInfo[]> {
    const liveId = this.ctx.liveId;
    const { audience } = await this.ctx.request('audience.list', { count: 100 });
    const list = audience.filter((a) => a.role !== 0).map(toAudience);
    if (this.ctx.liveId === liveId) this.setState({ audienceList: list });
    return list;
  }

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

  #onEvent(e: AnyLiveEvent): void {
    if (e.type === 'audience.countChanged') return this.setState({ audienceCount: e.payload.count });
    if (e.type === 'audience.joined') {
      if (e.payload.user.role === 0) return;
      const audience = toAudience(e.payload.user);
      this.#put(e.payload.user, true);
      return this.emit('onAudienceJoined', { audience });
    }
    if (e.type === 'audience.left') {
      if (e.payload.user.role === 0) return;
      const audience = toAudience(e.payload.user);
      this.setState({ audienceList: this.getSnapshot().audienceList.filter((a) => a.userId !== audience.userId) });
      return this.emit('onAudienceLeft', { audience });
    }
    if (e.type === 'audience.roleChanged') this.#put(e.payload.user, false);
  }

  /** Insert or update a member (`add`: append when missing; otherwise only update). */
  #put(user: WireAudience, add: boolean): void {
    const list = this.getSnapshot().audienceList;
    const info = toAudience(user);
    const at = list.findIndex((a) => a.userId === user.userId);
    if (at >= 0) this.setState({ audienceList: list.map((a, i) => (i === at ? info : a)) });
    else if (add && user.role !== 0) this.setState({ audienceList: [...list, info] });
  }
}
