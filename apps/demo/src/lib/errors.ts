/** Human-readable text for errors thrown by @onseat/vue calls. */

const MESSAGES: Record<number, string> = {
  100003: 'That live id is already in use.',
  100004: 'This live does not exist or has ended.',
  100200: 'That seat is locked.',
  100201: 'That seat is already taken.',
  100202: 'You already have a pending application.',
  100203: 'You are already on a seat.',
  100205: 'All seats are taken.',
  100210: 'This seat is already occupied by others.',
  [-2108]: 'You are already in another live. Leave it first.',
  [-2300]: 'Only the host can do that.',
  [-2301]: 'Only the host or an administrator can do that.',
  [-1302]: 'Not connected to the server.',
  [-1300]: 'The server did not answer in time.',
};

/** A one-line message for `error`, prefixed with `what` ("Could not accept: …"). */
export function errorText(what: string, error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const known = code !== undefined ? MESSAGES[code] : undefined;
  const message = known ?? (typeof e?.message === 'string' && e.message ? e.message : String(error));
  return `${what}: ${message}${code !== undefined && !known ? ` (${code})` : ''}`;
}

/** True for the error the media calls give where the browser has no WebRTC. */
export function isMediaUnavailable(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'MEDIA_NOT_AVAILABLE';
}
