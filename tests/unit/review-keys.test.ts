/** The Review view's keys: what each press does, and that class hotkeys correct to their class. */
import { describe, expect, it } from 'vitest';
import type { ClassDto } from '../../src-main/shared/dto.js';
import { reviewCommandForKey } from '../../src-renderer/features/review/review-keys.js';
import type { KeyPress } from '../../src-renderer/features/label/label-keys.js';

function cls(id: number, name: string, hotkey: string): ClassDto {
  return { id, name, color: '#888888', hotkey, archived: false, position: id, labelCount: 0 };
}

const byHotkey = new Map([
  ['1', cls(1, 'walk', '1')],
  ['2', cls(2, 'run', '2')],
  ['a', cls(3, 'jump', 'a')],
]);

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('reviewCommandForKey', () => {
  it('maps the review keys', () => {
    expect(reviewCommandForKey(press('Enter'), byHotkey)).toEqual({ kind: 'accept' });
    expect(reviewCommandForKey(press('x'), byHotkey)).toEqual({ kind: 'reject' });
    expect(reviewCommandForKey(press('X', { shiftKey: true }), byHotkey)).toEqual({ kind: 'reject' });
    expect(reviewCommandForKey(press('ArrowRight'), byHotkey)).toEqual({ kind: 'skip' });
    expect(reviewCommandForKey(press('ArrowLeft'), byHotkey)).toEqual({ kind: 'back' });
    expect(reviewCommandForKey(press(' '), byHotkey)).toEqual({ kind: 'play-pause' });
  });

  it('undoes with Ctrl+Z or Cmd+Z, and Ctrl with any other key does nothing', () => {
    expect(reviewCommandForKey(press('z', { ctrlKey: true }), byHotkey)).toEqual({ kind: 'undo' });
    expect(reviewCommandForKey(press('Z', { metaKey: true }), byHotkey)).toEqual({ kind: 'undo' });
    expect(reviewCommandForKey(press('z', { ctrlKey: true, shiftKey: true }), byHotkey)).toBeNull();
    expect(reviewCommandForKey(press('1', { ctrlKey: true }), byHotkey)).toBeNull();
    expect(reviewCommandForKey(press('Enter', { ctrlKey: true }), byHotkey)).toBeNull();
  });

  it('a class hotkey corrects to that class (letters in either case)', () => {
    expect(reviewCommandForKey(press('2'), byHotkey)).toEqual({ kind: 'correct', classId: 2 });
    expect(reviewCommandForKey(press('A', { shiftKey: true }), byHotkey)).toEqual({ kind: 'correct', classId: 3 });
  });

  it('ignores Alt combinations and keys bound to nothing', () => {
    expect(reviewCommandForKey(press('Enter', { altKey: true }), byHotkey)).toBeNull();
    expect(reviewCommandForKey(press('q'), byHotkey)).toBeNull();
    expect(reviewCommandForKey(press('9'), byHotkey)).toBeNull();
  });
});
