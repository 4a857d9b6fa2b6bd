/**
 * Paints the reliability diagram: one bar per confidence bin at the share of its predictions
 * people accepted, the diagonal a perfectly calibrated model would follow, and each bar's count.
 */
import type { ReliabilityBar } from './quality-view.js';

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const PLOT_PADDING = { left: 34, right: 8, top: 14, bottom: 30 } as const;

export function plotBox(width: number, height: number): PlotBox {
  return {
    left: PLOT_PADDING.left,
    top: PLOT_PADDING.top,
    width: Math.max(1, width - PLOT_PADDING.left - PLOT_PADDING.right),
    height: Math.max(1, height - PLOT_PADDING.top - PLOT_PADDING.bottom),
  };
}

/** Canvas x of a confidence and y of a share (0 at the bottom). */
export function xOfConfidence(box: PlotBox, confidence: number): number {
  return box.left + confidence * box.width;
}

export function yOfShare(box: PlotBox, share: number): number {
  return box.top + (1 - share) * box.height;
}

const COLORS = {
  bar: '#4d8dff',
  over: 'rgba(240, 100, 100, 0.35)',
  under: 'rgba(63, 185, 123, 0.35)',
  diagonal: '#e0a83b',
};

export interface ReliabilityTheme {
  text: string;
  faint: string;
  grid: string;
}

export function drawReliability(
  ctx: CanvasRenderingContext2D,
  bars: readonly ReliabilityBar[],
  size: { width: number; height: number },
  theme: ReliabilityTheme,
): void {
  const box = plotBox(size.width, size.height);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;

  // Grid and axes, every 20 %.
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.faint;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.beginPath();
  for (let k = 0; k <= 5; k++) {
    const y = Math.round(yOfShare(box, k / 5)) + 0.5;
    ctx.moveTo(box.left, y);
    ctx.lineTo(box.left + box.width, y);
    ctx.fillText(`${k * 20}%`, box.left - 4, y);
  }
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let k = 0; k <= 5; k++) ctx.fillText(`${k * 20}%`, xOfConfidence(box, k / 5), box.top + box.height + 3);
  ctx.fillStyle = theme.text;
  ctx.fillText('Confidence', box.left + box.width / 2, box.top + box.height + 16);

  for (const bar of bars) {
    const x0 = xOfConfidence(box, bar.lo) + 1;
    const x1 = xOfConfidence(box, bar.hi) - 1;
    const w = Math.max(1, x1 - x0);
    if (bar.share === null) continue;
    const yBar = yOfShare(box, bar.share);
    const yExpected = yOfShare(box, bar.expected);
    ctx.fillStyle = COLORS.bar;
    ctx.fillRect(x0, yBar, w, box.top + box.height - yBar);
    // The gap to where a calibrated model would be: red when it claims more than it delivers.
    ctx.fillStyle = bar.expected > bar.share ? COLORS.over : COLORS.under;
    ctx.fillRect(x0, Math.min(yBar, yExpected), w, Math.abs(yExpected - yBar));
    ctx.fillStyle = theme.text;
    ctx.textBaseline = 'bottom';
    ctx.fillText(String(bar.count), x0 + w / 2, Math.min(yBar, yExpected) - 1);
  }

  ctx.strokeStyle = COLORS.diagonal;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([5, 4]);
  ctx.beginPath();
  ctx.moveTo(xOfConfidence(box, 0), yOfShare(box, 0));
  ctx.lineTo(xOfConfidence(box, 1), yOfShare(box, 1));
  ctx.stroke();
  ctx.setLineDash([]);
}
