import type { LiveUserInfo } from '@onseat/protocol';
import type { Live } from './Live.js';

interface Pending {
  live: Live;
  /** userId → the latest profile submitted in this tick. */
  users: Map<string, LiveUserInfo>;
  done: Promise<void>;
}

/**
 * Profile changes of members (user.setSelfInfo, a new token) fan out to their whole live, so they are coalesced:
 * the changes submitted to one live in one turn of the event loop are applied together, at its end, keeping only the
 * latest profile of each user; one command on the live then tells the members about each changed user once.
 */
export class SelfInfoCoalescer {
  readonly #pending = new Map<string, Pending>();
  readonly #apply: (live: Live, users: ReadonlyMap<string, LiveUserInfo>) => Promise<void>;

  constructor(apply: (live: Live, users: ReadonlyMap<string, LiveUserInfo>) => Promise<void>) {
    this.#apply = apply;
  }

  /** Resolves when the change was applied, committed and delivered (with the others of its tick). */
  submit(live: Live, user: LiveUserInfo): Promise<void> {
    let p = this.#pending.get(live.key);
    if (!p) {
      const users = new Map<string, LiveUserInfo>();
      const done = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          this.#pending.delete(live.key);
          this.#apply(live, users).then(resolve, reject);
        });
      });
      p = { live, users, done };
      this.#pending.set(live.key, p);
    }
    p.users.set(user.userId, user);
    return p.done;
  }
}
