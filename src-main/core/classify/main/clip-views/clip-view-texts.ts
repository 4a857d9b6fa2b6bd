import type { ClipViewKind } from '../../../../shared/clip-views.js';
import { FLOW_MAX_DISPLACEMENT } from '../../views/flow-encoding.js';

/** How each view is named and read, next to its pixels (see temporal-gradient-view.ts, flow-view.ts). */
export const CLIP_VIEW_TEXTS: Record<ClipViewKind, { label: string; explanation: string }> = {
  rgb: {
    label: 'RGB',
    explanation: 'RGB: the frames as the model sees them, spread evenly over the clip.',
  },
  'temporal-gradient': {
    label: 'Temporal gradient',
    explanation:
      'Temporal gradient: what changed between frames; mid grey is no change, lighter where a pixel got darker, darker where it got lighter.',
  },
  flow: {
    label: 'Optical flow',
    explanation:
      'Optical flow: the motion of each pixel since the previous frame as colour; red is x (above half: rightwards, below: leftwards), ' +
      `green is y (above half: downwards, below: upwards), blue is speed (full at ${FLOW_MAX_DISPLACEMENT} px a frame); still shows as dark olive.`,
  },
};
