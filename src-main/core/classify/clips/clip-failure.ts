import type { ClipRef } from './clip-ref.js';

/** One clip that could not be decoded; `reason` names the file and what is wrong with it. */
export class ClipFailure extends Error {
  constructor(
    readonly clip: ClipRef,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ClipFailure';
  }
}
