/**
 * How flow is stored as bytes, the same for every clip so views are comparable:
 * a displacement d (pixels) ↦ round(128 + d·128/max) clamped to 0..255 (128 = no motion,
 * −max ↦ 0, +max ↦ 255 after clamping); a magnitude m ↦ round(m·255/max) clamped to 0..255.
 * Displacements are exact to half a step (max/128 px) inside [−max, max − max/128]; larger ones
 * saturate.
 */
export const FLOW_MAX_DISPLACEMENT = 8;

function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}

export function encodeDisplacement(d: number, max = FLOW_MAX_DISPLACEMENT): number {
  return clampByte(128 + (d * 128) / max);
}

export function decodeDisplacement(byte: number, max = FLOW_MAX_DISPLACEMENT): number {
  return ((byte - 128) * max) / 128;
}

export function encodeMagnitude(m: number, max = FLOW_MAX_DISPLACEMENT): number {
  return clampByte((m * 255) / max);
}

export function decodeMagnitude(byte: number, max = FLOW_MAX_DISPLACEMENT): number {
  return (byte * max) / 255;
}
