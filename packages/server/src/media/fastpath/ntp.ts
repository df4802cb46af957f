/** Seconds between the NTP epoch (1900) and the Unix epoch. */
const NTP_UNIX_OFFSET = 2_208_988_800;

/** The 64-bit NTP timestamp of `ms` (Unix ms, with sub-ms precision), as RTCP sender reports carry it. */
export function ntpOf(ms: number): bigint {
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - seconds * 1000) / 1000) * 0x100000000);
  return (BigInt(seconds + NTP_UNIX_OFFSET) << 32n) | BigInt(fraction >>> 0);
}

/** The middle 32 bits of an NTP timestamp (RFC 3550 LSR/DLSR). */
export const compactNtp = (ntp: bigint): number => Number((ntp >> 16n) & 0xffffffffn);

export const nowMs = (): number => performance.timeOrigin + performance.now();
