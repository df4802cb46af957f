import type { RTCDtlsTransport } from 'werift';
import { SrtpContext } from '../srtp/index.js';
import { decryptWith } from './inboundSrtp.js';
import { everyShared } from '../sharedTicker.js';
import { compoundReport, type SenderReport } from './rtcpPackets.js';
import { directRoute, iceConnectionOf, srtcpSessionOf, srtpKeys, type IceConnectionLike } from './weriftInternals.js';

/** What a subscriber transport's output tracks give it to send as RTCP (sender reports), every report interval. */
export interface Reporter {
  report(now: number): SenderReport | undefined;
}

/**
 * The first SRTCP index of our sender reports. werift's SRTCP session on the same transport counts from 0 with the
 * same keys and must never reach an index we used (an SRTCP index is the AES-GCM nonce); it sends nothing on a
 * fast-path transport, and starting 2^30 above it keeps the two apart even if it ever did.
 */
export const SRTCP_INDEX_BASE = 0x40000000;

/** How often sender reports are checked for being due (ms). */
const REPORT_TICK_MS = 100;

/**
 * The sending side of one subscriber transport on the fast path: our own SRTP context made from the DTLS-SRTP keys
 * werift negotiated (our direction), and the selected candidate pair's UDP socket. Every forwarded packet of every
 * track of this subscriber is protected here and written straight to that socket (one `send` each, in the turn the
 * publisher's packet arrived). RTCP is ours on the wire too: sender reports are written as bytes and protected with
 * the same context (SRTCP, from index `SRTCP_INDEX_BASE`); incoming SRTCP (receiver reports, NACK, PLI, REMB) is
 * unprotected by our context for the peer's direction, in place of werift's decrypt, then parsed and routed by werift
 * to its sender events as before. werift's own SRTCP code costs ~10× ours per packet.
 *
 * `mode`: `pending` until DTLS is connected (packets are dropped, as werift would), then `fast`, or `werift` when
 * the keys cannot be had (the tracks then give their packets to werift's sender).
 */
export class SubscriberOutput {
  mode: 'pending' | 'fast' | 'werift' = 'pending';
  #dtls: RTCDtlsTransport | undefined;
  #ctx: SrtpContext | undefined;
  #rtcpIndex = SRTCP_INDEX_BASE;
  #conn: IceConnectionLike | undefined;
  /** The selected candidate pair the cached route was read from (an ICE restart may select another). */
  #pair: unknown;
  #route: ReturnType<typeof directRoute>;
  readonly #reporters = new Set<Reporter>();
  #stopReports: (() => void) | undefined;
  #closed = false;
  /** Datagrams written, and those refused by the socket or not sent for lack of ICE consent. */
  sent = 0;
  dropped = 0;
  /** SRTCP packets in that our context unprotected, and those it refused (tag, replay, malformed: dropped). */
  rtcpIn = 0;
  rtcpRefused = 0;

  constructor(
    private readonly onError: (err: unknown, context: string) => void,
    private readonly reportIntervalMs = 1000,
  ) {}

  /** The SRTP context to protect with, once `dtls` is connected; undefined while pending or on werift's path. */
  context(dtls: RTCDtlsTransport | undefined): SrtpContext | undefined {
    if (this.#ctx && dtls === this.#dtls) return this.#ctx;
    if (!dtls || this.#closed || this.mode === 'werift') return undefined;
    if (dtls.state !== 'connected') {
      this.mode = 'pending';
      return undefined;
    }
    try {
      const keys = srtpKeys(dtls);
      if (!keys) {
        this.mode = 'werift';
        return undefined;
      }
      this.#ctx = SrtpContext.fromMasterKey(keys.profile, keys.masterKey, keys.masterSalt);
      this.#rtcpIndex = SRTCP_INDEX_BASE;
      this.#takeRtcpIn(dtls, SrtpContext.fromMasterKey(keys.profile, keys.remoteMasterKey, keys.remoteMasterSalt));
      this.#dtls = dtls;
      this.#conn = iceConnectionOf(dtls);
      this.mode = 'fast';
      this.#startReports();
      return this.#ctx;
    } catch (err) {
      this.onError(err, 'reading the SRTP keys of a subscribe transport (using werift to send)');
      this.mode = 'werift';
      return undefined;
    }
  }

  /**
   * Incoming SRTCP of `dtls` is unprotected by `remote` (werift's session keeps parsing and routing it). A packet our
   * context refuses is dropped the way werift drops one (its authentication error).
   */
  #takeRtcpIn(dtls: RTCDtlsTransport, remote: SrtpContext): void {
    const session = srtcpSessionOf(dtls);
    if (!session) return;
    decryptWith(
      session,
      (packet) => remote.unprotectRtcp(packet),
      () => this.rtcpIn++,
      () => this.rtcpRefused++,
    );
  }

  /** Writes one protected packet to the selected candidate pair (directly to its UDP socket when it has one). */
  send(packet: Buffer): void {
    const conn = this.#conn;
    if (!conn || (conn.canSendApplicationData && !conn.canSendApplicationData())) {
      this.dropped++;
      return;
    }
    const pair = conn.nominated;
    if (pair !== this.#pair) {
      this.#pair = pair;
      this.#route = directRoute(conn);
    }
    const route = this.#route;
    try {
      if (route) route.socket.send(packet, route.port, route.address);
      else conn.send(packet).catch(this.#sendFailed);
      this.sent++;
    } catch (err) {
      this.dropped++;
      this.#sendFailed(err);
    }
  }

  #lastErrorAt = 0;
  #sendFailed = (err: unknown): void => {
    const now = Date.now();
    if (now - this.#lastErrorAt < 1000) return;
    this.#lastErrorAt = now;
    this.onError(err, 'sending on a subscribe transport');
  };

  addReporter(r: Reporter): void {
    this.#reporters.add(r);
  }

  removeReporter(r: Reporter): void {
    this.#reporters.delete(r);
  }

  /**
   * Sender reports of every track that sent, every `reportIntervalMs` (±25 %, RFC 3550 §6.2 randomisation), checked
   * on a shared tick of REPORT_TICK_MS (one wake-up for every subscriber's reports).
   */
  #startReports(): void {
    if (this.#stopReports || this.reportIntervalMs <= 0) return;
    const next = () => performance.now() + this.reportIntervalMs * (0.75 + Math.random() * 0.5);
    let dueAt = next();
    this.#stopReports = everyShared(REPORT_TICK_MS, () => {
      if (this.#closed || performance.now() < dueAt) return;
      dueAt = next();
      this.sendReports();
    });
  }

  /** Sends the sender reports now (also used by tests): one compound SRTCP packet for all tracks that sent. */
  sendReports(now = performance.timeOrigin + performance.now()): void {
    const dtls = this.#dtls;
    const ctx = this.#ctx;
    if (!dtls || !ctx || dtls.state !== 'connected') return;
    const reports: SenderReport[] = [];
    for (const r of this.#reporters) {
      const report = r.report(now);
      if (report) reports.push(report);
    }
    const packet = compoundReport(reports);
    if (!packet) return;
    // An SRTCP index is never used twice with the same keys: after 2^30 reports (34 years at one per second) stop.
    if (this.#rtcpIndex > 0x7fffffff) return;
    try {
      const index = this.#rtcpIndex++;
      this.send(ctx.protectRtcp(packet, index));
    } catch (err) {
      this.onError(err, 'sending RTCP sender reports');
    }
  }

  close(): void {
    this.#closed = true;
    this.#stopReports?.();
    this.#stopReports = undefined;
    this.#reporters.clear();
    this.#ctx = undefined;
    this.#conn = undefined;
  }
}
