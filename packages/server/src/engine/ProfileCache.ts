import type { LiveUserInfo } from '@onseat/protocol';
import { principalKey, type Principal } from './Connection.js';

interface Entry {
  profile: LiveUserInfo;
  /** The name and avatar of the token the profile was last refreshed from. */
  tokenName: string;
  tokenAvatar: string;
}

/** Default number of users whose profile is remembered. */
export const PROFILE_CACHE_SIZE = 100_000;

const fromToken = (p: Principal): LiveUserInfo => ({ userId: p.userId, userName: p.userName, avatarUrl: p.avatarUrl });

/**
 * Users' profiles (name, avatar), least recently used dropped beyond `capacity`. A profile starts as the token's; a
 * `user.setSelfInfo` changes it; a login with a token whose name or avatar differ from the previous token's refreshes
 * those fields (so a name changed in the app's user system shows without a restart), while a login with the same
 * token keeps what the user set. A dropped profile falls back to the user's token at the next login.
 */
export class ProfileCache {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;

  constructor(capacity = PROFILE_CACHE_SIZE) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** A login with this token: returns the profile when the token changed it (or it is new), else undefined. */
  login(p: Principal): { profile: LiveUserInfo; changed: boolean } {
    const k = principalKey(p);
    const e = this.#entries.get(k);
    if (!e) {
      const profile = fromToken(p);
      this.#put(k, { profile, tokenName: p.userName, tokenAvatar: p.avatarUrl });
      return { profile, changed: false };
    }
    let changed = false;
    let { profile } = e;
    if (p.userName !== e.tokenName && p.userName !== profile.userName) {
      profile = { ...profile, userName: p.userName };
      changed = true;
    }
    if (p.avatarUrl !== e.tokenAvatar && p.avatarUrl !== profile.avatarUrl) {
      profile = { ...profile, avatarUrl: p.avatarUrl };
      changed = true;
    }
    this.#put(k, { profile, tokenName: p.userName, tokenAvatar: p.avatarUrl });
    return { profile, changed };
  }

  /** The user's profile (their token's when none is remembered). */
  get(p: Principal): LiveUserInfo {
    return this.#entries.get(principalKey(p))?.profile ?? fromToken(p);
  }

  set(p: Principal, profile: LiveUserInfo): void {
    const k = principalKey(p);
    const e = this.#entries.get(k);
    this.#put(k, { profile, tokenName: e?.tokenName ?? p.userName, tokenAvatar: e?.tokenAvatar ?? p.avatarUrl });
  }

  #put(k: string, e: Entry): void {
    this.#entries.delete(k);
    this.#entries.set(k, e);
    while (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
