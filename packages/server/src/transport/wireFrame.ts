import WebSocket from 'ws';

/**
 * Broadcast frames encoded once. A server→client WebSocket frame is not masked, so its bytes (header + payload) are
 * the same for every recipient: the header is built once per broadcast and each socket gets one `socket.write` of the
 * same Buffer, instead of `ws.send`'s per-socket header Buffer, option objects, cork/uncork and two writes. The bytes
 * still go through the socket's stream, so `ws.bufferedAmount` (the slow-consumer rules in Session and fairness.ts)
 * counts them as before.
 */

/** Text frame, FIN set (RFC 6455 §5.2). */
const FIN_TEXT = 0x81;

/** The complete WebSocket text frame (header + payload) of `payload`. */
export function encodeTextFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = FIN_TEXT;
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** A broadcast: the JSON text and its encoded frame. */
export interface BroadcastFrame {
  readonly payload: Buffer;
  readonly wire: Buffer;
}

export function broadcastFrame(payload: Buffer): BroadcastFrame {
  return { payload, wire: encodeTextFrame(payload) };
}

const encoded = new WeakMap<Buffer, BroadcastFrame>();

/** The broadcast frame of a payload Buffer shared by many recipients, encoded on first use. */
export function broadcastFrameOf(payload: Buffer): BroadcastFrame {
  let frame = encoded.get(payload);
  if (!frame) {
    frame = broadcastFrame(payload);
    encoded.set(payload, frame);
  }
  return frame;
}

/** The parts of `ws` 8 internals the direct write relies on (checked on every write; `ws` is pinned in package.json). */
interface WsInternals {
  _socket?: { write(chunk: Buffer): boolean } | null;
  _sender?: { _state?: number; _queue?: unknown[] } | null;
  _extensions?: Record<string, unknown>;
}

const TEXT_FRAME = { binary: false } as const;

/** The socket to write a prebuilt frame to, when nothing is queued in `ws`'s sender (no compression, no frame being assembled). */
function directSocket(ws: WebSocket): { write(chunk: Buffer): boolean } | null {
  const w = ws as unknown as WsInternals;
  const sender = w._sender;
  const socket = w._socket;
  if (socket && sender && sender._state === 0 && sender._queue?.length === 0 && !w._extensions?.['permessage-deflate']) return socket;
  return null;
}

/**
 * Writes a broadcast frame to one socket: straight to its TCP stream when nothing else is queued in `ws`'s sender,
 * else through `ws.send`, so frames never overtake each other. Nothing is written to a socket that is not open.
 */
export function writeBroadcast(ws: WebSocket, frame: BroadcastFrame): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  const socket = directSocket(ws);
  if (socket) socket.write(frame.wire);
  else ws.send(frame.payload, TEXT_FRAME);
}

/** An empty ping (FIN + opcode 0x9, no payload): the same two bytes for every socket. */
const PING_FRAME = Buffer.from([0x89, 0x00]);

/** Pings one open socket (the heartbeat), like `ws.ping()` without its per-call header and option objects. */
export function writePing(ws: WebSocket): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  const socket = directSocket(ws);
  if (socket) socket.write(PING_FRAME);
  else ws.ping();
}
