/**
 * A UDP relay a test puts between a browser and the SFU, to cut and restore one user's media path: the page is made
 * to see only the relay's port as the SFU's candidate (`relayPage`), and its own candidates point nowhere, so every
 * packet of its transports goes through a relay of this set. `cut(true)` drops everything both ways.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Page } from 'playwright-core';

class Relay {
  readonly front: Socket = createSocket('udp4');
  /** Dropping everything for good (the old network is gone). */
  dead = false;
  readonly #upstream = new Map<string, Socket>();

  constructor(
    private readonly targetPort: number,
    private readonly set: RelaySet,
  ) {
    this.front.on('message', (msg, from) => this.#fromBrowser(msg, from));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.front.bind(0, '127.0.0.1', resolve));
    return this.front.address().port;
  }

  #fromBrowser(msg: Buffer, from: RemoteInfo): void {
    if (this.set.isCut || this.dead) return;
    // RTP/RTCP (first byte 128–191) is dropped at the set's loss rate; STUN and DTLS always pass.
    const first = msg[0] ?? 0;
    if (first >= 128 && first <= 191 && Math.random() < this.set.upLoss) return;
    const key = `${from.address}:${from.port}`;
    let up = this.#upstream.get(key);
    if (!up) {
      const sock = createSocket('udp4');
      sock.on('message', (back) => {
        if (this.set.isCut || this.dead) return;
        if (this.set.downKbps > 0) this.#shape(back, from);
        else this.front.send(back, from.port, from.address);
      });
      sock.on('error', () => undefined); // ICMP port unreachable while the SFU side is gone
      this.#upstream.set(key, sock);
      up = sock;
    }
    up.send(msg, this.targetPort, '127.0.0.1');
  }

  /** The SFU → browser bottleneck: `downKbps`, a queue of at most 150 ms, drop-tail beyond it. */
  #queue: { msg: Buffer; to: RemoteInfo }[] = [];
  #queuedBytes = 0;
  #credit = 0;
  #lastDrain = 0;
  #drainTimer: NodeJS.Timeout | undefined;

  #shape(msg: Buffer, to: RemoteInfo): void {
    const bytesPerMs = (this.set.downKbps * 1000) / 8 / 1000;
    if (this.#queuedBytes + msg.length > bytesPerMs * 150) return;
    this.#queue.push({ msg, to });
    this.#queuedBytes += msg.length;
    if (!this.#drainTimer) {
      this.#lastDrain = Date.now();
      this.#drainTimer = setInterval(() => this.#drain(), 2);
    }
  }

  #drain(): void {
    const now = Date.now();
    const bytesPerMs = (this.set.downKbps * 1000) / 8 / 1000;
    this.#credit = Math.min(this.#credit + (now - this.#lastDrain) * bytesPerMs, 1500 + bytesPerMs * 5);
    this.#lastDrain = now;
    while (this.#queue.length > 0 && (this.#queue[0]?.msg.length ?? 0) <= this.#credit) {
      const p = this.#queue.shift();
      if (!p) break;
      this.#credit -= p.msg.length;
      this.#queuedBytes -= p.msg.length;
      if (!this.set.isCut && !this.dead) this.front.send(p.msg, p.to.port, p.to.address);
    }
    if (this.#queue.length === 0 && this.#drainTimer) {
      clearInterval(this.#drainTimer);
      this.#drainTimer = undefined;
    }
  }

  close(): void {
    if (this.#drainTimer) clearInterval(this.#drainTimer);
    this.front.close();
    for (const s of this.#upstream.values()) s.close();
  }
}

/** The relays of one page, created on demand for each SFU port it is handed. */
export class RelaySet {
  isCut = false;
  /** Fraction of the browser's media packets dropped on the way to the SFU (0–1). */
  upLoss = 0;
  /** Bandwidth of the SFU → browser direction in kbit/s (a 150 ms queue, drop-tail); 0 = unlimited. */
  downKbps = 0;
  readonly #relays = new Map<number, Promise<number>>();
  readonly #all: Relay[] = [];

  /** The relay port for an SFU port on 127.0.0.1. */
  portFor(sfuPort: number): Promise<number> {
    let p = this.#relays.get(sfuPort);
    if (!p) {
      const relay = new Relay(sfuPort, this);
      this.#all.push(relay);
      p = relay.listen();
      this.#relays.set(sfuPort, p);
    }
    return p;
  }

  cut(on: boolean): void {
    this.isCut = on;
  }

  /** The paths in use now stop for good; paths to SFU ports handed out later work (a network change). */
  killExisting(): void {
    for (const r of this.#all) r.dead = true;
  }

  /** How many SFU ports the page has been handed (a new transport on the SFU has a new port). */
  get ports(): number {
    return this.#all.length;
  }

  close(): void {
    for (const r of this.#all) r.close();
  }
}

/**
 * Before the page loads: every remote description the page applies has its candidates replaced by relays on
 * 127.0.0.1, and every local description it hands out has its candidates moved to the discard port, so the SFU only
 * learns the page's address from the checks that come through the relay.
 */
export async function relayPage(page: Page, relays: RelaySet): Promise<void> {
  await page.exposeFunction('__relayPort', (port: number) => relays.portFor(port));
  await page.addInitScript(() => {
    const w = window as unknown as { __relayPort(port: number): Promise<number> };
    const proto = RTCPeerConnection.prototype;
    const setRemote = Object.getOwnPropertyDescriptor(proto, 'setRemoteDescription')?.value as (
      this: RTCPeerConnection,
      d: RTCSessionDescriptionInit,
    ) => Promise<void>;
    const rewrite = async (sdp: string): Promise<string> => {
      const out: string[] = [];
      for (const line of sdp.split('\r\n')) {
        if (!line.startsWith('a=candidate:')) {
          out.push(line);
          continue;
        }
        const parts = line.split(' ');
        if (parts[2]?.toLowerCase() !== 'udp' || parts[4] !== '127.0.0.1') continue;
        parts[5] = String(await w.__relayPort(Number(parts[5])));
        out.push(parts.join(' '));
      }
      return out.join('\r\n');
    };
    proto.setRemoteDescription = async function (this: RTCPeerConnection, desc?: RTCSessionDescriptionInit) {
      if (!desc?.sdp) return setRemote.call(this, desc ?? { type: 'rollback' });
      return setRemote.call(this, { type: desc.type, sdp: await rewrite(desc.sdp) });
    };
    const local = Object.getOwnPropertyDescriptor(proto, 'localDescription');
    Object.defineProperty(proto, 'localDescription', {
      configurable: true,
      get(this: RTCPeerConnection) {
        const d = local?.get?.call(this) as RTCSessionDescription | null;
        if (!d) return d;
        const sdp = d.sdp
          .split('\r\n')
          .filter((l) => !l.startsWith('a=candidate:') || l.split(' ')[4] === '127.0.0.1')
          .map((l) =>
            l.startsWith('a=candidate:')
              ? l
                  .split(' ')
                  .map((p, i) => (i === 5 ? '9' : p))
                  .join(' ')
              : l,
          )
          .join('\r\n');
        return new RTCSessionDescription({ type: d.type, sdp });
      },
    });
  });
}
