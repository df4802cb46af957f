import { createCipheriv } from 'node:crypto';
import { profileSpec } from './profiles.js';

/** Session keys of one direction and one of RTP/RTCP. `auth` is empty for AEAD profiles. */
export interface SessionKeys {
  key: Buffer;
  salt: Buffer;
  auth: Buffer;
}

/** RFC 3711 §4.3.3 key derivation labels. */
export const LABEL = { rtpKey: 0, rtpAuth: 1, rtpSalt: 2, rtcpKey: 3, rtcpAuth: 4, rtcpSalt: 5 } as const;

/**
 * RFC 3711 §4.3 key derivation with the AES-CM PRF and a key derivation rate of 0 (what DTLS-SRTP uses): x = label
 * at byte 7 XOR the master salt (a 96-bit AEAD salt is left-aligned, RFC 7714 §11, as libsrtp does), then `length`
 * bytes of AES-CTR keystream from IV = x · 2^16 under the master key.
 */
export function deriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, Math.min(14, masterSalt.length));
  iv[7] = (iv[7] as number) ^ label;
  const cipher = createCipheriv('aes-128-ctr', masterKey, iv);
  return cipher.update(Buffer.alloc(length));
}

/** The RTP and RTCP session keys of one master key (RFC 3711 §4.3.1, RFC 7714 §11). */
export function deriveSessionKeys(profile: number, masterKey: Buffer, masterSalt: Buffer): { rtp: SessionKeys; rtcp: SessionKeys } {
  const spec = profileSpec(profile);
  if (masterKey.length !== spec.keyLength || masterSalt.length !== spec.saltLength) {
    throw new Error(`SRTP master key/salt must be ${spec.keyLength}/${spec.saltLength} bytes for profile ${profile}`);
  }
  const one = (k: number, a: number, s: number): SessionKeys => ({
    key: deriveKey(masterKey, masterSalt, k, spec.keyLength),
    auth: spec.authKeyLength > 0 ? deriveKey(masterKey, masterSalt, a, spec.authKeyLength) : Buffer.alloc(0),
    salt: deriveKey(masterKey, masterSalt, s, spec.saltLength),
  });
  return { rtp: one(LABEL.rtpKey, LABEL.rtpAuth, LABEL.rtpSalt), rtcp: one(LABEL.rtcpKey, LABEL.rtcpAuth, LABEL.rtcpSalt) };
}
