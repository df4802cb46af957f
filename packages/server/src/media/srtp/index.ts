export { deriveKey, deriveSessionKeys, type SessionKeys } from './kdf.js';
export { SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80, profileSpec, type SrtpProfile } from './profiles.js';
export { ReplayWindow, RtpIndexState, REPLAY_WINDOW } from './replay.js';
export { isRtcp, rtpHeaderLength } from './rtpHeader.js';
export { SrtpContext, SrtpError } from './SrtpContext.js';
