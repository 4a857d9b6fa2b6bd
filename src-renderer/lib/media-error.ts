/** What went wrong in a <video>, in words, from the codes of the HTML MediaError. */
const MEDIA_ERRORS: Record<number, string> = {
  1: 'loading was aborted',
  2: 'a network error stopped the download',
  3: 'the file could not be decoded',
  4: 'the format is not supported by this player',
};

/** The reason a <video> failed, e.g. "the file could not be decoded". */
export function mediaErrorReason(mediaError: MediaError | null): string {
  return mediaError ? (MEDIA_ERRORS[mediaError.code] ?? `error ${mediaError.code}`) : 'unknown error';
}
