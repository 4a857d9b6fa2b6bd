import { describe, expect, it } from 'vitest';
import { displaySize, workingSize } from './working-size.js';

describe('displaySize', () => {
  it('applies the sample aspect ratio and the rotation', () => {
    expect(displaySize({ width: 720, height: 576, sampleAspect: 16 / 15, rotation: 0 })).toEqual({ width: 768, height: 576 });
    expect(displaySize({ width: 1920, height: 1080, sampleAspect: 1, rotation: 90 })).toEqual({ width: 1080, height: 1920 });
    expect(displaySize({ width: 1920, height: 1080, sampleAspect: 1, rotation: 180 })).toEqual({ width: 1920, height: 1080 });
    expect(displaySize({ width: 640, height: 480, sampleAspect: 0, rotation: 0 })).toEqual({ width: 640, height: 480 });
  });
});

describe('workingSize', () => {
  it('scales the longer side to the working size, both sides even', () => {
    expect(workingSize({ width: 1920, height: 1080 }, 320)).toEqual({ width: 320, height: 180 });
    expect(workingSize({ width: 1080, height: 1920 }, 320)).toEqual({ width: 180, height: 320 });
    // 768×576 → 320×240; 640×360 at 241 → 241 → 240, 135.56 → 134
    expect(workingSize({ width: 768, height: 576 }, 320)).toEqual({ width: 320, height: 240 });
    expect(workingSize({ width: 640, height: 360 }, 241)).toEqual({ width: 240, height: 134 });
  });

  it('never enlarges: a small picture keeps its size, rounded down to even', () => {
    expect(workingSize({ width: 160, height: 120 }, 320)).toEqual({ width: 160, height: 120 });
    expect(workingSize({ width: 161, height: 121 }, 320)).toEqual({ width: 160, height: 120 });
    expect(workingSize({ width: 3, height: 1 }, 320)).toEqual({ width: 2, height: 2 });
  });

  it('rejects a bad working size', () => {
    expect(() => workingSize({ width: 640, height: 480 }, 1)).toThrow(/whole number ≥ 2, got 1/);
    expect(() => workingSize({ width: 640, height: 480 }, 100.5)).toThrow(/got 100.5/);
    expect(() => workingSize({ width: 0, height: 480 }, 320)).toThrow(/0×480 is not usable/);
  });
});
