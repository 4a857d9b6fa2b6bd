/**
 * MvPL's clips in several views (RGB, temporal gradient, optical flow). A multi-view clip travels as one
 * byte array, the views one after another, so the pools, shards and thread messages that carry clips
 * carry them unchanged; the step splits them back into views just before augmentation.
 */
import type { ClipRef } from '../../clips/clip-ref.js';
import { FLOW_VIEW, MVPL_VIEWS, type ClipView } from '../../views/clip-view.js';
import type { ViewCache } from '../../views/view-cache.js';
import type { ClipReader } from './clip-reader.js';

/** The views in the order they travel: RGB first (null), then MVPL_VIEWS. */
export const MULTI_VIEWS: readonly (ClipView | null)[] = [null, ...MVPL_VIEWS];
export const MULTI_VIEW_COUNT = MULTI_VIEWS.length;

/** Reads each clip as its RGB bytes followed by every MvPL view of it (computed once, then cached). */
export class MultiViewReader implements ClipReader {
  constructor(
    private readonly rgb: ClipReader,
    private readonly views: ViewCache,
  ) {}

  async read(clip: ClipRef): Promise<Uint8Array> {
    const rgb = await this.rgb.read(clip);
    const others = await Promise.all(MVPL_VIEWS.map((view) => this.views.read(clip, view)));
    const out = new Uint8Array(rgb.length * MULTI_VIEW_COUNT);
    [rgb, ...others].forEach((bytes, i) => out.set(bytes, i * rgb.length));
    return out;
  }
}

/** The views of one multi-view clip (subarrays, no copies). */
export function splitViews(bytes: Uint8Array, views: number = MULTI_VIEW_COUNT): Uint8Array[] {
  if (bytes.length % views !== 0) throw new Error(`a clip of ${bytes.length} bytes cannot hold ${views} views of equal size`);
  const size = bytes.length / views;
  return Array.from({ length: views }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}

/** Whether a horizontal flip must also negate the view's x channel (flow's x displacement). */
export function flipsWithView(view: ClipView | null): boolean {
  return view?.id === FLOW_VIEW.id;
}

/** A flow view as seen in a mirror: x displacement negated around 128 (the encoding's zero), y and magnitude unchanged. */
export function mirroredFlow(flow: Uint8Array): Uint8Array {
  const out = Uint8Array.from(flow);
  for (let i = 0; i < out.length; i += 3) out[i] = Math.min(255, 256 - (flow[i] ?? 128));
  return out;
}
