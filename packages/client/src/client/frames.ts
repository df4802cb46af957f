import { EventFrame, Requests, ResponseFrame, type RequestType } from '@onseat/protocol';
import { OnseatError } from '../errors.js';
import { messageText } from './socket.js';

/** A server frame, decoded and checked against the protocol's frame schemas. */
export type DecodedFrame = { kind: 'res'; frame: ResponseFrame } | { kind: 'evt'; frame: EventFrame } | { kind: 'bad'; raw: unknown };

/** Decode a WebSocket message from the server. */
export function decodeFrame(data: unknown): DecodedFrame {
  const text = messageText(data);
  let raw: unknown = null;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch {
    return { kind: 'bad', raw: text };
  }
  const kind = (raw as { kind?: unknown } | null)?.kind;
  if (kind === 'res') {
    const res = ResponseFrame.safeParse(raw);
    if (res.success) return { kind: 'res', frame: res.data };
  } else if (kind === 'evt') {
    const evt = EventFrame.safeParse(raw);
    if (evt.success) return { kind: 'evt', frame: evt.data };
  }
  return { kind: 'bad', raw };
}

/** The typed result of a successful response, or the error to reject with. */
export function readResponse(type: string, frame: ResponseFrame): { ok: true; value: unknown } | { ok: false; error: OnseatError } {
  if (!frame.ok) return { ok: false, error: OnseatError.fromWire(frame.error) };
  const schema = (Requests as Record<string, { result: (typeof Requests)[RequestType]['result'] } | undefined>)[type];
  const parsed = schema?.result.safeParse(frame.payload);
  if (parsed?.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: OnseatError.of('SERVER_PROCESS_FAILED', `Unexpected result of ${type}`, { issues: parsed?.error.issues }),
  };
}
