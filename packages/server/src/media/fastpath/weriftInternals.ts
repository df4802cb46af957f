import type { Socket } from 'node:dgram';
import type { RTCDtlsTransport, RTCRtpSender } from 'werift';

/**
 * The few parts of werift 0.24 the forwarding fast path reads that its typings keep private or loose. Everything
 * here is read defensively: a missing piece makes the fast path unavailable (werift's own path is used), never
 * throws.
 */

/** The DTLS-SRTP keying material of both directions and the negotiated protection profile. */
export interface SrtpKeys {
  profile: number;
  /** Our sending direction. */
  masterKey: Buffer;
  masterSalt: Buffer;
  /** The peer's sending direction (what we unprotect). */
  remoteMasterKey: Buffer;
  remoteMasterSalt: Buffer;
}

interface DtlsSocketLike {
  srtp?: { srtpProfile?: number };
  extractSessionKeys?(keyLength: number, saltLength: number): { localKey: Buffer; localSalt: Buffer; remoteKey: Buffer; remoteSalt: Buffer };
}

/** Key and salt lengths per profile id (RFC 5764 / RFC 7714). */
const LENGTHS: Record<number, [number, number] | undefined> = { 1: [16, 14], 7: [16, 12] };

/** The SRTP master keys and salts on `dtls` once DTLS is connected, else undefined. */
export function srtpKeys(dtls: RTCDtlsTransport): SrtpKeys | undefined {
  if (dtls.state !== 'connected') return undefined;
  const socket = (dtls as unknown as { dtls?: DtlsSocketLike }).dtls;
  const profile = socket?.srtp?.srtpProfile;
  const lengths = profile === undefined ? undefined : LENGTHS[profile];
  if (!socket?.extractSessionKeys || profile === undefined || !lengths) return undefined;
  const k = socket.extractSessionKeys(lengths[0], lengths[1]);
  return { profile, masterKey: k.localKey, masterSalt: k.localSalt, remoteMasterKey: k.remoteKey, remoteMasterSalt: k.remoteSalt };
}

/** werift's SRTP or SRTCP session of a DTLS transport: `decrypt` is a per-instance function werift calls on each packet in. */
export interface DecryptingSession {
  decrypt: (packet: Buffer) => Buffer;
}

/** werift's SRTP session of a DTLS transport. */
export function srtpSessionOf(dtls: RTCDtlsTransport): DecryptingSession | undefined {
  const s = (dtls as unknown as { srtp?: Partial<DecryptingSession> }).srtp;
  return typeof s?.decrypt === 'function' ? (s as DecryptingSession) : undefined;
}

/** werift's SRTCP session of a DTLS transport. */
export function srtcpSessionOf(dtls: RTCDtlsTransport): DecryptingSession | undefined {
  const s = (dtls as unknown as { srtcp?: Partial<DecryptingSession> }).srtcp;
  return typeof s?.decrypt === 'function' ? (s as DecryptingSession) : undefined;
}

interface CandidatePairLike {
  remoteAddr: [string, number];
  protocol: { type?: string; transport?: { socket?: Socket; closed?: boolean } };
}

export interface IceConnectionLike {
  nominated?: CandidatePairLike;
  canSendApplicationData?(): boolean;
  send(data: Buffer): Promise<void>;
}

/** The ICE connection under a DTLS transport. */
export const iceConnectionOf = (dtls: RTCDtlsTransport): IceConnectionLike => dtls.iceTransport.connection as unknown as IceConnectionLike;

/** Where to write datagrams of the selected candidate pair directly: a plain UDP host/srflx pair only (not TURN, not TCP). */
export function directRoute(conn: IceConnectionLike): { socket: Socket; port: number; address: string } | undefined {
  const pair = conn.nominated;
  const socket = pair?.protocol.type === 'stun' ? pair.protocol.transport?.socket : undefined;
  if (!pair || !socket || pair.protocol.transport?.closed) return undefined;
  return { socket, address: pair.remoteAddr[0], port: pair.remoteAddr[1] };
}

/** The sender fields werift keeps private that the fast path continues from or keeps current. */
export interface SenderInternals {
  readonly ssrc: number;
  codec?: { payloadType: number; clockRate: number };
  mid?: string;
  cname?: string;
  headerExtensions?: { id: number; uri: string }[];
  seqOffset: number;
  timestampOffset: number;
  sequenceNumber?: number;
  packetCount: number;
  octetCount: number;
  rtcpRunning: boolean;
  lastSRtimestamp?: number;
  lastSentSRTimestamp?: number;
}

export const senderInternals = (sender: RTCRtpSender): SenderInternals => sender as unknown as SenderInternals;
