import type { ParsedRequestPayload, RequestResult, RequestType, WireError } from '@onseat/protocol';

/** Requests the engine executes (the transport answers `session.*` itself). */
export type EngineRequestType = Exclude<RequestType, 'session.hello' | 'session.ping'>;

export type Reply<T extends RequestType = RequestType> = { ok: true; payload: RequestResult<T> } | { ok: false; error: WireError };

export type EnginePayload<T extends EngineRequestType> = ParsedRequestPayload<T>;
