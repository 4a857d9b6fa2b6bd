import type { ClipSpec } from '../clips/clip-spec.js';
import { flowView } from './flow-view.js';
import { temporalGradientView } from './temporal-gradient-view.js';

/** A view derived from a decoded clip (T·S·S·3 bytes in, the same shape out). */
export interface ClipView {
  /**
   * Names the cached files: lower-case letters, digits and dashes. Versioned: a new id whenever
   * the computation or its byte scale changes, so stale files are never read as the new view.
   */
  readonly id: string;
  compute(clip: Uint8Array, spec: ClipSpec): Uint8Array;
}

export const TEMPORAL_GRADIENT_VIEW: ClipView = { id: 'tgrad-v1', compute: temporalGradientView };

/** Farnebäck flow with the default settings and byte scale (flow-view.ts, flow-encoding.ts). */
export const FLOW_VIEW: ClipView = { id: 'flow-v1', compute: (clip, spec) => flowView(clip, spec) };

/** The views MvPL trains on besides RGB. */
export const MVPL_VIEWS: readonly ClipView[] = [TEMPORAL_GRADIENT_VIEW, FLOW_VIEW];
