/** The fixed English messages AtomicX uses for `onGuestApplicationError`, by code. */
const MESSAGES: Readonly<Record<number, string>> = {
  [-2340]: 'Maximum seat count exceeds package limit',
  [-2344]: 'Seat index does not exist',
  100006: 'Insufficient operation permissions',
  100200: 'Seat is locked',
  100201: 'Seat is already occupied',
  100202: 'User is already on the seat queue',
  100203: 'User is already in a seat',
  100204: 'User is not on the seat queue',
  100205: 'All seats are occupied',
  100206: 'User is not in a seat',
  100210: 'User is already on seat',
  100211: 'Seat does not support link mic',
  100251: 'Empty seat list',
};

/** Message of `onGuestApplicationError` for `code`. */
export function applicationErrorMessage(code: number): string {
  return MESSAGES[code] ?? 'Failed to apply for seat';
}
