import { OnseatContext, type OnseatClientOptions } from './context.js';
import type { LiveClient } from './LiveClient.js';
import { CoGuestStore } from './stores/CoGuestStore.js';
import { LiveAudienceStore } from './stores/LiveAudienceStore.js';
import { LiveListStore } from './stores/LiveListStore.js';
import { LiveSeatStore } from './stores/LiveSeatStore.js';
import { LoginStore } from './stores/LoginStore.js';

/** One set of stores sharing the LiveClient that `login.login()` creates. */
export interface OnseatClient {
  /** The connection (null before login and after logout). */
  readonly client: LiveClient | null;
  readonly login: LoginStore;
  readonly liveList: LiveListStore;
  readonly liveSeat: LiveSeatStore;
  readonly coGuest: CoGuestStore;
  readonly liveAudience: LiveAudienceStore;
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
  const login = new LoginStore(ctx);
  return {
    get client() {
      return ctx.client;
    },
    login,
    liveList,
    liveSeat,
    coGuest,
    liveAudience,
  };
}
