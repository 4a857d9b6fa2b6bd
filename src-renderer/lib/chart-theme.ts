/** Colours for charts, read from the app's CSS variables so canvas drawings match the theme. */

/** A CSS variable of the document, or `fallback` when it is not set. */
export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface ChartColors {
  /** Axis labels and values. */
  text: string;
  /** Secondary marks. */
  faint: string;
  /** Grid lines and ticks. */
  grid: string;
}

export function chartColors(): ChartColors {
  return {
    text: cssVar('--text-dim', '#9ba1a9'),
    faint: cssVar('--text-faint', '#6c727a'),
    grid: cssVar('--border', '#33363c'),
  };
}

/** The look shared by every uPlot axis: themed labels, grid lines and ticks. */
export function uplotAxisTheme(): { stroke: string; grid: { stroke: string; width: number }; ticks: { stroke: string; width: number } } {
  const { text, grid } = chartColors();
  return { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}
