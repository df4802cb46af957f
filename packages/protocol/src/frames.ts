import { z } from 'zod';

/** Client → server. `id` is client-generated and doubles as the idempotency key (repeat = same answer). */
export const RequestFrame = z.object({
  kind: z.literal('req'),
  id: z.string().min(1).max(64),
  type: z.string().min(1).max(64),
  payload: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export const ErrorObject = z.object({
  code: z.number().int(),
  name: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const ResponseFrame = z.union([
  z.object({ kind: z.literal('res'), id: z.string(), ok: z.literal(true), payload: z.unknown() }),
  z.object({ kind: z.literal('res'), id: z.string(), ok: z.literal(false), error: ErrorObject }),
]);
export type ResponseFrame = z.infer<typeof ResponseFrame>;

/** Server → client push. `seq` strictly increases per live (a member sees only the events addressed to it). */
export const EventFrame = z.object({
  kind: z.literal('evt'),
  type: z.string(),
  liveId: z.string(),
  seq: z.number().int().nonnegative(),
  payload: z.unknown(),
});
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.union([ResponseFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
