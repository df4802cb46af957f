/**
 * Workarounds that let werift 0.24 receive simulcast safely (read from its source, `lib/index.mjs`):
 *
 * 1. `RtpRouter.routeRtp` looks a packet's rid (the rtp-stream-id header extension) up in `ridTable` and calls a
 *    method on the result without checking it: one packet with a rid that was not negotiated throws inside the
 *    transport's receive path. `guardRouting` catches and reports that instead.
 * 2. `RTCRtpReceiver` has one `NackHandler` for all the SSRCs of its m-section; it tracks a single "highest sequence
 *    number", so the interleaved sequence numbers of three layers look like thousands of lost packets and it sends
 *    a stream of bogus NACKs (and loops over the gap on every packet). `nackPerSsrc` gives each SSRC its own handler.
 */
import type { RTCPeerConnection, RTCRtpReceiver, RtpPacket } from 'werift';

interface NackLike {
  addPacket(packet: RtpPacket): void;
  close(): void;
}

type NackCtor = new (receiver: RTCRtpReceiver) => NackLike;

/** Packets of a rid nobody negotiated are dropped (and reported at most once a second) instead of throwing. */
export function guardRouting(pc: RTCPeerConnection, onError: (err: unknown) => void): void {
  const router = (pc as unknown as { router: { routeRtp: (packet: RtpPacket) => void } }).router;
  const route = router.routeRtp.bind(router);
  let lastReport = 0;
  router.routeRtp = (packet: RtpPacket) => {
    try {
      route(packet);
    } catch (err) {
      const now = Date.now();
      if (now - lastReport < 1000) return;
      lastReport = now;
      onError(err);
    }
  };
}

/** One werift NACK handler per SSRC of `receiver` (made with werift's own class). */
export function nackPerSsrc(receiver: RTCRtpReceiver): void {
  const r = receiver as unknown as { nack: NackLike };
  const first = r.nack;
  const Ctor = (Object.getPrototypeOf(first) as { constructor: NackCtor }).constructor;
  const bySsrc = new Map<number, NackLike>();
  r.nack = {
    addPacket(packet: RtpPacket): void {
      const ssrc = packet.header.ssrc;
      let handler = bySsrc.get(ssrc);
      if (!handler) {
        handler = bySsrc.size === 0 ? first : new Ctor(receiver);
        bySsrc.set(ssrc, handler);
      }
      handler.addPacket(packet);
    },
    close(): void {
      first.close();
      for (const h of bySsrc.values()) if (h !== first) h.close();
    },
  };
}
