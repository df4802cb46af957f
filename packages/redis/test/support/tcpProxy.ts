import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of one port. A node reaches Redis through its own proxy, so the test can cut that
 * node off abruptly: `cut()` resets every connection and refuses new ones, as if the process had died (nothing the
 * node still does can reach Redis, and nothing from Redis reaches it).
 */
export class TcpProxy {
  private constructor(
    readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
    private readonly inbound: Map<Socket, Socket>,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const sockets = new Set<Socket>();
    const inboundToOutbound = new Map<Socket, Socket>();
    const server = createServer((inbound) => {
      const outbound = connect(targetPort, '127.0.0.1');
      inboundToOutbound.set(inbound, outbound);
      inbound.on('close', () => inboundToOutbound.delete(inbound));
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
    return new TcpProxy(server, (server.address() as { port: number }).port, sockets, inboundToOutbound);
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
