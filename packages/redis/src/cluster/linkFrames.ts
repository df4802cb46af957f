/**
 * The wire of a direct link between two nodes (see NodeLinks): frames of a 4-byte big-endian length and that many
 * bytes of UTF-8 text, and the proofs of the handshake (HMAC-SHA256 with the cluster's link secret, kept in Redis).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A frame longer than this closes the link (a forwarded command is a few KB; a client frame is capped far lower). */
export const MAX_LINK_FRAME = 4 * 1024 * 1024;

export function encodeFrame(text: string): Buffer {
  const len = Buffer.byteLength(text);
  const b = Buffer.allocUnsafe(4 + len);
  b.writeUInt32BE(len, 0);
  b.write(text, 4, 'utf8');
  return b;
}

/** Splits a byte stream into frames; throws on a frame above `MAX_LINK_FRAME` (the caller closes the link). */
export class FrameReader {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onFrame: (text: string) => void): void {
    let buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    let at = 0;
    while (buf.length - at >= 4) {
      const len = buf.readUInt32BE(at);
      if (len > MAX_LINK_FRAME) throw new Error(`link frame of ${len} bytes (limit ${MAX_LINK_FRAME})`);
      if (buf.length - at - 4 < len) break;
      const text = buf.toString('utf8', at + 4, at + 4 + len);
      at += 4 + len;
      onFrame(text);
    }
    buf = buf.subarray(at);
    this.#buf = buf.length > 0 ? Buffer.from(buf) : Buffer.alloc(0);
  }
}

/** The proof one side gives of knowing the secret, bound to the other side's nonce and to both node ids. */
export function linkProof(secret: Buffer, role: 'server' | 'client', nonce: string, from: string, to: string): string {
  return createHmac('sha256', secret).update(`${role}\n${nonce}\n${from}\n${to}`).digest('base64');
}

export function proofMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Client → server, first frame. */
export interface LinkHello {
  v: 1;
  from: string;
  to: string;
  nonce: string;
}

/** Server → client: its id, its nonce and its proof. */
export interface LinkWelcome {
  node: string;
  nonce: string;
  proof: string;
}
