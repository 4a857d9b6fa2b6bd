/**
 * The Label view's pure logic (it runs in the renderer, and needs no DOM): which clip a key acts
 * on, where clip keys move, what a key press means, player time ↔ frame, timeline zoom and pan.
 */
import { describe, expect, it } from 'vitest';
import type { ClassDto, ClipDto, VideoDto } from '../../src-main/shared/dto.js';
import { LABEL_KEYMAP } from '../../src-main/shared/keymap.js';
import {
  clipToEdit,
  clipUnderPlayhead,
  nextClip,
  nextInLane,
  nextUnlabelled,
  previousClip,
} from '../../src-renderer/features/label/clip-navigation.js';
import { commandForKey } from '../../src-renderer/features/label/label-keys.js';
import { MIN_VIEW_FRAMES, frameAtX, panView, xOfFrame, zoomView } from '../../src-renderer/features/label/timeline-layout.js';
import {
  frameAtPlayerTime,
  frameOfPresentedTime,
  isLabellable,
  seekTimeOfFrame,
  timingOf,
} from '../../src-renderer/features/label/video-timing.js';

let nextId = 1;
function clip(startFrame: number, endFrame: number, origin: 'auto' | 'user' = 'auto', classId: number | null = null): ClipDto {
  return { id: nextId++, videoId: 1, startFrame, endFrame, startSec: startFrame / 25, endSec: endFrame / 25, origin, classId, labelSource: null };
}

function sorted(clips: ClipDto[]): ClipDto[] {
  return [...clips].sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame || a.id - b.id);
}

describe('which clip a key acts on', () => {
  const a = clip(0, 50);
  const b = clip(50, 100, 'auto', 3);
  const c = clip(100, 150);
  const wide = clip(40, 120, 'user');
  const narrow = clip(60, 70, 'user');
  const clips = sorted([a, b, c, wide, narrow]);

  it('prefers the selected clip while the playhead is in it', () => {
    expect(clipUnderPlayhead(clips, 65, wide.id)?.id).toBe(wide.id);
    expect(clipUnderPlayhead(clips, 65, b.id)?.id).toBe(b.id);
  });

  it('else the shortest user segment under the playhead, else the automatic clip', () => {
    expect(clipUnderPlayhead(clips, 65, null)?.id).toBe(narrow.id);
    expect(clipUnderPlayhead(clips, 45, null)?.id).toBe(wide.id);
    expect(clipUnderPlayhead(clips, 130, null)?.id).toBe(c.id);
    expect(clipUnderPlayhead(clips, 20, c.id)?.id).toBe(a.id);
  });

  it('an end frame is outside its clip', () => {
    expect(clipUnderPlayhead([a], 50, null)).toBeNull();
  });

  it('edit keys act on the selected clip even when the playhead left it', () => {
    expect(clipToEdit(clips, 140, narrow.id)?.id).toBe(narrow.id);
    expect(clipToEdit(clips, 140, null)?.id).toBe(c.id);
  });
});

describe('moving between clips', () => {
  const a = clip(0, 50);
  const b = clip(50, 100, 'auto', 2);
  const c = clip(100, 150);
  const seg1 = clip(10, 20, 'user');
  const seg2 = clip(120, 130, 'user', 1);
  const clips = sorted([a, b, c, seg1, seg2]);

  it('→ and ← stay in the current clip’s lane', () => {
    expect(nextClip(clips, a, 0)?.id).toBe(b.id);
    expect(nextClip(clips, seg1, 10)?.id).toBe(seg2.id);
    expect(previousClip(clips, c, 100)?.id).toBe(b.id);
    expect(previousClip(clips, seg2, 120)?.id).toBe(seg1.id);
    expect(previousClip(clips, a, 0)).toBeNull();
    expect(nextClip(clips, c, 100)).toBeNull();
  });

  it('with no current clip, → is the first clip starting after the playhead', () => {
    expect(nextClip(clips, null, 30)?.id).toBe(b.id);
    expect(previousClip(clips, null, 30)?.id).toBe(seg1.id);
  });

  it('n finds the next unlabelled clip, wrapping to the start of the video', () => {
    const label = (x: ClipDto) => x.classId;
    expect(nextUnlabelled(clips, a, 0, label)?.id).toBe(seg1.id);
    expect(nextUnlabelled(clips, seg1, 10, label)?.id).toBe(c.id);
    expect(nextUnlabelled(clips, c, 100, label)?.id).toBe(a.id);
    expect(nextUnlabelled([b, seg2], b, 60, label)).toBeNull();
  });

  it('n counts a label still being saved as a label', () => {
    const pending = new Map([[seg1.id, 4]]);
    expect(nextUnlabelled(clips, a, 0, (x) => pending.get(x.id) ?? x.classId)?.id).toBe(c.id);
  });

  it('m merges with the next clip of the same lane', () => {
    expect(nextInLane(clips, a)?.id).toBe(b.id);
    expect(nextInLane(clips, seg1)?.id).toBe(seg2.id);
    expect(nextInLane(clips, seg2)).toBeNull();
  });
});

describe('keys', () => {
  const walk: ClassDto = { id: 7, name: 'walk', color: '#ff0000', hotkey: '1', position: 0, archived: false, labelCount: 0 };
  const sit: ClassDto = { id: 8, name: 'sit', color: '#00ff00', hotkey: 'q', position: 1, archived: false, labelCount: 0 };
  const byKey = new Map([
    ['1', walk],
    ['q', sit],
  ]);
  const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
    commandForKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }, byKey);

  it('binds every key of the shared keymap to its action', () => {
    for (const binding of LABEL_KEYMAP) {
      for (const key of binding.keys) {
        const mods = binding.mod ? { ctrlKey: true, shiftKey: binding.shift ?? false } : { shiftKey: binding.shift ?? false };
        expect(press(key, mods), `${key}`).toEqual({ kind: 'action', action: binding.action });
      }
    }
  });

  it('undo, redo with Shift, redo with Y; Cmd works as Ctrl', () => {
    expect(press('z', { ctrlKey: true })).toEqual({ kind: 'action', action: 'undo' });
    expect(press('Z', { ctrlKey: true, shiftKey: true })).toEqual({ kind: 'action', action: 'redo' });
    expect(press('y', { metaKey: true })).toEqual({ kind: 'action', action: 'redo' });
  });

  it('class hotkeys come from the classes; modified or unknown keys do nothing', () => {
    expect(press('1')).toEqual({ kind: 'class', classId: 7 });
    expect(press('Q', { shiftKey: true })).toEqual({ kind: 'class', classId: 8 });
    expect(press('1', { ctrlKey: true })).toBeNull();
    expect(press('1', { altKey: true })).toBeNull();
    expect(press('9')).toBeNull();
    expect(press('k', { ctrlKey: true })).toBeNull();
  });
});

describe('player time ↔ frame', () => {
  const ntscFrom10 = { fps: 30000 / 1001, frameCount: 180, startTime: 10 };

  it('seeks to the middle of a frame, in the stream’s presentation time', () => {
    expect(seekTimeOfFrame(ntscFrom10, 0)).toBeCloseTo(10 + 0.5 / ntscFrom10.fps, 12);
    expect(seekTimeOfFrame(ntscFrom10, 60)).toBeCloseTo(10 + 60.5 / ntscFrom10.fps, 12);
    expect(seekTimeOfFrame(ntscFrom10, 500)).toBeCloseTo(10 + 179.5 / ntscFrom10.fps, 12);
  });

  it('reads back the frame it sought to, for every frame', () => {
    for (let frame = 0; frame < ntscFrom10.frameCount; frame++) {
      expect(frameAtPlayerTime(ntscFrom10, seekTimeOfFrame(ntscFrom10, frame))).toBe(frame);
    }
  });

  it('a presented frame’s timestamp names its frame even when rounded to the stream’s timebase', () => {
    for (let frame = 0; frame < ntscFrom10.frameCount; frame++) {
      const exact = 10 + frame / ntscFrom10.fps;
      expect(frameOfPresentedTime(ntscFrom10, exact)).toBe(frame);
      expect(frameOfPresentedTime(ntscFrom10, Math.round(exact * 90_000) / 90_000 - 1e-6)).toBe(frame);
    }
  });
});

describe('which videos can be labelled', () => {
  const video: VideoDto = {
    id: 1, path: '/v.mp4', name: 'v.mp4', hash: 'h', size: 1, status: 'ready', error: null, durationSec: 4,
    frameCount: 100, avgFrameRate: '25/1', realFrameRate: '25/1', fps: 25, variableFrameRate: false, startTime: 10,
    width: 64, height: 48, codec: 'h264', pixelFormat: 'yuv420p', container: 'mp4', rotation: 0, hasAudio: false,
    playable: true, proxy: 'none', posterReady: true, importedAt: '2025-01-01T00:00:00Z',
  };

  it('uses the timing the core cuts clips with, the frame rate falling back to the stream’s rates', () => {
    expect(timingOf(video)).toEqual({ fps: 25, frameCount: 100, startTime: 10 });
    expect(timingOf({ ...video, fps: null, avgFrameRate: null, realFrameRate: '30/1' })?.fps).toBe(30);
    expect(isLabellable(video)).toBe(true);
  });

  it('refuses a failed import and a video without frames or a frame rate', () => {
    expect(isLabellable({ ...video, status: 'failed' })).toBe(false);
    expect(isLabellable({ ...video, frameCount: 0 })).toBe(false);
    expect(isLabellable({ ...video, fps: null, avgFrameRate: null, realFrameRate: null })).toBe(false);
  });
});

describe('timeline view', () => {
  it('maps frames to x and back', () => {
    const view = { start: 100, end: 300 };
    expect(xOfFrame(view, 800, 200)).toBe(400);
    expect(frameAtX(view, 800, 400)).toBe(200);
  });

  it('zooms around a focus frame that stays put on screen, within the video', () => {
    const zoomed = zoomView({ start: 0, end: 1000 }, 1000, 100, 500);
    expect(zoomed).toEqual({ start: 450, end: 550 });
    expect(zoomView(zoomed, 1000, 1, 500).end - zoomView(zoomed, 1000, 1, 500).start).toBe(MIN_VIEW_FRAMES);
    expect(zoomView(zoomed, 1000, 5000, 500)).toEqual({ start: 0, end: 1000 });
  });

  it('pans without leaving the video', () => {
    expect(panView({ start: 450, end: 550 }, 1000, 1000)).toEqual({ start: 900, end: 1000 });
    expect(panView({ start: 450, end: 550 }, 1000, -1000)).toEqual({ start: 0, end: 100 });
  });
});
