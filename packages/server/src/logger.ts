import { pino } from 'pino';

/** Log levels the server understands (pino's, plus `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One logging method: `(fields, message?)` or `(message)`, as pino's. */
export type LogFn = (objOrMsg: unknown, msg?: string) => void;

/** The part of a pino logger the server uses. Tests may pass any object with these methods. */
export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

/** A JSON logger (pino) writing to stdout at `level`. */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { name: 'onseat' } });
}

const noop: LogFn = () => {};

/** A logger that drops everything. */
export const silentLogger: Logger = { info: noop, warn: noop, error: noop, debug: noop };
