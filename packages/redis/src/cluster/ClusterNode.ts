import { CloseCode, wireError } from '@onseat/protocol';
import {
  CommitError,
  liveInfoOf,
  liveKeyOf,
  parseListCursor,
  type Connection,
  type Delivery,
  type Engine,
  type EngineRequestType,
  type Reply,
} from '@onseat/server';
import { FencedError, type RedisLiveStore } from '../RedisLiveStore.js';
import type { RedisLiveBus } from '../RedisLiveBus.js';
import { viaRedis, type RedisLink } from '../RedisLink.js';
import { ACQUIRE, RELEASE, RENEW } from '../scripts.js';
import type { CmdMessage, NodeMessage, ReplyMessage, ToGatewayMessage, ToOwnerMessage } from './messages.js';
import type { NodeLinks } from './NodeLinks.js';
import { RemoteConnection } from './RemoteConnection.js';

export interface ClusterNodeOptions {
  /** The cluster's store: `live.list` pages through every live of the cluster from it (else this node's lives only). */
  store?: RedisLiveStore;
  /** Lease time to live (ms): a dead owner's lives are taken over this long after its last renewal. Default 2 000. */
  leaseTtlMs?: number;
  /** How long a forwarded command waits for the owner's answer before asking Redis again (ms). Default 1 000. */
  forwardTimeoutMs?: number;
  /** Direct links to the owners (what this node sends them goes there when a link is up, else through Redis). */
  links?: NodeLinks;
}

/** Counters the node's /metrics shows. */
export interface ClusterStats {
  forwarded: number;
  forwardFailures: number;
  /** Answers to forwarded commands that went out with their commit. */
  repliesWithCommit: number;
  /** Messages to owners (commands, attach, detach) sent on a direct link rather than through Redis. */
  viaLink: number;
  /** Commands and `attach`es refused by the owner because their socket had already closed (they came late). */
  lateForClosed: number;
  /** Forwarded commands received again (their forwarder asked again): answered from the first run, not run twice. */
  repeated: number;
  /** Commands asked again after a takeover, answered from what the former owner's commit kept, not run twice. */
  repliesFromStore: number;
  /** `media.moved` notices sent to sockets (their live's owner, and so its SFU, changed). */
  mediaMoved: number;
  takeovers: number;
  stepDowns: number;
}

/** Lives whose key comes from the payload (the user need not be in them yet). */
const BY_LIVE_ID = new Set(['live.start', 'live.join', 'live.info', 'live.sync']);
/** Commands after which the user is a member of the live, through this node. */
const ENTERS = new Set(['live.start', 'live.join', 'live.sync']);
/** What an owner accepts over a direct link (all that nodes send to owners); everything else comes through Redis. */
const LINK_TYPES = new Set(['cmd', 'attach', 'detach']);
/**
 * How long an owner remembers a socket of another node that closed: a command or `attach` of that socket arriving
 * later (it took another path, or was retried) must not bring it back as connected. Longer than any retry (ms).
 */
export const CLOSED_MEMORY_MS = 60_000;

/** This node's sockets in a live owned by another node. */
interface GatewayLive {
  conns: Map<number, Connection>;
  /** The same sockets by user (a delivery to some users looks them up). */
  byUser: Map<string, Set<Connection>>;
  unsubscribe: () => void;
  owner: string | null;
  /** The owner's lease ('nodeId/epoch') as last read by the round; null until then. */
  lease: string | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One node of a cluster. It stands between the transport and the engine: a command about a live this node owns runs
 * in its engine as on a single node; any other is forwarded to the owner (found from the live's lease in Redis) and
 * its answer comes back the same way. Ownership is a lease (`lease:{key}` = `nodeId/epoch`, TTL renewed every
 * third of it) and every commit carries the epoch, so a node that lost a lease (paused, partitioned) can never write
 * again and steps down. Lives with no lease (their owner died) are taken over by whichever node gets there first;
 * the engine reloads them from Redis, re-arming their deadlines.
 *
 * Sockets on this node whose live is owned elsewhere ("gateway" connections) get the live's deliveries through the
 * live's channel, subscribed while at least one of them is here.
 */
export class ClusterNode {
  readonly #link: RedisLink;
  readonly #bus: RedisLiveBus;
  readonly #engine: Engine;
  readonly #ttl: number;
  readonly #forwardTimeout: number;
  /**
   * How long a forwarded command's answer is remembered (on the owner, and in Redis with its commit): as long as its
   * forwarder may ask again (it gives up after TTL + 2 forward timeouts), and a timeout more.
   */
  readonly #memoryMs: number;
  readonly #store: RedisLiveStore | undefined;
  /** Fencing token ('nodeId/epoch') of every live this node owns. */
  readonly fences: Map<string, string>;
  /** Gateway connections by live, with the live's owner as last seen. */
  readonly #gateway = new Map<string, GatewayLive>();
  readonly #routeOf = new Map<Connection, string>();
  /** This node's own sockets by connection id (messages from owners name them). */
  readonly #local = new Map<number, Connection>();
  /** When this node took each lease (a lease taken for a live being created is not given back before it exists). */
  readonly #acquiredAt = new Map<string, number>();
  /** Owner side: connections on other nodes, by `node/connectionId`. */
  readonly #remotes = new Map<string, RemoteConnection>();
  readonly #pending = new Map<number, { resolve: (m: ReplyMessage | null) => void; timer: NodeJS.Timeout }>();
  /**
   * Owner side: forwarded commands run lately, by `node/id`, with their answer once known: the same command again
   * (its forwarder gave up waiting and asked again) is not run twice. Kept as long as a forwarder may ask again.
   */
  readonly #handled = new Map<string, { at: number; reply: ReplyMessage | null }>();
  /** Owner side: sockets of other nodes that closed (`node/connectionId` → when), see CLOSED_MEMORY_MS. */
  readonly #closedRemotes = new Map<string, { at: number }>();
  /** Commands sent through Redis and not answered yet, by owner: while any are, the owner's link is not used (order). */
  readonly #viaRedis = new Map<string, number>();
  readonly #links: NodeLinks | undefined;
  /** Owner of each live this node forwarded to, as last seen (forgotten when a forward fails). */
  readonly #owners = new Map<string, string>();
  /** Lives being taken over right now (one load at a time per live). */
  readonly #loading = new Map<string, Promise<boolean>>();
  #nextId = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /** The last round failed (logged once until one succeeds). */
  #failing = false;
  readonly stats: ClusterStats = {
    forwarded: 0,
    forwardFailures: 0,
    repliesWithCommit: 0,
    viaLink: 0,
    lateForClosed: 0,
    repeated: 0,
    repliesFromStore: 0,
    mediaMoved: 0,
    takeovers: 0,
    stepDowns: 0,
  };
  readonly #acquire;
  readonly #renew;
  readonly #release;

  constructor(link: RedisLink, bus: RedisLiveBus, engine: Engine, fences: Map<string, string>, options: ClusterNodeOptions = {}) {
    this.fences = fences;
    this.#link = link;
    this.#bus = bus;
    this.#engine = engine;
    this.#ttl = options.leaseTtlMs ?? 2_000;
    this.#forwardTimeout = options.forwardTimeoutMs ?? 1_000;
    this.#memoryMs = this.#ttl + 3 * this.#forwardTimeout;
    this.#store = options.store;
    this.#links = options.links;
    this.#acquire = link.script(ACQUIRE);
    this.#renew = link.script(RENEW);
    this.#release = link.script(RELEASE);
    bus.nodesOf = (liveKey, userIds) => this.#nodesOf(liveKey, userIds);
    // After this node's subscription dropped and came back, its sockets in lives owned elsewhere get what they missed
    // from the log (the owner's own members get their events in process: nothing to catch up).
    const store = options.store;
    if (store) bus.eventsAfter = (key, seq) => (this.#ownsLoaded(key) ? Promise.resolve([]) : store.eventsAfter(key, seq));
    bus.onLost = (key) => {
      for (const c of this.#gateway.get(key)?.conns.values() ?? [])
        c.close(CloseCode.SERVER_RESTARTING, 'Missed events of the live while the cluster store was away: reconnect and resume');
    };
  }

  get nodeId(): string {
    return this.#link.nodeId;
  }

  get log(): Engine['log'] {
    return this.#engine.log;
  }

  get leaseTtlMs(): number {
    return this.#ttl;
  }

  /** Joins the cluster: listens on this node's channel, starts renewing leases and taking over orphaned lives. */
  async start(): Promise<void> {
    await this.#link.listen(this.#link.keys.nodeChannel(this.nodeId), (m) => this.#onMessage(m));
    await this.#tick();
    this.#schedule();
  }

  /**
   * A commit failed (engine hook). Fenced lives belong to another node now; for any other failure (Redis away) this
   * node steps down too and takes the lives back from Redis when a command or the next round needs them, so what is
   * in memory never runs ahead of what is stored.
   */
  commitFailed = (e: CommitError): boolean => {
    const fenced = e.cause instanceof FencedError ? e.cause.liveKeys : [];
    this.#engine.log.warn({ lives: e.liveKeys, fenced, node: this.nodeId }, 'commit failed: stepping down from these lives');
    for (const key of e.liveKeys) this.#stepDown(key);
    return true;
  };

  // ---- EngineLike (what the transport calls) ------------------------------------------------------------------

  get engineStats(): { lives: number; connections: number; members: number } {
    return this.#engine.stats;
  }

  attach(conn: Connection): void {
    this.#local.set(conn.id, conn);
    this.#engine.attach(conn);
  }

  detach(conn: Connection): void {
    if (this.#local.get(conn.id) === conn) this.#local.delete(conn.id);
    this.#engine.detach(conn);
    const key = this.#routeOf.get(conn);
    if (key === undefined) return;
    const owner = this.#gateway.get(key)?.owner;
    this.#unroute(conn);
    const at = conn.lastFrameAt?.();
    if (owner && owner !== this.nodeId) this.#toOwner(owner, { t: 'detach', n: this.nodeId, c: conn.id, ...(at !== undefined ? { at } : {}) });
  }

  async execute(conn: Connection, type: EngineRequestType, payload: never): Promise<Reply> {
    if (type === 'live.list' && this.#store) return this.#list(conn, payload);
    const key = this.#target(conn, type, payload);
    if (key === null || this.#ownsLoaded(key)) return this.#engine.execute(conn, type, payload);
    const routed = this.#routeOf.get(conn);
    const local = this.#engine.presence.liveKeyOf(conn.principal);
    if ((type === 'live.start' || type === 'live.join') && ((routed !== undefined && routed !== key) || (local !== undefined && local !== key))) {
      return { ok: false, error: wireError('ALREADY_IN_OTHER_LIVE') };
    }
    return this.#remote(conn, key, type, payload);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#engine.drain().catch(() => undefined);
    await this.#engine.close();
    // Hand the lives over at once rather than after the TTL.
    await Promise.all([...this.fences].map(([key, fence]) => this.#release(key, fence).catch(() => undefined)));
    this.fences.clear();
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    await this.#links?.close();
    await this.#link.close();
  }

  /** `live.list`: every public live of the cluster (from Redis), with its audience count as its owner last stored it. */
  async #list(conn: Connection, p: { cursor?: string; count?: number }): Promise<Reply> {
    if (p.cursor && !parseListCursor(p.cursor))
      return { ok: false, error: wireError('INVALID_PARAMETER', 'cursor: not a cursor returned by live.list') };
    try {
      const page = await this.#store!.listPage(conn.principal.sdkAppId, p.cursor ?? '', p.count ?? 20);
      return { ok: true, payload: { lives: page.lives.map((l) => liveInfoOf(l.record, l.audienceCount)), cursor: page.cursor } };
    } catch {
      return { ok: false, error: wireError('STORE_UNAVAILABLE', 'The cluster store (Redis) cannot be reached; try again') };
    }
  }

  // ---- routing ------------------------------------------------------------------------------------------------

  /** The live a command is about, or null when it is about none (or about one only this node's engine knows). */
  #target(conn: Connection, type: string, payload: unknown): string | null {
    if (BY_LIVE_ID.has(type)) return liveKeyOf(conn.principal.sdkAppId, (payload as { liveId: string }).liveId);
    if (type === 'live.list') return null;
    return this.#engine.presence.liveKeyOf(conn.principal) ?? this.#routeOf.get(conn) ?? null;
  }

  #ownsLoaded(key: string): boolean {
    return this.fences.has(key) && this.#engine.lives.has(key);
  }

  async #remote(conn: Connection, key: string, type: EngineRequestType, payload: never): Promise<Reply> {
    const giveUpAt = Date.now() + this.#ttl + 2 * this.#forwardTimeout;
    // one id for every attempt: an owner that gets the command again answers it from what it did the first time
    const id = ++this.#nextId;
    // an attempt went unanswered: its owner may have run it, and whoever runs the live now looks for its answer first
    let unanswered = false;
    for (;;) {
      let owner: string | null;
      try {
        // the owner as last seen (a forward that fails forgets it), else Redis
        owner = this.#owners.get(key) ?? (await this.#ownerOf(key));
      } catch {
        return { ok: false, error: wireError('STORE_UNAVAILABLE', 'The cluster store (Redis) cannot be reached; try again') };
      }
      if (owner === this.nodeId && this.#ownsLoaded(key)) return this.#runHere(conn, type, payload, unanswered ? id : null);
      if (owner === null || owner === this.nodeId) {
        // Nobody (or this node, which lost track of it) holds the lease: take the live, if it exists.
        const outcome = await this.#takeIfExists(key, type === 'live.start').catch(() => 'unavailable' as const);
        if (outcome === 'unavailable')
          return { ok: false, error: wireError('STORE_UNAVAILABLE', 'The cluster store (Redis) cannot be reached; try again') };
        if (outcome === 'mine' || outcome === 'absent') {
          const reply = await this.#runHere(conn, type, payload, unanswered && outcome === 'mine' ? id : null);
          if (outcome === 'mine' && type === 'live.start' && !this.#engine.lives.has(key)) await this.#giveUp(key);
          return reply;
        }
        // another node got it first: ask again
      } else {
        const enters = ENTERS.has(type);
        const wasRouted = this.#routeOf.get(conn) === key;
        if (enters) await this.#route(conn, key, owner);
        const m = await this.#forward(id, owner, conn, key, type, payload, unanswered);
        if (m === null) unanswered = true;
        if (m?.r) this.#owners.set(key, owner);
        else this.#owners.delete(key);
        if (m?.r) {
          if (enters && !m.r.ok && !wasRouted) this.#unroute(conn);
          if (!enters && m.r.ok && (type === 'live.leave' || type === 'live.end')) this.#unroute(conn);
          return m.r;
        }
        if (enters && !wasRouted) this.#unroute(conn);
        this.stats.forwardFailures++;
      }
      // the socket closed meanwhile: asking again could only bring it back on the owner as if connected
      if (this.#local.get(conn.id) !== conn) return { ok: false, error: wireError('DISCONNECTED', 'The connection closed') };
      if (Date.now() > giveUpAt) return { ok: false, error: wireError('STORE_UNAVAILABLE', 'The live is moving between nodes; try again') };
      await sleep(100);
    }
  }

  /**
   * Runs a command of this node's socket here, now that this node owns its live. `retried`: the command's id when an
   * earlier attempt went to another owner unanswered: if that owner ran it, its commit kept the answer, which is
   * returned instead of running the command twice.
   */
  async #runHere(conn: Connection, type: EngineRequestType, payload: never, retried: number | null): Promise<Reply> {
    if (retried !== null) {
      const kept = await this.#keptReply(`${this.nodeId}/${retried}`);
      if (kept === undefined) return { ok: false, error: wireError('STORE_UNAVAILABLE', 'The cluster store (Redis) cannot be reached; try again') };
      if (kept?.r) {
        this.stats.repliesFromStore++;
        return kept.r;
      }
    }
    return this.#engine.execute(conn, type, payload);
  }

  /** The answer a commit kept for a forwarded command (`node/id`): null when none, undefined when Redis failed. */
  async #keptReply(id: string): Promise<ReplyMessage | null | undefined> {
    try {
      const raw = await viaRedis(this.#link.cmd.get(this.#link.keys.reply(id)));
      return raw === null ? null : (JSON.parse(raw) as ReplyMessage);
    } catch {
      return undefined;
    }
  }

  async #ownerOf(key: string): Promise<string | null> {
    const lease = await viaRedis(this.#link.cmd.get(this.#link.keys.lease(key)));
    return lease === null ? null : lease.slice(0, lease.lastIndexOf('/'));
  }

  /**
   * Takes the lease of a live that has no owner: 'mine' (taken, and loaded when it exists), 'absent' (no such live
   * and not creating it: the engine answers), 'taken' (another node was first).
   */
  async #takeIfExists(key: string, creating: boolean): Promise<'mine' | 'absent' | 'taken'> {
    if (!creating && !(await viaRedis(this.#link.cmd.exists(this.#link.keys.live(key))))) return 'absent';
    return (await this.#takeOver(key)) ? 'mine' : 'taken';
  }

  /** Acquires the lease and loads the live (if stored) with this node's gateway connections of it. */
  #takeOver(key: string): Promise<boolean> {
    let p = this.#loading.get(key);
    if (!p) {
      p = (async () => {
        if (this.#ownsLoaded(key)) return true;
        const fence = (await viaRedis(this.#acquire(key, this.nodeId, this.#ttl))) as string | null;
        if (!fence) return false;
        this.fences.set(key, fence);
        this.#owners.delete(key);
        this.#acquiredAt.set(key, Date.now());
        const conns = new Map<string, Connection | null>();
        // a stale copy (this node lost track of its lease): reload it, keeping its members' connections
        for (const c of this.#engine.releaseLive(key)) conns.set(c.principal.userId, c);
        const g = this.#gateway.get(key);
        for (const c of g?.conns.values() ?? []) {
          conns.set(c.principal.userId, c);
          this.#routeOf.delete(c);
        }
        if (g) {
          g.unsubscribe();
          this.#gateway.delete(key);
        }
        if (await this.#engine.loadLive(key, conns)) {
          this.stats.takeovers++;
          this.#engine.log.info({ live: key, fence }, 'took over live');
          // their media went to the former owner (or to this node's copy, closed when it was let go)
          this.#mediaMoved(
            key,
            [...conns.values()].filter((c): c is Connection => c !== null),
          );
        }
        return true;
      })().finally(() => this.#loading.delete(key));
      this.#loading.set(key, p);
    }
    return p;
  }

  async #giveUp(key: string): Promise<void> {
    const fence = this.fences.get(key);
    this.fences.delete(key);
    this.#acquiredAt.delete(key);
    if (fence) await this.#release(key, fence).catch(() => undefined);
  }

  /** Lost the lease (or a commit failed): forget the live here; its local members become gateway connections. */
  #stepDown(key: string): void {
    if (!this.fences.delete(key) && !this.#engine.lives.has(key)) return;
    this.stats.stepDowns++;
    const conns = this.#engine.releaseLive(key);
    const local: Connection[] = [];
    for (const c of conns) {
      if (c instanceof RemoteConnection) this.#dropRemote(c);
      else {
        local.push(c);
        void this.#route(c, key, null);
      }
    }
    // this node's SFU room of the live closed with it (the other nodes' sockets hear it when they see the new owner)
    this.#mediaMoved(key, local);
  }

  /**
   * Tells sockets of `key` that the live's media now runs elsewhere (its owner changed), so that their SDK publishes
   * and subscribes again at once instead of waiting for ICE to notice the dead SFU, which takes Chrome seconds. Only
   * nodes that run an SFU say it.
   */
  #mediaMoved(key: string, conns: Iterable<Connection>): void {
    if (!this.#engine.media) return;
    let frame: Buffer | undefined;
    for (const c of conns) {
      frame ??= Buffer.from(JSON.stringify({ kind: 'evt', type: 'media.moved', liveId: key.slice(key.indexOf(':') + 1), seq: 0, payload: {} }));
      c.send(frame);
      this.stats.mediaMoved++;
    }
  }

  // ---- gateway connections ------------------------------------------------------------------------------------

  async #route(conn: Connection, key: string, owner: string | null): Promise<void> {
    const prev = this.#routeOf.get(conn);
    if (prev !== undefined && prev !== key) this.#unroute(conn);
    let g = this.#gateway.get(key);
    if (!g) {
      const entry: GatewayLive = { conns: new Map(), byUser: new Map(), unsubscribe: () => {}, owner, lease: null };
      entry.unsubscribe = this.#bus.subscribe(key, (d) => deliverToGateway(entry, d));
      this.#gateway.set(key, (g = entry));
    }
    if (owner !== null) g.owner = owner;
    g.conns.set(conn.id, conn);
    const userId = conn.principal.userId;
    let mine = g.byUser.get(userId);
    if (!mine) g.byUser.set(userId, (mine = new Set()));
    mine.add(conn);
    this.#routeOf.set(conn, key);
    await this.#bus.ready(key);
  }

  #unroute(conn: Connection): void {
    const key = this.#routeOf.get(conn);
    if (key === undefined) return;
    this.#routeOf.delete(conn);
    const g = this.#gateway.get(key);
    if (!g) return;
    g.conns.delete(conn.id);
    const mine = g.byUser.get(conn.principal.userId);
    if (mine?.delete(conn) && mine.size === 0) g.byUser.delete(conn.principal.userId);
    if (g.conns.size === 0) {
      g.unsubscribe();
      this.#gateway.delete(key);
      this.#owners.delete(key);
    }
  }

  // ---- forwarding ---------------------------------------------------------------------------------------------

  #forward(id: number, owner: string, conn: Connection, key: string, type: string, payload: unknown, again: boolean): Promise<ReplyMessage | null> {
    this.stats.forwarded++;
    const { userName, avatarUrl } = this.#engine.presence.profile(conn.principal);
    const msg: CmdMessage = {
      t: 'cmd',
      id,
      n: this.nodeId,
      c: conn.id,
      p: conn.principal,
      u: { userName, avatarUrl },
      k: key,
      ty: type,
      pl: payload,
      ...(again ? { again: true as const } : {}),
    };
    return new Promise((resolve) => {
      let viaRedis = false;
      // answered or timed out: a command sent through Redis no longer holds the owner's link back
      const done = (m: ReplyMessage | null) => {
        if (viaRedis) {
          const left = (this.#viaRedis.get(owner) ?? 1) - 1;
          if (left > 0) this.#viaRedis.set(owner, left);
          else this.#viaRedis.delete(owner);
        }
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        done(null);
      }, this.#forwardTimeout);
      this.#pending.set(id, { resolve: done, timer });
      if (!this.#toOwner(owner, msg)) {
        // through Redis: the owner's link stays unused until its answer is in (a later command must not overtake it)
        viaRedis = true;
        this.#viaRedis.set(owner, (this.#viaRedis.get(owner) ?? 0) + 1);
      }
    });
  }

  /**
   * To the owner of a live: over the direct link when it is up and no command to that owner is still on its way
   * through Redis, else through Redis. Says whether the link took it. `attach`/`detach` are sent again through Redis
   * if the link drops right after (the owner takes them twice without harm).
   */
  #toOwner(owner: string, msg: CmdMessage | ToOwnerMessage): boolean {
    const raw = JSON.stringify(msg);
    if (this.#links && !this.#viaRedis.has(owner) && this.#links.trySend(owner, raw, msg.t !== 'cmd')) {
      this.stats.viaLink++;
      return true;
    }
    this.#link.publish(this.#link.keys.nodeChannel(owner), raw);
    return false;
  }

  /** A frame from another node's direct link: only what nodes send to owners, and only about that node's sockets. */
  onLinkMessage = (from: string, raw: string): void => {
    let m: NodeMessage;
    try {
      m = JSON.parse(raw) as NodeMessage;
    } catch {
      return;
    }
    if (!LINK_TYPES.has(m.t) || (m as CmdMessage | ToOwnerMessage).n !== from) {
      this.#engine.log.warn({ from, type: m.t }, 'a node link carried a message it may not carry: ignored');
      return;
    }
    this.#dispatch(m);
  };

  /** A direct link to `node` dropped: what was sent on it just before and must not be lost goes through Redis. */
  onLinkLost = (node: string, replay: string[]): void => {
    for (const raw of replay) this.#link.publish(this.#link.keys.nodeChannel(node), raw);
  };

  #post(node: string, message: object): void {
    this.#link.publish(this.#link.keys.nodeChannel(node), JSON.stringify(message));
  }

  #onMessage(raw: string): void {
    // not JSON: a delivery of a live (`D…`, see RedisLiveBus) or a frame for one socket (`S connId \n frame`)
    if (raw.startsWith('D')) return this.#bus.receiveDirect(raw);
    if (raw.startsWith('S')) {
      const nl = raw.indexOf('\n');
      this.#local.get(Number(raw.slice(1, nl)))?.send(raw.slice(nl + 1));
      return;
    }
    let m: NodeMessage;
    try {
      m = JSON.parse(raw) as NodeMessage;
    } catch {
      return;
    }
    this.#dispatch(m);
  }

  #dispatch(m: NodeMessage): void {
    switch (m.t) {
      case 'cmd':
        void this.#onCommand(m);
        return;
      case 'reply': {
        const p = this.#pending.get(m.id);
        if (!p) return;
        clearTimeout(p.timer);
        this.#pending.delete(m.id);
        p.resolve(m);
        return;
      }
      case 'close':
      case 'left':
        this.#onGatewayMessage(m);
        return;
      case 'detach': {
        const k = `${m.n}/${m.c}`;
        this.#closedRemotes.delete(k); // to the end: the map stays in time order
        this.#closedRemotes.set(k, { at: Date.now() });
        const r = this.#remotes.get(k);
        if (!r) return;
        // the member's grace counts from when their node last heard from them, as on a single node
        const at = m.at;
        if (at !== undefined) r.lastFrameAt = () => at;
        this.#dropRemote(r);
        return;
      }
      case 'attach':
        this.#onAttach(m);
        return;
    }
  }

  async #onCommand(m: CmdMessage): Promise<void> {
    const handledKey = `${m.n}/${m.id}`;
    const handled = this.#handled.get(handledKey);
    if (handled) {
      // asked again (the forwarder timed out): the answer of the first run, or nothing yet (it goes out when known,
      // with the same id, which the forwarder still waits for)
      this.stats.repeated++;
      if (handled.reply) this.#post(m.n, handled.reply);
      return;
    }
    const entry: { at: number; reply: ReplyMessage | null } = { at: Date.now(), reply: null };
    if (m.again && this.#ownsLoaded(m.k)) {
      // Asked again after its forwarder heard nothing: a former owner may have run it, and then its commit kept the
      // answer. (Looked up first: what follows, up to the engine, must run in one go — a `detach` of the socket
      // arriving in between would otherwise be missed and the socket brought back as connected.)
      this.#handled.set(handledKey, entry);
      const kept = await this.#keptReply(handledKey);
      if (kept !== null) {
        if (kept) this.stats.repliesFromStore++;
        entry.reply = kept ?? {
          t: 'reply',
          id: m.id,
          r: { ok: false, error: wireError('STORE_UNAVAILABLE', 'The cluster store (Redis) cannot be reached; try again') },
        };
        this.#post(m.n, entry.reply);
        return;
      }
    }
    let reply: ReplyMessage;
    if (!this.#ownsLoaded(m.k) && !(m.ty === 'live.start' && this.fences.has(m.k))) {
      this.#handled.delete(handledKey);
      reply = { t: 'reply', id: m.id, notOwner: true };
    } else if (this.#closedRemotes.has(`${m.n}/${m.c}`)) {
      this.#handled.delete(handledKey);
      this.stats.lateForClosed++;
      reply = { t: 'reply', id: m.id, r: { ok: false, error: wireError('DISCONNECTED', 'The connection closed') } };
    } else {
      this.#handled.set(handledKey, entry);
      const conn = this.#remoteConn(m.n, m.c, m.p);
      const current = this.#engine.presence.profile(m.p);
      if (current.userName !== m.u.userName || current.avatarUrl !== m.u.avatarUrl)
        this.#engine.presence.setProfile(m.p, { userId: m.p.userId, ...m.u });
      // A live's command: its reply goes out with the commit of its tick, in the same Redis step as its events, so
      // the forwarding node gets both in one message, events first (and no separate publish is needed). If that
      // commit fails, the engine answers otherwise and that answer is posted.
      let sent: Reply | undefined;
      const r = await this.#engine.execute(conn, m.ty as EngineRequestType, m.pl as never, (early) => {
        sent = early;
        // kept with the commit too, for a new owner to answer a retry from if this node dies before the answer is heard
        this.#engine.publisher.sendWithCommit(m.n, JSON.stringify({ t: 'reply', id: m.id, r: early } satisfies ReplyMessage), {
          id: handledKey,
          ttlMs: this.#memoryMs,
        });
      });
      reply = { t: 'reply', id: m.id, r };
      entry.reply = reply;
      if (sent && sameOutcome(sent, r)) {
        this.stats.repliesWithCommit++;
        return;
      }
    }
    this.#post(m.n, reply);
  }

  #remoteConn(node: string, id: number, principal: CmdMessage['p']): RemoteConnection {
    const k = `${node}/${id}`;
    let conn = this.#remotes.get(k);
    if (!conn) {
      conn = new RemoteConnection(
        node,
        id,
        principal,
        (n, msg) => this.#post(n, msg),
        (n, raw) => this.#link.publish(this.#link.keys.nodeChannel(n), raw),
        (c) => this.#dropRemote(c),
      );
      this.#remotes.set(k, conn);
    }
    if (!this.#engine.presence.isCurrent(conn)) this.#engine.attach(conn);
    return conn;
  }

  /**
   * Bus routing on the owner: the nodes holding the sockets of these recipients, or null when one of them has no
   * known socket (disconnected, or a takeover still learning where its members are): then every node of the live gets
   * the delivery, as for 'all'.
   */
  #nodesOf(liveKey: string, userIds: string[]): Set<string> | null {
    const live = this.#engine.lives.get(liveKey);
    if (!live || !this.fences.has(liveKey)) return null;
    const nodes = new Set<string>();
    for (const id of userIds) {
      const conn = live.members.get(id)?.conn ?? live.departed.get(id);
      if (!conn) return null;
      nodes.add(conn instanceof RemoteConnection ? conn.node : this.nodeId);
    }
    return nodes;
  }

  #dropRemote(conn: RemoteConnection): void {
    const k = `${conn.node}/${conn.remoteId}`;
    if (this.#remotes.get(k) !== conn) return;
    this.#remotes.delete(k);
    this.#engine.detach(conn);
  }

  /** A gateway node says its socket is (still) in this live after a takeover: the member is connected again. */
  #onAttach(m: Extract<ToOwnerMessage, { t: 'attach' }>): void {
    // Taking the live over right now: the sender saw this node's new lease before the live was loaded here. Dropped,
    // the socket would stay "disconnected" here (its node says it once per owner) until its grace ended.
    const loading = this.#loading.get(m.k);
    if (loading) {
      void loading.then(
        () => this.#onAttach(m),
        () => undefined,
      );
      return;
    }
    const live = this.#engine.lives.get(m.k);
    if (!live || !this.fences.has(m.k) || !live.members.has(m.p.userId)) return;
    if (this.#closedRemotes.has(`${m.n}/${m.c}`)) {
      this.stats.lateForClosed++;
      return;
    }
    const conn = this.#remoteConn(m.n, m.c, m.p);
    this.#engine.presence.reattach(live, conn);
  }

  #onGatewayMessage(m: ToGatewayMessage): void {
    const conn = this.#local.get(m.c);
    if (!conn) return;
    if (m.t === 'close') conn.close(m.code, m.reason);
    else if (this.#routeOf.get(conn) === m.k) this.#unroute(conn);
  }

  // ---- the periodic round -------------------------------------------------------------------------------------

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(
      () => {
        this.#tick()
          .then(
            () => {
              if (this.#failing) this.#engine.log.info({ node: this.nodeId }, 'Redis reachable again');
              this.#failing = false;
            },
            (err: unknown) => {
              if (!this.#failing) this.#engine.log.warn({ err, node: this.nodeId }, 'cluster round failed (Redis unreachable?); retrying');
              this.#failing = true;
            },
          )
          .finally(() => this.#schedule());
      },
      Math.max(100, Math.floor(this.#ttl / 3)),
    );
  }

  /**
   * Every third of the TTL: renew this node's leases (stepping down from lost ones) and its heartbeat; take over lives
   * nobody holds; tell new owners about this node's sockets in their lives; forget sockets of dead nodes.
   */
  async #tick(): Promise<void> {
    const started = Date.now();
    // (first, so that memory is bounded even while Redis is away)
    forgetOlderThan(this.#handled, started - this.#memoryMs);
    forgetOlderThan(this.#closedRemotes, started - CLOSED_MEMORY_MS);
    const pairs = [...this.fences].flat();
    const beat = this.#links?.announced ?? '1';
    const lost = (await viaRedis(this.#renew(this.#ttl, this.nodeId, this.#ttl * 2, beat, ...pairs))) as string[];
    this.#link.lastRoundTripMs = Date.now() - started;
    for (const key of lost) {
      if (this.#loading.has(key)) continue;
      this.#engine.log.warn({ live: key, node: this.nodeId }, 'lease lost: stepping down');
      this.#stepDown(key);
    }
    // lives this node owns that ended here: give the lease back
    for (const key of [...this.fences.keys()]) {
      const recent = Date.now() - (this.#acquiredAt.get(key) ?? 0) < this.#ttl;
      if (!this.#engine.lives.has(key) && !this.#loading.has(key) && !recent) await this.#giveUp(key);
    }
    await this.#adoptOrphans();
    await this.#checkGatewayOwners();
    await this.#forgetDeadNodes();
  }

  async #adoptOrphans(): Promise<void> {
    const { cmd, keys } = this.#link;
    const all = await viaRedis(cmd.smembers(keys.lives));
    if (all.length === 0) return;
    const leases = await viaRedis(cmd.mget(all.map((k) => keys.lease(k))));
    for (let i = 0; i < all.length; i++) {
      const key = all[i]!;
      const lease = leases[i];
      const mineUnloaded = lease?.startsWith(`${this.nodeId}/`) && !this.#ownsLoaded(key);
      if ((lease === null || mineUnloaded) && !this.#loading.has(key)) await this.#takeOver(key).catch(() => false);
    }
  }

  async #checkGatewayOwners(): Promise<void> {
    const keys = [...this.#gateway.keys()];
    if (keys.length === 0) return;
    const leases = await viaRedis(this.#link.cmd.mget(keys.map((k) => this.#link.keys.lease(k))));
    keys.forEach((key, i) => {
      const g = this.#gateway.get(key);
      const lease = leases[i];
      if (!g || !lease) return;
      const owner = lease.slice(0, lease.lastIndexOf('/'));
      // A new epoch is a new owner even when it has the same node id (it stepped down and took the live back, or a
      // node restarted with a fixed id): its engine loaded the live afresh and knows none of this node's sockets.
      // (The first lease seen since the live was routed here is announced too: it may be a new epoch already.)
      const known = lease === g.lease;
      // the owner changed since this node last saw one (not merely the first lease seen, nor its first owner)
      const moved = g.lease !== null ? !known : g.owner !== null && g.owner !== owner;
      g.lease = lease;
      g.owner = owner;
      if (known || owner === this.nodeId) return;
      this.#owners.set(key, owner);
      for (const c of g.conns.values()) this.#toOwner(owner, { t: 'attach', n: this.nodeId, c: c.id, p: c.principal, k: key });
      if (moved) this.#mediaMoved(key, g.conns.values());
    });
  }

  async #forgetDeadNodes(): Promise<void> {
    const nodes = [...new Set([...this.#remotes.values()].map((r) => r.node))];
    if (nodes.length === 0) return;
    const alive = await viaRedis(this.#link.cmd.mget(nodes.map((n) => this.#link.keys.node(n))));
    const dead = new Set(nodes.filter((_, i) => alive[i] === null));
    for (const r of [...this.#remotes.values()]) if (dead.has(r.node)) this.#dropRemote(r);
  }
}

/** Drops the entries of `map` stamped before `cutoff` (ms); the map is in time order (entries are added with `at` = now). */
function forgetOlderThan(map: Map<string, { at: number }>, cutoff: number): void {
  for (const [k, e] of map) {
    if (e.at >= cutoff) return;
    map.delete(k);
  }
}

/** Whether the reply a command ended with is the one given before its commit (a failed commit answers otherwise). */
const sameOutcome = (early: Reply, final: Reply): boolean => (early.ok ? final.ok : !final.ok && final.error === early.error);

/** A delivery of a live owned elsewhere to this node's sockets in it (one Buffer for many sockets). */
function deliverToGateway(g: GatewayLive, d: Delivery): void {
  if (d.to === 'all') {
    const frame = g.conns.size > 1 ? Buffer.from(d.frame) : d.frame;
    for (const c of g.conns.values()) c.send(frame);
    return;
  }
  for (const id of d.to) for (const c of g.byUser.get(id) ?? []) c.send(d.frame);
}
