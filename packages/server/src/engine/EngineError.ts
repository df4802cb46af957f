import { wireError, type ErrorName, type WireError } from '@onseat/protocol';

/** Thrown by a command to refuse it. Commands check everything before they change anything. */
export class EngineError extends Error {
  readonly wire: WireError;
  constructor(name: ErrorName, message?: string, details?: Record<string, unknown>) {
    const wire = wireError(name, message, details);
    super(wire.message);
    this.name = 'EngineError';
    this.wire = wire;
  }
}

export const fail = (name: ErrorName, message?: string, details?: Record<string, unknown>): never => {
  throw new EngineError(name, message, details);
};
