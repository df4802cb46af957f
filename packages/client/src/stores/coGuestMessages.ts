import { Errors } from '@onseat/protocol';
/** The fixed English messages AtomicX uses for `onGuestApplicationError`, by code. */
const MESSAGES: Readonly<Record<number, string>> = {
  [Errors.MAX_SEAT_COUNT_LIMIT.code]: 'Maximum seat count exceeds package limit',
  [Errors.SEAT_INDEX_NOT_EXIST.code]: 'Seat index does not exist',
  [Errors.INSUFFICIENT_OPERATION_PERMISSIONS.code]: 'Insufficient operation permissions',
  [Errors.SEAT_LOCKED.code]: 'Seat is locked',
  [Errors.SEAT_OCCUPIED.code]: 'Seat is already occupied',
  [Errors.ALREADY_ON_THE_SEAT_QUEUE.code]: 'User is already on the seat queue',
  [Errors.ALREADY_IN_SEAT.code]: 'User is already in a seat',
  [Errors.NOT_ON_THE_SEAT_QUEUE.code]: 'User is not on the seat queue',
  [Errors.ALL_SEAT_OCCUPIED.code]: 'All seats are occupied',
  [Errors.USER_NOT_IN_SEAT.code]: 'User is not in a seat',
  [Errors.USER_ALREADY_ON_SEAT.code]: 'User is already on seat',
  [Errors.SEAT_NOT_SUPPORT_LINK_MIC.code]: 'Seat does not support link mic',
  100251: 'Empty seat list',
};

/** Message of `onGuestApplicationError` for `code`. */
export function applicationErrorMessage(code: number): string {
  return MESSAGES[code] ?? 'Failed to apply for seat';
}
