import type { Connection, Principal } from '@onseat/server';

let nextId = 0;

/**
 * On the owner of a live: a client whose socket is on another node. Deliveries of the live reach that node over the
 * live's channel (so `remote` is set and the engine does not write them here); what the engine sends to this one
 * connection (a kick notice, media signalling), a close, and the end of its membership go to that node's channel.
 */
export class RemoteConnection implements Connection {
  readonly id = --nextId;
  readonly remote = true;

  constructor(
    readonly node: string,
    readonly remoteId: number,
    readonly principal: Principal,
    private readonly post: (node: string, message: object) => void,
    /** Publishes a message as it is on a node's channel. */
    private readonly postRaw: (node: string, message: string) => void,
    private readonly onLeft: (conn: RemoteConnection) => void,
  ) {}

  /** To the node holding the socket as `S connId \n frame` (the frame is not escaped inside JSON). */
  send(frame: string | Buffer): void {
    this.postRaw(this.node, `S${this.remoteId}\n${frame.toString()}`);
  }

  close(code: number, reason: string): void {
    this.post(this.node, { t: 'close', c: this.remoteId, code, reason });
  }

  leftLive(liveKey: string): void {
    this.post(this.node, { t: 'left', c: this.remoteId, k: liveKey });
    this.onLeft(this);
  }
}
