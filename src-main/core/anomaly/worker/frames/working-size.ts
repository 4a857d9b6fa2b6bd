/** The picture as a player shows it: the sample aspect ratio applied and the display rotation done. */
export interface DisplaySize {
  width: number;
  height: number;
}

/** Pixels of the stored picture plus how it is displayed (what the video header says). */
export interface StoredPicture {
  width: number;
  height: number;
  /** Sample (pixel) aspect ratio; 1 for square pixels or when unknown. */
  sampleAspect: number;
  /** Clockwise degrees the picture is turned for display. */
  rotation: number;
}

export function displaySize(picture: StoredPicture): DisplaySize {
  const aspect = Number.isFinite(picture.sampleAspect) && picture.sampleAspect > 0 ? picture.sampleAspect : 1;
  const width = picture.width * aspect;
  const turned = picture.rotation % 180 !== 0;
  return turned ? { width: picture.height, height: width } : { width, height: picture.height };
}

// Rounded down, so a side is never enlarged, even by the one pixel that evenness needs.
const even = (value: number): number => Math.max(2, 2 * Math.floor(value / 2));

/**
 * The working resolution frames are decoded at: the longer side of the displayed picture becomes
 * `longSide` (never enlarged: a small video keeps its own size), the other side keeps the aspect ratio,
 * both rounded down to even pixel counts (what ffmpeg's scalers and chroma subsampling want).
 */
export function workingSize(display: DisplaySize, longSide: number): DisplaySize {
  if (!Number.isInteger(longSide) || longSide < 2) throw new Error(`frame stream: the working long side must be a whole number ≥ 2, got ${longSide}`);
  if (!(display.width > 0 && display.height > 0)) throw new Error(`frame stream: the picture size ${display.width}×${display.height} is not usable`);
  const scale = Math.min(1, longSide / Math.max(display.width, display.height));
  return { width: even(display.width * scale), height: even(display.height * scale) };
}
