import { describe, expect, it } from 'vitest';
import { coverageSlack, parseFrameList, shortDecodeReason, type DecodedSpan } from './decode-coverage.js';

const header = ['#software: Lavf59.27.100', '#tb 0: 1/25', '#media_type 0: video', '#codec_id 0: wrapped_avframe', '#dimensions 0: 160x120', '#sar 0: 1/1'];
const frame = (pts: number, duration = 1) => `0, ${String(pts).padStart(10)}, ${String(pts).padStart(10)}, ${String(duration).padStart(8)},      536, 0x06ad11d5`;

describe('decoded span', () => {
  it('reads how many frames came out and where the last one ends', () => {
    const text = [...header, ...Array.from({ length: 11 }, (_, i) => frame(i))].join('\n');
    expect(parseFrameList(text)).toEqual({ frames: 11, endSec: 0.44 });
  });

  it('counts from the latest frame end, whatever the order, and takes an empty list as nothing decoded', () => {
    const text = [...header.slice(0, 2), frame(19), frame(68), frame(40, 0)].join('\r\n');
    expect(parseFrameList(text)).toEqual({ frames: 3, endSec: 69 / 25 });
    expect(parseFrameList('')).toEqual({ frames: 0, endSec: 0 });
    expect(parseFrameList(header.join('\n'))).toEqual({ frames: 0, endSec: 0 });
  });
});

describe('short decode', () => {
  const span = (frames: number, endSec: number): DecodedSpan => ({ frames, endSec });

  it('refuses a whole-file decode that stops well before the declared end', () => {
    expect(shortDecodeReason({ fromSec: 0, toSec: null, declaredEndSec: 2, fps: 25, span: span(11, 0.44) })).toBe(
      'frames decode only up to 0.44 s, but the file says its video lasts 2.00 s',
    );
  });

  it('accepts a decode that starts late (cut between keyframes) but reaches the end', () => {
    expect(shortDecodeReason({ fromSec: 0, toSec: null, declaredEndSec: 2.76, fps: 25, span: span(50, 2.76) })).toBeNull();
  });

  it('judges a window against its own end, or the declared end when that comes first', () => {
    const middle = { fromSec: 9.75, toSec: 10.25, declaredEndSec: 20, fps: 25 };
    expect(shortDecodeReason({ ...middle, span: span(12, 0.48) })).toBeNull();
    expect(shortDecodeReason({ ...middle, span: span(0, 0) })).toBe(
      'no frame decodes after 9.75 s, but the file says its video lasts 20.00 s',
    );
    // Audio longer than the video: the end window lies past the video's declared end.
    expect(shortDecodeReason({ fromSec: 19.4, toSec: 19.9, declaredEndSec: 15, fps: 25, span: span(0, 0) })).toBeNull();
  });

  it('allows a few frames of slack, more for slow footage, and judges nothing without a declared end', () => {
    expect(coverageSlack(25)).toBe(0.25);
    expect(coverageSlack(1)).toBe(3);
    expect(coverageSlack(null)).toBe(0.25);
    expect(shortDecodeReason({ fromSec: 0, toSec: null, declaredEndSec: 2, fps: 25, span: span(45, 1.8) })).toBeNull();
    expect(shortDecodeReason({ fromSec: 0, toSec: 0.5, declaredEndSec: 60, fps: 1, span: span(0, 0) })).toBeNull();
    expect(shortDecodeReason({ fromSec: 0, toSec: null, declaredEndSec: null, fps: 25, span: span(1, 0.04) })).toBeNull();
  });
});
