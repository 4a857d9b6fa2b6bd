/**
 * Paints the score curve's still layer: mark bands, the selection, the min/max envelope of each
 * pixel column and the threshold line. The playhead is not here: it moves every frame and is a
 * separate element over this canvas, so playback never repaints the curve.
 */
import type { AnomalyMarkKind } from '../../../src-main/shared/anomaly.js';
import type { CurveColumns } from './curve-columns.js';

export interface CurveBand {
  startFrame: number;
  /** Exclusive. */
  endFrame: number;
  kind: AnomalyMarkKind;
}

export interface CurveColors {
  line: string;
  fill: string;
  above: string;
  threshold: string;
  anomaly: string;
  normal: string;
  selection: string;
  grid: string;
}

export interface CurveScene {
  width: number;
  height: number;
  frameCount: number;
  /** One min/max pair per CSS pixel column (curveColumns(values, width)). */
  columns: CurveColumns;
  /** The values at the bottom and top edge. */
  lo: number;
  hi: number;
  threshold: number;
  marks: readonly CurveBand[];
  selection: { start: number; end: number } | null;
  colors: CurveColors;
}

const TOP_PAD = 6;
const BOTTOM_PAD = 4;
/** The strip under a mark band drawn solid, so a band reads even where the curve covers it. */
const MARK_STRIP = 4;

export function yOfValue(value: number, scene: Pick<CurveScene, 'height' | 'lo' | 'hi'>): number {
  const span = scene.hi - scene.lo;
  const inner = scene.height - TOP_PAD - BOTTOM_PAD;
  if (!(span > 0)) return TOP_PAD + inner / 2;
  return TOP_PAD + ((scene.hi - value) / span) * inner;
}

export function drawCurve(ctx: CanvasRenderingContext2D, scene: CurveScene): void {
  const { width, height, frameCount, columns, colors } = scene;
  ctx.clearRect(0, 0, width, height);
  if (frameCount <= 0) return;
  const xOf = (frame: number) => (frame * width) / frameCount;

  for (const mark of scene.marks) {
    const x0 = xOf(mark.startFrame);
    const w = Math.max(1, xOf(mark.endFrame) - x0);
    ctx.globalAlpha = 0.2;
    ctx.fillStyle = mark.kind === 'anomaly' ? colors.anomaly : colors.normal;
    ctx.fillRect(x0, 0, w, height);
    ctx.globalAlpha = 1;
    ctx.fillRect(x0, height - MARK_STRIP, w, MARK_STRIP);
  }

  if (scene.selection) {
    const x0 = xOf(scene.selection.start);
    const w = Math.max(1, xOf(scene.selection.end) - x0);
    ctx.globalAlpha = 0.25;
    ctx.fillStyle = colors.selection;
    ctx.fillRect(x0, 0, w, height);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colors.selection;
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, 0.5, w - 1, height - 1);
  }

  const count = columns.max.length;
  const thresholdY = yOfValue(scene.threshold, scene);
  // The area under the column maxima.
  ctx.beginPath();
  ctx.moveTo(0, height);
  for (let c = 0; c < count; c++) ctx.lineTo(c + 0.5, yOfValue(columns.max[c] as number, scene));
  ctx.lineTo(count, height);
  ctx.closePath();
  ctx.fillStyle = colors.fill;
  ctx.fill();

  // Each column from its min to its max: spikes narrower than a pixel still show.
  for (let c = 0; c < count; c++) {
    const top = yOfValue(columns.max[c] as number, scene);
    const bottom = yOfValue(columns.min[c] as number, scene);
    ctx.fillStyle = (columns.max[c] as number) > scene.threshold ? colors.above : colors.line;
    ctx.fillRect(c, top - 0.75, 1, Math.max(1.5, bottom - top + 1.5));
  }

  if (!Number.isFinite(scene.threshold)) return;
  ctx.strokeStyle = colors.threshold;
  ctx.lineWidth = 1;
  ctx.setLineDash([5, 4]);
  ctx.beginPath();
  ctx.moveTo(0, Math.round(thresholdY) + 0.5);
  ctx.lineTo(width, Math.round(thresholdY) + 0.5);
  ctx.stroke();
  ctx.setLineDash([]);
}
