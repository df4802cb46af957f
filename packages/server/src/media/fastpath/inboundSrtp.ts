import { SrtpAuthenticationError, type RTCDtlsTransport } from 'werift';
import { SrtpContext, SrtpError } from '../srtp/index.js';
import { srtpKeys, srtpSessionOf, type DecryptingSession } from './weriftInternals.js';

/**
 * How far behind the newest packet of its SSRC an incoming SRTP packet may be and still be taken. Publishers send
 * without RTX here, so a packet the SFU asked for again (NACK) comes back with its first sequence number, late by
 * a round trip: 1,024 packets is ~3 s of 720p video (libwebrtc's own receivers use the same window).
 */
export const INBOUND_REPLAY_WINDOW = 1024;

/** What our SRTP context did with a transport's incoming RTP: taken, and refused (tag, replay, malformed). */
export interface InboundSrtpCounters {
  rtpIn: number;
  rtpRefused: number;
}

/**
 * Incoming SRTP of a connected DTLS transport is unprotected by our context for the peer's direction instead of
 * werift's session (werift keeps parsing and routing it): ~half werift's cost per packet, and a replay list, which
 * werift does not keep — a replayed packet would otherwise be forwarded to every subscriber again. A refused packet is
 * dropped the way werift drops one (its authentication error). False when the keys cannot be had: werift decrypts.
 */
export function takeSrtpIn(dtls: RTCDtlsTransport, counters: InboundSrtpCounters): boolean {
  const keys = srtpKeys(dtls);
  const session = srtpSessionOf(dtls);
  if (!keys || !session) return false;
  const remote = SrtpContext.fromMasterKey(keys.profile, keys.remoteMasterKey, keys.remoteMasterSalt, { rtpReplayWindow: INBOUND_REPLAY_WINDOW });
  decryptWith(
    session,
    (packet) => remote.unprotectRtp(packet),
    () => counters.rtpIn++,
    () => counters.rtpRefused++,
  );
  return true;
}

/**
 * Makes werift's `session` decrypt with `unprotect` (ours). A packet it refuses (`SrtpError`: tag, replay, malformed)
 * is dropped the way werift drops one: werift catches its own authentication error and goes on.
 */
export function decryptWith(session: DecryptingSession, unprotect: (packet: Buffer) => Buffer, taken: () => void, refused: () => void): void {
  session.decrypt = (packet: Buffer) => {
    try {
      const plain = unprotect(packet);
      taken();
      return plain;
    } catch (err) {
      refused();
      throw new SrtpAuthenticationError(err instanceof SrtpError ? err.message : String(err));
    }
  };
}
