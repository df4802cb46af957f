/** The SRTP protection profiles DTLS-SRTP negotiates with browsers (RFC 5764 §4.1.2, RFC 7714 §14.2). */
export const SRTP_AES128_CM_HMAC_SHA1_80 = 0x0001;
export const SRTP_AEAD_AES_128_GCM = 0x0007;
export type SrtpProfile = typeof SRTP_AES128_CM_HMAC_SHA1_80 | typeof SRTP_AEAD_AES_128_GCM;

/** Lengths in bytes: master key, master salt (and session salt), authentication key and tag. */
export interface ProfileSpec {
  keyLength: number;
  saltLength: number;
  authKeyLength: number;
  tagLength: number;
  aead: boolean;
}

const SPECS: Record<SrtpProfile, ProfileSpec> = {
  [SRTP_AES128_CM_HMAC_SHA1_80]: { keyLength: 16, saltLength: 14, authKeyLength: 20, tagLength: 10, aead: false },
  [SRTP_AEAD_AES_128_GCM]: { keyLength: 16, saltLength: 12, authKeyLength: 0, tagLength: 16, aead: true },
};

export function profileSpec(profile: number): ProfileSpec {
  const spec = SPECS[profile as SrtpProfile] as ProfileSpec | undefined;
  if (!spec) throw new Error(`unsupported SRTP protection profile 0x${profile.toString(16)}`);
  return spec;
}
