/** The score curve's time axis: tick times at a round step that leaves room for their labels (pure). */

export interface TimeTick {
  seconds: number;
  /** Pixels from the curve's left edge. */
  x: number;
  label: string;
}

const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** "7 s", "2.5 s" under a minute; "1:05" (m:ss) or "1:02:05" (h:mm:ss) for longer videos. */
export function axisLabel(seconds: number, durationSeconds: number): string {
  if (durationSeconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  const s = String(whole % 60).padStart(2, '0');
  const m = Math.floor(whole / 60) % 60;
  const h = Math.floor(whole / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Ticks from 0 s every `step` seconds, the step the smallest of STEPS that keeps them `minSpacingPx` apart. */
export function timeTicks(durationSeconds: number, width: number, minSpacingPx = 64): TimeTick[] {
  if (!(durationSeconds > 0) || !(width > 0)) return [];
  const step = STEPS.find((s) => (s / durationSeconds) * width >= minSpacingPx) ?? STEPS[STEPS.length - 1]!;
  const ticks: TimeTick[] = [];
  for (let i = 0; i * step <= durationSeconds + 1e-9; i++) {
    const seconds = Number((i * step).toFixed(3));
    ticks.push({ seconds, x: (seconds / durationSeconds) * width, label: axisLabel(seconds, durationSeconds) });
  }
  return ticks;
}
