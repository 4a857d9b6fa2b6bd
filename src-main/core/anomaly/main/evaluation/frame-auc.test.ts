import { describe, expect, it } from 'vitest';
import { frameAuc, type VideoFrames } from './frame-auc.js';
import { apiErrorOf } from './api-error-of.fixture.js';

// A: negatives 0.1, 0.4; positives 0.35 (beats 0.1), 0.8 (beats both) → 3/4.
// B: the one anomalous frame scores below both normal ones → 0.
// C is all normal and D all anomalous: both have no AUC of their own.
const VIDEOS: VideoFrames[] = [
  { video: 'A', scores: Float32Array.from([0.1, 0.4, 0.35, 0.8]), truth: Uint8Array.from([0, 0, 1, 1]) },
  { video: 'B', scores: [0.2, 0.9, 0.3], truth: [1, 0, 0] },
  { video: 'C', scores: [0.5, 0.5], truth: [0, 0] },
  { video: 'D', scores: [0.7], truth: [1] },
];

describe('frameAuc', () => {
  it('gives micro and macro AUC of a hand-computed example, leaving one-class videos out of macro', () => {
    const result = frameAuc(VIDEOS);
    // Micro over all 10 frames: positives 0.35 (beats 0.1, 0.3), 0.8 (beats 5 of 6), 0.2 (beats 0.1),
    // 0.7 (beats 0.1, 0.4, 0.3, 0.5, 0.5) → (2 + 5 + 1 + 5) / (4 · 6) = 13/24.
    expect(result.micro).toBeCloseTo(13 / 24, 12);
    // Macro: mean of A (0.75) and B (0); C and D are left out.
    expect(result.macro).toBe(0.375);
    expect(result.excludedFromMacro).toEqual(['C', 'D']);
    expect(result.frames).toBe(10);
    expect(result.anomalousFrames).toBe(4);
    expect(result.videos).toEqual([
      { video: 'A', frames: 4, anomalousFrames: 2, auc: 0.75 },
      { video: 'B', frames: 3, anomalousFrames: 1, auc: 0 },
      { video: 'C', frames: 2, anomalousFrames: 0, auc: null, excluded: 'all normal' },
      { video: 'D', frames: 1, anomalousFrames: 1, auc: null, excluded: 'all anomalous' },
    ]);
  });

  it('equals the plain AUC for a single video', () => {
    const result = frameAuc([VIDEOS[0]!]);
    expect(result.micro).toBe(0.75);
    expect(result.macro).toBe(0.75);
    expect(result.excludedFromMacro).toEqual([]);
  });

  it('has a micro but no macro AUC when every video is one class', () => {
    const result = frameAuc([VIDEOS[2]!, VIDEOS[3]!]);
    // D's 0.7 beats both of C's 0.5.
    expect(result.micro).toBe(1);
    expect(result.macro).toBeNull();
    expect(result.excludedFromMacro).toEqual(['C', 'D']);
  });

  it('says which video does not pair up or has bad values', () => {
    expect(apiErrorOf(() => frameAuc([VIDEOS[0]!, { video: 'E', scores: [0.1, 0.2], truth: [0, 1, 0] }])).message).toBe(
      'Video E has 2 scored frames but 3 ground-truth frames.',
    );
    expect(apiErrorOf(() => frameAuc([{ video: 'F', scores: [0.1, 0.2], truth: [0, 3] }])).message).toBe(
      'Video F: Ground truth must be 0 or 1; frame 1 is 3.',
    );
  });

  it('needs at least one video and both classes overall', () => {
    expect(apiErrorOf(() => frameAuc([])).message).toBe('Frame AUC needs at least one video.');
    expect(apiErrorOf(() => frameAuc([VIDEOS[2]!, { video: 'G', scores: [1, 2, 3], truth: [0, 0, 0] }])).message).toBe(
      'AUC needs both normal and anomalous frames, but the ground truth marks all 5 frames of 2 videos as normal.',
    );
  });
});
