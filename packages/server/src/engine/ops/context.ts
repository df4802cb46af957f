import type { Live } from '../Live.js';

/** What a command needs besides the live: who is asking, and the engine-level hooks it may call. */
export interface OpContext {
  live: Live;
  /** The acting user. */
  userId: string;
  now: number;
  hooks: EngineHooks;
}

export interface EngineHooks {
  newRequestId(): string;
  /** The user is no longer in this live (left, kicked, grace ran out): drop the engine's user → live mapping. */
  userLeftLive(live: Live, userId: string): void;
}
