/** Display formatting for media facts. Pure functions: the Library renders thousands of rows. */

/** Seconds as h:mm:ss.mmm (hours always shown, so columns line up). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const totalSec = Math.floor(totalMs / 1000);
  const s = totalSec % 60;
  const m = Math.floor(totalSec / 60) % 60;
  const h = Math.floor(totalSec / 3600);
  return `${h}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

/** Frame rate to two decimals without trailing zeros: 25, 29.97, 59.94. */
export function formatFps(fps: number | null): string {
  if (fps === null || !Number.isFinite(fps) || fps <= 0) return '—';
  return String(Math.round(fps * 100) / 100);
}

export function formatResolution(width: number | null, height: number | null): string {
  return width && height ? `${width}×${height}` : '—';
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  return `${Math.round(seconds * 1e6) / 1e6} s`;
}

export function formatCount(value: number | null): string {
  return value === null ? '—' : value.toLocaleString('en-US');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A default as the form shows it beside the field. */
export function formatDefault(value: number | string | boolean | null | undefined): string {
  if (value === null || value === undefined) return 'blank';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}
