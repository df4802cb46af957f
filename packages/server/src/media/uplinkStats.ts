/** The SFU's view of each publisher's uplink: loss, jitter and round-trip time from werift's receiver statistics. */
import type { Publisher } from './Publisher.js';

/** One publisher's uplink over the last window. */
export interface UplinkStats {
  userId: string;
  /** % of the packets lost on the way to the server (the loss its RTCP receiver reports announce), worst track. */
  upLoss: number;
  /** ms; -1 when unknown. */
  jitter: number;
  /** ms; -1 when unknown. */
  rtt: number;
}

interface Counters {
  received: number;
  lost: number;
}

interface StatEntry {
  type: string;
  id: string;
  packetsReceived?: number;
  packetsLost?: number;
  jitter?: number;
  nominated?: boolean;
  currentRoundTripTime?: number;
}

/** Reads a publisher's receivers and returns its uplink since the previous reading (kept in `prev`, by stats id). */
export async function uplinkOf(pub: Publisher, prev: Map<string, Counters>): Promise<UplinkStats> {
  // The worst track counts (as for the browser's own reading of the reports): video loss is partly repaired by
  // retransmissions, audio loss is not.
  let upLoss = 0;
  let jitter = -1;
  let rtt = -1;
  const reports = await Promise.all([...pub.tracks.values()].filter((t) => t.active).map((t) => t.receiver.getStats()));
  for (const report of reports) {
    report.forEach((value: unknown) => {
      const s = value as StatEntry;
      if (s.type === 'inbound-rtp') {
        const now = { received: s.packetsReceived ?? 0, lost: Math.max(0, s.packetsLost ?? 0) };
        const before = prev.get(s.id);
        prev.set(s.id, now);
        if (before) {
          const received = Math.max(0, now.received - before.received);
          const lost = Math.max(0, now.lost - before.lost);
          if (received + lost >= 10) upLoss = Math.max(upLoss, (100 * lost) / (received + lost));
        }
        if (s.jitter !== undefined) jitter = Math.max(jitter, s.jitter * 1000);
      } else if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) {
        rtt = s.currentRoundTripTime * 1000;
      }
    });
  }
  const round = (n: number) => (n < 0 ? -1 : Math.round(n * 10) / 10);
  return { userId: pub.userId, upLoss: round(upLoss), jitter: round(jitter), rtt: round(rtt) };
}
