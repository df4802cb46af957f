import { MAX_FRAME_BYTES, RequestFrame, Requests, isRequestType, wireError, type RequestType, type WireError } from '@onseat/protocol';

/** What a WebSocket message event hands us (`ws` RawData). */
export type RawFrame = Buffer | ArrayBuffer | Buffer[];

/** A frame that passed the envelope checks (its payload is not validated yet). */
export interface CheckedFrame {
  ok: true;
  id: string;
  type: RequestType;
  payload: unknown;
}

/** A frame rejected before its payload was looked at; `id` is the frame's id when it could be read, else ''. */
export interface RejectedFrame {
  ok: false;
  id: string;
  error: WireError;
}

const ID_IN_HEAD = /"id"\s*:\s*"([^"\\]{1,64})"/;

function toBuffer(data: RawFrame): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function readableId(v: unknown): string {
  return typeof v === 'string' && v.length <= 64 ? v : '';
}

/**
 * Check a frame's envelope, in this order: binary → FRAME_MALFORMED; more than MAX_FRAME_BYTES → FRAME_TOO_LARGE;
 * not JSON or not a RequestFrame → FRAME_MALFORMED; unknown type → UNKNOWN_REQUEST_TYPE.
 */
export function checkFrame(data: RawFrame, isBinary: boolean): CheckedFrame | RejectedFrame {
  const buf = toBuffer(data);
  if (isBinary) return { ok: false, id: '', error: wireError('FRAME_MALFORMED', 'Binary frames are not accepted; send JSON text') };
  if (buf.length > MAX_FRAME_BYTES) {
    // The id is read from the head only: an oversized frame is never parsed.
    const m = ID_IN_HEAD.exec(buf.subarray(0, 256).toString('utf8'));
    return {
      ok: false,
      id: m?.[1] ?? '',
      error: wireError('FRAME_TOO_LARGE', `Frame of ${buf.length} bytes exceeds the limit of ${MAX_FRAME_BYTES} bytes`, {
        size: buf.length,
        limit: MAX_FRAME_BYTES,
      }),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch {
    return { ok: false, id: '', error: wireError('FRAME_MALFORMED', 'Frame is not valid JSON') };
  }
  const parsed = RequestFrame.safeParse(json);
  if (!parsed.success) {
    const id = json !== null && typeof json === 'object' ? readableId((json as { id?: unknown }).id) : '';
    return { ok: false, id, error: wireError('FRAME_MALFORMED') };
  }
  const { id, type, payload } = parsed.data;
  if (!isRequestType(type)) {
    return { ok: false, id, error: wireError('UNKNOWN_REQUEST_TYPE', `Unknown request type "${type}"`, { type }) };
  }
  return { ok: true, id, type, payload };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? 'payload' : out;
}

/**
 * Validate a payload with its type's schema. A missing payload counts as `{}`. On failure: INVALID_PARAMETER (or
 * LIVE_ID_INVALID / LIVE_NAME_INVALID when the first problem is the live's id or name) with the first issue's path and
 * message in `message` and every issue in `details.issues`.
 */
export function parsePayload(type: RequestType, payload: unknown): { ok: true; value: unknown } | { ok: false; error: WireError } {
  const r = Requests[type].payload.safeParse(payload ?? {});
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.map((i) => ({ path: formatPath(i.path), code: i.code, message: i.message }));
  const first = issues[0];
  const message = first ? `${first.path}: ${first.message}` : 'Invalid payload';
  // TRTC has codes of its own for a bad live id or name; everything else is a plain invalid parameter.
  const name = first?.path === 'liveId' ? 'LIVE_ID_INVALID' : first?.path === 'liveName' ? 'LIVE_NAME_INVALID' : 'INVALID_PARAMETER';
  return { ok: false, error: wireError(name, message, { issues }) };
}

/** Serialised success response. */
export function okFrame(id: string, payload: unknown): string {
  return JSON.stringify({ kind: 'res', id, ok: true, payload });
}

/** Serialised error response. */
export function errorFrame(id: string, error: WireError): string {
  return JSON.stringify({ kind: 'res', id, ok: false, error });
}
