import { CloseCode, type EventFrame, type LiveUserInfo } from '@onseat/protocol';
import type { Clock } from './Clock.js';
import { principalKey, type Connection, type Principal } from './Connection.js';
import type { Live } from './Live.js';
import { ProfileCache } from './ProfileCache.js';

export interface PresenceOptions {
  clock: Clock;
  /** How long a dropped member keeps their seat, application and membership (ms). */
  reconnectGraceMs: number;
  /** The grace period of a member ran out while they had no connection: they leave the live. */
  onGraceOver: (live: Live, userId: string) => void;
  /** Users whose profile is remembered (LRU). Default PROFILE_CACHE_SIZE. */
  profileCacheSize?: number;
}

/**
 * Who is connected and where: the current connection of each user, the live each user is in, users' profiles, and
 * the grace period of members whose connection dropped.
 */
export class Presence {
  readonly #o: PresenceOptions;
  /** principal key → its current connection. */
  readonly #conns = new Map<string, Connection>();
  /** principal key → key of the live the user is in. */
  readonly userLive = new Map<string, string>();
  /** Users' profiles (LRU, refreshed from each new token). */
  readonly profiles: ProfileCache;

  constructor(options: PresenceOptions) {
    this.#o = options;
    this.profiles = new ProfileCache(options.profileCacheSize);
  }

  get connectionCount(): number {
    return this.#conns.size;
  }

  connectionOf(key: string): Connection | undefined {
    return this.#conns.get(key);
  }

  isCurrent(conn: Connection): boolean {
    return this.#conns.get(principalKey(conn.principal)) === conn;
  }

  /**
   * A connection authenticated. An older connection of the same user is told (`session.kickedOffline`) and closed;
   * returns it so its live membership can wait for a resume. `profile` is set when the token changed the profile.
   */
  attach(conn: Connection): { old: Connection | undefined; profile: LiveUserInfo | undefined } {
    const k = principalKey(conn.principal);
    const old = this.#conns.get(k);
    this.#conns.set(k, conn);
    const login = this.profiles.login(conn.principal);
    const profile = login.changed ? login.profile : undefined;
    if (!old || old === conn) return { old: undefined, profile };
    const frame: EventFrame = { kind: 'evt', type: 'session.kickedOffline', liveId: '', seq: 0, payload: { reason: 'loggedInElsewhere' } };
    old.send(JSON.stringify(frame));
    old.close(CloseCode.KICKED_OFFLINE, 'logged in elsewhere');
    return { old, profile };
  }

  /** A connection closed; true if it was the user's current one. */
  detach(conn: Connection): boolean {
    const k = principalKey(conn.principal);
    if (this.#conns.get(k) !== conn) return false;
    this.#conns.delete(k);
    return true;
  }

  profile(principal: Principal): LiveUserInfo {
    return this.profiles.get(principal);
  }

  setProfile(principal: Principal, user: LiveUserInfo): void {
    this.profiles.set(principal, user);
  }

  liveKeyOf(principal: { sdkAppId: number; userId: string }): string | undefined {
    return this.userLive.get(principalKey(principal));
  }

  enterLive(sdkAppId: number, userId: string, liveKey: string): void {
    this.userLive.set(`${sdkAppId}:${userId}`, liveKey);
  }

  leaveLive(sdkAppId: number, userId: string): void {
    this.userLive.delete(`${sdkAppId}:${userId}`);
  }

  /**
   * The member lost their connection: after the grace period (counted from `since`, when they were last heard
   * from; default now) they leave the live.
   */
  armGrace(live: Live, userId: string, since?: number): void {
    const member = live.members.get(userId);
    if (!member) return;
    const { clock } = this.#o;
    if (member.graceTimer) clock.clearTimer(member.graceTimer);
    member.graceTimer = clock.setTimer(
      () => {
        member.graceTimer = null;
        if (member.conn || live.members.get(userId) !== member) return;
        // Connected again but never resumed explicitly: keep them, on the connection they have now.
        const current = this.#conns.get(`${live.record.sdkAppId}:${userId}`);
        if (current) {
          member.conn = current;
          return;
        }
        this.#o.onGraceOver(live, userId);
      },
      Math.max(0, this.#o.reconnectGraceMs - (since === undefined ? 0 : clock.now() - since)),
    );
  }

  /** A member acting through a new connection (after a reconnect) gets its events there again. */
  reattach(live: Live, conn: Connection): void {
    const m = live.members.get(conn.principal.userId);
    if (!m || m.conn === conn) return;
    m.conn = conn;
    if (m.graceTimer) this.#o.clock.clearTimer(m.graceTimer);
    m.graceTimer = null;
  }

  /** The user's connection is gone (closed, or replaced by a newer login): their membership waits for a resume. */
  connectionLost(live: Live | undefined, conn: Connection): void {
    const member = live?.members.get(conn.principal.userId);
    if (!live || !member || member.conn !== conn) return;
    member.conn = null;
    this.armGrace(live, conn.principal.userId, conn.lastFrameAt?.());
  }
}
