import { OnseatError, type Logger } from '@onseat/client';

/** Registry-style name of the error the media methods reject with until onseat has media. */
export const MEDIA_NOT_AVAILABLE = 'MEDIA_NOT_AVAILABLE';

/**
 * A rejected promise whose rejection is already marked handled: callers that `await` (or `.catch`) it get the
 * error, while code that calls it without awaiting (as the TRTC samples do with `openLocalMicrophone()`) does not
 * produce an unhandled rejection. The error is also logged as a warning, so it is never silent.
 */
export function rejectSoftly(error: OnseatError, logger: Logger): Promise<never> {
  logger.warn?.(`${error.message} (code ${error.code})`);
  const promise = Promise.reject(error);
  promise.catch(() => undefined);
  return promise;
}

/** The error of a media call made before onseat has media (code -1, name `MEDIA_NOT_AVAILABLE`). */
export function mediaNotAvailable(method: string): OnseatError {
  return new OnseatError(-1, MEDIA_NOT_AVAILABLE, `${method}: media is not available here (this environment has no WebRTC)`);
}
