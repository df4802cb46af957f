import type { Principal, Reply } from '@onseat/server';

/** A command forwarded by the node holding the client's socket to the live's owner. */
export interface CmdMessage {
  t: 'cmd';
  /** Request id on the forwarding node (its reply carries it back). */
  id: number;
  /** Forwarding node. */
  n: string;
  /** Connection id on the forwarding node. */
  c: number;
  p: Principal;
  /** The user's profile as the forwarding node knows it. */
  u: { userName: string; avatarUrl: string };
  k: string;
  ty: string;
  pl: unknown;
  /**
   * An earlier attempt of this command went unanswered (an owner may have run it): before running it, the owner looks
   * for the answer that owner's commit kept (`Keys.reply`).
   */
  again?: true;
}

/** The owner's answer; `notOwner` when it does not own the live (any more): the forwarder asks Redis again. */
export interface ReplyMessage {
  t: 'reply';
  id: number;
  r?: Reply;
  notOwner?: true;
}

/**
 * Owner → node holding the socket: close it, or the user left the live. (A frame for one socket is not JSON:
 * `S connId \n frame`; a delivery of a live to this node's sockets is `D liveKey \n recipients \n frame`.)
 */
export type ToGatewayMessage = { t: 'close'; c: number; code: number; reason: string } | { t: 'left'; c: number; k: string };

/**
 * Node holding the socket → owner: the socket closed (grace starts, counted from `at`: when the client was last heard
 * from, epoch ms), or it is still here (after a takeover).
 */
export type ToOwnerMessage = { t: 'detach'; n: string; c: number; at?: number } | { t: 'attach'; n: string; c: number; p: Principal; k: string };

export type NodeMessage = CmdMessage | ReplyMessage | ToGatewayMessage | ToOwnerMessage;
