/** The frames region finding looks at: 8-bit grayscale, row-major, all the same size. */
export interface GrayWindow {
  frames: readonly Uint8Array[];
  width: number;
  height: number;
}

function checkSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`regions: frame ${name} must be a positive whole number of pixels, got ${value}`);
}

/** Throws a specific error unless the window has at least two frames of width × height bytes each. */
export function checkGrayWindow(window: GrayWindow): void {
  checkSide('width', window.width);
  checkSide('height', window.height);
  if (window.frames.length < 2) throw new Error(`regions: motion needs at least 2 frames, got ${window.frames.length}`);
  const pixels = window.width * window.height;
  window.frames.forEach((frame, i) => {
    if (frame.length !== pixels) {
      throw new Error(`regions: frame ${i} has ${frame.length} bytes, ${window.width}×${window.height} grayscale needs ${pixels}`);
    }
  });
}
