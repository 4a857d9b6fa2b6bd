import { ApiError } from '../../../../shared/errors.js';

/** The ApiError `fn` throws (tests read its code and message); anything else fails the test. */
export function apiErrorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}
