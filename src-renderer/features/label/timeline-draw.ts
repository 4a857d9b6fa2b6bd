/**
 * Paints the timeline: a time ruler, the automatic clips, the user segments, the model's
 * predictions, the playhead. One canvas and one pass over the clips, so thousands of clips on a
 * video stay cheap.
 */
import type { ClipDto } from '../../../src-main/shared/dto.js';
import { frameAtTime, type VideoTiming } from '../../../src-main/shared/frame-time.js';
import type { FrameRange } from './player-control.svelte.js';
import type { LanePrediction } from './prediction-lane.js';
import {
  AUTO_LANE_TOP,
  LANE_HEIGHT,
  PREDICTION_LANE_TOP,
  RULER_HEIGHT,
  USER_LANE_TOP,
  xOfFrame,
  type TimelineView,
} from './timeline-layout.js';

export interface TimelineScene {
  width: number;
  height: number;
  view: TimelineView;
  timing: VideoTiming;
  clips: readonly ClipDto[];
  /** The class a clip shows (a label being saved counts). */
  labelOf: (clip: ClipDto) => number | null;
  isSaving: (clipId: number) => boolean;
  classColor: (classId: number) => string;
  className: (classId: number) => string;
  frame: number;
  currentId: number | null;
  selectedId: number | null;
  loop: FrameRange | null;
  /** A segment being drawn or an edge being dragged. */
  draft: { clipId: number | null; start: number; end: number } | null;
  drawAnchor: number | null;
  /** The prediction lane: unlabelled predicted clips, sorted by start. */
  predictions: readonly LanePrediction[];
  /** How opaque a prediction of this confidence is drawn. */
  predictionAlpha: (confidence: number) => number;
  /** The prediction under the playhead. */
  currentPredictionId: number | null;
  /** Said in the empty prediction lane (no run yet, or every clip labelled). */
  predictionNote: string;
}

const COLORS = {
  background: '#151618',
  lane: '#222429',
  ruler: '#9ba1a9',
  tick: '#3a3d44',
  unlabelledFill: '#2a2c31',
  unlabelledStripe: '#3a3d44',
  unlabelledEdge: '#585d66',
  current: '#ffffff',
  selected: '#4d8dff',
  playhead: '#f06464',
  draft: 'rgba(77, 141, 255, 0.35)',
  loop: 'rgba(224, 168, 59, 0.25)',
};

/** Dark text on light class colours, light text on dark ones. */
export function textColorOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  if (!Number.isFinite(n)) return '#0d0e10';
  const luminance = 0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
  return luminance > 140 ? '#0d0e10' : '#f4f5f7';
}

const TICK_STEPS_SEC = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const MIN_TICK_GAP_PX = 70;

let stripes: { ctx: CanvasRenderingContext2D; pattern: CanvasPattern | null } | null = null;

/** Unlabelled clips are hatched grey: never mistaken for a class, whatever its colour. */
function unlabelledPattern(ctx: CanvasRenderingContext2D): CanvasPattern | string {
  if (stripes?.ctx === ctx) return stripes.pattern ?? COLORS.unlabelledFill;
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const t = tile.getContext('2d');
  if (t) {
    t.fillStyle = COLORS.unlabelledFill;
    t.fillRect(0, 0, 8, 8);
    t.strokeStyle = COLORS.unlabelledStripe;
    t.lineWidth = 2;
    t.beginPath();
    t.moveTo(-2, 10);
    t.lineTo(10, -2);
    t.moveTo(-2, 2);
    t.lineTo(2, -2);
    t.moveTo(6, 10);
    t.lineTo(10, 6);
    t.stroke();
  }
  stripes = { ctx, pattern: ctx.createPattern(tile, 'repeat') };
  return stripes.pattern ?? COLORS.unlabelledFill;
}

export function drawTimeline(ctx: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { width, height, view } = scene;
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = COLORS.lane;
  ctx.fillRect(0, AUTO_LANE_TOP, width, LANE_HEIGHT);
  ctx.fillRect(0, USER_LANE_TOP, width, LANE_HEIGHT);
  ctx.fillRect(0, PREDICTION_LANE_TOP, width, LANE_HEIGHT);

  drawRuler(ctx, scene);
  if (scene.loop) {
    const x0 = xOfFrame(view, width, scene.loop.start);
    const x1 = xOfFrame(view, width, scene.loop.end);
    ctx.fillStyle = COLORS.loop;
    ctx.fillRect(x0, 0, Math.max(1, x1 - x0), height);
  }

  const hatch = unlabelledPattern(ctx);
  let current: { x: number; w: number; top: number } | null = null;
  let selected: { x: number; w: number; top: number } | null = null;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const clip of scene.clips) {
    if (clip.endFrame <= view.start || clip.startFrame >= view.end) continue;
    const top = clip.origin === 'user' ? USER_LANE_TOP : AUTO_LANE_TOP;
    const x0 = xOfFrame(view, width, clip.startFrame);
    const x1 = xOfFrame(view, width, clip.endFrame);
    const x = Math.max(-2, x0);
    const w = Math.max(1, Math.min(width + 2, x1) - x);
    const classId = scene.labelOf(clip);
    const saving = scene.isSaving(clip.id);
    ctx.globalAlpha = saving ? 0.5 : 1;
    ctx.fillStyle = classId === null ? hatch : scene.classColor(classId);
    // A hairline gap between neighbours keeps clip boundaries visible.
    ctx.fillRect(x, top + 1, w > 3 ? w - 1 : w, LANE_HEIGHT - 2);
    ctx.globalAlpha = 1;
    if (classId === null && w > 3) {
      ctx.strokeStyle = COLORS.unlabelledEdge;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, top + 1.5, w - 2, LANE_HEIGHT - 3);
    }
    if (saving && w > 3) {
      ctx.setLineDash([3, 3]);
      ctx.strokeStyle = COLORS.current;
      ctx.strokeRect(x + 0.5, top + 1.5, w - 2, LANE_HEIGHT - 3);
      ctx.setLineDash([]);
    }
    if (classId !== null && w > 36) {
      ctx.fillStyle = textColorOn(scene.classColor(classId));
      ctx.save();
      ctx.beginPath();
      ctx.rect(x + 3, top, w - 6, LANE_HEIGHT);
      ctx.clip();
      ctx.fillText(scene.className(classId), x + 4, top + LANE_HEIGHT / 2);
      ctx.restore();
    }
    if (clip.id === scene.currentId) current = { x, w, top };
    if (clip.id === scene.selectedId) selected = { x, w, top };
  }
  if (selected) outline(ctx, selected, COLORS.selected, 2);
  if (current) outline(ctx, current, COLORS.current, 2);
  drawPredictions(ctx, scene);

  if (scene.draft) {
    const x0 = xOfFrame(view, width, scene.draft.start);
    const x1 = xOfFrame(view, width, scene.draft.end);
    ctx.fillStyle = COLORS.draft;
    ctx.fillRect(x0, USER_LANE_TOP, Math.max(1, x1 - x0), LANE_HEIGHT);
    outline(ctx, { x: x0, w: Math.max(1, x1 - x0), top: USER_LANE_TOP }, COLORS.selected, 1);
  }
  if (scene.drawAnchor !== null) {
    const from = Math.min(scene.drawAnchor, scene.frame);
    const to = Math.max(scene.drawAnchor, scene.frame) + 1;
    const x0 = xOfFrame(view, width, from);
    ctx.fillStyle = COLORS.draft;
    ctx.fillRect(x0, USER_LANE_TOP, Math.max(1, xOfFrame(view, width, to) - x0), LANE_HEIGHT);
  }

  drawPlayhead(ctx, scene);
}

/** Coloured by predicted class, opacity by confidence; the name and confidence where there is room. */
function drawPredictions(ctx: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { width, view } = scene;
  const top = PREDICTION_LANE_TOP;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  if (scene.predictions.length === 0 && scene.predictionNote) {
    ctx.fillStyle = COLORS.ruler;
    ctx.fillText(scene.predictionNote, 6, top + LANE_HEIGHT / 2);
    return;
  }
  let current: { x: number; w: number; top: number } | null = null;
  for (const p of scene.predictions) {
    if (p.endFrame <= view.start) continue;
    if (p.startFrame >= view.end) break;
    const x0 = xOfFrame(view, width, p.startFrame);
    const x = Math.max(-2, x0);
    const w = Math.max(1, Math.min(width + 2, xOfFrame(view, width, p.endFrame)) - x);
    const color = scene.classColor(p.classId);
    const alpha = scene.predictionAlpha(p.confidence);
    ctx.globalAlpha = alpha;
    ctx.fillStyle = color;
    ctx.fillRect(x, top + 1, w > 3 ? w - 1 : w, LANE_HEIGHT - 2);
    ctx.globalAlpha = 1;
    if (w > 56) {
      // On a faint fill the lane's dark background shows through: light text reads best there.
      ctx.fillStyle = alpha >= 0.6 ? textColorOn(color) : '#f4f5f7';
      ctx.save();
      ctx.beginPath();
      ctx.rect(x + 3, top, w - 6, LANE_HEIGHT);
      ctx.clip();
      ctx.fillText(`${scene.className(p.classId)} ${Math.round(p.confidence * 100)}%`, x + 4, top + LANE_HEIGHT / 2);
      ctx.restore();
    }
    if (p.clipId === scene.currentPredictionId) current = { x, w, top };
  }
  if (current) outline(ctx, current, COLORS.current, 1);
}

function outline(ctx: CanvasRenderingContext2D, box: { x: number; w: number; top: number }, color: string, lineWidth: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.strokeRect(box.x + lineWidth / 2, box.top + lineWidth / 2, Math.max(1, box.w - lineWidth), LANE_HEIGHT - lineWidth);
}

function drawRuler(ctx: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { width, view, timing } = scene;
  const fps = timing.fps;
  // Where second `sec` falls: on its frame for variable frame rates, else at sec × fps.
  const frameOf = (sec: number) => (timing.frameTimes ? frameAtTime(timing, sec) : sec * fps);
  const pxPerSec = (width / (view.end - view.start)) * fps;
  const step = TICK_STEPS_SEC.find((s) => s * pxPerSec >= MIN_TICK_GAP_PX) ?? TICK_STEPS_SEC[TICK_STEPS_SEC.length - 1] ?? 3600;
  const firstSec = Math.ceil(view.start / fps / step) * step;
  ctx.strokeStyle = COLORS.tick;
  ctx.fillStyle = COLORS.ruler;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let sec = firstSec; frameOf(sec) <= view.end && sec * fps <= timing.frameCount + fps; sec += step) {
    const x = Math.round(xOfFrame(view, width, frameOf(sec))) + 0.5;
    ctx.moveTo(x, RULER_HEIGHT - 6);
    ctx.lineTo(x, RULER_HEIGHT);
    ctx.fillText(rulerLabel(sec, step), x + 3, 3);
  }
  ctx.stroke();
}

function rulerLabel(sec: number, step: number): string {
  const rounded = Math.round(sec * 10) / 10;
  const h = Math.floor(rounded / 3600);
  const m = Math.floor(rounded / 60) % 60;
  const s = rounded % 60;
  const seconds = step < 1 ? s.toFixed(1).padStart(4, '0') : String(Math.floor(s)).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${seconds}` : `${m}:${seconds}`;
}

function drawPlayhead(ctx: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { width, height, view, frame } = scene;
  const x0 = xOfFrame(view, width, frame);
  const x1 = xOfFrame(view, width, frame + 1);
  if (x1 < 0 || x0 > width) return;
  ctx.fillStyle = COLORS.playhead;
  if (x1 - x0 >= 3) {
    ctx.globalAlpha = 0.3;
    ctx.fillRect(x0, AUTO_LANE_TOP, x1 - x0, height - AUTO_LANE_TOP);
    ctx.globalAlpha = 1;
  }
  ctx.fillRect(Math.round(x0) - 1, 0, 2, height);
  ctx.beginPath();
  ctx.moveTo(x0 - 5, 0);
  ctx.lineTo(x0 + 5, 0);
  ctx.lineTo(x0, 7);
  ctx.closePath();
  ctx.fill();
}
