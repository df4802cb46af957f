/**
 * Direct TCP links between the nodes of a cluster, for what a node sends to the owner of a live (forwarded commands,
 * `attach`, `detach`): one hop instead of two through Redis, and no acknowledgement to read back. Each node listens on
 * one port, announced in its heartbeat in Redis; a node opens one link to each owner it talks to, on first use, and
 * uses Redis until that link is up (or when it cannot be had). Links carry one direction only (opener → listener):
 * everything an owner sends back stays on Redis, ordered with the events of its commits.
 *
 * Both sides prove they know the cluster's link secret (random, kept in Redis, so only who can use the cluster's Redis
 * can talk on a link) and the listener that it is the node the opener asked for (two nodes on two machines may
 * announce the same loopback address). A link that misbehaves (bad proof, unknown frame, oversized frame, too much
 * unsent data) is closed; the nodes go on through Redis.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameReader, linkProof, proofMatches, type LinkHello, type LinkWelcome } from './linkFrames.js';

/** Unsent bytes on one link above which it is given up (the peer does not read): Redis takes over. */
export const MAX_LINK_BACKLOG = 8 * 1024 * 1024;
/** Messages that must not be lost (`attach`/`detach`) sent this recently are sent again through Redis if the link drops. */
export const LINK_REPLAY_WINDOW_MS = 5_000;

export interface NodeLinksOptions {
  nodeId: string;
  secret: Buffer;
  /** `host port` of a node's link as it announced it, or null (no link, or the node is gone). */
  addressOf: (node: string) => Promise<string | null>;
  /** A frame that came over a link from `from` (whose identity the handshake proved). */
  onMessage: (from: string, raw: string) => void;
  /** A link to `node` dropped: these messages, sent on it recently and marked as replayable, should go another way. */
  onLost: (node: string, replay: string[]) => void;
  log: (obj: object, msg: string) => void;
  /** A handshake not done in this time fails (ms). Default 2 000. */
  handshakeTimeoutMs?: number;
  /** After a link failed to open (or dropped), Redis is used for this long before it is tried again (ms). Default 5 000. */
  retryAfterMs?: number;
}

export interface LinkStats {
  /** Frames sent and received on links. */
  sent: number;
  received: number;
  /** Links opened by this node; opening attempts that failed; incoming links refused (bad handshake or frame). */
  opened: number;
  failed: number;
  refused: number;
}

interface Outbound {
  state: 'opening' | 'up' | 'down';
  socket: Socket | null;
  retryAt: number;
  recent: { at: number; raw: string }[];
  /** Frames are being collected for one write at the end of this tick. */
  corked: boolean;
  /** Gives the link up (down, what was sent recently handed back). */
  drop: (why: string) => void;
}

export class NodeLinks {
  readonly stats: LinkStats = { sent: 0, received: 0, opened: 0, failed: 0, refused: 0 };
  readonly #o: NodeLinksOptions & { handshakeTimeoutMs: number; retryAfterMs: number };
  readonly #out = new Map<string, Outbound>();
  readonly #in = new Set<Socket>();
  /** Why the last attempt to open a link to each node failed: the same reason again is not logged again. */
  readonly #lastFailure = new Map<string, string>();
  #server: Server | null = null;
  #closed = false;
  /** What this node announces (`host port`), once listening. */
  announced: string | null = null;

  constructor(options: NodeLinksOptions) {
    this.#o = { handshakeTimeoutMs: 2_000, retryAfterMs: 5_000, ...options };
  }

  /**
   * Listens for links from the other nodes; resolves with the announced `host port` (`announce` when given: the
   * address the others reach this listener at, e.g. through a proxy or a NAT).
   */
  listen(host: string, port: number, announce?: string): Promise<string> {
    const server = createServer((s) => this.#accept(s));
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.#o.log({ err }, 'node link listener failed'));
        const a = server.address();
        this.announced = announce ?? `${host} ${typeof a === 'object' && a ? a.port : port}`;
        resolve(this.announced);
      });
    });
  }

  /** Links up right now (to other nodes). */
  get up(): number {
    let n = 0;
    for (const l of this.#out.values()) if (l.state === 'up') n++;
    return n;
  }

  isUp(node: string): boolean {
    return this.#out.get(node)?.state === 'up';
  }

  /**
   * Sends `raw` to `node` over its link when the link is up, and says whether it did; when there is no link yet it
   * starts opening one (the caller sends this message through Redis). `replayable`: sent again through `onLost` if the
   * link drops within LINK_REPLAY_WINDOW_MS (a message that is safe to receive twice).
   */
  trySend(node: string, raw: string, replayable = false): boolean {
    if (this.#closed || node === this.#o.nodeId) return false;
    const l = this.#out.get(node);
    if (!l || (l.state === 'down' && Date.now() >= l.retryAt)) {
      this.#open(node);
      return false;
    }
    if (l.state !== 'up' || !l.socket) return false;
    if (l.socket.writableLength > MAX_LINK_BACKLOG) {
      l.drop(`${l.socket.writableLength} bytes not taken by the peer`);
      return false;
    }
    // the frames of one turn of the event loop (the commands of every client frame read in one go) leave in one
    // write: flushed in its check phase, right after the reads
    if (!l.corked) {
      l.corked = true;
      l.socket.cork();
      const socket = l.socket;
      setImmediate(() => {
        l.corked = false;
        socket.uncork();
      });
    }
    l.socket.write(encodeFrame(raw));
    this.stats.sent++;
    if (replayable) {
      const now = Date.now();
      l.recent.push({ at: now, raw });
      while (l.recent.length > 0 && now - l.recent[0]!.at > LINK_REPLAY_WINDOW_MS) l.recent.shift();
    }
    return true;
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const l of this.#out.values()) l.socket?.destroy();
    for (const s of this.#in) s.destroy();
    this.#out.clear();
    this.#in.clear();
    const server = this.#server;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  // ---- the opening side -------------------------------------------------------------------------------------

  #open(node: string): void {
    const l: Outbound = { state: 'opening', socket: null, retryAt: 0, recent: [], corked: false, drop: (why) => fail(why) };
    this.#out.set(node, l);
    const fail = (why: string, err?: unknown) => {
      if (this.#out.get(node) !== l || l.state === 'down') return;
      const wasUp = l.state === 'up';
      l.state = 'down';
      l.retryAt = Date.now() + this.#o.retryAfterMs;
      l.socket?.destroy();
      l.socket = null;
      if (wasUp) {
        const now = Date.now();
        const replay = l.recent.filter((r) => now - r.at <= LINK_REPLAY_WINDOW_MS).map((r) => r.raw);
        l.recent = [];
        this.#o.log({ node, why, replay: replay.length }, 'node link dropped: using Redis');
        this.#o.onLost(node, replay);
      } else {
        this.stats.failed++;
        if (this.#lastFailure.get(node) !== why) this.#o.log({ node, why, err }, 'node link could not be opened: using Redis');
        if (this.#lastFailure.size > 1_000) this.#lastFailure.clear(); // nodes come and go (a restart is a new id)
        this.#lastFailure.set(node, why);
      }
    };
    this.#o.addressOf(node).then(
      (address) => {
        if (this.#closed || this.#out.get(node) !== l) return;
        const at = address?.lastIndexOf(' ') ?? -1;
        if (!address || at < 0) return fail('the node announces no link');
        const host = address.slice(0, at);
        const port = Number(address.slice(at + 1));
        if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) return fail(`it announces "${address}", not "host port"`);
        const nonce = randomBytes(16).toString('base64');
        let socket: Socket;
        try {
          socket = createConnection({ host, port });
        } catch (err) {
          return fail('the connection could not be made', err);
        }
        l.socket = socket;
        socket.setNoDelay(true);
        const timer = setTimeout(() => fail('handshake timed out'), this.#o.handshakeTimeoutMs);
        socket.on('connect', () => {
          socket.setKeepAlive(true, 10_000);
          socket.write(encodeFrame(JSON.stringify({ v: 1, from: this.#o.nodeId, to: node, nonce } satisfies LinkHello)));
        });
        const reader = new FrameReader();
        socket.on('data', (chunk) => {
          try {
            reader.push(chunk, (text) => {
              if (l.state !== 'opening') throw new Error('unexpected frame from the listener');
              const w = JSON.parse(text) as Partial<LinkWelcome>;
              const expected = linkProof(this.#o.secret, 'server', nonce, this.#o.nodeId, node);
              if (w.node !== node || typeof w.nonce !== 'string' || !proofMatches(expected, w.proof))
                throw new Error('the listener is not the node asked for, or does not know the secret');
              socket.write(encodeFrame(JSON.stringify({ proof: linkProof(this.#o.secret, 'client', w.nonce, this.#o.nodeId, node) })));
              clearTimeout(timer);
              l.state = 'up';
              this.stats.opened++;
              this.#lastFailure.delete(node);
            });
          } catch (err) {
            clearTimeout(timer);
            fail('bad handshake', err);
          }
        });
        socket.on('error', (err) => {
          clearTimeout(timer);
          fail('socket error', err);
        });
        socket.on('close', () => {
          clearTimeout(timer);
          fail('closed by the peer');
        });
      },
      (err: unknown) => fail('its address could not be read', err),
    );
  }

  #deliver(from: string, text: string): void {
    try {
      this.#o.onMessage(from, text);
    } catch (err) {
      this.#o.log({ err, from }, 'a message from a node link failed');
    }
  }

  // ---- the listening side -----------------------------------------------------------------------------------

  #accept(socket: Socket): void {
    if (this.#closed) return void socket.destroy();
    this.#in.add(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    let state: 'hello' | 'proof' | 'open' = 'hello';
    let from = '';
    const nonce = randomBytes(16).toString('base64');
    const refuse = (why: string) => {
      if (state !== 'open') this.stats.refused++;
      else this.#o.log({ from, why }, 'node link closed');
      socket.destroy();
    };
    const timer = setTimeout(() => refuse('handshake timed out'), this.#o.handshakeTimeoutMs);
    const reader = new FrameReader();
    socket.on('data', (chunk) => {
      try {
        reader.push(chunk, (text) => {
          if (socket.destroyed) return;
          if (state === 'open') {
            this.stats.received++;
            this.#deliver(from, text);
            return;
          }
          const m = JSON.parse(text) as Record<string, unknown>;
          if (state === 'hello') {
            const h = m as Partial<LinkHello>;
            if (h.v !== 1 || h.to !== this.#o.nodeId || typeof h.from !== 'string' || typeof h.nonce !== 'string')
              throw new Error('not a hello for this node');
            from = h.from;
            const welcome: LinkWelcome = { node: this.#o.nodeId, nonce, proof: linkProof(this.#o.secret, 'server', h.nonce, from, this.#o.nodeId) };
            socket.write(encodeFrame(JSON.stringify(welcome)));
            state = 'proof';
            return;
          }
          if (!proofMatches(linkProof(this.#o.secret, 'client', nonce, from, this.#o.nodeId), m['proof'])) throw new Error('bad proof');
          clearTimeout(timer);
          state = 'open';
        });
      } catch (err) {
        refuse(err instanceof Error ? err.message : String(err));
      }
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      clearTimeout(timer);
      this.#in.delete(socket);
    });
  }
}
