/** A console-compatible logger; every method is optional. Pass `{}` to silence the client. */
export interface Logger {
  debug?(message: string, ...args: unknown[]): void;
  info?(message: string, ...args: unknown[]): void;
  warn?(message: string, ...args: unknown[]): void;
  error?(message: string, ...args: unknown[]): void;
}

/** Default logger: warnings and errors to the console, nothing else. */
export const defaultLogger: Logger = {
  warn: (message, ...args) => console.warn(`[onseat] ${message}`, ...args),
  error: (message, ...args) => console.error(`[onseat] ${message}`, ...args),
};
