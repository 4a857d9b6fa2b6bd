/**
 * Which of a video's clips an imported prediction segment stands for. The rule, as the CLI help
 * says it: a segment covers every clip it overlaps by at least half of the clip, and always the
 * clip it overlaps most (so a segment shorter than a clip still lands somewhere); a clip that
 * several segments cover takes the one that overlaps it most, then the higher confidence, then
 * the earlier in the file. A file written by `predictions export` (one segment per clip, on the
 * clip's own frames) therefore maps each row back onto its own clip, even with overlapping clips.
 */

export interface CoverClip {
  id: number;
  startFrame: number;
  endFrame: number;
}

export interface CoverSegment {
  startFrame: number;
  endFrame: number;
  confidence: number;
}

export interface Cover {
  /** Clip id → index of the segment it takes. */
  byClip: Map<number, number>;
  /** Per segment, how many clips it overlaps at all (0: it lies where the video has no clip). */
  overlapped: number[];
}

function overlap(clip: CoverClip, segment: CoverSegment): number {
  return Math.max(0, Math.min(clip.endFrame, segment.endFrame) - Math.max(clip.startFrame, segment.startFrame));
}

export function segmentCover(clips: readonly CoverClip[], segments: readonly CoverSegment[]): Cover {
  const best = new Map<number, { index: number; frames: number }>();
  const overlapped = segments.map(() => 0);
  const claim = (clip: CoverClip, index: number, frames: number) => {
    const current = best.get(clip.id);
    const segment = segments[index]!;
    const better =
      current === undefined ||
      frames > current.frames ||
      (frames === current.frames && segment.confidence > segments[current.index]!.confidence);
    if (better) best.set(clip.id, { index, frames });
  };
  segments.forEach((segment, index) => {
    let most: { clip: CoverClip; frames: number } | null = null;
    for (const clip of clips) {
      const frames = overlap(clip, segment);
      if (frames === 0) continue;
      overlapped[index]!++;
      if (most === null || frames > most.frames) most = { clip, frames };
      if (2 * frames >= clip.endFrame - clip.startFrame) claim(clip, index, frames);
    }
    if (most !== null) claim(most.clip, index, most.frames);
  });
  return { byClip: new Map([...best].map(([clipId, { index }]) => [clipId, index])), overlapped };
}
