/**
 * Request ids: a random per-client prefix plus a counter. Ids double as the server's idempotency keys (scoped per
 * user, kept ~10 min), so two clients of the same user must never produce the same id.
 */
export function createIdGenerator(): () => string {
  const bytes = new Uint8Array(9);
  const crypto = (globalThis as { crypto?: { getRandomValues?(a: Uint8Array): Uint8Array } }).crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const prefix = Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
  let n = 0;
  return () => `${prefix}-${(++n).toString(36)}`;
}
