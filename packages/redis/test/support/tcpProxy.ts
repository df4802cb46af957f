import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of one port. A node reaches Redis through its own proxy, so the test can cut that
 * node off abruptly: `cut()` resets every connection and refuses new ones, as if the process had died (nothing the
 * node still does can reach Redis, and nothing from Redis reaches it).
 */
interface Hold {
  text: string | null;
  held: [Socket, Socket][];
}

export class TcpProxy {
  private constructor(
    readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
    private readonly inbound: Map<Socket, Socket>,
    private readonly sentBy: Map<Socket, () => string>,
    private readonly hold: Hold,
  ) {}

  /**
   * From now on, a connection whose client sends a command containing `text` (any case) gets no answers from Redis
   * any more (they wait in the proxy) until `release()`: the client's command is stuck mid-flight.
   */
  holdAnswersAfter(text: string): void {
    this.hold.text = text.toLowerCase();
  }

  /** Passes on the answers `holdAnswersAfter` held back, and stops holding. */
  release(): void {
    this.hold.text = null;
    for (const [from, to] of this.hold.held.splice(0)) {
      from.pipe(to);
      from.resume();
    }
  }

  /** The proxied connections whose client's first commands contain `text`, in any case (e.g. 'subscribe'). */
  #where(text: string): [Socket, Socket][] {
    const t = text.toLowerCase();
    return [...this.inbound].filter(([from]) => this.sentBy.get(from)?.().toLowerCase().includes(t));
  }

  /**
   * Drops what Redis sends on the connections found by `text` from now on, while they stay open (their client hears
   * nothing, as on a connection that died without a reset yet). Returns how many connections it muted.
   */
  mute(text: string): number {
    const found = this.#where(text);
    for (const [from, to] of found) {
      to.unpipe(from);
      to.on('data', () => undefined);
    }
    return found.length;
  }

  /** Resets the connections found by `text` (their client reconnects through the proxy, which still listens). */
  reset(text: string): void {
    for (const [from, to] of this.#where(text)) {
      from.resetAndDestroy();
      to.destroy();
    }
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const sockets = new Set<Socket>();
    const sentBy = new Map<Socket, () => string>();
    const inboundToOutbound = new Map<Socket, Socket>();
    const hold: Hold = { text: null, held: [] };
    const server = createServer((inbound) => {
      const outbound = connect(targetPort, '127.0.0.1');
      inboundToOutbound.set(inbound, outbound);
      // what the client sent first (to find a connection by its commands: `mute`, `reset`)
      let sent = '';
      inbound.on('data', (d: Buffer) => {
        if (sent.length < 4096) sent += d.toString('latin1');
        if (hold.text !== null && d.toString('latin1').toLowerCase().includes(hold.text)) {
          outbound.unpipe(inbound);
          outbound.pause();
          hold.held.push([outbound, inbound]);
        }
      });
      sentBy.set(inbound, () => sent);
      inbound.on('close', () => {
        inboundToOutbound.delete(inbound);
        sentBy.delete(inbound);
      });
      const pairs: [Socket, Socket][] = [
        [inbound, outbound],
        [outbound, inbound],
      ];
      for (const [from, to] of pairs) {
        sockets.add(from);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          sockets.delete(from);
          to.destroy();
        });
        from.pipe(to);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new TcpProxy(server, (server.address() as { port: number }).port, sockets, inboundToOutbound, sentBy, hold);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops passing on what the proxy's clients send (it stays unread, as behind a stalled network); `cut()` drops it. */
  freeze(): void {
    for (const [from, to] of this.inbound) {
      from.unpipe(to);
      from.pause();
    }
  }

  /** Passes on again what `freeze` held back (and what follows). */
  thaw(): void {
    for (const [from, to] of this.inbound) {
      from.pipe(to);
      from.resume();
    }
  }

  /** Resets every proxied connection and stops listening. */
  cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    return closed;
  }
}
