import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { deriveSessionKeys, type SessionKeys } from './kdf.js';
import { profileSpec, type ProfileSpec } from './profiles.js';
import { REPLAY_WINDOW, ReplayWindow, RtpIndexState } from './replay.js';
import { rtpHeaderLength } from './rtpHeader.js';

/** Why a packet was refused: `auth` (tag does not verify), `replay` (index seen or too old), `malformed`. */
export class SrtpError extends Error {
  constructor(
    readonly reason: 'auth' | 'replay' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'SrtpError';
  }
}

interface SsrcState {
  index: RtpIndexState;
  replay: ReplayWindow;
}

const SRTCP_E = 0x80000000;

/**
 * SRTP/SRTCP for one direction of one DTLS-SRTP association (RFC 3711; AEAD_AES_128_GCM per RFC 7714): protects
 * what we send or unprotects what we receive, keeping a rollover counter per SSRC (RFC 3711 §3.3.1, so sequence
 * numbers may wrap) and, when unprotecting, a replay window. Tags are compared with `timingSafeEqual`.
 *
 * One Node cipher object per packet: Node cannot re-key an AES-GCM/CTR object with a new IV, and making one costs
 * less than anything done in JavaScript instead.
 */
export class SrtpContext {
  readonly spec: ProfileSpec;
  readonly rtp: SessionKeys;
  readonly rtcp: SessionKeys;
  readonly #states = new Map<number, SsrcState>();
  readonly #rtcpReplay = new Map<number, ReplayWindow>();
  #rtcpIndex = 0;
  readonly #iv: Buffer;
  readonly #roc = Buffer.alloc(4);
  readonly #rtpReplayWindow: number;

  /**
   * A context from the session keys (`fromMasterKey` derives them from a DTLS-SRTP master key and salt).
   * `rtpReplayWindow`: how far behind the newest one an SRTP packet may arrive and still be taken (default
   * REPLAY_WINDOW; a receiver of retransmissions sent without RTX wants more).
   */
  constructor(
    readonly profile: number,
    keys: { rtp: SessionKeys; rtcp: SessionKeys },
    options: { rtpReplayWindow?: number } = {},
  ) {
    this.spec = profileSpec(profile);
    this.rtp = keys.rtp;
    this.rtcp = keys.rtcp;
    this.#iv = Buffer.alloc(this.spec.aead ? 12 : 16);
    this.#rtpReplayWindow = options.rtpReplayWindow ?? REPLAY_WINDOW;
  }

  static fromMasterKey(profile: number, masterKey: Buffer, masterSalt: Buffer, options: { rtpReplayWindow?: number } = {}): SrtpContext {
    return new SrtpContext(profile, deriveSessionKeys(profile, masterKey, masterSalt), options);
  }

  /** For tests and diagnostics: the rollover counter of `ssrc` (0 before its first packet). */
  rolloverCounter(ssrc: number): number {
    return this.#states.get(ssrc)?.index.roc ?? 0;
  }

  #state(ssrc: number): SsrcState {
    let s = this.#states.get(ssrc);
    if (!s) {
      s = { index: new RtpIndexState(), replay: new ReplayWindow(this.#rtpReplayWindow) };
      this.#states.set(ssrc, s);
    }
    return s;
  }

  /** Protects a plain RTP packet. */
  protectRtp(packet: Buffer): Buffer {
    const hl = rtpHeaderLength(packet);
    if (hl < 0) throw new SrtpError('malformed', 'not an RTP packet');
    return this.protectRtpParts(packet.subarray(0, hl), packet.subarray(hl));
  }

  /**
   * Protects an RTP packet given as its header (as it goes on the wire, SSRC and sequence number included) and its
   * payload, without joining them first: the forwarding path rewrites a header per subscriber and shares the payload.
   */
  protectRtpParts(header: Buffer, payload: Buffer): Buffer {
    const ssrc = header.readUInt32BE(8);
    const seq = header.readUInt16BE(2);
    const state = this.#state(ssrc).index;
    const index = state.estimate(seq);
    state.update(index);
    const roc = Math.max(0, Math.floor(index / 0x10000));
    const hl = header.length;
    const out = Buffer.allocUnsafe(hl + payload.length + this.spec.tagLength);
    header.copy(out, 0);
    if (this.spec.aead) {
      const cipher = createCipheriv('aes-128-gcm', this.rtp.key, this.#gcmIv(ssrc, roc, seq, this.rtp.salt));
      cipher.setAAD(header);
      cipher.update(payload).copy(out, hl);
      cipher.final();
      cipher.getAuthTag().copy(out, hl + payload.length);
    } else {
      const cipher = createCipheriv('aes-128-ctr', this.rtp.key, this.#cmIv(ssrc, roc, seq, this.rtp.salt));
      cipher.update(payload).copy(out, hl);
      this.#roc.writeUInt32BE(roc >>> 0, 0);
      const end = hl + payload.length;
      createHmac('sha1', this.rtp.auth).update(out.subarray(0, end)).update(this.#roc).digest().copy(out, end, 0, this.spec.tagLength);
    }
    return out;
  }

  /** Unprotects an SRTP packet: the plain RTP packet, or throws `SrtpError`. */
  unprotectRtp(packet: Buffer): Buffer {
    const tl = this.spec.tagLength;
    const hl = rtpHeaderLength(packet.subarray(0, Math.max(0, packet.length - tl)));
    if (hl < 0) throw new SrtpError('malformed', 'not an SRTP packet');
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const s = this.#state(ssrc);
    const index = s.index.estimate(seq);
    if (!s.replay.accepts(index)) throw new SrtpError('replay', `SRTP index ${index} of SSRC ${ssrc} replayed or too old`);
    const roc = Math.floor(index / 0x10000);
    const end = packet.length - tl;
    const header = packet.subarray(0, hl);
    const body = packet.subarray(hl, end);
    const tag = packet.subarray(end);
    const out = Buffer.allocUnsafe(end);
    header.copy(out, 0);
    if (this.spec.aead) {
      const decipher = createDecipheriv('aes-128-gcm', this.rtp.key, this.#gcmIv(ssrc, roc, seq, this.rtp.salt));
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      decipher.update(body).copy(out, hl);
      try {
        decipher.final();
      } catch {
        throw new SrtpError('auth', `SRTP tag of SSRC ${ssrc} does not verify`);
      }
    } else {
      this.#roc.writeUInt32BE(roc >>> 0, 0);
      const expected = createHmac('sha1', this.rtp.auth).update(packet.subarray(0, end)).update(this.#roc).digest().subarray(0, tl);
      if (!timingSafeEqual(expected, tag)) throw new SrtpError('auth', `SRTP tag of SSRC ${ssrc} does not verify`);
      createDecipheriv('aes-128-ctr', this.rtp.key, this.#cmIv(ssrc, roc, seq, this.rtp.salt))
        .update(body)
        .copy(out, hl);
    }
    s.replay.mark(index);
    s.index.update(index);
    return out;
  }

  /** Protects a plain (compound) RTCP packet with the next SRTCP index, always encrypted (E = 1). */
  protectRtcp(packet: Buffer, index = this.#rtcpIndex): Buffer {
    if (packet.length < 8) throw new SrtpError('malformed', 'not an RTCP packet');
    this.#rtcpIndex = (index + 1) & 0x7fffffff;
    const ssrc = packet.readUInt32BE(4);
    const eIndex = (SRTCP_E | index) >>> 0;
    const tl = this.spec.tagLength;
    const bodyLen = packet.length - 8;
    const out = Buffer.allocUnsafe(packet.length + 4 + tl);
    packet.copy(out, 0, 0, 8);
    if (this.spec.aead) {
      const aad = Buffer.allocUnsafe(12);
      packet.copy(aad, 0, 0, 8);
      aad.writeUInt32BE(eIndex, 8);
      const cipher = createCipheriv('aes-128-gcm', this.rtcp.key, this.#gcmIv(ssrc, 0, 0, this.rtcp.salt, index));
      cipher.setAAD(aad);
      cipher.update(packet.subarray(8)).copy(out, 8);
      cipher.final();
      cipher.getAuthTag().copy(out, 8 + bodyLen);
      out.writeUInt32BE(eIndex, 8 + bodyLen + tl);
    } else {
      const cipher = createCipheriv('aes-128-ctr', this.rtcp.key, this.#cmIv(ssrc, index >>> 16, index & 0xffff, this.rtcp.salt));
      cipher.update(packet.subarray(8)).copy(out, 8);
      out.writeUInt32BE(eIndex, packet.length);
      createHmac('sha1', this.rtcp.auth)
        .update(out.subarray(0, packet.length + 4))
        .digest()
        .copy(out, packet.length + 4, 0, tl);
    }
    return out;
  }

  /** Unprotects an SRTCP packet: the plain RTCP packet, or throws `SrtpError`. */
  unprotectRtcp(packet: Buffer): Buffer {
    const tl = this.spec.tagLength;
    if (packet.length < 8 + 4 + tl) throw new SrtpError('malformed', 'not an SRTCP packet');
    const ssrc = packet.readUInt32BE(4);
    const aead = this.spec.aead;
    // AEAD: header | ciphertext | tag | E+index (RFC 7714 §9); AES-CM: header | ciphertext | E+index | tag (RFC 3711 §3.4).
    const eAt = aead ? packet.length - 4 : packet.length - tl - 4;
    const eIndex = packet.readUInt32BE(eAt);
    const encrypted = (eIndex & SRTCP_E) !== 0;
    const index = eIndex & 0x7fffffff;
    let replay = this.#rtcpReplay.get(ssrc);
    if (!replay) {
      replay = new ReplayWindow();
      this.#rtcpReplay.set(ssrc, replay);
    }
    if (!replay.accepts(index)) throw new SrtpError('replay', `SRTCP index ${index} of SSRC ${ssrc} replayed or too old`);
    let out: Buffer;
    if (aead) {
      const bodyEnd = eAt - tl;
      const tag = packet.subarray(bodyEnd, eAt);
      const iv = this.#gcmIv(ssrc, 0, 0, this.rtcp.salt, index);
      const decipher = createDecipheriv('aes-128-gcm', this.rtcp.key, iv);
      decipher.setAuthTag(tag);
      if (encrypted) {
        const aad = Buffer.allocUnsafe(12);
        packet.copy(aad, 0, 0, 8);
        aad.writeUInt32BE(eIndex >>> 0, 8);
        decipher.setAAD(aad);
        out = Buffer.allocUnsafe(bodyEnd);
        packet.copy(out, 0, 0, 8);
        decipher.update(packet.subarray(8, bodyEnd)).copy(out, 8);
      } else {
        decipher.setAAD(Buffer.concat([packet.subarray(0, bodyEnd), packet.subarray(eAt)]));
        out = Buffer.from(packet.subarray(0, bodyEnd));
      }
      try {
        decipher.final();
      } catch {
        throw new SrtpError('auth', `SRTCP tag of SSRC ${ssrc} does not verify`);
      }
    } else {
      const tag = packet.subarray(packet.length - tl);
      const expected = createHmac('sha1', this.rtcp.auth)
        .update(packet.subarray(0, packet.length - tl))
        .digest()
        .subarray(0, tl);
      if (!timingSafeEqual(expected, tag)) throw new SrtpError('auth', `SRTCP tag of SSRC ${ssrc} does not verify`);
      out = Buffer.from(packet.subarray(0, eAt));
      if (encrypted) {
        createDecipheriv('aes-128-ctr', this.rtcp.key, this.#cmIv(ssrc, index >>> 16, index & 0xffff, this.rtcp.salt))
          .update(packet.subarray(8, eAt))
          .copy(out, 8);
      }
    }
    replay.mark(index);
    return out;
  }

  /** AES-CM IV (RFC 3711 §4.1.1): salt · 2^16 XOR SSRC · 2^64 XOR index · 2^16. */
  #cmIv(ssrc: number, roc: number, seq: number, salt: Buffer): Buffer {
    const iv = this.spec.aead ? Buffer.alloc(16) : this.#iv;
    salt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ roc) >>> 0, 8);
    iv.writeUInt16BE(iv.readUInt16BE(12) ^ seq, 12);
    return iv;
  }

  /**
   * AEAD IV (RFC 7714 §8.1 / §9.1): 00 00 | SSRC | ROC | SEQ for RTP, 00 00 | SSRC | 00 00 | 0 | index for RTCP,
   * XOR the 12-byte salt.
   */
  #gcmIv(ssrc: number, roc: number, seq: number, salt: Buffer, rtcpIndex?: number): Buffer {
    const iv = this.spec.aead ? this.#iv : Buffer.alloc(12);
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc >>> 0, 2);
    if (rtcpIndex === undefined) {
      iv.writeUInt32BE(roc >>> 0, 6);
      iv.writeUInt16BE(seq, 10);
    } else {
      iv.writeUInt16BE(0, 6);
      iv.writeUInt32BE(rtcpIndex >>> 0, 8);
    }
    for (let i = 0; i < 12; i++) iv[i] = (iv[i] as number) ^ (salt[i] as number);
    return iv;
  }
}
