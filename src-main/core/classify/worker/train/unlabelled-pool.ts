import { ClipFailure } from '../../clips/clip-failure.js';
import type { ClipRef } from '../../clips/clip-ref.js';
import { clipKey, type ClipReader } from './clip-reader.js';
import { describeFailures, type DecodeFailure } from './decode-clips.js';

/**
 * The unlabelled clips of a run, read while they are still being decoded in the background. A clip
 * that cannot be decoded is skipped for the rest of the run (the next usable clip takes its place),
 * and reported once; one bad file among thousands of unlabelled clips does not stop training.
 */
export class UnlabelledPool {
  private readonly bad = new Map<number, string>();
  private readonly indexByKey = new Map<string, number>();
  private unreported: DecodeFailure[] = [];

  constructor(
    private readonly clips: readonly ClipRef[],
    private readonly reader: ClipReader,
  ) {
    clips.forEach((clip, i) => this.indexByKey.set(clipKey(clip), i));
  }

  get size(): number {
    return this.clips.length;
  }

  /** Failures found by the background decoding. */
  addFailures(failed: readonly DecodeFailure[]): void {
    for (const f of failed) {
      const index = this.indexByKey.get(clipKey(f.clip));
      if (index !== undefined) this.markBad(index, f.reason);
    }
  }

  /** Failures not reported yet (each comes up once). */
  takeNewFailures(): DecodeFailure[] {
    const out = this.unreported;
    this.unreported = [];
    return out;
  }

  private markBad(index: number, reason: string): void {
    if (this.bad.has(index)) return;
    this.bad.set(index, reason);
    const clip = this.clips[index];
    if (clip !== undefined) this.unreported.push({ clip, reason });
  }

  private usableFrom(index: number): number {
    for (let k = 0; k < this.clips.length; k++) {
      const i = (index + k) % this.clips.length;
      if (!this.bad.has(i)) return i;
    }
    const all = [...this.bad].map(([i, reason]) => ({ clip: this.clips[i] as ClipRef, reason }));
    throw new Error(`${describeFailures(all, 'unlabelled')}; none is left to train on.`);
  }

  private async readOne(index: number): Promise<{ bytes: Uint8Array; index: number }> {
    for (;;) {
      const i = this.usableFrom(index);
      try {
        return { bytes: await this.reader.read(this.clips[i] as ClipRef), index: i };
      } catch (error) {
        if (!(error instanceof ClipFailure)) throw error;
        this.markBad(i, error.reason);
      }
    }
  }

  /** The clips at `indices` (or their stand-ins), with the indices actually read. */
  async read(indices: readonly number[]): Promise<{ bytes: Uint8Array[]; indices: number[] }> {
    const rows = await Promise.all(indices.map((i) => this.readOne(i)));
    return { bytes: rows.map((r) => r.bytes), indices: rows.map((r) => r.index) };
  }
}
