/** Timeouts and choices the demo uses (the seconds are what AtomicX's samples use). */
import { SeatLayoutTemplate, TUISeatMode } from '@onseat/vue';

/** How long an audience member's application waits for the host (seconds). */
export const APPLY_TIMEOUT_S = 60;
/**
 * The application timeout this page uses: {@link APPLY_TIMEOUT_S}, unless the page address carries
 * `?applyTimeout=<seconds>` (1–600) — the demo's end-to-end tests use `?applyTimeout=3` to see a request time out.
 */
export function applyTimeoutSeconds(search: string = window.location.search): number {
  const v = Number(new URLSearchParams(search).get('applyTimeout'));
  return Number.isInteger(v) && v >= 1 && v <= 600 ? v : APPLY_TIMEOUT_S;
}

/** How long a host's invitation waits for the audience member (seconds). */
export const INVITE_TIMEOUT_S = 30;

/** Seat layouts a host can pick when going live. */
export const SEAT_TEMPLATES = [
  { value: SeatLayoutTemplate.VideoDynamicGrid9Seats, label: 'Dynamic grid', detail: 'up to 9 seats, equal tiles' },
  { value: SeatLayoutTemplate.VideoDynamicFloat7Seats, label: 'Host + floating guests', detail: 'host full, 6 guests' },
  { value: SeatLayoutTemplate.VideoFixedGrid9Seats, label: 'Fixed 3×3 grid', detail: '9 seats' },
  { value: SeatLayoutTemplate.VideoFixedFloat7Seats, label: 'Large + column', detail: 'host large, 6 guests' },
  { value: SeatLayoutTemplate.VideoLandscape4Seats, label: 'Landscape', detail: '4 seats' },
] as const;

/** Seat modes a host can pick. */
export const SEAT_MODES = [
  { value: TUISeatMode.kApplyToTake, label: 'Apply to take a seat (host approves)' },
  { value: TUISeatMode.kFreeToTake, label: 'Free to take a seat' },
] as const;

/** What the host fills in before going live. */
export interface LiveSetup {
  liveName: string;
  seatTemplate: number;
  seatMode: TUISeatMode;
}
