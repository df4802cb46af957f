import type { LiveSnapshot, RequestPayload } from '@onseat/protocol';
import type { AnyLiveEvent, LiveExit } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import { OnseatError } from '../errors.js';
import type { FetchLiveListParams, JoinLiveParams, LiveInfo, LiveListEventMap, StartLiveParams, UpdateLiveInfoParams } from '../types.js';
import { emptyLiveInfo, toLiveInfo } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link LiveListStore}. */
export interface LiveListSnapshot {
  /** Lives fetched with `fetchLiveList`. */
  liveList: readonly LiveInfo[];
  /** Cursor of the next page; '' = last page. */
  liveListCursor: string;
  /**
   * The live you are in. After your own leave/end: an empty LiveInfo (liveId ''); null before any live, after the
   * live ended, or after you were removed.
   */
  currentLive: LiveInfo | null;
}

type StartPayload = RequestPayload<'live.start'>;
const START_FIELDS = [
  'liveName',
  'notice',
  'coverUrl',
  'backgroundUrl',
  'categoryList',
  'activityStatus',
  'isPublicVisible',
  'isGiftEnabled',
  'seatMode',
  'maxSeatCount',
  'seatTemplate',
  'seatLayoutTemplateId',
  'isSeatEnabled',
  'keepOwnerOnSeat',
] as const;
const UPDATE_FIELDS = [
  'liveName',
  'notice',
  'coverUrl',
  'backgroundUrl',
  'categoryList',
  'activityStatus',
  'isPublicVisible',
  'isMessageDisable',
  'isGiftEnabled',
] as const;

/** AtomicX LiveListState: the live lifecycle (start/join/leave/end), the live list and metadata. */
export class LiveListStore extends Store<LiveListSnapshot, LiveListEventMap> {
  constructor(ctx: OnseatContext) {
    super(ctx, { liveList: [], liveListCursor: '', currentLive: null });
    ctx.addSink({
      liveSnapshot: (snapshot: LiveSnapshot) => this.setState({ currentLive: toLiveInfo(snapshot.live) }),
      liveEvent: (event: AnyLiveEvent) => this.#onEvent(event),
      liveExit: (exit: LiveExit) => this.#onExit(exit),
    });
  }

  /** Create a live and enter it as its owner. Seats from `seatTemplate`, `seatLayoutTemplateId` or `maxSeatCount`. */
  async startLive(params: StartLiveParams): Promise<void> {
    const payload: StartPayload = { liveId: params.liveId };
    const target = payload as Record<string, unknown>;
    for (const key of START_FIELDS) if (params[key] !== undefined) target[key] = params[key];
    const noMessages = params.isMessageDisableForAllUser ?? params.isMessageDisable;
    if (noMessages !== undefined) payload.isMessageDisable = noMessages;
    const preset = this.getSnapshot().currentLive;
    const hasSeats = params.seatTemplate ?? params.seatLayoutTemplateId ?? params.maxSeatCount;
    if (hasSeats === undefined && preset && !preset.liveId && preset.layoutTemplate > 0) {
      payload.seatLayoutTemplateId = preset.layoutTemplate; // set before going live with updateLiveInfo
    }
    await this.ctx.request('live.start', payload);
  }

  /** Older name of {@link startLive}. */
  createLive(params: StartLiveParams): Promise<void> {
    return this.startLive(params);
  }

  /** Enter a live as audience. */
  async joinLive(params: JoinLiveParams): Promise<void> {
    await this.ctx.request('live.join', { liveId: params.liveId });
  }

  /** Leave the live (it keeps running; nobody is notified). `currentLive` becomes an empty LiveInfo. */
  async leaveLive(): Promise<void> {
    await this.ctx.request('live.leave', {});
  }

  /** End your live for everyone (owner only). `currentLive` becomes an empty LiveInfo. */
  async endLive(): Promise<void> {
    await this.ctx.request('live.end', {});
  }

  /** Fetch a page of lives into `liveList` (cursor '' replaces the list, another appends). Resolves undefined. */
  async fetchLiveList(params: FetchLiveListParams = {}): Promise<void> {
    const cursor = params.cursor ?? '';
    const payload: RequestPayload<'live.list'> = { count: params.count ?? 20 };
    if (cursor) payload.cursor = cursor;
    const result = await this.ctx.request('live.list', payload);
    const page = result.lives.map(toLiveInfo);
    let liveList: LiveInfo[];
    if (!cursor) liveList = page;
    else {
      const seen = new Set(this.getSnapshot().liveList.map((l) => l.liveId));
      liveList = [...this.getSnapshot().liveList, ...page.filter((l) => !seen.has(l.liveId))];
    }
    this.setState({ liveList, liveListCursor: result.cursor });
  }

  /** Read one live's info. */
  async fetchLiveInfo(liveId: string): Promise<LiveInfo> {
    const { live } = await this.ctx.request('live.info', { liveId });
    return toLiveInfo(live);
  }

  /** In a live: change its info on the server. Not in a live: only merge into the local `currentLive` (pre-live setup). */
  async updateLiveInfo(input: UpdateLiveInfoParams): Promise<void> {
    const { isMessageDisableForAllUser, ...rest } = input;
    const params: UpdateLiveInfoParams = isMessageDisableForAllUser === undefined ? rest : { ...rest, isMessageDisable: isMessageDisableForAllUser };
    const layout = params.layoutTemplate ?? params.seatTemplate;
    if (!this.ctx.liveId) {
      const base = this.getSnapshot().currentLive ?? emptyLiveInfo();
      const next: Record<string, unknown> = { ...base };
      for (const key of UPDATE_FIELDS) if (params[key] !== undefined) next[key] = params[key];
      if (layout !== undefined) Object.assign(next, { layoutTemplate: layout, seatTemplate: layout });
      if (params.isMessageDisable !== undefined) next['isMessageDisableForAllUser'] = params.isMessageDisable;
      this.setState({ currentLive: next as unknown as LiveInfo });
      return;
    }
    const payload: RequestPayload<'live.update'> = {};
    const target = payload as Record<string, unknown>;
    for (const key of UPDATE_FIELDS) if (params[key] !== undefined) target[key] = params[key];
    if (layout !== undefined) payload.layoutTemplate = layout;
    const { live } = await this.ctx.request('live.update', payload);
    if (this.ctx.liveId === live.liveId) this.setState({ currentLive: toLiveInfo(live) });
  }

  /** Read metadata of the current live (all keys when `keys` is empty). */
  async queryMetaData(params: { keys?: string[] } = {}): Promise<Record<string, string>> {
    const payload: RequestPayload<'live.getMetadata'> = {};
    if (params.keys && params.keys.length > 0) payload.keys = params.keys;
    const { metadata } = await this.ctx.request('live.getMetadata', payload);
    return metadata;
  }

  /** Set metadata of the current live from a JSON object string (non-string values are stored as JSON; '' deletes). */
  async updateLiveMetaData(params: { metaData: string }): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(params.metaData);
    } catch {
      throw OnseatError.of('INVALID_PARAMETER', 'metaData must be a JSON object string');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw OnseatError.of('INVALID_PARAMETER', 'metaData must be a JSON object string');
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
    await this.ctx.request('live.setMetadata', { metadata });
  }

  /** Clear the list, the cursor and `currentLive`. */
  reset(): void {
    this.resetState();
  }

  #onEvent(event: AnyLiveEvent): void {
    const current = this.getSnapshot().currentLive;
    if (event.type === 'live.infoChanged') this.setState({ currentLive: toLiveInfo(event.payload.live) });
    else if (event.type === 'audience.countChanged' && current) {
      this.setState({ currentLive: { ...current, currentViewerCount: event.payload.count } });
    }
  }

  #onExit(exit: LiveExit): void {
    if (exit.cause === 'left') return this.setState({ currentLive: emptyLiveInfo() });
    this.setState({ currentLive: null });
    if (exit.cause === 'ended') this.emit('onLiveEnded', { liveId: exit.liveId, reason: exit.reason, message: '' });
    if (exit.cause === 'kicked') this.emit('onKickedOutOfLive', { liveId: exit.liveId, reason: exit.reason, message: '' });
  }
}
