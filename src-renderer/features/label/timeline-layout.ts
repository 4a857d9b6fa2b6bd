/** Where things sit on the timeline canvas, in CSS pixels from its top. */
export const RULER_HEIGHT = 20;
export const LANE_HEIGHT = 28;
export const LANE_GAP = 4;
export const AUTO_LANE_TOP = RULER_HEIGHT + 2;
export const USER_LANE_TOP = AUTO_LANE_TOP + LANE_HEIGHT + LANE_GAP;
/** The model's predictions for unlabelled clips, under the labels a person gave. */
export const PREDICTION_LANE_TOP = USER_LANE_TOP + LANE_HEIGHT + LANE_GAP;
export const TIMELINE_HEIGHT = PREDICTION_LANE_TOP + LANE_HEIGHT + 4;
/** How near (px) the pointer must be to a segment's edge to drag that edge. */
export const EDGE_GRAB_PX = 6;
/** The narrowest view, in frames: zooming in stops here. */
export const MIN_VIEW_FRAMES = 10;

export type Lane = 'ruler' | 'auto' | 'user' | 'prediction';

export function laneAt(y: number): Lane {
  if (y < AUTO_LANE_TOP) return 'ruler';
  if (y < USER_LANE_TOP - LANE_GAP / 2) return 'auto';
  if (y < PREDICTION_LANE_TOP - LANE_GAP / 2) return 'user';
  return 'prediction';
}

/** The frames shown across the canvas: [start, end), fractional while zoomed. */
export interface TimelineView {
  start: number;
  end: number;
}

export function xOfFrame(view: TimelineView, width: number, frame: number): number {
  return ((frame - view.start) / (view.end - view.start)) * width;
}

/** The frame boundary position under x, fractional. */
export function frameAtX(view: TimelineView, width: number, x: number): number {
  return view.start + (x / width) * (view.end - view.start);
}

/** A view `span` frames wide around `focus` (kept at the same place on screen), inside the video. */
export function zoomView(view: TimelineView, frameCount: number, span: number, focus: number): TimelineView {
  const clampedSpan = Math.min(frameCount, Math.max(MIN_VIEW_FRAMES, span));
  const ratio = (focus - view.start) / (view.end - view.start);
  return panView({ start: focus - ratio * clampedSpan, end: focus + (1 - ratio) * clampedSpan }, frameCount, 0);
}

export function panView(view: TimelineView, frameCount: number, by: number): TimelineView {
  const span = view.end - view.start;
  const start = Math.min(Math.max(0, view.start + by), Math.max(0, frameCount - span));
  return { start, end: start + span };
}
