import { OnseatContext, type OnseatClientOptions } from './context.js';
import type { LiveClient } from './LiveClient.js';
import { LiveMedia, type PublishLikely } from './media/LiveMedia.js';
import { CoGuestStore, type CoGuestSnapshot } from './stores/CoGuestStore.js';
import { DeviceStore } from './stores/DeviceStore.js';
import { RemoteMediaStore } from './stores/RemoteMediaStore.js';
import { MediaStatsStore } from './stores/MediaStatsStore.js';
import { LiveAudienceStore } from './stores/LiveAudienceStore.js';
import { LiveListStore } from './stores/LiveListStore.js';
import { LiveSeatStore } from './stores/LiveSeatStore.js';
import { LoginStore } from './stores/LoginStore.js';
import { BarrageStore } from './stores/BarrageStore.js';
import { LiveGiftStore } from './stores/LiveGiftStore.js';

/** One set of stores sharing the LiveClient that `login.login()` creates. */
export interface OnseatClient {
  /** The connection (null before login and after logout). */
  readonly client: LiveClient | null;
  readonly login: LoginStore;
  readonly liveList: LiveListStore;
  readonly liveSeat: LiveSeatStore;
  readonly coGuest: CoGuestStore;
  readonly liveAudience: LiveAudienceStore;
  /** Local microphone, camera and screen share (AtomicX DeviceState). */
  readonly device: DeviceStore;
  /** The audio/video of the other users in your live. */
  readonly remoteMedia: RemoteMediaStore;
  /** Chat of the current live (AtomicX BarrageState). */
  readonly barrage: BarrageStore;
  /** Gift catalogue, gifts and likes (AtomicX LiveGiftState). */
  readonly liveGift: LiveGiftStore;
  /** Network quality and stream statistics (refreshed every 2 s while subscribed to, or read through `touch()`). */
  readonly mediaStats: MediaStatsStore;
}

/**
 * How soon the local user may publish: on a seat, or applying / invited (audience side, `invitees` lists the inviting
 * hosts; a host's own invitations do not count, since a host is seated).
 */
function publishLikely(s: CoGuestSnapshot, me: string): PublishLikely {
  if (s.connected.some((u) => u.userId === me)) return 'seated';
  return s.applicants.some((u) => u.userId === me) || s.invitees.length > 0 ? 'pending' : 'none';
}

/**
 * Create an independent set of AtomicX-style stores. Nothing connects until `login.login({sdkAppId, userId,
 * userSig, serverUrl?})`. Several instances can live in one process (one per user, e.g. in tests or bots).
 */
export function createOnseatClient(options: OnseatClientOptions = {}): OnseatClient {
  const ctx = new OnseatContext(options);
  // Stores hear the client's events in this order: the seat list is applied before the co-guest events that follow it.
  const liveList = new LiveListStore(ctx);
  const liveSeat = new LiveSeatStore(ctx);
  const coGuest = new CoGuestStore(ctx);
  const liveAudience = new LiveAudienceStore(ctx);
  const barrage = new BarrageStore(ctx);
  const liveGift = new LiveGiftStore(ctx);
  const login = new LoginStore(ctx);
  // Media hears a live's events after the stores above (a seat list is applied before it opens anything).
  const media = new LiveMedia(ctx, options.media);
  const device = new DeviceStore(ctx, media);
  const remoteMedia = new RemoteMediaStore(ctx, media);
  const mediaStats = new MediaStatsStore(ctx, media);
  // A seated user, an applicant and an invited user may publish soon: keep their publish transport ready.
  coGuest.subscribe((s) => media.setPublishLikely(publishLikely(s, ctx.userId)));
  return {
    get client() {
      return ctx.client;
    },
    login,
    liveList,
    liveSeat,
    coGuest,
    liveAudience,
    device,
    remoteMedia,
    barrage,
    liveGift,
    mediaStats,
  };
}
