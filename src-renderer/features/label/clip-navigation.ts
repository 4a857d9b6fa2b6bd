/**
 * Which clip a key acts on, and where the clip keys move to. Pure functions over a video's clips
 * sorted by start frame (then end, then id), as clips:list returns them.
 */
import type { ClipDto } from '../../../src-main/shared/dto.js';

export function contains(clip: ClipDto, frame: number): boolean {
  return clip.startFrame <= frame && frame < clip.endFrame;
}

function length(clip: ClipDto): number {
  return clip.endFrame - clip.startFrame;
}

/**
 * The clip under the playhead that a class key labels: the selected clip if the playhead is in
 * it, else the shortest user segment there, else the automatic clip there (the one that started
 * last, when windows overlap).
 */
export function clipUnderPlayhead(clips: readonly ClipDto[], frame: number, selectedId: number | null): ClipDto | null {
  let user: ClipDto | null = null;
  let auto: ClipDto | null = null;
  for (const clip of clips) {
    if (clip.startFrame > frame) break;
    if (!contains(clip, frame)) continue;
    if (clip.id === selectedId) return clip;
    if (clip.origin === 'user') {
      if (!user || length(clip) < length(user)) user = clip;
    } else {
      auto = clip;
    }
  }
  return user ?? auto;
}

/** What an edit key (nudge, split, merge, delete) acts on: the selected clip, else the one under the playhead. */
export function clipToEdit(clips: readonly ClipDto[], frame: number, selectedId: number | null): ClipDto | null {
  const selected = selectedId === null ? undefined : clips.find((clip) => clip.id === selectedId);
  return selected ?? clipUnderPlayhead(clips, frame, selectedId);
}

/**
 * The clip after `current` in its own lane (automatic clips or user segments), so stepping
 * through one never lands in the other; with no current clip, the first starting after `frame`.
 */
export function nextClip(clips: readonly ClipDto[], current: ClipDto | null, frame: number): ClipDto | null {
  if (current) return nextInLane(clips, current);
  return clips.find((clip) => clip.startFrame > frame) ?? null;
}

/** The clip before `current` in its own lane; with no current clip, the last starting before `frame`. */
export function previousClip(clips: readonly ClipDto[], current: ClipDto | null, frame: number): ClipDto | null {
  if (current) {
    const index = clips.findIndex((clip) => clip.id === current.id);
    for (let i = index - 1; i >= 0; i--) {
      const other = clips[i];
      if (other && other.origin === current.origin) return other;
    }
    return null;
  }
  for (let i = clips.length - 1; i >= 0; i--) {
    const clip = clips[i];
    if (clip && clip.startFrame < frame) return clip;
  }
  return null;
}

/** The first unlabelled clip after `current` in this video, wrapping round to its start. */
export function nextUnlabelled(
  clips: readonly ClipDto[],
  current: ClipDto | null,
  frame: number,
  labelOf: (clip: ClipDto) => number | null,
): ClipDto | null {
  const index = current ? clips.findIndex((clip) => clip.id === current.id) : -1;
  const start = index >= 0 ? index + 1 : clips.findIndex((clip) => clip.startFrame > frame);
  const from = start < 0 ? clips.length : start;
  for (let k = 0; k < clips.length; k++) {
    const clip = clips[(from + k) % clips.length];
    if (clip && clip.id !== current?.id && labelOf(clip) === null) return clip;
  }
  return null;
}

/** The neighbour `m` merges with: the next clip in the same lane (automatic or user). */
export function nextInLane(clips: readonly ClipDto[], clip: ClipDto): ClipDto | null {
  const index = clips.findIndex((other) => other.id === clip.id);
  for (let i = index + 1; i < clips.length; i++) {
    const other = clips[i];
    if (other && other.origin === clip.origin) return other;
  }
  return null;
}

/** Index of the first clip that may reach past `frame` when drawing from there (clips sorted by start). */
export function firstStartingAtOrAfter(clips: readonly ClipDto[], frame: number): number {
  let lo = 0;
  let hi = clips.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((clips[mid]?.startFrame ?? 0) < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
